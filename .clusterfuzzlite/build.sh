#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: the libFuzzer harness eve_fuzz_pipe (ref/ on winsim/),
# built with the engine's $CC, $CFLAGS and $LIB_FUZZING_ENGINE into $OUT, with its seed
# corpus (fuzz/corpus + fuzz/regress), dictionary and options. Runs from the checkout (the
# Dockerfile's WORKDIR) or from anywhere inside it. By hand:
#   CC=clang-14 CFLAGS="-O1 -g -fsanitize=address,undefined -fsanitize=fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out .clusterfuzzlite/build.sh
# (verified so, and with OSS-Fuzz's flags for the address and the undefined sanitizer).
if [ -f fuzz/CMakeLists.txt ]; then
    ROOT=$PWD
else
    ROOT=$(cd "$(dirname "$0")/.." && pwd)
fi
WORK=${WORK:-$(mktemp -d)}
BUILD=$WORK/eve-fuzz-build
mkdir -p "$OUT"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DEVE_FLAVOUR=native -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_C_FLAGS_RELEASE="" \
    -DEVE_FUZZ_LIBFUZZER=ON -DEVE_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$BUILD" --target eve_fuzz_pipe -j "$(nproc)"

cp "$BUILD/fuzz/eve_fuzz_pipe" "$OUT/"
cp "$ROOT/fuzz/eve_pipe.dict" "$OUT/eve_fuzz_pipe.dict"
# winsim and the monitor hash with FNV, whose unsigned wrap-around is meant: keep the
# undefined-sanitizer build's unsigned-integer-overflow check quiet about it.
printf '[libfuzzer]\nmax_len = 512\ndict = eve_fuzz_pipe.dict\n\n[ubsan]\nsilence_unsigned_overflow = 1\n' \
    >"$OUT/eve_fuzz_pipe.options"
rm -f "$OUT/eve_fuzz_pipe_seed_corpus.zip"
zip -q -j "$OUT/eve_fuzz_pipe_seed_corpus.zip" "$ROOT"/fuzz/corpus/* "$ROOT"/fuzz/regress/*
