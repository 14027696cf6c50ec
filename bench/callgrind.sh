#!/usr/bin/env bash
# bench/callgrind.sh: instructions per 128-byte write and per byte of a bulk transfer
# (64 KiB writes) through ref/ natively against winsim/, counted with callgrind. Each is
# the difference between two runs of eve_bench_count (N and 2N writes) divided by N (or
# by the bytes), so setup cancels out; deterministic for a given build.
#   bench/callgrind.sh                         build an -O2 native eve_bench_count in
#                                              <build>/bench-native and print the counts
#   bench/callgrind.sh --check TYPE PROGRAM    count PROGRAM (a TYPE build) and fail if a
#                                              count exceeds its bound in
#                                              bench/callgrind-bounds.txt (the ctest test)
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${EVE_BUILD_DIR:-$ROOT/build}
VALGRIND=${VALGRIND:-valgrind}
BOUNDS=$ROOT/bench/callgrind-bounds.txt
W128_N=2000
BULK_N=32

say() { printf 'bench/callgrind: %s\n' "$*" >&2; }

# Instructions counted in one run: count_ir PROGRAM MODE N
count_ir() {
    local out
    out=$(mktemp "${TMPDIR:-/tmp}/eve-callgrind.XXXXXX")
    if ! "$VALGRIND" --tool=callgrind --collect-atstart=no --callgrind-out-file="$out" \
        "$1" "$2" "$3" >/dev/null 2>"$out.log"; then
        tail -n 20 "$out.log" >&2
        rm -f "$out" "$out.log"
        say "$1 $2 $3 failed"
        return 1
    fi
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
    rm -f "$out" "$out.log"
}

# per_unit PROGRAM MODE N DIVISOR: (Ir(2N) - Ir(N)) / DIVISOR, two decimals
per_unit() {
    local a b
    a=$(count_ir "$1" "$2" "$3") || return 1
    b=$(count_ir "$1" "$2" $(($3 * 2))) || return 1
    awk -v a="$a" -v b="$b" -v d="$4" 'BEGIN { printf "%.2f\n", (b - a) / d }'
}

measure() {
    local prog=$1
    W128=$(per_unit "$prog" w128 "$W128_N" "$W128_N")
    BULK=$(per_unit "$prog" bulk "$BULK_N" $((BULK_N * 65536)))
}

if [ "${1:-}" = --check ]; then
    type=${2:?usage: callgrind.sh --check BUILD_TYPE PROGRAM}
    prog=${3:?usage: callgrind.sh --check BUILD_TYPE PROGRAM}
    measure "$prog"
    echo "instructions per 128-byte write: $W128; per bulk byte: $BULK ($type build)"
    rc=0
    while read -r btype metric bound; do
        case $btype in '#'* | '') continue ;; esac
        [ "$btype" = "$type" ] || continue
        case $metric in
            w128) got=$W128 ;;
            bulk_byte) got=$BULK ;;
            *) say "unknown metric '$metric' in $BOUNDS"; rc=1; continue ;;
        esac
        if awk -v g="$got" -v b="$bound" 'BEGIN { exit !(g > b) }'; then
            say "REGRESSION: $metric = $got instructions, bound $bound"
            rc=1
        else
            echo "  $metric: $got <= $bound"
        fi
    done <"$BOUNDS"
    exit "$rc"
fi

# From ci/bench: an -O2 build of its own, as the Windows contenders are built.
dir=$BUILD/bench-native
if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$ROOT" -B "$dir" -G Ninja -DEVE_FLAVOUR=native -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" >&2
fi
cmake --build "$dir" --target eve_bench_count -j "${EVE_JOBS:-2}" >&2
measure "$dir/bench/eve_bench_count"
echo
echo "callgrind, ref/ on winsim/ natively (-O2, deterministic):"
echo "- instructions per 128-byte write: $W128"
echo "- instructions per byte of a bulk transfer (64 KiB writes): $BULK"
