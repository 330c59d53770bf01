#!/bin/sh
# rollout5g batch on the real binary: an 8-job sweep of the tiny preset with
# -j2; its results against a brute-force Pareto check and against standalone
# `plan` runs of the same overridden scenarios; kill -9 at several moments
# (early, mid-run, inside a manifest commit, between a job's record and its
# manifest row) and resumed: the same table as an uninterrupted run and no
# job finished twice; Ctrl-C; failed jobs and --retry-failed; a budget
# frontier; batch file errors.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings"
CHECK="$PYGDAL $top_srcdir/tests/batch_check.py"

. "${top_srcdir}/tests/batch_fixture.sh"
batch_fixture

# ---- dry run ----------------------------------------------------------------
"$R5G" batch "$TMP/sweep.yaml" --dry-run > "$TMP/dry" 2> "$TMP/err"
rc=$?
n=$(grep -c "^[0-9]" "$TMP/dry")
[ $rc -eq 0 ] && [ "$n" -eq 8 ] && pass "--dry-run lists 8 jobs" || fail "--dry-run: exit $rc, $n jobs: $(cat "$TMP/dry" "$TMP/err")"
grep -q "budget.scale=0.6.*ahead_of_demand.lead_periods=0.*radio.radius_m=500" "$TMP/dry" && pass "--dry-run shows each job's overrides" || fail "overrides not listed: $(head -3 "$TMP/dry")"
[ ! -e "$TMP/ref" ] && pass "--dry-run writes nothing" || fail "--dry-run wrote something"
"$R5G" batch "$TMP/sweep.yaml" --dry-run | cut -f2 > "$TMP/ids1"
sed 's/radio.radius_m: \[500, 600\]/radio.radius_m: [500, 600]   # same values, a comment/' "$TMP/sweep.yaml" > "$TMP/sweep2.yaml"
"$R5G" batch "$TMP/sweep2.yaml" --dry-run | cut -f2 > "$TMP/ids2"
cmp -s "$TMP/ids1" "$TMP/ids2" && pass "job ids are stable (derived from the overrides, not the batch file's text)" || fail "ids changed with a comment"
[ "$(sort -u "$TMP/ids1" | wc -l)" -eq 9 ] && pass "8 distinct job ids" || fail "ids not distinct: $(cat "$TMP/ids1")"

for f in sweep:6 frontier:5; do
    n=$("$R5G" batch "$top_srcdir/scenarios/yrd-demo/${f%%:*}.yaml" --dry-run 2>&1 | grep -c "^[0-9]")
    [ "$n" -eq "${f#*:}" ] && pass "scenarios/yrd-demo/${f%%:*}.yaml (the README's): ${f#*:} jobs" || fail "${f%%:*}.yaml: $n jobs"
done

# ---- the uninterrupted reference run, -j2 -------------------------------------
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/ref" -j2 > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "batch -j2: exit 0" || fail "batch -j2: exit $rc: $(tail -3 "$TMP/err")"
[ "$(ls "$TMP/ref/jobs/"*.gpkg 2>/dev/null | wc -l)" -eq 8 ] && pass "8 plans in DIR/jobs" || fail "plans: $(ls "$TMP/ref/jobs")"
[ "$(ls "$TMP/ref/jobs/"*.html 2>/dev/null | wc -l)" -eq 8 ] && pass "8 plan reports (ID.html) in DIR/jobs" || fail "plan reports: $(ls "$TMP/ref/jobs")"
for l in $(grep -o 'href="jobs/[^"]*"' "$TMP/ref/summary.html" | sed 's/href="//; s/"$//' | sort -u); do
    [ -s "$TMP/ref/$l" ] || fail "summary.html links to a missing $l"
done
[ "$(grep -o 'href="jobs/[^"]*.html"' "$TMP/ref/summary.html" | sort -u | wc -l)" -eq 8 ] && pass "summary.html links every plan's report" || fail "summary links"
for f in results.gpkg results.csv results.json summary.html manifest.sqlite; do
    [ -s "$TMP/ref/$f" ] && pass "$f written" || fail "$f missing"
done
left=$(find "$TMP/ref" -name '*.tmp-*')
[ -z "$left" ] && pass "no temporary files left" || fail "left: $left"
grep -q "done, 0 failed" "$TMP/err" && pass "progress lines on stderr" || fail "no progress line: $(head -3 "$TMP/err")"
$CHECK files "$TMP/ref/results.gpkg" "$TMP/ref/results.csv" "$TMP/ref/results.json" > "$TMP/c" && pass "csv and json hold the jobs table" || fail "$(cat "$TMP/c")"
$CHECK pareto "$TMP/ref/results.gpkg" > "$TMP/c" && pass "pareto flags = brute force: $(cat "$TMP/c")" || fail "pareto: $(cat "$TMP/c")"
ogrinfo -ro -so "$TMP/ref/results.gpkg" jobs 2>/dev/null | grep -q "budget.scale: Real" && pass "one column per axis, named after its path" || fail "axis column: $(ogrinfo -ro -so "$TMP/ref/results.gpkg" jobs 2>&1 | tail -30)"
grep -q "<svg" "$TMP/ref/summary.html" && grep -q 'href="jobs/' "$TMP/ref/summary.html" && ! grep -qi -e "http://[a-z]" -e "https://" "$TMP/ref/summary.html" | grep -v w3.org \
    && pass "summary.html: inline SVG, links to the plans" || fail "summary.html"
grep -v "www.w3.org/2000/svg" "$TMP/ref/summary.html" | grep -qi -e "src=\"http" -e "href=\"http" && fail "summary.html loads from the network" || pass "summary.html needs no network"

# each job equals a standalone `plan` of the scenario with the job's overrides
i=0
"$R5G" batch "$TMP/sweep.yaml" --dry-run | grep "^[0-9]" | while IFS="$(printf '\t')" read -r idx id scen s1 s2 s3; do
    $CHECK override "$TMP/sc/scenario.yaml" "$TMP/sc/job$idx.yaml" "$s1" "$s2" "$s3" &&
    "$R5G" plan "$TMP/sc/job$idx.yaml" -q -o "$TMP/sc/job$idx.gpkg" > /dev/null 2>&1
    rc=$?
    [ $rc -eq 0 ] || { echo "FAIL: standalone plan of job $idx: exit $rc"; continue; }
    $CHECK standalone "$TMP/ref/results.gpkg" "$id" "$TMP/ref/jobs/$id.gpkg" "$TMP/sc/job$idx.gpkg" || echo "FAIL: job $idx"
done > "$TMP/standalone" 2>&1
grep -q "FAIL" "$TMP/standalone" && fail "standalone plans: $(grep -B3 FAIL "$TMP/standalone" | head -20)" ||
    pass "8 jobs equal standalone plans ($(grep -c "0 differences" "$TMP/standalone") compared)"
id0=$(sed -n 1p "$TMP/ids1" | cut -f1)
id0=$("$R5G" batch "$TMP/sweep.yaml" --dry-run | awk -F'\t' '/^0\t/{print $2}')
[ "$($CHECK meta "$TMP/ref/jobs/$id0.gpkg" batch_job_id)" = "$id0" ] && pass "plan_meta batch_job_id" || fail "plan_meta batch_job_id"
[ "$($CHECK meta "$TMP/ref/jobs/$id0.gpkg" batch_override_radio.radius_m)" = "500" ] && pass "plan_meta batch_override_radio.radius_m" || fail "plan_meta override row"

# running it again runs nothing
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/ref" -j2 > /dev/null 2> "$TMP/err"
grep -q "nothing to run" "$TMP/err" && pass "a finished batch runs nothing again" || fail "rerun: $(cat "$TMP/err")"
$CHECK attempts "$TMP/ref/manifest.sqlite" 0 > "$TMP/c" && pass "one attempt per job" || fail "$(cat "$TMP/c")"

# ---- kill -9 at several moments, then resume --------------------------------------
attempts() { /usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM attempts WHERE outcome $2\").fetchone()[0])" "$1" 2>/dev/null || echo 0; }
kill_when() { # DIR CONDITION-SQL COUNT: kill -9 the batch once CONDITION has COUNT rows
    "$R5G" batch "$TMP/sweep.yaml" -o "$1" -j2 > /dev/null 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null; do
        [ "$(attempts "$1/manifest.sqlite" "$2")" -ge "$3" ] && break
        sleep 0.02
        i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
}
resume() {
    "$R5G" batch "$TMP/sweep.yaml" -o "$1" -j2 > /dev/null 2> "$TMP/err_resume"
}
# early: as soon as the first job has started
kill_when "$TMP/k1" "IS NULL" 1
# PR_SET_PDEATHSIG kills the workers at once; a loaded (sanitizer) machine
# may take a moment to reap them: wait up to 20 s before calling them orphans
i=0
while [ $i -lt 200 ] && [ -n "$(pgrep -f -- "--worker.*$TMP/k1" || true)" ]; do sleep 0.1; i=$((i + 1)); done
[ -z "$(pgrep -f -- "--worker.*$TMP/k1" || true)" ] && pass "kill -9 early: no worker survives its coordinator" || fail "orphan workers: $(pgrep -af -- "--worker.*$TMP/k1")"
resume "$TMP/k1"; rc=$?
[ $rc -eq 0 ] && pass "resume after an early kill: exit 0" || fail "resume: exit $rc: $(tail -2 "$TMP/err_resume")"
$CHECK compare "$TMP/ref/results.gpkg" "$TMP/k1/results.gpkg" > "$TMP/c" && pass "early kill: same results as uninterrupted" || fail "early kill: $(cat "$TMP/c")"
$CHECK attempts "$TMP/k1/manifest.sqlite" 2 > "$TMP/c" && pass "early kill: $(cat "$TMP/c")" || fail "$(cat "$TMP/c")"
[ -z "$(find "$TMP/k1" -name '*.tmp-*')" ] && pass "early kill: the resume removed the killed run's temporary files" || fail "debris: $(find "$TMP/k1" -name '*.tmp-*')"

# mid-run: after 3 jobs have finished, then again after 6
kill_when "$TMP/k2" "= 'done'" 3
n1=$(attempts "$TMP/k2/manifest.sqlite" "= 'done'")
kill_when "$TMP/k2" "= 'done'" 6
resume "$TMP/k2"; rc=$?
[ $rc -eq 0 ] && [ "$n1" -ge 3 ] && pass "two mid-run kills ($n1 done at the first) and a resume: exit 0" || fail "mid kills: exit $rc, $n1 done"
$CHECK compare "$TMP/ref/results.gpkg" "$TMP/k2/results.gpkg" > "$TMP/c" && pass "mid kills: same results" || fail "mid kills: $(cat "$TMP/c")"
$CHECK attempts "$TMP/k2/manifest.sqlite" 4 > "$TMP/c" && pass "mid kills: $(cat "$TMP/c")" || fail "$(cat "$TMP/c")"

# inside a manifest commit (the job's row written, COMMIT not yet), and
# between a job's result record and its manifest transaction
for point in finish-commit:2 start-commit:3 before-finish:4; do
    d="$TMP/k_${point%%:*}"
    R5G_BATCH_TEST_KILL=$point "$R5G" batch "$TMP/sweep.yaml" -o "$d" -j2 > /dev/null 2>&1
    rc=$?
    [ $rc -eq 137 ] && pass "killed at $point (exit 137)" || fail "$point: exit $rc, expected 137 (SIGKILL)"
    resume "$d"; rc=$?
    $CHECK compare "$TMP/ref/results.gpkg" "$d/results.gpkg" > "$TMP/c" && [ $rc -eq 0 ] && pass "killed at $point: same results after resume" || fail "$point: exit $rc: $(cat "$TMP/c")"
    $CHECK attempts "$d/manifest.sqlite" 2 > "$TMP/c" && pass "killed at $point: $(cat "$TMP/c")" || fail "$point: $(cat "$TMP/c")"
done
# the record survives the kill between it and the manifest: that job is not run again
rec=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM attempts WHERE outcome='lost'\").fetchone()[0])" "$TMP/k_before-finish/manifest.sqlite")
[ "$rec" -le 1 ] && pass "kill between record and manifest: at most the other running job is redone ($rec lost)" || fail "$rec attempts lost"

# ---- Ctrl-C -----------------------------------------------------------------------
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/int" -j2 > /dev/null 2> "$TMP/err" &
pid=$!
i=0
while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null && [ "$(attempts "$TMP/int/manifest.sqlite" "IS NULL")" -lt 2 ]; do sleep 0.02; i=$((i + 1)); done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "Ctrl-C: exit 130" || fail "Ctrl-C: exit $rc: $(tail -2 "$TMP/err")"
running=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM jobs WHERE status='running'\").fetchone()[0])" "$TMP/int/manifest.sqlite")
inter=$(attempts "$TMP/int/manifest.sqlite" "= 'interrupted'")
[ "$running" -eq 0 ] && [ "$inter" -ge 1 ] && pass "Ctrl-C: no job left running, $inter attempts interrupted" || fail "Ctrl-C: $running running, $inter interrupted"
i=0
while [ $i -lt 100 ] && [ -n "$(find "$TMP/int" -name '*.tmp-*')" ]; do sleep 0.1; i=$((i + 1)); done
[ -z "$(find "$TMP/int" -name '*.tmp-*')" ] && pass "Ctrl-C: the workers removed their temporary plans" || fail "Ctrl-C left: $(find "$TMP/int" -name '*.tmp-*')"
grep -q "pending again" "$TMP/err" && pass "Ctrl-C: says so" || fail "Ctrl-C message: $(tail -2 "$TMP/err")"
resume "$TMP/int"
$CHECK compare "$TMP/ref/results.gpkg" "$TMP/int/results.gpkg" > "$TMP/c" && pass "Ctrl-C then resume: same results" || fail "$(cat "$TMP/c")"

# ---- a full disk (a 1.2 MB tmpfs: about three plans fit) ---------------------------
mkdir "$TMP/full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1200k tmpfs "$TMP/full" 2> /dev/null; then
    trap 'umount "$TMP/full" 2> /dev/null; rm -rf "$TMP"' EXIT INT TERM
    "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/full/out" -j2 > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && pass "a full disk: exit 1: $(tail -1 "$TMP/err")" || fail "full disk: exit $rc: $(tail -2 "$TMP/err")"
    tail -1 "$TMP/err" | grep -q -e "disk is full" -e "jobs failed" && pass "a full disk: one clear last line" || fail "full disk message: $(tail -1 "$TMP/err")"
    mount -o remount,size=50m "$TMP/full"
    "$R5G" batch "$TMP/sweep.yaml" -o "$TMP/full/out" -j2 --retry-failed > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -eq 0 ] && pass "space freed, --retry-failed: exit 0" || fail "after the full disk: exit $rc: $(tail -2 "$TMP/err")"
    $CHECK compare "$TMP/ref/results.gpkg" "$TMP/full/out/results.gpkg" > "$TMP/c" && pass "after a full disk: same results as uninterrupted" || fail "full disk: $(cat "$TMP/c")"
    [ -z "$(find "$TMP/full" -name '*.tmp-*')" ] && pass "after a full disk: no temporary files" || fail "full disk debris: $(find "$TMP/full" -name '*.tmp-*')"
    umount "$TMP/full"
else
    echo "note: the full disk case needs root and tmpfs mounts: not run"
fi

# ---- failed jobs do not stop the batch; --retry-failed --------------------------------
cat > "$TMP/bad.yaml" <<'EOF'
version: 1
scenario: sc/scenario.yaml
sweep:
  mode: zip
  axes:
    ahead_of_demand.lead_periods: [0, -1, 1]
    ahead_of_demand.max_lead_periods: [2, 2, 2]
EOF
"$R5G" batch "$TMP/bad.yaml" -o "$TMP/bad" -j2 > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 1 ] && pass "a failed job: batch exit 1" || fail "failed job: exit $rc"
grep -q "1 of 3 jobs failed" "$TMP/err" && pass "says how many failed" || fail "message: $(tail -2 "$TMP/err")"
st=$(/usr/bin/python3 -c "
import sqlite3,sys
db=sqlite3.connect(sys.argv[1])
print(' '.join('%s:%s' % r for r in db.execute('SELECT status, exit_code FROM jobs ORDER BY idx')))
print(db.execute(\"SELECT error FROM jobs WHERE status='failed'\").fetchone()[0])" "$TMP/bad/manifest.sqlite")
echo "$st" | head -1 | grep -q "^done:0 failed:1 done:0$" && pass "the others ran: $(echo "$st" | head -1)" || fail "statuses: $st"
echo "$st" | tail -1 | grep -q "bad.yaml:6: ahead_of_demand.lead_periods" && pass "the error names the batch file line and the key: $(echo "$st" | tail -1)" || fail "error line: $st"
"$R5G" batch "$TMP/bad.yaml" -o "$TMP/bad" --retry-failed > /dev/null 2>&1
n=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM attempts').fetchone()[0])" "$TMP/bad/manifest.sqlite")
[ "$n" -eq 4 ] && pass "--retry-failed reruns the failed job only (4 attempts)" || fail "--retry-failed: $n attempts"
"$R5G" batch "$TMP/bad.yaml" --dry-run > "$TMP/dry" 2>&1
[ $? -eq 1 ] && grep -q "error: .*bad.yaml:6" "$TMP/dry" && pass "--dry-run shows the bad override" || fail "dry-run of a bad override: $(cat "$TMP/dry")"

# ---- a budget frontier --------------------------------------------------------------
cat > "$TMP/front.yaml" <<'EOF'
version: 1
scenario: sc/scenario.yaml
frontier:
  axis: budget.scale
  values: [0.25, 0.5, 0.75, 1.0, 1.5]
  mip_gap: 0.001
EOF
"$R5G" batch "$TMP/front.yaml" -o "$TMP/front" -j2 > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "frontier: exit 0" || fail "frontier: exit $rc: $(tail -2 "$TMP/err")"
$CHECK marginal "$TMP/front/results.gpkg" budget.scale > "$TMP/c" && pass "frontier marginals: $(cat "$TMP/c")" || fail "marginal: $(cat "$TMP/c")"
gaps=$(/usr/bin/python3 -c "
import sqlite3,sys
print(max(g for (g,) in sqlite3.connect(sys.argv[1]).execute('SELECT gap FROM jobs')))" "$TMP/front/manifest.sqlite")
/usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 0.001 + 1e-12 else 1)" "$gaps" && pass "each frontier point proven within 0.1% (largest gap $gaps)" || fail "frontier gap $gaps"

# ---- batch file errors: one line, file:line, key, value ------------------------------
err_case() { # NAME YAML EXPECTED
    printf '%s\n' "$2" > "$TMP/e.yaml"
    "$R5G" batch "$TMP/e.yaml" -o "$TMP/e" > /dev/null 2> "$TMP/err"
    rc=$?
    [ $rc -ne 0 ] && grep -q -- "$3" "$TMP/err" && [ "$(wc -l < "$TMP/err")" -eq 1 ] && pass "$1: $(cat "$TMP/err")" || fail "$1: exit $rc: $(cat "$TMP/err")"
    [ ! -e "$TMP/e" ] || { fail "$1: wrote $TMP/e"; rm -rf "$TMP/e"; }
}
"$R5G" batch "$TMP/nowhere.yaml" -o "$TMP/e" > /dev/null 2> "$TMP/err"
[ $? -eq 1 ] && grep -q "nowhere.yaml: cannot read batch file: No such file or directory" "$TMP/err" && [ ! -e "$TMP/e" ] &&
    pass "a missing batch file: $(cat "$TMP/err")" || fail "missing batch file: $(cat "$TMP/err")"
err_case "unknown key" "version: 1
scenario: sc/scenario.yaml
sweeps: {}" "e.yaml:3: unknown key 'sweeps' (did you mean 'sweep'?)"
err_case "bad mode" "version: 1
scenario: sc/scenario.yaml
sweep: {mode: cartesian, axes: {budget.capex: [1]}}" "e.yaml:3: sweep.mode: expected grid .* got 'cartesian'"
err_case "zip lengths" "version: 1
scenario: sc/scenario.yaml
sweep:
  mode: zip
  axes:
    budget.capex: [1, 2]
    radio.radius_m: [500]" "e.yaml:7: sweep.axes.radio.radius_m: 1 values, but budget.capex (line 6) has 2"
err_case "missing scenario" "version: 1
scenario: nowhere.yaml" "e.yaml:2: scenario: cannot read scenario 'nowhere.yaml'"
err_case "not a list" "version: 1
scenario: sc/scenario.yaml
sweep: {axes: {budget.capex: 3}}" "e.yaml:3: sweep.axes.budget.capex: expected a list, got '3'"
err_case "bad scale" "version: 1
scenario: sc/scenario.yaml
sweep: {axes: {budget.scale: [1, -2]}}" "e.yaml:3: sweep.axes.budget.scale: expected a factor > 0, got -2"
err_case "pareto criterion" "version: 1
scenario: sc/scenario.yaml
pareto: {capex: min}" "e.yaml:3: pareto: unknown criterion 'capex'"
"$R5G" batch "$TMP/sweep.yaml" -o "$TMP/ref" --mpi -j2 > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && pass "usage error: $(head -1 "$TMP/err")" || fail "-j with --mpi accepted"
other=$(printf 'version: 1\nscenario: sc/scenario.yaml\n' > "$TMP/other.yaml"; "$R5G" batch "$TMP/other.yaml" -o "$TMP/ref" 2>&1 >/dev/null)
echo "$other" | grep -q "belongs to the batch file" && pass "a DIR of another batch file is refused: $other" || fail "other batch in DIR: $other"
finish
