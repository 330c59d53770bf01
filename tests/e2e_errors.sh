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
# scenario.yaml are listed below); only the words GDAL, PROJ or libyaml add
# (a SQL parse error, a YAML scanner message) are theirs, as they print them.
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
# Cases run in the background, R5G_TEST_JOBS (default 4) at a time, each in
# its own folder with its own output files; the verdicts are printed in
# catalogue order at the end.
JOBS=${R5G_TEST_JOBS:-4}
n=0
running=0
# manifest DIR: every path in DIR, then every file with its SHA-256
manifest() {
    (cd "$1" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
# judge N NAME EXIT EXPECTED FIRST_ONLY RC BEFORE: prints the verdict of case N
judge() {
    k=$1 name=$2 code=$3 want=$4 first=$5 rc=$6 before=$7
    err="$TMP/e$k"
    if [ "$first" = 1 ]; then
        got=$(head -n 1 "$err")
        nerr=1
    else
        got=$(grep '^rollout5g: error: ' "$err")
        nerr=$(printf '%s' "$got" | grep -c '^rollout5g: error: ')
        got=${got#rollout5g: error: }
    fi
    case $want in
    \~*) printf '%s\n' "$got" | grep -Eqx -- "${want#\~}" && match=1 || match=0 ;;
    *) [ "$got" = "$want" ] && match=1 || match=0 ;;
    esac
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL: $name: exit $rc, expected $code; stderr: $(cat "$err")"
    elif [ "$nerr" -ne 1 ]; then
        echo "FAIL: $name: expected one error line, got $nerr: $(cat "$err")"
    elif [ "$match" -ne 1 ]; then
        echo "FAIL: $name:
   got: $got
  want: $want"
    elif [ "$(manifest "$TMP/c$k")" != "$before" ]; then
        echo "FAIL: $name: the case folder changed (an input modified, or output or a temporary file left): $(ls -A "$TMP/c$k")"
    else
        echo "ok: $name"
    fi
}
# run_case FIRST_ONLY NAME EXIT EXPECTED SETUP COMMAND...: one case, in the background
run_case() {
    n=$((n + 1))
    (
        k=$n first=$1 name=$2 code=$3 want=$4 setup=$5
        shift 5
        T="$TMP/c$k"
        cp -R "$B" "$T"
        if ! (cd "$T" && eval "$setup") > "$TMP/e$k" 2>&1; then
            echo "FAIL: $name: setup failed: $(cat "$TMP/e$k")"
        else
            before=$(manifest "$T")
            (cd "$T" && "$R5G" "$@" > "$TMP/o$k" 2> "$TMP/e$k")
            judge "$k" "$name" "$code" "$want" "$first" $? "$before"
        fi
    ) > "$TMP/v$n" 2>&1 &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait
        running=0
    fi
}
# c NAME EXIT EXPECTED SETUP [ARGS...]: `plan scenario.yaml ARGS...`
c() {
    name=$1 code=$2 want=$3 setup=$4
    shift 4
    run_case 0 "$name" "$code" "$want" "$setup" plan scenario.yaml "$@"
}
# u NAME EXPECTED ARGS...: a usage error (exit 2), the first stderr line
u() {
    name=$1 want=$2
    shift 2
    run_case 1 "$name" 2 "$want" true "$@"
}
# verdicts: after the catalogue, in its order
verdicts() {
    wait
    k=0
    while [ "$k" -lt "$n" ]; do
        k=$((k + 1))
        v=$(cat "$TMP/v$k")
        case $v in
        ok:*) pass "${v#ok: }" ;;
        *) fail "${v#FAIL: }" ;;
        esac
    done
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

# -- kept input fields (keep_fields), at line 9 after demand.fields or line 14 after candidates.fields
c "keep_fields: a field the layer lacks" 1 "scenario.yaml:9: demand.keep_fields[1]: no field 'owner' in demand.geojson (fields: id, weight, sector, year, whitelist, indoor, traffic)" \
  "ysed '8a\\  keep_fields: [traffic, owner]'"
c "keep_fields: a plan column" 1 "scenario.yaml:9: demand.keep_fields[1]: 'weight' is a column of the plan's demand layer; rename the field in demand.geojson or leave it out" \
  "ysed '8a\\  keep_fields: [traffic, weight]'"
c "keep_fields: a plan column in another case" 1 "scenario.yaml:14: candidates.keep_fields[0]: 'Kind' is a column of the plan's sites layer; rename the field in candidates.csv or leave it out" \
  "ysed '13a\\  keep_fields: [Kind]'"
c "keep_fields: a field twice" 1 "scenario.yaml:9: demand.keep_fields[1]: field 'Traffic' is listed twice" \
  "ysed '8a\\  keep_fields: [traffic, Traffic]'"
c "keep_fields: neither a list nor all" 1 "scenario.yaml:9: demand.keep_fields: expected a list of field names or all, got 'al'" \
  "ysed '8a\\  keep_fields: al'"
c "keep_fields: not for regions" 1 "scenario.yaml:19: regions.keep_fields: unknown key (valid keys: source, layer, where, crs, open_options, fields, on_invalid)" \
  "regions; yadd '  keep_fields: all'"
c "keep_fields: a field the second demand layer lacks" 1 "scenario.yaml:14: demand[1].keep_fields[0]: no field 'berths' in ports.csv (fields: pid, lon, lat)" \
  "two_layers; ysed '13a\\    keep_fields: [berths]'"
c "keep_fields: non-UTF-8 text in a kept field" 1 "demand.geojson feature 2 (id D3): owner: text is not UTF-8 (bytes b5 e7 c1 a6 at byte 1 of the value); convert the file to UTF-8 (e.g. iconv -f GBK -t UTF-8)" \
  "dsed 's/\"sector\":\"port\"/\"sector\":\"port\",\"owner\":\"\\xb5\\xe7\\xc1\\xa6\"/'; ysed '8a\\  keep_fields: [owner]'"

# -- output
c "existing output" 1 "plan.gpkg exists: use --overwrite or choose another -o path" \
  "echo 'not a plan' > plan.gpkg"

# -- re-planning: committed sites (a committed: layer, candidates.fields.committed)
committed() { printf "site_id,period\n$1" > committed.csv; yadd "committed:\n  source: committed.csv\n  fields: {id: site_id, period: period}"; }
cfield() { csed "1s/\$/,built/; 2s/\$/,$1/; 3,4s/\$/,/"; ysed 's/kind: kind}/kind: kind, committed: built}/'; }
c "committed id not a candidate" 1 "committed.csv feature 2 (id S9): committed id 'S9' is not a candidate (candidates.csv)" \
  "committed 'S1,1\nS9,2\n'"
c "committed id an existing site" 1 "committed.csv feature 1 (id E1): committed id 'E1' is an existing site (on air from the first period already; commit candidates only)" \
  "existing; committed 'E1,1\n'"
c "committed year after the horizon" 1 "committed.csv feature 1 (id S1): period '2028' is not a period of the scenario (a label 2026..2027, an index 1..2, a year, or a date from 2026-01-01, before 2028-01-01)" \
  "committed 'S1,2028\n'"
c "committed year before the horizon" 1 "committed.csv feature 1 (id S1): period '2025' is not a period of the scenario (a label 2026..2027, an index 1..2, a year, or a date from 2026-01-01, before 2028-01-01)" \
  "committed 'S1,2025\n'"
c "committed index 0" 1 "committed.csv feature 1 (id S1): period '0' is not a period of the scenario (a label 2026..2027, an index 1..2, a year, or a date from 2026-01-01, before 2028-01-01)" \
  "committed 'S1,0\n'"
c "committed date after the horizon" 1 "committed.csv feature 1 (id S1): period '2028-01-01' is not a period of the scenario (a label 2026..2027, an index 1..2, a year, or a date from 2026-01-01, before 2028-01-01)" \
  "committed 'S1,2028-01-01\n'"
c "committed period empty" 1 "committed.csv feature 1 (id S1): period is empty" \
  "committed 'S1,\n'"
c "committed id empty" 1 "committed.csv feature 1: id is empty" \
  "committed ',1\n'"
c "committed twice with two periods" 1 "committed.csv feature 2 (id S1): committed id 'S1' in period 2027, but committed.csv feature 1 (id S1) commits it to 2026" \
  "committed 'S1,1\nS1,2027\n'"
c "committed over the budget" 1 "scenario.yaml:16: committed: period 2026: the committed sites cost 180, budget.capex allows 150" \
  "committed 'S1,1\nS3,1\n'"
c "committed over the budget by then (carry-over)" 1 "scenario.yaml:16: committed: period 2027: the committed sites cost 280 by then, budget.capex allows 250 (cumulative, carry_over)" \
  "csed 's/^S3,120.720,31.309,80,/S3,120.720,31.309,180,/'; committed 'S1,1\nS3,2\n'"
c "committed over max_new_sites" 1 "scenario.yaml:17: committed: period 2026: 2 sites are committed, budget.max_new_sites allows 1" \
  "ylines 4 5 'budget:\n  capex: [150, 100]\n  max_new_sites: 1'; committed 'S1,1\nS2,1\n'"
c "candidates.fields.committed not a period" 1 "candidates.csv feature 1 (id S1): committed '2029' is not a period of the scenario (a label 2026..2027, an index 1..2, a year, or a date from 2026-01-01, before 2028-01-01)" \
  "cfield 2029"
c "candidates.fields.committed over the budget" 1 "scenario.yaml:13: candidates.fields.committed: period 2026: the committed sites cost 100, budget.capex allows 50" \
  "cfield 2026; ysed 's/capex: \[150, 100\]/capex: [50, 100]/'"
c "committed field and layer disagree" 1 "committed.csv feature 1 (id S1): committed id 'S1' in period 2027, but its candidates field 'built' commits it to 2026" \
  "cfield 2026; committed 'S1,2\n'"
c "committed without source" 1 "scenario.yaml:16: committed.source: required key is missing" \
  "yadd 'committed:\n  layer: sites'"
c "committed fields key typo" 1 "scenario.yaml:18: committed.fields.perod: unknown key (did you mean 'period'?)" \
  "committed 'S1,1\n'; ysed 's/period: period}/perod: period}/'"
c "committed id field missing" 1 "committed.csv: committed.fields.id: no field 'nosuch' in layer 'committed' (fields: 'site_id', 'period')" \
  "committed 'S1,1\n'; ysed 's/{id: site_id, period: period}/{id: nosuch, period: period}/'"
c "committed file missing" 1 "committed: cannot open 'nosuch.csv': No such file or directory" \
  "committed 'S1,1\n'; ysed 's/source: committed.csv/source: nosuch.csv/'"
c "output onto the committed layer" 1 "-o committed.csv: is an input of the run (committed.source); refusing to write it" \
  "committed 'S1,1\n'" -o committed.csv --overwrite --format CSV

# -- usage errors exit 2
u "plan without a scenario" "rollout5g plan: missing SCENARIO (a scenario YAML file)" plan
u "unknown command" "rollout5g: unknown command 'plna' (did you mean 'plan'?)" plna x

# -- the scenario file: existence, YAML, structure
c "scenario is a folder" 1 "scenario.yaml: cannot read scenario file: Is a directory" \
  "rm scenario.yaml; mkdir scenario.yaml"
c "empty scenario file" 1 "scenario.yaml: the scenario file is empty (expected keys such as version, name, periods, demand, candidates)" \
  ": > scenario.yaml"
c "top level is a list" 1 "scenario.yaml:1: expected a mapping of scenario keys (version, name, ...), got a list" \
  "printf -- '- 1\n- 2\n' > scenario.yaml"
c "invalid UTF-8 in the scenario" 1 "scenario.yaml:2: YAML syntax error: invalid leading UTF-8 octet (byte 19 of the file)" \
  "printf 'version: 1\nname: \"\\377\"\n' > scenario.yaml"
c "tab indentation" 1 "scenario.yaml:2: YAML syntax error: found a tab character that violates indentation (column 1); while scanning a plain scalar started on line 1" \
  "printf 'version: 1\n\tname: x\n' > scenario.yaml"
c "duplicate key" 1 "scenario.yaml:16: name: duplicate key (first given on line 2)" \
  "yadd 'name: again'"
c "version 2" 1 "scenario.yaml:1: version: unsupported scenario format version 2 (this rollout5g reads version 1)" \
  "ysed 's/^version: 1/version: 2/'"
c "version missing" 1 "scenario.yaml: version: required key is missing" \
  "ysed '/^version:/d'"
c "name missing" 1 "scenario.yaml: name: required key is missing" \
  "ysed '/^name:/d'"
c "name empty" 1 "scenario.yaml:2: name: the value is empty" \
  "ysed 's/^name: errors fixture/name: \"\"/'"
c "candidates missing" 1 "scenario.yaml: candidates: required key is missing" \
  "ysed '9,13d'"

# -- periods
c "periods missing" 1 "scenario.yaml: periods: required key is missing" \
  "ysed '/^periods:/d'"
c "periods.count 0" 1 "scenario.yaml:3: periods.count: 0 is out of range (1 to 100)" \
  "ysed 's/count: 2/count: 0/'"
c "periods.count 101" 1 "scenario.yaml:3: periods.count: 101 is out of range (1 to 100)" \
  "ysed 's/count: 2/count: 101/'"
c "periods.step 0" 1 "scenario.yaml:3: periods.step: 0 is out of range (1 to 100)" \
  "ysed 's/count: 2}/count: 2, step: 0}/'"
c "periods.start not a year" 1 "scenario.yaml:3: periods.start: expected an integer, got 'soon'" \
  "ysed 's/start: 2026/start: soon/'"
c "periods in both forms" 1 "scenario.yaml:3: periods: give either start + count (+ step) or labels + dates, not both" \
  "ysed 's/count: 2}/count: 2, labels: [H1, H2]}/'"
c "labels without dates" 1 "scenario.yaml:3: periods.dates: required with periods.labels (one date per label)" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H2]}/'"
c "label given twice" 1 "scenario.yaml:3: periods.labels: label 'H1' is given twice" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H1], dates: [2026-01-01, 2026-07-01]}/'"
c "dates length" 1 "scenario.yaml:3: periods.dates: expected 2 dates (one per label), got 1" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H2], dates: [2026-01-01]}/'"
c "bad date" 1 "scenario.yaml:3: periods.dates: expected a date YYYY-MM-DD, got '2026-13-01'" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H2], dates: [2026-01-01, 2026-13-01]}/'"
c "dates not increasing" 1 "scenario.yaml:3: periods.dates: 2026-01-01 is not after the previous date 2026-07-01" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H2], dates: [2026-07-01, 2026-01-01]}/'"
c "demand year with labelled periods" 1 "demand.geojson feature 0 (id D1): period '2026' is not one of the scenario's periods (H1..H2)" \
  "ysed 's/^periods: .*/periods: {labels: [H1, H2], dates: [2026-01-01, 2026-07-01]}/'"
c "demand period not a year" 1 "demand.geojson feature 0 (id D1): period 'soon' is not one of the scenario's periods (2026..2027)" \
  "dsed 's/\"year\":2026/\"year\":\"soon\"/'"

# -- budget
c "budget.capex not a number" 1 "scenario.yaml:5: budget.capex: expected a number, got 'lots'" \
  "ysed 's/capex: \[150, 100\]/capex: lots/'"
c "budget.capex NaN in a list" 1 "scenario.yaml:5: budget.capex: .nan is not a number (period 2027)" \
  "ysed 's/capex: \[150, 100\]/capex: [150, .nan]/'"
c "budget.capex -inf" 1 "scenario.yaml:5: budget.capex: -.inf is negative" \
  "ysed 's/capex: \[150, 100\]/capex: -.inf/'"
c "budget.max_new_sites list length" 1 "scenario.yaml:6: budget.max_new_sites: expected 2 values (one per period), got 3" \
  "ysed 's/^  capex: \[150, 100\]/&\n  max_new_sites: [1, 2, 3]/'"
c "budget.max_new_sites negative" 1 "scenario.yaml:6: budget.max_new_sites: -1 is negative" \
  "ysed 's/^  capex: \[150, 100\]/&\n  max_new_sites: -1/'"
c "budget.max_new_sites fraction" 1 "scenario.yaml:6: budget.max_new_sites: expected an integer, got '2.5'" \
  "ysed 's/^  capex: \[150, 100\]/&\n  max_new_sites: 2.5/'"
c "budget.carry_over not a boolean" 1 "scenario.yaml:6: budget.carry_over: expected true or false, got 'maybe'" \
  "ysed 's/^  capex: \[150, 100\]/&\n  carry_over: maybe/'"
c "budget key typo" 1 "scenario.yaml:6: budget.capx: unknown key (did you mean 'capex'?)" \
  "ysed 's/^  capex: \[150, 100\]/&\n  capx: 1/'"
c "budget key given twice" 1 "scenario.yaml:6: budget.capex: duplicate key (first given on line 5)" \
  "ysed 's/^  capex: \[150, 100\]/&\n  capex: 1/'"
c "budget is a list" 1 "scenario.yaml:4: budget: expected a mapping (key: value), got a list" \
  "ysed '5d; s/^budget:/budget: [150, 100]/'"

# -- layer sections in the scenario
c "demand.source missing" 1 "scenario.yaml:6: demand.source: required key is missing" \
  "ysed '7d'"
c "demand.fields key of another section" 1 "scenario.yaml:8: demand.fields.capex: unknown key (valid keys: id, weight, sector, period, whitelist, indoor, traffic, name)" \
  "ysed 's/whitelist: whitelist}/whitelist: whitelist, capex: c}/'"
c "demand.fields value empty" 1 "scenario.yaml:8: demand.fields.weight: the value is empty" \
  "ysed 's/weight: weight,/weight: \"\",/'"
c "open option without =" 1 "scenario.yaml:11: candidates.open_options: expected KEY=VALUE, got 'X_POSSIBLE_NAMES'" \
  "ysed 's/open_options: \[X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat\]/open_options: [X_POSSIBLE_NAMES]/'"
c "on_invalid not error or skip" 1 "scenario.yaml:7: demand.on_invalid: unknown value 'ignore' (expected one of: error, skip)" \
  "ysed 's/^demand:/demand:\n  on_invalid: ignore/'"
c "existing.fields.capex" 1 "scenario.yaml:18: existing.fields.capex: unknown key (valid keys: id, band, height, environment, name)" \
  "existing; ysed 's/fields: {id: site_id}$/fields: {id: site_id, capex: c}/'"
c "sector default outside demand" 1 "scenario.yaml:16: regions.sector: unknown key (valid keys: source, layer, where, crs, open_options, fields, on_invalid)" \
  "yadd 'regions: {source: regions.geojson, sector: ic}'"

# -- layer sources
c "no such layer in the source" 1 "demand.geojson: no layer 'nope' (layers: 'demand')" \
  "ysed 's/^  source: demand.geojson/&\n  layer: nope/'"
c "where syntax error" 1 "demand.geojson: demand.where: filter \"weight >\" failed: SQL Expression Parsing Error: syntax error, unexpected end of string. Occurred around : weight > ^" \
  "ysed 's/^  source: demand.geojson/&\n  where: \"weight >\"/'"
c "where on an unknown field" 1 "demand.geojson: demand.where: filter \"nosuch = 1\" failed: \"nosuch\" not recognised as an available field." \
  "ysed 's/^  source: demand.geojson/&\n  where: \"nosuch = 1\"/'"
c "source not a GIS file" 1 "demand: cannot open 'junk.bin': not recognized as a supported file format" \
  "head -c 300 /bin/sh > junk.bin; ysed 's/source: demand.geojson/source: junk.bin/'"
c "mapped field missing, list of fields" 1 "demand.geojson: demand.fields.weight: no field 'poids' in layer 'demand' (fields: 'id', 'weight', 'sector', 'year', 'whitelist', 'indoor', 'traffic')" \
  "ysed 's/weight: weight,/weight: poids,/'"
c "CSV without X/Y open options" 1 "candidates.csv: layer 'candidates' has no geometry (for CSV, set candidates.open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat])" \
  "ysed '11d'"
c "layer without a CRS" 1 "candidates.csv: layer has no CRS: set candidates.crs (e.g. EPSG:4326) or crs: planar" \
  "ysed '12d'"
c "existing layer file missing" 1 "existing: cannot open 'nosuch.geojson': No such file or directory" \
  "existing; ysed 's/source: existing.geojson/source: nosuch.geojson/'"

# -- demand values
c "negative weight" 1 "demand.geojson feature 0 (id D1): weight -5 is negative" \
  "dsed 's/\"weight\":5,/\"weight\":-5,/'"
c "weight not a number" 1 "demand.geojson feature 0 (id D1): weight 'heavy' is not a number" \
  "dsed 's/\"weight\":5,/\"weight\":\"heavy\",/'"
c "infinite weight" 1 "demand.geojson feature 0 (id D1): weight inf is not a finite number" \
  "dsed 's/\"weight\":5,/\"weight\":\"inf\",/'"
c "whitelist not a flag" 1 "demand.geojson feature 0 (id D1): whitelist 'maybe' is not a flag (use 1/0 or true/false)" \
  "dsed 's/\"whitelist\":1,/\"whitelist\":\"maybe\",/'"
c "indoor not a flag" 1 "demand.geojson feature 1 (id D2): indoor '2' is not a flag (use 1/0 or true/false)" \
  "dsed 's/\"indoor\":1,/\"indoor\":2,/'"
c "negative traffic" 1 "demand.geojson feature 0 (id D1): traffic -10 is negative" \
  "dsed 's/\"traffic\":10}/\"traffic\":-10}/'"
c "traffic not a number" 1 "demand.geojson feature 0 (id D1): traffic 'lots' is not a number" \
  "dsed 's/\"traffic\":10}/\"traffic\":\"lots\"}/'"
c "empty demand id" 1 "demand.geojson feature 0: id is empty" \
  "dsed 's/\"id\":\"D1\"/\"id\":\"\"/'"
c "null demand id" 1 "demand.geojson feature 2: id is empty" \
  "dsed 's/\"id\":\"D3\"/\"id\":null/'"
c "duplicate demand id" 1 "demand.geojson feature 1 (id D1): duplicate demand id 'D1' (also demand.geojson feature 0 (id D1))" \
  "dsed 's/\"id\":\"D2\"/\"id\":\"D1\"/'"
c "non-UTF-8 id" 1 "demand.geojson feature 0: id: text is not UTF-8 (bytes e9 31 at byte 2 of the value); convert the file to UTF-8 (e.g. iconv -f GBK -t UTF-8)" \
  "dsed 's/\"id\":\"D1\"/\"id\":\"D\\xe91\"/'"
c "MultiPoint of two points" 1 "demand.geojson feature 0 (id D1): geometry is a MultiPoint of 2 points, but the demand layer needs one point per feature (demand.on_invalid: skip leaves such features out)" \
  "dsed 's/{\"type\":\"Point\",\"coordinates\":\[120.70,31.30\]}/{\"type\":\"MultiPoint\",\"coordinates\":[[120.70,31.30],[120.70,31.31]]}/'"
c "latitude out of range" 1 "demand.geojson feature 1 (id D2): latitude 95 is outside -90..90 (the layer's CRS EPSG:4326 is geographic)" \
  "dsed 's/\[120.71,31.30\]/[120.71,95]/'"

# -- candidate and existing site values
c "capex not a number" 1 "candidates.csv feature 2 (id S2): capex 'cheap' is not a number" \
  "csed 's/^S2,120.712,31.300,50,/S2,120.712,31.300,cheap,/'"
c "capex empty" 1 "candidates.csv feature 2 (id S2): capex is empty (every site needs one: 0 for a free site)" \
  "csed 's/^S2,120.712,31.300,50,/S2,120.712,31.300,,/'"
c "kind not new or upgrade" 1 "candidates.csv feature 2 (id S2): kind 'rebuild' is not new or upgrade" \
  "csed 's/,upgrade,/,rebuild,/'"
c "band not in radio.bands" 1 "candidates.csv feature 2 (id S2): band 'n41' is not in radio.bands (n78)" \
  "csed 's/upgrade,n78,/upgrade,n41,/'"
c "negative height" 1 "candidates.csv feature 2 (id S2): height -30 is negative" \
  "csed 's/upgrade,n78,30,/upgrade,n78,-30,/'"
c "NaN height" 1 "candidates.csv feature 2 (id S2): height nan is not a finite number" \
  "csed 's/upgrade,n78,30,/upgrade,n78,nan,/'"
c "environment not uma, umi or rma" 1 "candidates.csv feature 2 (id S2): environment 'suburban' is not uma, umi or rma" \
  "csed 's/,umi$/,suburban/'"
c "empty site id" 1 "candidates.csv feature 1: id is empty" \
  "csed 's/^S1,/,/'"
c "existing id clashes with a candidate" 1 "existing.geojson feature 0 (id S1): duplicate site id 'S1' (also candidates.csv feature 1 (id S1))" \
  "existing; sed -i 's/\"E1\"/\"S1\"/' existing.geojson"
c "existing band not in radio.bands" 1 "existing.geojson feature 0 (id E1): band 'n41' is not in radio.bands (n78)" \
  "existing; sed -i 's/\"band\":\"n78\"/\"band\":\"n41\"/' existing.geojson"
c "existing out of range" 1 "existing.geojson feature 0 (id E1): longitude 190.69 is outside -180..180 (the layer's CRS EPSG:4326 is geographic)" \
  "existing; sed -i 's/120.69,31.29/190.69,31.29/' existing.geojson"
c "short CSV row, kind missing" 1 "candidates.csv feature 3 (id S3): capex: the row has only 3 of the header's 8 columns: no value in column 'capex'" \
  "csed 's/^S3,.*/S3,120.720,31.309/'"
c "GCJ-02 candidates out of range" 1 "candidates.csv feature 2 (id S2): longitude 200 is outside -180..180 (candidates.crs is GCJ-02)" \
  "ysed 's/crs: EPSG:4326/crs: GCJ-02/'; csed 's/^S2,120.712,/S2,200,/'"

# -- regions
c "duplicate region id" 1 "regions.geojson feature 1 (id 320571): duplicate region id '320571' (also regions.geojson feature 0 (id 320571))" \
  "regions; sed -i 's/^]}$/,{\"type\":\"Feature\",\"properties\":{\"adcode\":\"320571\",\"name\":\"again\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121,31],[121.1,31],[121.1,31.1],[121,31]]]}}\n]}/' regions.geojson"
c "empty region id" 1 "regions.geojson feature 0: id is empty" \
  "regions; sed -i 's/\"adcode\":\"320571\"/\"adcode\":null/' regions.geojson"
c "negative population" 1 "regions.geojson feature 0 (id 320571): population -5 is negative" \
  "regions; sed -i 's/\"population\":120000/\"population\":-5/' regions.geojson"
c "a point among region polygons" 1 "regions.geojson feature 1 (id X): geometry is a Point, but the regions layer needs polygons (regions.on_invalid: skip leaves such features out)" \
  "regions; sed -i 's/^]}$/,{\"type\":\"Feature\",\"properties\":{\"adcode\":\"X\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121,31]}}\n]}/' regions.geojson"
c "regions GCJ-02, lat/lon swapped" 1 "regions.geojson feature 0 (id 320571): latitude 120.7 is outside -90..90 (regions.crs is GCJ-02); lat/lon swapped?" \
  "yadd 'regions:\n  source: regions.geojson\n  crs: GCJ-02\n  fields: {id: adcode}'; sed -i 's/\[\[\[120.6,31.2\],\[120.8,31.2\],\[120.8,31.4\],\[120.6,31.4\],\[120.6,31.2\]\]\]/[[[31.2,120.6],[31.2,120.8],[31.4,120.8],[31.4,120.6],[31.2,120.6]]]/' regions.geojson"
c "density target without regions" 1 "scenario.yaml:17: targets.sites_per_10k_people: needs a regions layer with a population (regions: with fields.population)" \
  "yadd 'targets:\n  sites_per_10k_people: {2027: 26}'"

# -- radio
c "radio.model typo" 1 "scenario.yaml:14: radio.model: unknown value 'tr38910' (did you mean 'tr38901'?)" \
  "ysed 's/model: fixed_radius/model: tr38910/'"
c "radio.radius_m 0" 1 "scenario.yaml:14: radio.radius_m: 0 must be greater than 0" \
  "ysed 's/radius_m: 500/radius_m: 0/'"
c "radio.radius_m negative" 1 "scenario.yaml:14: radio.radius_m: -5 must be greater than 0" \
  "ysed 's/radius_m: 500/radius_m: -5/'"
c "radio.radius_m infinite" 1 "scenario.yaml:14: radio.radius_m: .inf is not allowed here, give a finite number" \
  "ysed 's/radius_m: 500/radius_m: .inf/'"
c "radio.environment unknown" 1 "scenario.yaml:14: radio.environment: unknown value 'urban' (expected one of: uma, umi, rma)" \
  "ysed 's/radius_m: 500}/radius_m: 500, environment: urban}/'"
c "radio.shadow_margin_db negative" 1 "scenario.yaml:14: radio.shadow_margin_db: -1 is negative" \
  "ysed 's/radius_m: 500}/radius_m: 500, shadow_margin_db: -1}/'"
c "radio.indoor_loss_db not a number" 1 "scenario.yaml:14: radio.indoor_loss_db: expected a number, got 'high'" \
  "ysed 's/radius_m: 500}/radius_m: 500, indoor_loss_db: high}/'"
c "radio key typo" 1 "scenario.yaml:14: radio.radius: unknown key (did you mean 'radius_m'?)" \
  "ysed 's/radius_m: 500}/radius: 500}/'"
c "radio.nlos unknown" 1 "scenario.yaml:14: radio.nlos: unknown value 'block' (expected one of: model, drop)" \
  "ysed 's/radius_m: 500}/radius_m: 500, nlos: block}/'"
c "radio.ut_height_m 0" 1 "scenario.yaml:14: radio.ut_height_m: 0 must be greater than 0" \
  "ysed 's/radius_m: 500}/radius_m: 500, ut_height_m: 0}/'"
c "radio.bands empty" 1 "scenario.yaml:14: radio.bands: at least one band is required" \
  "ysed 's/radius_m: 500}/radius_m: 500, bands: {}}/'"
c "band without max_path_loss_db" 1 "scenario.yaml:16: radio.bands.n78.max_path_loss_db: required key is missing" \
  "ylines 14 14 'radio:\n  bands:\n    n78: {frequency_ghz: 3.5}'"
c "band frequency negative" 1 "scenario.yaml:16: radio.bands.n78.frequency_ghz: -3.5 must be greater than 0" \
  "ylines 14 14 'radio:\n  bands:\n    n78: {frequency_ghz: -3.5, max_path_loss_db: 128}'"
c "band key typo" 1 "scenario.yaml:16: radio.bands.n78.heigth_m: unknown key (did you mean 'height_m'?)" \
  "ylines 14 14 'radio:\n  bands:\n    n78: {frequency_ghz: 3.5, max_path_loss_db: 128, heigth_m: 30}'"
c "radio.dem missing file" 1 "scenario.yaml:14: radio.dem: cannot open 'nodem.tif': No such file or directory" \
  "ysed 's/^radio: .*/radio: {model: tr38901, dem: nodem.tif}/'"
c "radio.dem not a raster" 1 "scenario.yaml:14: radio.dem: cannot open 'dem.tif': not recognized as a supported file format" \
  "echo junk > dem.tif; ysed 's/^radio: .*/radio: {model: tr38901, dem: dem.tif}/'"
c "radio.clutter missing file" 1 "scenario.yaml:14: radio.clutter.source: cannot open 'lc.tif': No such file or directory" \
  "ysed 's/^radio: .*/radio: {model: tr38901, clutter: {source: lc.tif, classes: {1: uma}}}/'"
c "radio.clutter without classes" 1 "scenario.yaml:14: radio.clutter.classes: required key is missing" \
  "ysed 's/^radio: .*/radio: {model: tr38901, clutter: {source: lc.tif}}/'"
c "clutter class not an integer" 1 "scenario.yaml:14: radio.clutter.classes: class 'a' is not an integer raster value" \
  "ysed 's/^radio: .*/radio: {model: tr38901, clutter: {source: lc.tif, classes: {a: uma}}}/'"

# -- sectors, weights, lead, objective, targets
c "sector multiplier negative" 1 "scenario.yaml:16: sectors.ic: -1 is negative" \
  "yadd 'sectors: {ic: -1}'"
c "sector multiplier not a number" 1 "scenario.yaml:16: sectors.ic: expected a number, got 'high'" \
  "yadd 'sectors: {ic: high}'"
c "sector name empty" 1 "scenario.yaml:16: sectors: a sector name is empty" \
  "yadd 'sectors: {\"\": 2}'"
c "sector typo with a layer default sector" 1 "scenario.yaml:21: sectors.prot: no demand point has sector 'prot' (did you mean 'port'? sectors in the data: auto, ic, port)" \
  "two_layers; yadd 'sectors: {prot: 1.4}'"
c "whitelist_multiplier negative" 1 "scenario.yaml:16: whitelist_multiplier: -1 is negative" \
  "yadd 'whitelist_multiplier: -1'"
c "lead_periods negative" 1 "scenario.yaml:16: ahead_of_demand.lead_periods: -1 is negative" \
  "yadd 'ahead_of_demand: {lead_periods: -1}'"
c "max_lead_periods below lead_periods" 1 "scenario.yaml:16: ahead_of_demand.max_lead_periods: 1 is less than lead_periods (2)" \
  "yadd 'ahead_of_demand: {lead_periods: 2, max_lead_periods: 1}'"
c "on_time_required unknown" 1 "scenario.yaml:16: ahead_of_demand.on_time_required: unknown value 'early' (expected one of: none, whitelist, all)" \
  "yadd 'ahead_of_demand: {on_time_required: early}'"
c "on_time_required typo" 1 "scenario.yaml:16: ahead_of_demand.on_time_required: unknown value 'some' (did you mean 'none'?)" \
  "yadd 'ahead_of_demand: {on_time_required: some}'"
c "objective unknown" 1 "scenario.yaml:16: objective: unknown value 'cheapest' (expected one of: max_coverage, min_cost)" \
  "yadd 'objective: cheapest'"
c "min_cost without targets" 1 "scenario.yaml:16: objective: min_cost requires targets (coverage_share, sector_share or sites_per_10k_people)" \
  "yadd 'objective: min_cost'"
c "discount_rate 1" 1 "scenario.yaml:16: discount_rate: 1 is out of range (0 to less than 1)" \
  "yadd 'discount_rate: 1'"
c "coverage share above 1" 1 "scenario.yaml:16: targets.coverage_share.2027: 1.5 is not a share between 0 and 1" \
  "yadd 'targets: {coverage_share: {2027: 1.5}}'"
c "target period after the horizon" 1 "scenario.yaml:16: targets.coverage_share: period '2031' is not in the horizon (2026 to 2027)" \
  "yadd 'targets: {coverage_share: {2031: 0.5}}'"
c "targets key typo" 1 "scenario.yaml:16: targets.coverage: unknown key (valid keys: coverage_share, sector_share, sites_per_10k_people)" \
  "yadd 'targets: {coverage: {2027: 0.5}}'"
c "sector_share without periods" 1 "scenario.yaml:16: targets.sector_share.ic: expected a mapping (key: value), got '0.5'" \
  "yadd 'targets: {sector_share: {ic: 0.5}}'"

# -- model, solver, output
c "model.capacity not a boolean" 1 "scenario.yaml:16: model.capacity: expected true or false, got 'maybe'" \
  "yadd 'model: {capacity: maybe}'"
c "model key typo" 1 "scenario.yaml:16: model.capcity: unknown key (did you mean 'capacity'?)" \
  "yadd 'model: {capcity: true}'"
c "solver.time_limit_s 0" 1 "scenario.yaml:16: solver.time_limit_s: 0 must be greater than 0" \
  "yadd 'solver: {time_limit_s: 0}'"
c "solver.mip_gap 1" 1 "scenario.yaml:16: solver.mip_gap: 1 is out of range (0 to less than 1)" \
  "yadd 'solver: {mip_gap: 1}'"
c "solver.presolve not a boolean" 1 "scenario.yaml:16: solver.presolve: expected true or false, got 'sometimes'" \
  "yadd 'solver: {presolve: sometimes}'"
c "solver key typo" 1 "scenario.yaml:16: solver.time_limit: unknown key (did you mean 'time_limit_s'?)" \
  "yadd 'solver: {time_limit: 10}'"
c "output.links not a boolean" 1 "scenario.yaml:15: output.links: expected true or false, got 'maybe'" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, links: maybe}/'"
c "output key typo" 1 "scenario.yaml:15: output.fromat: unknown key (did you mean 'format'?)" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, fromat: GPKG}/'"
c "output.format a read-only driver" 1 "scenario.yaml:15: output.format: 'AVCBin': GDAL reads this format but cannot create it" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, format: AVCBin}/'"
c "output.crs garbage WKT" 1 "scenario.yaml:15: output.crs: 'PROJCS[broken' is not a CRS PROJ knows (missing , or ])" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: plan.gpkg, crs: \"PROJCS[broken\"}/'"
c "output.path in a missing folder" 1 "cannot write 'nodir/plan.gpkg': folder 'nodir' does not exist" \
  "ysed 's/output: {path: plan.gpkg}/output: {path: nodir\/plan.gpkg}/'"
c "-o in a missing folder" 1 "cannot write 'nodir/x.gpkg': folder 'nodir' does not exist" \
  "true" -o nodir/x.gpkg
c "--format typo" 1 "--format: 'GeoJSN' is not a GDAL vector driver (did you mean 'GeoJSON'?)" \
  "true" --format GeoJSN
c "--t_srs garbage WKT" 1 "--t_srs: 'PROJCS[broken' is not a CRS PROJ knows (missing , or ])" \
  "true" --t_srs 'PROJCS[broken'

# -- several demand layers
c "second demand layer file missing" 1 "demand[1]: cannot open 'nosuch.csv': No such file or directory" \
  "two_layers; ysed 's/source: ports.csv/source: nosuch.csv/'"
c "second demand layer empty after where" 1 "ports.csv: layer 'ports' has no features matching demand[1].where \"pid = 'none'\"" \
  "two_layers; ysed 's/^    sector: port/&\n    where: \"pid = '\"'\"'none'\"'\"'\"/'"
c "second demand layer without geometry" 1 "ports.csv: layer 'ports' has no geometry (for CSV, set demand[1].open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat])" \
  "two_layers; ysed '10d'"
c "demand list empty" 1 "scenario.yaml:6: demand: the list of demand layers is empty" \
  "ylines 6 8 'demand: []'"
c "demand list item without source" 1 "scenario.yaml:9: demand[1].source: required key is missing" \
  "two_layers; ysed 's/^  - source: ports.csv/  - layer: ports/'"
c "output onto the second demand layer" 1 "-o ports.csv: is an input of the run (demand[1]); refusing to write it" \
  "two_layers" -o ports.csv --overwrite --format CSV
c "id_prefix empty" 1 "scenario.yaml:12: demand[1].id_prefix: the value is empty" \
  "two_layers; ysed 's/^    sector: port/    id_prefix: \"\"/'"


# -- usage errors
u "unknown option" "rollout5g plan: unknown option '--bogus'" plan scenario.yaml --bogus
u "two scenarios" "rollout5g plan: unexpected argument 'other.yaml'" plan scenario.yaml other.yaml
u "validate without a scenario" "rollout5g validate: missing SCENARIO (a scenario YAML file)" validate

verdicts

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
