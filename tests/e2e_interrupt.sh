#!/bin/sh
# Atomic writes under failure: Ctrl-C (a real SIGINT) during a long solve
# exits 130 and leaves nothing behind (the temporary output does not exist
# yet: it is created when writing starts); SIGTERM while the temporary is
# being written, and SIGINT just before it is moved into place, remove it and
# its lock (exit 143, 130) and keep an earlier plan intact; a full disk
# (RLIMIT_FSIZE, EFBIG on write) fails with a clear message and leaves nothing.
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"

# what a folder holds besides the names given (the inputs)
extra() { ls -A "$1" | grep -v -x -e scenario.yaml -e demand.geojson -e candidates.csv \
    -e existing.geojson -e regions.geojson ${2:+-e "$2"}; }

# waits (up to 30 s) until file $1 holds the text $2
wait_for() {
    i=0
    while [ $i -lt 300 ] && ! grep -q "$2" "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    grep -q "$2" "$1"
}

# signal SIG PID: sends it and waits for the exit (kill -9 after 20 s: a run
# that ignores the signal fails the test instead of hanging it); sets rc
signal() {
    kill -$1 $2
    i=0
    while [ $i -lt 200 ] && kill -0 $2 2> /dev/null; do sleep 0.1; i=$((i + 1)); done
    kill -0 $2 2> /dev/null && { fail "pid $2 ignored SIG$1"; kill -9 $2; }
    wait $2
    rc=$?
}

"$R5G" synth --preset district-xl --seed 1 -o "$TMP/xl" > /dev/null 2>&1 || { fail "synth district-xl"; finish; exit 1; }
# a solve that cannot finish before the signal: no gap tolerance, long limit
sed -i 's/^\( *time_limit_s:\).*/\1 600/; s/^\( *mip_gap:\).*/\1 0.0/' "$TMP/xl/scenario.yaml"
"$R5G" plan "$TMP/xl/scenario.yaml" -o "$TMP/xl/plan.gpkg" > "$TMP/out" 2> "$TMP/err" &
pid=$!
wait_for "$TMP/err" "solving:" || fail "the solve did not start: $(tail -n 2 "$TMP/err")"
sleep 1
left=$(extra "$TMP/xl")
[ -z "$left" ] && pass "no temporary output during the solve (created when writing starts)" ||
    fail "written before the solve ended: $left"
signal INT $pid
[ $rc -eq 130 ] && pass "SIGINT exits 130" || fail "SIGINT: exit $rc, expected 130: $(tail -n 2 "$TMP/err")"
left=$(extra "$TMP/xl")
[ -z "$left" ] && pass "nothing left after SIGINT" || fail "left after SIGINT: $left"
grep -q "interrupted" "$TMP/err" && pass "says it was interrupted" || fail "no message: $(tail -n 2 "$TMP/err")"

# signals while the temporary exists: an earlier plan stays as it was
mkdir "$TMP/w" && cp "$SC"/*.geojson "$SC"/*.csv "$SC"/scenario.yaml "$TMP/w/"
"$R5G" plan "$TMP/w/scenario.yaml" -q -o "$TMP/w/plan.gpkg" > /dev/null 2> "$TMP/err" || fail "first plan: $(cat "$TMP/err")"
sum0=$(sha256sum < "$TMP/w/plan.gpkg")
for case in "write TERM 143 GPKG" "commit INT 130 GPKG" "write INT 130 GeoJSON" "commit TERM 143 GeoJSON"; do
    set -- $case
    stage=$1 sig=$2 want=$3 fmt=$4
    out="$TMP/w/plan.gpkg"
    [ "$fmt" = GeoJSON ] && out="$TMP/w/plan_geojson"
    R5G_TEST_PAUSE_AT=$stage "$R5G" plan "$TMP/w/scenario.yaml" -q --format "$fmt" -o "$out" --overwrite > /dev/null 2> "$TMP/err" &
    pid=$!
    if wait_for "$TMP/err" "test pause at $stage"; then
        ls -A "$TMP/w" | grep -q '\.tmp-.*\.lock$' && ls -A "$TMP/w" | grep '\.tmp-' | grep -v -q '\.lock$' &&
            pass "$fmt $stage: the temporary and its lock exist" || fail "$fmt $stage: no temporary: $(ls -A "$TMP/w")"
    else
        fail "$fmt: never reached $stage: $(cat "$TMP/err")"
    fi
    signal $sig $pid
    [ $rc -eq "$want" ] && pass "$fmt $stage: SIG$sig exits $want" || fail "$fmt $stage: SIG$sig: exit $rc: $(cat "$TMP/err")"
    left=$(extra "$TMP/w" plan.gpkg)
    [ -z "$left" ] && pass "$fmt $stage: temporary and lock removed" || fail "$fmt $stage: left: $left"
    [ "$(sha256sum < "$TMP/w/plan.gpkg")" = "$sum0" ] && pass "$fmt $stage: the earlier plan is intact" ||
        fail "$fmt $stage: the earlier plan changed"
done

# `rollout5g coverage` writes the same way
R5G_TEST_PAUSE_AT=write "$R5G" coverage "$TMP/w/scenario.yaml" -q -o "$TMP/w/cov.gpkg" > /dev/null 2> "$TMP/err" &
pid=$!
wait_for "$TMP/err" "test pause at write" || fail "coverage: never reached write: $(cat "$TMP/err")"
signal INT $pid
left=$(extra "$TMP/w" plan.gpkg)
[ $rc -eq 130 ] && [ -z "$left" ] && pass "coverage: SIGINT while writing exits 130 and leaves nothing" ||
    fail "coverage: SIGINT: exit $rc, left: $left"

# full disk: writes past 200 KB fail with EFBIG (SIGXFSZ ignored)
for f in GPKG GeoJSON; do
    (trap '' XFSZ; ulimit -f 200; exec "$R5G" plan "$SC/scenario.yaml" -q --format "$f" -o "$TMP/full_$f") > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && pass "$f: full disk exits 1" || fail "$f: full disk: exit $rc: $(cat "$TMP/err")"
    grep -qi -e "fail" -e "cannot" -e "error" "$TMP/err" && pass "$f: full disk message: $(head -c 160 "$TMP/err")" || fail "$f: no message on a full disk"
    left=$(ls -a "$TMP" | grep -e full_ -e tmp-)
    [ -z "$left" ] && pass "$f: nothing left on a full disk" || fail "$f: left on a full disk: $left"
done
finish
