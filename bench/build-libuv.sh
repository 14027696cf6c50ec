#!/usr/bin/env bash
# bench/build-libuv.sh: fetch Debian's libuv1 source package (apt-get source, never
# vendored) and cross-build its static library with mingw-w64, Release -O2, into
# <build>/deps/libuv-mingw/{include,lib}. Idempotent: exits at once when already built.
# Needs deb-src entries (ci/bootstrap adds them) and dpkg-dev.
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${EVE_BUILD_DIR:-$ROOT/build}
DEPS=$BUILD/deps
OUT=$DEPS/libuv-mingw
BLD=$DEPS/build-libuv-mingw

say() { printf 'bench/build-libuv: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -f "$OUT/lib/libuv.a" ] && [ -f "$OUT/include/uv.h" ] && exit 0

src=$(find "$DEPS/src" -maxdepth 1 -type d -name 'libuv1-*' 2>/dev/null | sort | tail -n1)
if [ -z "$src" ]; then
    mkdir -p "$DEPS/src"
    say "apt-get source libuv1"
    (cd "$DEPS/src" && apt-get source -qq libuv1 >&2) \
        || die "cannot fetch source package libuv1 (are deb-src entries enabled? run ci/bootstrap)"
    src=$(find "$DEPS/src" -maxdepth 1 -type d -name 'libuv1-*' | sort | tail -n1)
fi
[ -n "$src" ] || die "libuv1 source tree not found under $DEPS/src"

say "building $(basename "$src") with mingw-w64"
rm -rf "$BLD" "$OUT"
cmake -S "$src" -B "$BLD" -G Ninja -Wno-dev \
    -DCMAKE_TOOLCHAIN_FILE="$ROOT/ci/toolchain-mingw.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF \
    >"$BLD.log" 2>&1 || { tail -n 30 "$BLD.log" >&2; die "libuv configure failed"; }
cmake --build "$BLD" --target uv_a -j "${EVE_JOBS:-2}" >>"$BLD.log" 2>&1 \
    || { tail -n 30 "$BLD.log" >&2; die "libuv build failed"; }
mkdir -p "$OUT/lib"
cp -r "$src/include" "$OUT/"
cp "$BLD/libuv_a.a" "$OUT/lib/libuv.a"
say "done: $OUT"
