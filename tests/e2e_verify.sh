#!/bin/sh
# rollout5g verify end to end, on the real binary and real files:
#  - the plans of the tiny and district presets (R5G_VERIFY_PRESETS: more),
#    and of a small hand-made scenario, pass every check (exit 0);
#  - copies tampered with GDAL (python osgeo, ogrinfo -sql UPDATE) fail with
#    the exact line naming the check, the period and the ids (exit 5): a
#    build moved earlier (budget), a raised capex (sites, budget), a build
#    limit broken, an over-early site, a white-listed point late under the
#    on-time rule, a missed target, edited period_kpi / region_kpi / demand
#    / objective figures;
#  - plans made elsewhere (a CSV of site_id,build_year or build dates) pass
#    and fail; --lead re-judges the on-time rule;
#  - editing an input after planning is reported per input (a GeoJSON file,
#    and the .dbf of a Shapefile, whose checksum covers every file);
#  - the settings row, --json, an old plan without settings, usage and input
#    errors, no debris.
# Expected lines are built from the inputs and the plan's own layers (read
# with GDAL here), not copied from verify's output.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings (Debian's python3-gdal)"
command -v ogrinfo > /dev/null 2>&1 || skip_all "ogrinfo not found (gdal-bin)"
command -v sha256sum > /dev/null 2>&1 || skip_all "sha256sum not found"
cd "$TMP" || exit 1

# verify ARGS...: runs `rollout5g verify -q`, stdout in out, stderr in err, exit code in $RC
verify() {
    "$R5G" verify -q "$@" > "$TMP/out" 2> "$TMP/err"
    RC=$?
}
# want_rc N WHAT
want_rc() {
    if [ "$RC" -eq "$1" ]; then pass "$2: exit $1"; else fail "$2: exit $RC, want $1: $(cat "$TMP/out" "$TMP/err")"; fi
}
# want_line LINE WHAT: LINE is one whole line of the output
want_line() {
    if grep -Fxq -- "$1" "$TMP/out"; then
        pass "$2: $1"
    else
        fail "$2: no line '$1' in:"
        sed 's/^/    /' "$TMP/out" >&2
    fi
}
# meta PLAN KEY: a plan_meta value
meta() {
    ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = '$2'" "$1" | sed -n 's/^ *value (String) = //p'
}
sql() { ogrinfo -q "$1" -dialect SQLite -sql "$2" > /dev/null; }

# ---- 1. every preset's plan passes ----------------------------------------------------
# R5G_VERIFY_PRESETS adds the large ones (district-xl: about a minute to plan, city: more)
for p in ${R5G_VERIFY_PRESETS:-tiny district}; do
    "$R5G" synth --preset "$p" --seed 1 -o "$p" > /dev/null 2>&1 || { fail "synth $p"; continue; }
    if ! "$R5G" plan "$p/scenario.yaml" -q -o "$p.gpkg" > /dev/null 2> err; then
        fail "plan $p: $(cat err)"
        continue
    fi
    verify "$p.gpkg"
    want_rc 0 "$p plan verifies"
    n=$(grep -c . out)
    np=$(grep -c '^PASS ' out)
    [ "$n" -ge 12 ] && [ "$n" -eq "$np" ] && pass "$p: $n checks, all PASS" ||
        fail "$p: $np of $n lines PASS: $(cat out)"
done
[ -s tiny.gpkg ] || { fail "no tiny plan: nothing else can run"; finish; exit 1; }

# counts and budgets from the tiny inputs, not from the plan
n_exist=$(ogrinfo -ro -so -al tiny/existing.geojson | sed -n 's/^Feature Count: //p')
n_sites=$(( $(wc -l < tiny/candidates.csv) - 1 + n_exist ))
n_built=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM sites WHERE status = 'built'" tiny.gpkg | sed -n 's/.*n (Integer.*) = //p')
verify tiny.gpkg
want_line "PASS sites: $n_sites sites, each a candidate or existing site of the scenario ($n_built built); kind, status and capex as the scenario says" "tiny"
want_line "PASS budget: every period within budget (carry-over on)" "tiny"
want_line "PASS build_limit: every period within budget.max_new_sites" "tiny"
want_line "PASS targets: the scenario sets none" "tiny"
want_line "PASS demand: 200 points: demand_index, covered_index, on_time and serving_site_id as recomputed from the geometry and the radio model" "tiny"
want_line "PASS inputs: demand, candidates, existing and regions match the checksums in plan_meta (the scenario file itself is not used: checked against the settings in plan_meta)" "tiny"

# --lead 0: the on-time share is the share covered by the appearance period (from the demand layer)
share=$("$PYGDAL" - tiny.gpkg <<'PY'
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayerByName("demand")
w = wo = 0.0
for f in lyr:
    e = f.GetField("effective_weight")
    w += e
    c = f.GetField("covered_index")
    if c is not None and c <= f.GetField("demand_index"):
        wo += e
print("%.1f" % (100 * wo / w))
PY
)
verify tiny.gpkg --lead 0
want_rc 0 "--lead 0"
want_line "PASS on_time: no hard rule (ahead_of_demand.on_time_required: none); on-time share $share% by 2028 (L=0)" "--lead 0"

# ---- 2. tampered copies of the tiny plan ---------------------------------------------------
# The plan's built sites in candidates.csv order (the scenario's site order), with capex.
"$PYGDAL" - tiny.gpkg tiny/candidates.csv > built.txt <<'PY'
import csv, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayerByName("sites")
built = {f.GetField("site_id"): f.GetField("build_index") for f in lyr if f.GetField("status") == "built"}
for row in csv.DictReader(open(sys.argv[2])):
    if row["site_id"] in built:
        print(row["site_id"], built[row["site_id"]], row["capex"])
PY
budgets=$(sed -n 's/^ *capex: *\[\(.*\)\].*/\1/p' tiny/scenario.yaml | tr -d ' ')
maxnew=$(sed -n 's/^ *max_new_sites: *\([0-9]*\).*/\1/p' tiny/scenario.yaml)

# 2a. the builds of period 2 moved into period 1: over the first budget
cp tiny.gpkg t-early.gpkg
sql t-early.gpkg "UPDATE sites SET build_index = 1, build_period = '2026' WHERE build_index = 2"
exp=$("$PYGDAL" - "$budgets" built.txt <<'PY'
import sys
b1 = float(sys.argv[1].split(",")[0])
rows = [l.split() for l in open(sys.argv[2])]
ids = [r[0] for r in rows if r[1] in ("1", "2")]
spend = sum(float(r[2]) for r in rows if r[1] in ("1", "2"))
assert spend > b1, (spend, b1)
print("FAIL budget 2026: spends %.2f M CNY, %.2f M available (sites %s built in 2026)" % (spend / 1e6, b1 / 1e6, ", ".join(ids)))
PY
)
verify t-early.gpkg
want_rc 5 "builds moved earlier"
want_line "$exp" "builds moved earlier"

# 2b. a built site's capex raised in the sites layer: a site check, and the budget it states
set -- $(awk '$2 == 3' built.txt | head -n 1)
raised=$(( $3 + 400000 ))
cp tiny.gpkg t-capex.gpkg
sql t-capex.gpkg "UPDATE sites SET capex = $raised WHERE site_id = '$1'"
verify t-capex.gpkg
want_rc 5 "capex raised"
want_line "FAIL sites 2028: 1 site differs from the scenario: $1 (capex $raised in the plan, $3 in the scenario)" "capex raised"
grep -q "^FAIL budget 2028: spends [0-9.]* M CNY by the capex in the plan's sites layer" out &&
    pass "capex raised: the budget the plan states is over" || fail "capex raised: no budget line: $(cat out)"

# 2c. the build limit: every built site into the last period
cp tiny.gpkg t-limit.gpkg
sql t-limit.gpkg "UPDATE sites SET build_index = 3, build_period = '2028' WHERE status = 'built'"
ids=$(awk '{printf "%s%s", (NR > 1 ? ", " : ""), $1}' built.txt)
verify t-limit.gpkg
want_rc 5 "build limit"
want_line "FAIL build_limit 2028: $(wc -l < built.txt | tr -d ' ') sites built, max_new_sites $maxnew ($ids)" "build limit"

# 2d. KPI figures edited: period_kpi, region_kpi, a demand point's covered_index, the objective
cs=$(ogrinfo -ro -q -sql "SELECT covered_share FROM period_kpi WHERE period_index = 2" tiny.gpkg | sed -n 's/.*covered_share (Real) = //p')
cs=$("$PYGDAL" -c "print('%.10g' % float('$cs'))")
cp tiny.gpkg t-kpi.gpkg
sql t-kpi.gpkg "UPDATE period_kpi SET covered_share = 0.99 WHERE period_index = 2"
verify t-kpi.gpkg
want_rc 5 "period_kpi edited"
want_line "FAIL period_kpi 2027: covered_share (0.99 in the plan, $cs recomputed)" "period_kpi edited"

set -- $(ogrinfo -ro -q -sql "SELECT region_id, sites_on_air FROM region_kpi WHERE period_index = 3 ORDER BY region_id LIMIT 1" tiny.gpkg |
    sed -n 's/.*region_id (String) = //p; s/.*sites_on_air (Integer.*) = //p')
cp tiny.gpkg t-region.gpkg
sql t-region.gpkg "UPDATE region_kpi SET sites_on_air = sites_on_air + 5 WHERE region_id = '$1' AND period_index = 3"
verify t-region.gpkg
want_rc 5 "region_kpi edited"
want_line "FAIL region_kpi 2028: 1 region differs from the recomputation: $1 (sites_on_air $(( $2 + 5 )) in the plan, $2 recomputed)" "region_kpi edited"

set -- $(ogrinfo -ro -q -sql "SELECT demand_id, demand_period FROM demand WHERE covered_index = 2 ORDER BY demand_id LIMIT 1" tiny.gpkg |
    sed -n 's/.*demand_id (String) = //p; s/.*demand_period (String) = //p')
cp tiny.gpkg t-demand.gpkg
sql t-demand.gpkg "UPDATE demand SET covered_index = 3 WHERE demand_id = '$1'"
verify t-demand.gpkg
want_rc 5 "covered_index edited"
want_line "FAIL demand $2: 1 point differs from the recomputation: $1 (covered_index 3 in the plan, 2 recomputed)" "covered_index edited"

obj=$(meta tiny.gpkg objective)
cp tiny.gpkg t-obj.gpkg
sql t-obj.gpkg "UPDATE plan_meta SET value = '99999' WHERE key = 'objective'"
verify t-obj.gpkg
want_rc 5 "objective edited"
want_line "FAIL objective: plan_meta objective 99999, recomputed $obj" "objective edited"

# ---- 3. a hand-made scenario: over-early, on-time rule, targets, plans made elsewhere -------
# Planar metres, radius 500: S1 covers D1 (appears 2026, white-listed), S2
# covers D2 (2028, white-listed), S3 covers D3 (2027), S4 covers nothing.
# L = M = 1: D2 is due by 2027 and S2 earns credit from 2027; all demand
# appeared by 2027 (D1, D3) must be covered by then.
mkdir mini
cat > mini/scenario.yaml <<'EOF'
version: 1
name: "verify mini"
crs: planar
periods: {start: 2026, count: 3}
budget: {capex: 1000}
demand:
  source: demand.csv
  open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y]
  fields: {id: id, period: year, whitelist: whitelist}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y]
  fields: {id: site_id, capex: capex}
radio: {model: fixed_radius, radius_m: 500}
ahead_of_demand: {lead_periods: 1, max_lead_periods: 1, on_time_required: whitelist}
targets:
  coverage_share: {2027: 1.0}
EOF
printf 'id,x,y,year,whitelist\nD1,0,0,2026,1\nD2,2000,0,2028,1\nD3,4000,0,2027,0\n' > mini/demand.csv
printf 'site_id,x,y,capex\nS1,100,0,100\nS2,2100,0,100\nS3,4100,0,100\nS4,9000,0,100\n' > mini/candidates.csv
if "$R5G" plan mini/scenario.yaml -q -o mini.gpkg > /dev/null 2> err; then
    verify mini.gpkg
    want_rc 0 "mini plan verifies"
    want_line "PASS on_time: every white-listed point (2) covered by its on-time period (L=1, on_time_required: whitelist); on-time share 100.0% by 2028" "mini"
    want_line "PASS targets 2027: coverage_share 100.0% reached, 100.0% required" "mini"

    cp mini.gpkg m-early.gpkg
    sql m-early.gpkg "UPDATE sites SET build_index = 1, build_period = '2026', status = 'built' WHERE site_id = 'S2'"
    verify m-early.gpkg
    want_rc 5 "over-early site"
    want_line "FAIL over_early 2026: 1 site built before any demand it covers earns credit (M=1): S2 (its first demand appears in 2028, credit from 2027)" "over-early site"

    cp mini.gpkg m-late.gpkg
    sql m-late.gpkg "UPDATE sites SET build_index = 3, build_period = '2028', status = 'built' WHERE site_id = 'S2'"
    verify m-late.gpkg
    want_rc 5 "white-listed point late"
    want_line "FAIL on_time 2027: 1 white-listed point due by 2027 (L=1, on_time_required: whitelist) is covered later or never: D2 (appears 2028, covered 2028)" "white-listed point late"

    cp mini.gpkg m-target.gpkg
    sql m-target.gpkg "UPDATE sites SET build_index = NULL, build_period = NULL, status = 'not_built' WHERE site_id = 'S3'"
    verify m-target.gpkg
    want_rc 5 "target missed"
    want_line "FAIL targets 2027: coverage_share 50.0% reached, 100.0% required (1 of 2 weighted demand short)" "target missed"

    # --lead 2: D2 is due by 2026 and S2 (2027) is late; the window M widens to 2
    verify mini.gpkg --lead 2
    want_rc 5 "--lead 2"
    want_line "FAIL on_time 2026: 1 white-listed point due by 2026 (L=2, on_time_required: whitelist) is covered later or never: D2 (appears 2028, covered 2027)" "--lead 2"
    want_line "PASS over_early: no site is built before any demand it covers earns credit (credit from M=2 periods before the demand appears)" "--lead 2"
else
    fail "plan mini: $(cat err)"
fi

# plans made elsewhere: a CSV of site_id,build_year; build dates
printf 'site_id,build_year\nS1,2026\nS2,2027\nS3,2026\n' > given-ok.csv
verify given-ok.csv --scenario mini/scenario.yaml --period-field build_year
want_rc 0 "a CSV plan that holds"
want_line "PASS sites: 3 sites, each a candidate or existing site of the scenario (3 built)" "a CSV plan that holds"
printf 'site_id,build_year\nS1,2026\nS2,2026\nS4,2026\nX9,2027\n' > given-bad.csv
verify given-bad.csv --scenario mini/scenario.yaml --period-field build_year
want_rc 5 "a CSV plan that fails"
want_line "FAIL sites: 1 site of the plan is no candidate or existing site of the scenario: X9" "a CSV plan that fails"
want_line "FAIL over_early 2026: 2 sites built before any demand they cover earns credit (M=1): S2 (its first demand appears in 2028, credit from 2027), S4 (covers no demand)" "a CSV plan that fails"
want_line "FAIL targets 2027: coverage_share 50.0% reached, 100.0% required (1 of 2 weighted demand short)" "a CSV plan that fails"
printf 'site_id,built_on\nS1,2026-05-01\nS2,2027-12-31\nS3,2026-01-01\n' > given-dates.csv
verify given-dates.csv --scenario mini/scenario.yaml --date-field built_on
want_rc 0 "a CSV of build dates"
printf 'site_id,built_on\nS1,2025-12-31\nS2,2027-12-31\nS3,2026-01-01\n' > given-dates2.csv
verify given-dates2.csv --scenario mini/scenario.yaml --date-field built_on
want_rc 5 "a build date before the horizon"
want_line "FAIL sites: 1 site has a build date that is no period of the scenario (2026 to 2028), taken as not built: S1 ('2025-12-31')" "a build date before the horizon"
# the tiny plan's own sites layer, read as a plan made elsewhere (GeoPackage, labels in build_period)
verify tiny.gpkg --sites-layer sites --scenario tiny/scenario.yaml
want_rc 0 "the sites layer as a plan made elsewhere"

# ---- 4. inputs edited after planning --------------------------------------------------------
# A copy of tiny whose existing sites are a Shapefile: its checksum covers .shp .shx .dbf .prj .cpg.
cp -r tiny h
ogr2ogr -f "ESRI Shapefile" h/existing.shp h/existing.geojson 2> err || fail "ogr2ogr existing.shp: $(cat err)"
rm h/existing.geojson
sed -i 's/source: existing.geojson/source: existing.shp/' h/scenario.yaml
if "$R5G" plan h/scenario.yaml -q -o h.gpkg > /dev/null 2> err; then
    verify h.gpkg
    want_rc 0 "Shapefile input verifies"
    manifest=$(cd h && sha256sum $(ls existing.* | LC_ALL=C sort))
    want=$(printf '%s\n' "$manifest" | sha256sum | cut -c1-64)
    [ "$(meta h.gpkg input_existing_sha256)" = "$want" ] &&
        pass "input_existing_sha256 is the sha256 of the sha256sum lines of existing.*" ||
        fail "input_existing_sha256 $(meta h.gpkg input_existing_sha256), sha256sum lines give $want"
    "$PYGDAL" -c 'import sys; from osgeo import ogr
ds = ogr.Open(sys.argv[1])
print("".join(f.GetField("value") for f in ds.GetLayerByName("plan_meta") if f.GetField("key") == "input_existing_files"), end="")' \
        h.gpkg > h/files.sha256
    (cd h && sha256sum -c --quiet files.sha256) > err 2>&1 && pass "input_existing_files passes sha256sum -c" ||
        fail "input_existing_files: sha256sum -c: $(cat err)"
    rec=$(meta h.gpkg input_existing_sha256 | cut -c1-12)
    "$PYGDAL" - h/existing.shp <<'PY' || fail "editing existing.dbf"
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1], 1)
lyr = ds.GetLayer(0)
f = lyr.GetNextFeature()
f.SetField("site_id", "E-RENAMED")
lyr.SetFeature(f)
ds = None
PY
    now=$( (cd h && sha256sum $(ls existing.* | LC_ALL=C sort | grep -v files.sha256)) | sha256sum | cut -c1-12)
    verify h.gpkg
    want_rc 5 "existing.dbf edited"
    want_line "FAIL inputs existing: $TMP/h/existing.shp differs from the input the plan was made from: existing.dbf (changed) (sha256 $rec in plan_meta, $now now)" "existing.dbf edited"
    rec=$(meta h.gpkg input_demand_sha256 | cut -c1-12)
    sed -i '0,/"weight":[0-9.]*/s//"weight":77/' h/demand.geojson
    now=$(sha256sum h/demand.geojson | cut -c1-12)
    verify h.gpkg
    want_line "FAIL inputs demand: $TMP/h/demand.geojson differs from the input the plan was made from (sha256 $rec in plan_meta, $now now)" "demand.geojson edited"
else
    fail "plan h: $(cat err)"
fi

# ---- 5. the settings, old plans, JSON ------------------------------------------------------------
# the scenario given on the command line differs from the settings the plan recorded
sed 's/capex: \[500000,/capex: [600000,/' tiny/scenario.yaml > tiny/other.yaml
verify tiny.gpkg --scenario tiny/other.yaml
want_rc 5 "another budget"
b_now=$(printf '%s' "$budgets" | sed 's/^500000,/600000,/')
want_line "FAIL settings: 1 key of tiny/other.yaml differs from the settings the plan was made with: budget.capex ([$budgets] in the plan, [$b_now] now)" "another budget"
verify tiny.gpkg --scenario tiny/scenario.yaml
want_rc 0 "the plan's own scenario file"
want_line "PASS settings: tiny/scenario.yaml resolves to the settings recorded in plan_meta (paths and output aside)" "the plan's own scenario file"

# a plan from before plan_meta recorded its settings: checked against its scenario_file
cp tiny.gpkg t-old.gpkg
sql t-old.gpkg "DELETE FROM plan_meta WHERE key = 'settings'"
verify t-old.gpkg
want_rc 0 "a plan without settings"
want_line "PASS inputs: scenario, demand, candidates, existing and regions match the checksums in plan_meta" "a plan without settings"

# an edited settings row that is no scenario: verify says so (the reader falls back, verify does not guess)
cp tiny.gpkg t-badset.gpkg
sql t-badset.gpkg "UPDATE plan_meta SET value = '{\"budget\": {\"capex\": -1}}' WHERE key = 'settings'"
verify t-badset.gpkg
want_rc 1 "a settings row that is no scenario"
grep -q "^rollout5g: error: t-badset.gpkg: plan_meta settings: version: required key is missing$" err &&
    pass "a settings row that is no scenario: named" || fail "a settings row that is no scenario: $(cat err)"

verify t-early.gpkg --json v.json
want_rc 5 "--json"
"$PYGDAL" - v.json out "$exp" > err 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lines = [l.rstrip("\n") for l in open(sys.argv[2])]
assert d["passed"] is False and d["n_failed"] == sum(l.startswith("FAIL ") for l in lines), d["n_failed"]
assert [c["line"] for c in d["checks"]] == lines, "the JSON checks are not the printed lines"
b = [c for c in d["checks"] if c["check"] == "budget" and c["status"] == "FAIL"]
assert len(b) == 1 and b[0]["period"] == "2026" and b[0]["line"] == sys.argv[3], b
ids = sys.argv[3].split("(sites ")[1].split(" built")[0].split(", ")
assert b[0]["ids"] == ids, (b[0]["ids"], ids)
PY
[ $? -eq 0 ] && pass "--json: every check, the budget's period and ids" || fail "--json: $(cat err)"
verify t-early.gpkg --json -
"$PYGDAL" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["n_failed"] > 0' out 2> err &&
    pass "--json -: JSON alone on stdout" || fail "--json -: $(head -c 300 out) $(cat err)"
"$R5G" verify t-early.gpkg --json - 2> err > /dev/null
grep -Fxq -- "$exp" err && pass "--json -: the lines on stderr" || fail "--json -: no lines on stderr: $(cat err)"
# --json never writes over the plan, an input, or an existing file without --overwrite
cks=$(cksum < t-early.gpkg)
verify t-early.gpkg --json t-early.gpkg
want_rc 1 "--json onto the plan"
grep -q "^rollout5g: error: --json t-early.gpkg: is the plan being verified (t-early.gpkg); refusing to write over it$" err &&
    [ "$(cksum < t-early.gpkg)" = "$cks" ] && pass "--json onto the plan: refused, the plan untouched" ||
    fail "--json onto the plan: $(cat err)"
verify tiny.gpkg --json tiny/candidates.csv
want_rc 1 "--json onto an input"
grep -q "error: --json tiny/candidates.csv: is an input of the run (candidates.source)" err &&
    pass "--json onto an input: refused naming the scenario key" || fail "--json onto an input: $(cat err)"
verify t-early.gpkg --json v.json
want_rc 1 "--json onto an existing file"
verify t-early.gpkg --json v.json --overwrite
want_rc 5 "--json --overwrite"

# ---- 6. errors and debris -----------------------------------------------------------------------
verify nosuch.gpkg
want_rc 1 "a missing plan"
grep -q "^rollout5g: error: nosuch.gpkg: cannot read the plan: No such file or directory$" err &&
    pass "a missing plan is named" || fail "a missing plan: $(cat err)"
verify given-ok.csv --period-field build_year
want_rc 1 "a plan made elsewhere without --scenario"
grep -q "given-ok.csv: not a plan written by rollout5g (no plan_meta): give its scenario with --scenario" err &&
    pass "the message asks for --scenario" || fail "without --scenario: $(cat err)"
verify given-ok.csv --scenario mini/scenario.yaml
want_rc 1 "no build_period field"
grep -q "no field 'build_period' (name the build period field with --period-field or --date-field)" err &&
    pass "a missing field is named with the option to give" || fail "no build_period field: $(cat err)"
verify tiny.gpkg --lead soon
want_rc 2 "--lead soon"
verify given-ok.csv --period-field a --date-field b
want_rc 2 "--period-field and --date-field"
ls -A | grep -q '\.tmp' && fail "temporary files left: $(ls -A)" || pass "no temporary file left"
before=$(cat tiny/*.csv tiny/*.geojson tiny/scenario.yaml | cksum)
verify tiny.gpkg
[ "$(cat tiny/*.csv tiny/*.geojson tiny/scenario.yaml | cksum)" = "$before" ] && pass "inputs untouched" ||
    fail "verify changed an input"
finish
