# Shared helpers for the end-to-end test scripts (sourced, POSIX sh).
# The test harness exports R5G (the binary), top_srcdir, R5G_SHARED_DATA, GLPSOL.
set -u
: "${R5G:?R5G (the rollout5g binary) is not set: run through make check}"
: "${top_srcdir:?top_srcdir is not set: run through make check}"
TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/r5g-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; PASSES=$((PASSES + 1)); }
skip_all() { echo "SKIP: $*"; exit 77; }
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
# A python with GDAL bindings (Debian's, not a separate build on PATH).
PYGDAL=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'from osgeo import ogr' >/dev/null 2>&1; then PYGDAL=$p; break; fi
done
