#!/bin/sh
# kill -9 at any moment of a run (reading, solving, writing, committing;
# held there with R5G_TEST_PAUSE_AT) leaves the inputs and an earlier plan
# byte for byte; nothing exists beside the output before writing starts; the
# debris of a killed writer (temporary, its journal, the JSON temporary, the
# locks) is removed by the next run that writes into that folder; the
# temporary of a run that is still alive is never touched.
. "${top_srcdir}/tests/lib.sh"
K="$TMP/k"
"$R5G" synth --preset tiny --seed 1 -o "$K" > /dev/null 2>&1 || { fail "synth tiny"; finish; exit 1; }
INPUTS="scenario.yaml demand.geojson candidates.csv existing.geojson regions.geojson"
sums() { (cd "$K" && sha256sum $INPUTS plan.gpkg plan_folder/*); }
debris() { ls -A "$K" | grep '\.tmp-'; }

wait_for() {
    i=0
    while [ $i -lt 300 ] && ! grep -q "$2" "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    grep -q "$2" "$1"
}

"$R5G" plan "$K/scenario.yaml" -q -o "$K/plan.gpkg" > /dev/null 2> "$TMP/e" || fail "first plan: $(cat "$TMP/e")"
"$R5G" plan "$K/scenario.yaml" -q --format GeoJSON -o "$K/plan_folder" > /dev/null 2> "$TMP/e" || fail "first folder plan: $(cat "$TMP/e")"
sums > "$TMP/sums0"

for case in "read GPKG" "solve GPKG" "write GPKG" "commit GPKG" "write GeoJSON" "commit GeoJSON"; do
    set -- $case
    stage=$1 fmt=$2
    out="$K/plan.gpkg"
    [ "$fmt" = GeoJSON ] && out="$K/plan_folder"
    R5G_TEST_PAUSE_AT=$stage "$R5G" plan "$K/scenario.yaml" -q --format "$fmt" -o "$out" --overwrite \
        --json "$K/plan.json" > /dev/null 2> "$TMP/e" &
    pid=$!
    wait_for "$TMP/e" "test pause at $stage" || fail "$fmt: never reached $stage: $(cat "$TMP/e")"
    kill -9 $pid
    { wait $pid; } 2> /dev/null
    rc=$?
    [ $rc -eq 137 ] || fail "$fmt $stage: not killed (exit $rc)"
    left=$(debris)
    case $stage in
    read | solve)
        [ -z "$left" ] && pass "$fmt kill -9 at $stage: nothing was created yet" || fail "$fmt $stage: created before writing: $left"
        ;;
    *)
        echo "$left" | grep -q '\.lock$' && echo "$left" | grep -v -q '\.lock$' &&
            pass "$fmt kill -9 at $stage: left $(echo "$left" | wc -l) names (temporaries and locks)" ||
            fail "$fmt $stage: expected a temporary and its lock: $left"
        ;;
    esac
    [ ! -e "$K/plan.json" ] || fail "$fmt $stage: plan.json appeared"
    sums > "$TMP/sums1"
    cmp -s "$TMP/sums0" "$TMP/sums1" && pass "$fmt $stage: inputs and the earlier plans are intact" ||
        fail "$fmt $stage: changed: $(diff "$TMP/sums0" "$TMP/sums1")"
    # the next run writing into the folder removes the dead run's debris
    "$R5G" plan "$K/scenario.yaml" -q -o "$K/next.gpkg" --overwrite > /dev/null 2> "$TMP/e" || fail "next run: $(cat "$TMP/e")"
    left=$(debris)
    [ -z "$left" ] && pass "$fmt $stage: the next run removed the debris" || fail "$fmt $stage: debris after the next run: $left"
done

# a live writer's temporary survives another run's sweep; once it is killed,
# the next run removes it
R5G_TEST_PAUSE_AT=write "$R5G" plan "$K/scenario.yaml" -q -o "$K/live.gpkg" > /dev/null 2> "$TMP/e" &
pid=$!
wait_for "$TMP/e" "test pause at write" || fail "live run: never reached write"
live=$(debris)
"$R5G" plan "$K/scenario.yaml" -q -o "$K/next.gpkg" --overwrite > /dev/null 2> "$TMP/e2" || fail "run beside a live one: $(cat "$TMP/e2")"
[ -n "$live" ] && [ "$(debris)" = "$live" ] && pass "a live run's temporary and lock are left alone" || fail "live temporary touched: was '$live', now '$(debris)'"
kill -9 $pid
{ wait $pid; } 2> /dev/null
"$R5G" plan "$K/scenario.yaml" -q -o "$K/next.gpkg" --overwrite > /dev/null 2> "$TMP/e2" || fail "run after the kill: $(cat "$TMP/e2")"
[ -z "$(debris)" ] && pass "after the kill -9 the next run removed it" || fail "left: $(debris)"
[ ! -e "$K/live.gpkg" ] && pass "the killed run never produced live.gpkg" || fail "live.gpkg exists"

# what cannot be proven dead stays: a temporary without a lock file (an older
# version's .NAME.tmp-PID.gpkg, or a stranger's file), a lock someone holds
echo x > "$K/.plan.tmp-12345.gpkg"
echo x > "$K/.plan.tmp-1-1-abcdefgh.gpkg"
"$R5G" plan "$K/scenario.yaml" -q -o "$K/next.gpkg" --overwrite > /dev/null 2> "$TMP/e2" || fail "run: $(cat "$TMP/e2")"
[ -f "$K/.plan.tmp-12345.gpkg" ] && [ -f "$K/.plan.tmp-1-1-abcdefgh.gpkg" ] &&
    pass "temporaries without a lock file are never removed" || fail "removed a file it could not prove dead"
rm -f "$K/.plan.tmp-12345.gpkg" "$K/.plan.tmp-1-1-abcdefgh.gpkg"
sums > "$TMP/sums1"
cmp -s "$TMP/sums0" "$TMP/sums1" && pass "in the end the inputs and the first plans are as they were" || fail "changed: $(diff "$TMP/sums0" "$TMP/sums1")"
finish
