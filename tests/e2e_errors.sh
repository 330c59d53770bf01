#!/bin/sh
# Every user mistake gets one clear line naming the file, line or feature,
# field and value; a non-zero exit; and no output file.
. "${top_srcdir}/tests/lib.sh"

base() {
    d=$1
    mkdir -p "$d"
    cat > "$d/demand.geojson" <<'J'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"id":"D1","weight":5,"sector":"ic","year":2026,"whitelist":1},"geometry":{"type":"Point","coordinates":[120.70,31.30]}},
{"type":"Feature","properties":{"id":"D2","weight":3,"sector":"auto","year":2027,"whitelist":0},"geometry":{"type":"Point","coordinates":[120.71,31.30]}},
{"type":"Feature","properties":{"id":"D3","weight":2,"sector":"port","year":2027,"whitelist":0},"geometry":{"type":"Point","coordinates":[120.72,31.31]}}
]}
J
    cat > "$d/candidates.csv" <<'C'
site_id,lon,lat,capex,kind
S1,120.700,31.301,100,new
S2,120.712,31.300,50,upgrade
S3,120.720,31.309,80,new
C
    cat > "$d/scenario.yaml" <<'Y'
version: 1
name: errors fixture
periods: {start: 2026, count: 2}
budget:
  capex: [150, 100]
demand:
  source: demand.geojson
  fields: {id: id, weight: weight, sector: sector, period: year, whitelist: whitelist}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, capex: capex, kind: kind}
radio: {model: fixed_radius, radius_m: 500}
output: {path: plan.gpkg}
Y
}

# expect NAME EXIT_CODE PATTERN [extra args...]: runs plan on $T/scenario.yaml
expect() {
    name=$1 code=$2 pattern=$3
    shift 3
    "$R5G" plan "$T/scenario.yaml" "$@" > "$T/out" 2> "$T/err"
    rc=$?
    lines=$(grep -c 'rollout5g: error:' "$T/err")
    if [ "$rc" -ne "$code" ]; then
        fail "$name: exit $rc, expected $code; stderr: $(cat "$T/err")"
    elif ! grep -q -- "$pattern" "$T/err"; then
        fail "$name: stderr does not match '$pattern': $(cat "$T/err")"
    elif [ "$lines" -ne 1 ]; then
        fail "$name: expected one error line on stderr, got $lines: $(cat "$T/err")"
    elif [ -e "$T/plan.gpkg" ] && [ "$name" != "existing output" ]; then
        fail "$name: an output file was left behind"
    elif ls "$T" | grep -q 'tmp'; then
        fail "$name: a temporary file was left behind: $(ls "$T")"
    else
        pass "$name"
    fi
}

n=0
case_dir() { n=$((n + 1)); T="$TMP/c$n"; base "$T"; }

case_dir
rm "$T/scenario.yaml"
expect "missing scenario" 1 "scenario.yaml.*No such file"

case_dir
printf 'version: 1\nname: [unclosed\n' > "$T/scenario.yaml"
expect "YAML syntax error" 1 "scenario.yaml:[0-9]*:.*YAML"

case_dir
sed -i 's/^budget:/budgte:/' "$T/scenario.yaml"
expect "unknown key" 1 "scenario.yaml:4:.*budgte.*did you mean 'budget'"

case_dir
sed -i 's/count: 2/count: two/' "$T/scenario.yaml"
expect "wrong type" 1 "scenario.yaml:3:.*periods.count.*two"

case_dir
sed -i 's/capex: \[150, 100\]/capex: [150, 100, 50]/' "$T/scenario.yaml"
expect "list length" 1 "scenario.yaml:5:.*budget.capex.*expected 2.*got 3"

case_dir
sed -i 's/capex: \[150, 100\]/capex: [150, -100]/' "$T/scenario.yaml"
expect "negative budget" 1 "scenario.yaml:5:.*budget.capex.*-100.*negative"

case_dir
sed -i 's/^S2,120.712,31.300,50,/S2,120.712,31.300,-50,/' "$T/candidates.csv"
expect "negative capex" 1 "candidates.csv feature 2: capex -50 is negative"

case_dir
sed -i 's/"weight":3,/"weight":"NaN",/' "$T/demand.geojson"
expect "NaN weight" 1 "demand.geojson feature 1: weight.*NaN"

case_dir
sed -i 's/^demand:/demand:\n  where: "weight > 100"/' "$T/scenario.yaml"
expect "empty layer" 1 "demand.geojson.*no features"

case_dir
sed -i 's/"geometry":{"type":"Point","coordinates":\[120.71,31.30\]}/"geometry":null/' "$T/demand.geojson"
# documented rule (docs/scenario.md): skipped with a warning naming the feature
if "$R5G" validate "$T/scenario.yaml" > "$T/out" 2> "$T/err" &&
    grep -q "warning: demand.geojson: 1 feature skipped: feature 1 (no geometry)" "$T/err" &&
    grep -q "rejected: 1 (feature 1 (no geometry))" "$T/out" && grep -q "^demand *2 features" "$T/out"; then
    pass "no geometry: skipped with a warning"
else
    fail "no geometry: $(cat "$T/out" "$T/err")"
fi

case_dir
sed -i 's/^S3,/S1,/' "$T/candidates.csv"
expect "duplicate id" 1 "duplicate site id 'S1'"

case_dir
sed -i 's/crs: EPSG:4326/crs: EPSG:999999/' "$T/scenario.yaml"
expect "unusable CRS" 1 "EPSG:999999"

case_dir
sed -i 's/source: candidates.csv/source: nosuch.csv/' "$T/scenario.yaml"
expect "missing layer file" 1 "nosuch.csv"

case_dir
sed -i 's/capex: capex, kind: kind/capex: capx, kind: kind/' "$T/scenario.yaml"
expect "unknown field" 1 "capx.*did you mean 'capex'"

case_dir
sed -i 's/"year":2027,"whitelist":0},"geometry":{"type":"Point","coordinates":\[120.71/"year":2035,"whitelist":0},"geometry":{"type":"Point","coordinates":[120.71/' "$T/demand.geojson"
expect "period outside horizon" 1 "demand.geojson feature 1: period '2035'"

case_dir
echo "not a plan" > "$T/plan.gpkg"
expect "existing output" 1 "plan.gpkg exists.*--overwrite"
if [ "$(cat "$T/plan.gpkg")" = "not a plan" ]; then pass "existing output untouched"; else fail "existing output was modified"; fi

# usage errors exit 2
"$R5G" plan > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && pass "plan without scenario exits 2" || fail "plan without scenario exited $rc"
"$R5G" plna x > /dev/null 2> "$TMP/e"; rc=$?
{ [ "$rc" -eq 2 ] && grep -q "did you mean 'plan'" "$TMP/e"; } && pass "unknown command" || fail "unknown command: exit $rc: $(cat "$TMP/e")"

# the fixture itself is valid: the checks above fail for the reason they name
T="$TMP/valid"; base "$T"
if "$R5G" plan "$T/scenario.yaml" -q > "$T/out" 2> "$T/err" && [ -s "$T/plan.gpkg" ]; then
    pass "unmodified fixture plans"
else
    fail "unmodified fixture does not plan: $(cat "$T/err")"
fi
finish
