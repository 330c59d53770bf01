#!/bin/sh
# The catalogue of bad inputs. Every user mistake gets exactly one error line
# naming the file, line or feature, the key and the value; a non-zero exit;
# no output and no temporary file left behind; and the inputs untouched
# (every file in the case folder has the same SHA-256 before and after).
#
# Each case is one call
#     c NAME EXIT EXPECTED SETUP [ARGS...]
# run in a fresh copy of the fixture below: SETUP (shell, run in the copy)
# breaks one thing, then `rollout5g plan scenario.yaml ARGS...` runs there.
# EXPECTED is the exact error line after "rollout5g: error: ", or, when it
# starts with "~", an extended regex the whole line must match. Usage errors
# (exit 2) are checked with u NAME EXPECTED ARGS... on the first stderr line.
# Expected lines are written from the fixture by hand (line numbers of
# scenario.yaml are listed below), never copied from a run.
. "${top_srcdir}/tests/lib.sh"

# ---- the fixture -------------------------------------------------------------
B="$TMP/base"
mkdir -p "$B"
cat > "$B/demand.geojson" <<'J'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"id":"D1","weight":5,"sector":"ic","year":2026,"whitelist":1,"indoor":0,"traffic":10},"geometry":{"type":"Point","coordinates":[120.70,31.30]}},
{"type":"Feature","properties":{"id":"D2","weight":3,"sector":"auto","year":2027,"whitelist":0,"indoor":1,"traffic":20},"geometry":{"type":"Point","coordinates":[120.71,31.30]}},
{"type":"Feature","properties":{"id":"D3","weight":2,"sector":"port","year":2027,"whitelist":0,"indoor":0,"traffic":30},"geometry":{"type":"Point","coordinates":[120.72,31.31]}}
]}
J
cat > "$B/candidates.csv" <<'C'
site_id,lon,lat,capex,kind,band,height,environment
S1,120.700,31.301,100,new,n78,25,uma
S2,120.712,31.300,50,upgrade,n78,30,umi
S3,120.720,31.309,80,new,n78,25,uma
C
cat > "$B/existing.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"site_id":"E1","band":"n78","height":20},"geometry":{"type":"Point","coordinates":[120.69,31.29]}}
]}
J
cat > "$B/regions.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"adcode":"320571","name":"SIP","population":120000},"geometry":{"type":"Polygon","coordinates":[[[120.6,31.2],[120.8,31.2],[120.8,31.4],[120.6,31.4],[120.6,31.2]]]}}
]}
J
# scenario.yaml, by line: 1 version, 2 name, 3 periods, 4 budget, 5 capex,
# 6 demand, 7 source, 8 fields, 9 candidates, 10 source, 11 open_options,
# 12 crs, 13 fields, 14 radio, 15 output; appended keys start at line 16.
cat > "$B/scenario.yaml" <<'Y'
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

# setup helpers (run inside the case folder)
ysed() { sed -i "$1" scenario.yaml; }          # edit the scenario
yadd() { printf '%b\n' "$1" >> scenario.yaml; } # append lines (\n separated)
dsed() { sed -i "$1" demand.geojson; }
csed() { sed -i "$1" candidates.csv; }
# ylines FROM TO TEXT: lines FROM..TO of the scenario replaced by TEXT (\n separated)
ylines() { awk -v a="$1" -v b="$2" -v t="$3" 'NR == a { print t } NR < a || NR > b' scenario.yaml > s.new && mv s.new scenario.yaml; }
# demand as a list of two layers, the fixture's and ports.csv (lines 6-13;
# candidates then start at line 14, radio 19, output 20)
PORTS='pid,lon,lat\nP1,120.705,31.302\nP2,120.715,31.305\n'
two_layers() {
    printf "$PORTS" > ports.csv
    ylines 6 8 "demand:\n  - source: demand.geojson\n    fields: {id: id, weight: weight, sector: sector, period: year, whitelist: whitelist}\n  - source: ports.csv\n    open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]\n    crs: EPSG:4326\n    sector: port\n    fields: {id: pid}"
}
# the existing and regions layers of the fixture, appended at line 16
existing() { yadd "existing:\n  source: existing.geojson\n  fields: {id: site_id}"; }
regions() { yadd "regions:\n  source: regions.geojson\n  fields: {id: adcode, name: name, population: population}"; }

# ---- the runner --------------------------------------------------------------
# manifest DIR: every file and folder with its SHA-256
manifest() {
    (cd "$1" && find . | LC_ALL=C sort | while IFS= read -r f; do
        if [ -f "$f" ]; then sha256sum "$f"; else echo "folder $f"; fi
    done)
}
n=0
# check NAME EXIT EXPECTED FIRST_ONLY: judges the run in $T
check() {
    name=$1 code=$2 want=$3 first=$4
    if [ "$first" = 1 ]; then
        got=$(head -n 1 "$TMP/err")
        nerr=1
    else
        got=$(grep '^rollout5g: error: ' "$TMP/err")
        nerr=$(grep -c '^rollout5g: error: ' "$TMP/err")
        got=${got#rollout5g: error: }
    fi
    case $want in
    \~*) printf '%s\n' "$got" | grep -Eqx -- "${want#\~}" && match=1 || match=0 ;;
    *) [ "$got" = "$want" ] && match=1 || match=0 ;;
    esac
    if [ "$rc" -ne "$code" ]; then
        fail "$name: exit $rc, expected $code; stderr: $(cat "$TMP/err")"
    elif [ "$nerr" -ne 1 ]; then
        fail "$name: expected one error line, got $nerr: $(cat "$TMP/err")"
    elif [ "$match" -ne 1 ]; then
        fail "$name:
   got: $got
  want: $want"
    elif [ "$(manifest "$T")" != "$before" ]; then
        fail "$name: the case folder changed (an input modified, or output or a temporary file left): $(ls -A "$T")"
    else
        pass "$name"
    fi
}
# c NAME EXIT EXPECTED SETUP [ARGS...]: `plan scenario.yaml ARGS...`
c() {
    name=$1 code=$2 want=$3 setup=$4
    shift 4
    n=$((n + 1))
    T="$TMP/c$n"
    cp -R "$B" "$T"
    if ! (cd "$T" && eval "$setup"); then
        fail "$name: setup failed"
        return
    fi
    before=$(manifest "$T")
    (cd "$T" && "$R5G" plan scenario.yaml "$@" > "$TMP/out" 2> "$TMP/err")
    rc=$?
    check "$name" "$code" "$want" 0
}
# v NAME EXIT EXPECTED SETUP: the same with `validate`
v() {
    name=$1 code=$2 want=$3 setup=$4
    n=$((n + 1))
    T="$TMP/c$n"
    cp -R "$B" "$T"
    (cd "$T" && eval "$setup") || { fail "$name: setup failed"; return; }
    before=$(manifest "$T")
    (cd "$T" && "$R5G" validate scenario.yaml > "$TMP/out" 2> "$TMP/err")
    rc=$?
    check "$name" "$code" "$want" 0
}
# u NAME EXPECTED ARGS...: a usage error (exit 2), the first stderr line
u() {
    name=$1 want=$2
    shift 2
    n=$((n + 1))
    T="$TMP/c$n"
    cp -R "$B" "$T"
    before=$(manifest "$T")
    (cd "$T" && "$R5G" "$@" > "$TMP/out" 2> "$TMP/err")
    rc=$?
    check "$name" 2 "$want" 1
}

# ---- the catalogue -------------------------------------------------------------

# -- the scenario file itself
c "missing scenario" 1 "scenario.yaml: cannot read scenario file: No such file or directory" \
  "rm scenario.yaml"
c "YAML syntax error" 1 "scenario.yaml:3: YAML syntax error: did not find expected ',' or ']' (column 1); while parsing a flow sequence started on line 2" \
  "printf 'version: 1\nname: [unclosed\n' > scenario.yaml"
c "unknown top-level key" 1 "scenario.yaml:4: budgte: unknown key (did you mean 'budget'?)" \
  "ysed 's/^budget:/budgte:/'"
c "periods.count not an integer" 1 "scenario.yaml:3: periods.count: expected an integer, got 'two'" \
  "ysed 's/count: 2/count: two/'"
c "budget list length" 1 "scenario.yaml:5: budget.capex: expected 2 values (one per period), got 3" \
  "ysed 's/capex: \[150, 100\]/capex: [150, 100, 50]/'"
c "negative budget" 1 "scenario.yaml:5: budget.capex: -100 is negative (period 2027)" \
  "ysed 's/capex: \[150, 100\]/capex: [150, -100]/'"

# -- layer values
c "negative capex" 1 "candidates.csv feature 2 (id S2): capex -50 is negative" \
  "csed 's/^S2,120.712,31.300,50,/S2,120.712,31.300,-50,/'"
c "NaN weight" 1 "demand.geojson feature 1 (id D2): weight NaN is not a finite number" \
  "dsed 's/\"weight\":3,/\"weight\":\"NaN\",/'"
c "empty layer after where" 1 "demand.geojson: layer 'demand' has no features matching demand.where \"weight > 100\"" \
  "ysed 's/^demand:/demand:\n  where: \"weight > 100\"/'"
c "duplicate site id" 1 "candidates.csv feature 3 (id S1): duplicate site id 'S1' (also candidates.csv feature 1 (id S1))" \
  "csed 's/^S3,/S1,/'"
c "period outside the horizon" 1 "demand.geojson feature 1 (id D2): period '2035' is not one of the scenario's periods (2026..2027)" \
  "dsed 's/\"year\":2027,\"whitelist\":0,\"indoor\":1/\"year\":2035,\"whitelist\":0,\"indoor\":1/'"

# -- layer sources
c "unknown EPSG in a layer crs" 1 "scenario.yaml:12: candidates.crs: 'EPSG:999999' is not a CRS PROJ knows (crs not found)" \
  "ysed 's/crs: EPSG:4326/crs: EPSG:999999/'"
c "missing layer file" 1 "candidates: cannot open 'nosuch.csv': No such file or directory" \
  "ysed 's/source: candidates.csv/source: nosuch.csv/'"
c "mapped field missing, near name" 1 "candidates.csv: candidates.fields.capex: no field 'capx' in layer 'candidates' (did you mean 'capex'?)" \
  "ysed 's/capex: capex, kind: kind/capex: capx, kind: kind/'"

# -- geometry (default on_invalid: error)
c "no geometry" 1 "demand.geojson feature 1 (id D2): no geometry (demand.on_invalid: skip leaves such features out)" \
  "dsed 's/\"geometry\":{\"type\":\"Point\",\"coordinates\":\[120.71,31.30\]}/\"geometry\":null/'"
c "LineString among demand points" 1 "demand.geojson feature 1 (id D2): geometry is a LineString, but the demand layer needs points or polygons (which use a point on their surface) (demand.on_invalid: skip leaves such features out)" \
  "dsed 's/{\"type\":\"Point\",\"coordinates\":\[120.71,31.30\]}/{\"type\":\"LineString\",\"coordinates\":[[120.71,31.30],[120.72,31.31]]}/'"
c "point layer as regions" 1 "demand.geojson: layer 'demand' holds Point geometries, but the regions layer needs polygons" \
  "yadd 'regions:\n  source: demand.geojson\n  fields: {id: id}'"
c "longitude out of range" 1 "demand.geojson feature 1 (id D2): longitude 419.6 is outside -180..180 (the layer's CRS EPSG:4326 is geographic)" \
  "dsed 's/\[120.71,31.30\]/[419.6,31.30]/'"
c "lat/lon swapped" 1 "demand.geojson feature 1 (id D2): latitude 120.71 is outside -90..90 (the layer's CRS EPSG:4326 is geographic); lat/lon swapped?" \
  "dsed 's/\[120.71,31.30\]/[31.30,120.71]/'"
c "lat/lon swapped in a CSV, China" 1 "candidates.csv feature 3 (id S3): point (40.1, 80.2) lies outside China, but swapped, (80.2, 40.1) lies inside: lat/lon swapped? (candidates.crs is EPSG:4326)" \
  "csed 's/^S3,120.720,31.309,/S3,40.1,80.2,/'"
c "metres with a geographic CRS" 1 "demand.geojson feature 0 (id D1): longitude 271570 is outside -180..180, like 2 more features (the layer's CRS EPSG:4326 is geographic); the numbers look like metres: give the layer's projected CRS in demand.crs" \
  "dsed 's/\[120.70,31.30\]/[271570,3465336]/; s/\[120.71,31.30\]/[272522,3465317]/; s/\[120.72,31.31\]/[273476,3466407]/'"
c "projected CRS on lon/lat data" 1 "candidates.csv: candidates.crs EPSG:32651 is projected (metres), but all 3 points lie within -180..180 / -90..90 like lon/lat (feature 1 (id S1) at 120.7, 31.301): for lon/lat data set candidates.crs: EPSG:4326" \
  "ysed 's/crs: EPSG:4326/crs: EPSG:32651/'"

# -- attributes
c "non-UTF-8 sector" 1 "demand.geojson feature 2 (id D3): sector: text is not UTF-8 (bytes b5 e7 c1 a6 at byte 1 of the value); convert the file to UTF-8 (e.g. iconv -f GBK -t UTF-8)" \
  "dsed 's/\"sector\":\"port\"/\"sector\":\"\\xb5\\xe7\\xc1\\xa6\"/'"
c "CSV row with missing columns" 1 "candidates.csv feature 2 (id S2): capex: the row has only 3 of the header's 8 columns: no value in column 'capex'" \
  "csed 's/^S2,.*/S2,120.712,31.300/'"
c "text population" 1 "regions.geojson feature 0 (id 320571): population 'SIP' is not a number" \
  "regions; ysed 's/population: population/population: name/'"

# -- sectors named in the scenario must exist in the data
c "sector typo in sectors" 1 "scenario.yaml:16: sectors.enegry: no demand point has sector 'enegry' (sectors in the data: auto, ic, port)" \
  "yadd 'sectors: {ic: 2, enegry: 1.5}'"
c "sector typo, did you mean" 1 "scenario.yaml:16: sectors.prot: no demand point has sector 'prot' (did you mean 'port'? sectors in the data: auto, ic, port)" \
  "yadd 'sectors: {prot: 1.5}'"
c "sector typo in targets.sector_share" 1 "scenario.yaml:19: targets.sector_share.enegry: no demand point has sector 'enegry' (sectors in the data: auto, ic, port)" \
  "yadd 'objective: min_cost\ntargets:\n  sector_share:\n    enegry: {2027: 1.0}'"

# -- CRS and output settings carry the scenario line or the option
c "garbage WKT in a layer crs" 1 "scenario.yaml:12: candidates.crs: 'GEOGCS[garbage' is not a CRS PROJ knows (missing , or ])" \
  "ysed 's/crs: EPSG:4326/crs: \"GEOGCS[garbage\"/'"
c "geographic working crs" 1 "scenario.yaml:16: crs: 'EPSG:4326' is geographic; the working CRS must be projected (metres): use auto or a UTM zone such as EPSG:32651" \
  "yadd 'crs: EPSG:4326'"
c "garbage output.crs" 1 "scenario.yaml:15: output.crs: 'nonsense' is not a CRS PROJ knows" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, crs: nonsense}/'"
c "unknown output.format" 1 "scenario.yaml:15: output.format: 'GPKX' is not a GDAL vector driver (did you mean 'GPKG'?)" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, format: GPKX}/'"
c "unknown --format" 1 "--format: 'shp' is not a GDAL vector driver (did you mean 'ESRI Shapefile'?)" \
  "true" --format shp
c "unknown --t_srs" 1 "--t_srs: 'EPSG:0' is not a CRS PROJ knows (crs not found)" \
  "true" --t_srs EPSG:0

# -- several demand layers
c "id clash across demand layers" 1 "ports.csv feature 2 (id D2): duplicate demand id 'D2' (also demand.geojson feature 1 (id D2)): ids must be unique across the demand layers; give the layers an id_prefix each" \
  "two_layers; sed -i 's/^P2,/D2,/' ports.csv"
c "bad crs in a demand list item" 1 "scenario.yaml:11: demand[1].crs: 'EPSG:999999' is not a CRS PROJ knows (crs not found)" \
  "two_layers; ysed '11s/EPSG:4326/EPSG:999999/'"

# -- output
c "existing output" 1 "plan.gpkg exists: use --overwrite or choose another -o path" \
  "echo 'not a plan' > plan.gpkg"

# -- usage errors exit 2
u "plan without a scenario" "rollout5g plan: missing SCENARIO (a scenario YAML file)" plan
u "unknown command" "rollout5g: unknown command 'plna' (did you mean 'plan'?)" plna x

# ---- the fixture itself plans: each case above fails for the reason it names
nv=0
plans() { # NAME SETUP
    nv=$((nv + 1))
    T="$TMP/valid$nv"
    cp -R "$B" "$T"
    if (cd "$T" && eval "$2" && "$R5G" plan scenario.yaml -q > out 2> err) && [ -s "$T/plan.gpkg" ]; then
        pass "$1"
    else
        fail "$1 does not plan: $(cat "$T/err")"
    fi
}
plans "unmodified fixture plans" true
plans "fixture with existing and regions plans" "existing && regions"
plans "fixture with two demand layers plans" "two_layers"
# on_invalid: skip opts in to skipping bad geometries, each named in the warning
T="$TMP/skip"
cp -R "$B" "$T"
(cd "$T" && dsed 's/"geometry":{"type":"Point","coordinates":\[120.71,31.30\]}/"geometry":null/' &&
    dsed 's/{"type":"Point","coordinates":\[120.72,31.31\]}/{"type":"LineString","coordinates":[[120.72,31.31],[120.73,31.31]]}/' &&
    ysed 's/^demand:/demand:\n  on_invalid: skip/')
if (cd "$T" && "$R5G" validate scenario.yaml > out 2> err) &&
    grep -qx "rollout5g: warning: demand.geojson: 2 features skipped (demand.on_invalid: skip): feature 1 (id D2): no geometry; feature 2 (id D3): geometry is a LineString, but the demand layer needs points or polygons (which use a point on their surface)" "$T/err" &&
    grep -q "^demand *1 features from demand.geojson" "$T/out" &&
    grep -q "rejected: 2 (feature 1 (id D2): no geometry; feature 2 (id D3): " "$T/out"; then
    pass "on_invalid: skip: skipped features named by id in the warning and in validate"
else
    fail "on_invalid: skip: $(cat "$T/out" "$T/err")"
fi

echo "catalogue: $n cases"
finish
