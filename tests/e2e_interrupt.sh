#!/bin/sh
# Atomic writes under failure: Ctrl-C (a real SIGINT) during a long solve
# leaves nothing behind and exits 130; a full disk (RLIMIT_FSIZE, EFBIG on
# write) fails with a clear message and leaves nothing behind.
. "${top_srcdir}/tests/lib.sh"
"$R5G" synth --preset district-xl --seed 1 -o "$TMP/xl" > /dev/null 2>&1 || { fail "synth district-xl"; finish; exit 1; }
# a solve that cannot finish before the signal: no gap tolerance, long limit
sed -i 's/^\( *time_limit_s:\).*/\1 600/; s/^\( *mip_gap:\).*/\1 0.0/' "$TMP/xl/scenario.yaml"
"$R5G" plan "$TMP/xl/scenario.yaml" -o "$TMP/xl/plan.gpkg" > "$TMP/out" 2> "$TMP/err" &
pid=$!
i=0
while [ $i -lt 300 ] && ! grep -q "solving:" "$TMP/err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
sleep 1
ls -a "$TMP/xl" | grep -q '\.plan\.tmp-' && pass "temporary plan exists during the solve" || fail "no temporary plan during the solve: $(ls -a "$TMP/xl")"
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "SIGINT exits 130" || fail "SIGINT: exit $rc, expected 130: $(tail -n 2 "$TMP/err")"
left=$(ls -a "$TMP/xl" | grep -e tmp -e plan)
[ -z "$left" ] && pass "nothing left after SIGINT" || fail "left after SIGINT: $left"
grep -q "interrupted" "$TMP/err" && pass "says it was interrupted" || fail "no message: $(tail -n 2 "$TMP/err")"

# full disk: writes past 200 KB fail with EFBIG (SIGXFSZ ignored)
SC="$top_srcdir/scenarios/yrd-demo"
for f in GPKG GeoJSON; do
    (trap '' XFSZ; ulimit -f 200; exec "$R5G" plan "$SC/scenario.yaml" -q --format "$f" -o "$TMP/full_$f") > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && pass "$f: full disk exits 1" || fail "$f: full disk: exit $rc: $(cat "$TMP/err")"
    grep -qi -e "fail" -e "cannot" -e "error" "$TMP/err" && pass "$f: full disk message: $(head -c 160 "$TMP/err")" || fail "$f: no message on a full disk"
    left=$(ls -a "$TMP" | grep -e full_ -e tmp-)
    [ -z "$left" ] && pass "$f: nothing left on a full disk" || fail "$f: left on a full disk: $left"
done
finish
