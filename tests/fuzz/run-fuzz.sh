#!/bin/sh
# Usage: tests/fuzz/run-fuzz.sh [SECONDS]
#
# Builds the libFuzzer target for the domain XML parser with clang, ASan and
# UBSan in a build directory of its own ($XV_FUZZ_BUILDDIR, default
# build-fuzz in the source tree), seeds a temporary corpus from
# tests/xmlconfdata/*.xml, tests/fuzz/corpus-domain-xml/ and the peer XML in
# ../shared (when present), and fuzzes for SECONDS (default 60).
# Exit status: 0 when nothing was found, non-zero on a crash, leak, timeout
# or fixed-point violation; the reproducer is left in
# $XV_FUZZ_BUILDDIR/fuzz-artifacts/.
set -eu

secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${XV_FUZZ_BUILDDIR:-$src/build-fuzz}
shared=${XV_SHARED_DIR:-$src/../shared}

if ! command -v clang >/dev/null 2>&1; then
    echo "run-fuzz.sh: clang is missing: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 2
fi

if [ ! -f "$builddir/build.ninja" ]; then
    CC=clang CFLAGS=-fsanitize=fuzzer-no-link \
        meson setup "$builddir" "$src" -Dfuzzing=true \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
meson compile -C "$builddir" tests/fuzz/fuzz-domain-xml >/dev/null

corpus=$(mktemp -d "${TMPDIR:-/tmp}/xv-fuzz-corpus.XXXXXX")
trap 'rm -rf "$corpus"' EXIT INT TERM
for f in "$src"/tests/xmlconfdata/*.xml "$src"/tests/fuzz/corpus-domain-xml/*.xml; do
    [ -f "$f" ] && cp "$f" "$corpus/"
done
for d in libxl-domconfig xl-config; do
    if [ -d "$shared/peer/$d" ]; then
        for f in "$shared/peer/$d"/*.xml; do
            cp "$f" "$corpus/peer-$d-$(basename "$f")"
        done
    fi
done
echo "run-fuzz.sh: $(ls "$corpus" | wc -l) seeds, $secs s"

artifacts="$builddir/fuzz-artifacts"
mkdir -p "$artifacts"
status=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
ASAN_OPTIONS=detect_leaks=1 \
    "$builddir/tests/fuzz/fuzz-domain-xml" \
    -max_len=65536 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -dict="$src/tests/fuzz/domain-xml.dict" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" || status=$?
if [ "$status" -ne 0 ]; then
    echo "run-fuzz.sh: the fuzzer found a problem (exit $status); reproducer in $artifacts/" >&2
    echo "0 passed, 1 failed"
    exit "$status"
fi
echo "run-fuzz.sh: no crash in $secs s"
echo "1 passed, 0 failed"
