#!/bin/sh
# A run never writes its inputs: every output (-o / output.path, --json,
# --export-model, --export-unreduced) that is an input of the run (scenario
# file, layer sources with their side files, radio.dem, radio.clutter), is
# inside an input folder, or holds an input, is refused with one line naming
# the option, the path and the scenario key; exit 1; inputs byte for byte
# unchanged; nothing new in the folder. Outputs may not overlap each other.
. "${top_srcdir}/tests/lib.sh"
command -v ogr2ogr > /dev/null || skip_all "no ogr2ogr"
command -v gdal_create > /dev/null || skip_all "no gdal_create"

# demand as a Shapefile, candidates as CSV, existing as a GeoPackage, regions
# as a Shapefile folder (a folder source), a DEM and a clutter raster
D="$TMP/sc"
mkdir -p "$D/regions"
cat > "$TMP/demand.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"D1","weight":5,"year":2026},"geometry":{"type":"Point","coordinates":[120.700,31.300]}},
{"type":"Feature","properties":{"id":"D2","weight":3,"year":2027},"geometry":{"type":"Point","coordinates":[120.704,31.300]}}
]}
J
ogr2ogr -q -a_srs EPSG:4326 "$D/demand.shp" "$TMP/demand.geojson" || fail "ogr2ogr demand.shp"
printf 'site_id,lon,lat,capex\nS1,120.701,31.301,100\nS2,120.705,31.300,50\n' > "$D/candidates.csv"
cat > "$TMP/existing.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"site_id":"E1"},"geometry":{"type":"Point","coordinates":[120.69,31.29]}}]}
J
ogr2ogr -q -a_srs EPSG:4326 -f GPKG "$D/existing.gpkg" "$TMP/existing.geojson" || fail "ogr2ogr existing.gpkg"
cat > "$TMP/regions.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"adcode":"R1"},"geometry":{"type":"Polygon","coordinates":[[[120.6,31.2],[120.8,31.2],[120.8,31.4],[120.6,31.4],[120.6,31.2]]]}}]}
J
ogr2ogr -q -a_srs EPSG:4326 "$D/regions/regions.shp" "$TMP/regions.geojson" || fail "ogr2ogr regions folder"
gdal_create -q -of GTiff -outsize 20 20 -bands 1 -burn 5 -ot Float32 -a_srs EPSG:4326 \
    -a_ullr 120.65 31.35 120.75 31.25 "$D/dem.tif" || fail "gdal_create dem.tif"
gdal_create -q -of GTiff -outsize 20 20 -bands 1 -burn 1 -ot Byte -a_srs EPSG:4326 \
    -a_ullr 120.65 31.35 120.75 31.25 "$D/clutter.tif" || fail "gdal_create clutter.tif"
cat > "$D/scenario.yaml" <<'Y'
version: 1
name: paths fixture
periods: {start: 2026, count: 2}
budget: {capex: [150, 100]}
demand: {source: demand.shp, fields: {id: id, weight: weight, period: year}}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]
  crs: EPSG:4326
  fields: {id: site_id, capex: capex}
existing: {source: existing.gpkg, fields: {id: site_id}}
regions: {source: regions, fields: {id: adcode}}
radio:
  model: tr38901
  dem: dem.tif
  clutter: {source: clutter.tif, classes: {1: uma}}
solver: {time_limit_s: 30}
Y
# a folder next to the scenario for outputs, and links to inputs
mkdir "$TMP/out"
ln -s "$D/candidates.csv" "$TMP/out/link.csv"
ln "$D/existing.gpkg" "$TMP/out/hard.gpkg"
touch "$D/existing.gpkg-wal"   # as a reader left it

snapshot() { (cd "$1" && find . -type f -o -type l | sort | while read -r f; do
    printf '%s %s\n' "$f" "$(sha256sum < "$f")"; done); }
snapshot "$D" > "$TMP/before"
ls -A "$TMP/out" > "$TMP/out_before"

# refused LABEL PATTERN ARGS...: exit 1, one error line matching PATTERN,
# the scenario folder unchanged, nothing new in $TMP/out
refused() {
    label=$1 pattern=$2
    shift 2
    "$R5G" plan "$D/scenario.yaml" -q "$@" > "$TMP/o" 2> "$TMP/e"
    rc=$?
    lines=$(grep -c . "$TMP/e")
    if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$TMP/e"; then
        pass "$label: $(cat "$TMP/e")"
    else
        fail "$label: exit $rc, $lines lines, want /$pattern/: $(cat "$TMP/e")"
    fi
    snapshot "$D" > "$TMP/after"
    cmp -s "$TMP/before" "$TMP/after" || fail "$label: the scenario folder changed: $(diff "$TMP/before" "$TMP/after")"
    ls -A "$TMP/out" > "$TMP/out_after"
    cmp -s "$TMP/out_before" "$TMP/out_after" || fail "$label: written: $(diff "$TMP/out_before" "$TMP/out_after")"
}

# the cases of the issue
refused "-o on a layer, GeoPackage over CSV" "^rollout5g: error: -o $D/candidates.csv: is an input of the run (candidates.source); refusing to write it$" \
    -o "$D/candidates.csv" --overwrite
refused "-o on the scenario" "-o $D/scenario.yaml: is an input of the run (the scenario file); refusing" \
    -o "$D/scenario.yaml" --overwrite
refused "a folder format over a layer" "-o $D/candidates.csv: is an input of the run (candidates.source)" \
    --format GeoJSON -o "$D/candidates.csv" --overwrite
refused "--json on a layer without --overwrite" "--json $D/candidates.csv: is an input of the run (candidates.source); refusing" \
    --json "$D/candidates.csv" -o "$TMP/out/p.gpkg"
# every kind of input
refused "the Shapefile's .dbf" "-o $D/demand.dbf: is beside an input of the run and read with it (demand.source: $D/demand.shp)" \
    -o "$D/demand.dbf" --overwrite
refused "a Shapefile's .cpg that does not exist yet" "-o $D/demand.cpg: is beside an input of the run and read with it (demand.source" \
    -o "$D/demand.cpg"
refused "a GeoPackage's -wal" "-o $D/existing.gpkg-wal: is beside an input.*(existing.source" -o "$D/existing.gpkg-wal" --overwrite
refused "a GeoPackage's -shm (absent)" "-o $D/existing.gpkg-shm: is beside an input.*(existing.source" -o "$D/existing.gpkg-shm"
refused "the CSV's .csvt" "is beside an input.*(candidates.source" -o "$D/candidates.csvt"
refused "radio.dem" "--export-model $D/dem.tif: is an input of the run (radio.dem)" \
    -o "$TMP/out/p.gpkg" --export-model "$D/dem.tif" --overwrite
refused "radio.clutter" "--export-unreduced $D/clutter.tif: is an input of the run (radio.clutter.source)" \
    -o "$TMP/out/p.gpkg" --export-unreduced "$D/clutter.tif" --overwrite
refused "a folder source (regions)" "-o $D/regions: is an input of the run (regions.source)" \
    --format GeoJSON -o "$D/regions" --overwrite
refused "inside a folder source" "-o $D/regions/plan.gpkg: is inside an input of the run (regions.source: folder $D/regions)" \
    -o "$D/regions/plan.gpkg"
refused "a folder that holds inputs" "-o $D: contains an input of the run" --format GeoJSON -o "$D" --overwrite
refused "the parent of everything" "-o $TMP: contains an input of the run" --format CSV -o "$TMP" --overwrite
# spellings of the same file
refused "a symlink to an input" "-o $TMP/out/link.csv: is an input of the run (candidates.source)" -o "$TMP/out/link.csv" --overwrite
refused "a hard link to an input" "-o $TMP/out/hard.gpkg: is an input of the run (existing.source)" -o "$TMP/out/hard.gpkg" --overwrite
refused "a path through .." "is an input of the run (demand.source)" -o "$TMP/out/../sc/./demand.shp" --overwrite
(cd "$D" && "$R5G" plan scenario.yaml -q -o ./candidates.csv --overwrite > /dev/null 2> "$TMP/e")
[ $? -eq 1 ] && grep -q "is an input of the run (candidates.source)" "$TMP/e" && pass "a relative path: $(cat "$TMP/e")" ||
    fail "a relative path: $(cat "$TMP/e")"
# output.path in the scenario is checked as -o is
sed 's|^solver:|output: {path: candidates.csv, format: GeoJSON}\nsolver:|' "$D/scenario.yaml" > "$TMP/out_path.yaml"
cp "$TMP/out_path.yaml" "$TMP/tmp_scenario.yaml"
sed -i "s|source: demand.shp|source: $D/demand.shp|; s|source: candidates.csv|source: $D/candidates.csv|; s|source: existing.gpkg|source: $D/existing.gpkg|; s|source: regions,|source: $D/regions,|; s|dem: dem.tif|dem: $D/dem.tif|; s|source: clutter.tif|source: $D/clutter.tif|; s|path: candidates.csv|path: $D/candidates.csv|" "$TMP/tmp_scenario.yaml"
"$R5G" plan "$TMP/tmp_scenario.yaml" -q --overwrite > /dev/null 2> "$TMP/e"
[ $? -eq 1 ] && grep -q "^rollout5g: error: output.path $D/candidates.csv: is an input of the run (candidates.source)" "$TMP/e" &&
    pass "output.path: $(cat "$TMP/e")" || fail "output.path: $(cat "$TMP/e")"
rm -f "$TMP/out_path.yaml" "$TMP/tmp_scenario.yaml"
# outputs against each other
refused "--json on the plan" "--json $TMP/out/p.gpkg: is also the output of -o; choose another path" \
    -o "$TMP/out/p.gpkg" --json "$TMP/out/p.gpkg"
refused "--json inside a folder plan" "--json $TMP/out/pf/k.json: is inside the output of -o ($TMP/out/pf)" \
    --format GeoJSON -o "$TMP/out/pf" --json "$TMP/out/pf/k.json"
refused "two exports on one file" "--export-unreduced $TMP/out/m.lp: is also the output of --export-model" \
    -o "$TMP/out/p.gpkg" --export-model "$TMP/out/m.lp" --export-unreduced "$TMP/out/m.lp"
# side outputs: no replacing without --overwrite, and the folder is checked now
echo keep > "$TMP/out/k.json"
ls -A "$TMP/out" > "$TMP/out_before"
refused "an existing --json without --overwrite" "--json $TMP/out/k.json: exists: use --overwrite" \
    -o "$TMP/out/p.gpkg" --json "$TMP/out/k.json"
[ "$(cat "$TMP/out/k.json")" = keep ] && pass "that file is untouched" || fail "--json file changed"
refused "--json into a missing folder" "--json $TMP/out/none/k.json: cannot write: folder '$TMP/out/none' does not exist" \
    -o "$TMP/out/p.gpkg" --json "$TMP/out/none/k.json"

# the fixture is valid: the same outputs beside the inputs' folder plan fine
if "$R5G" plan "$D/scenario.yaml" -q -o "$TMP/out/p.gpkg" --json "$TMP/out/p.json" --export-model "$TMP/out/m.lp" \
    > /dev/null 2> "$TMP/e" && [ -s "$TMP/out/p.gpkg" ] && [ -s "$TMP/out/p.json" ] && [ -s "$TMP/out/m.lp" ]; then
    pass "the fixture plans with outputs elsewhere (tr38901, DEM, clutter, Shapefile folder)"
else
    fail "the fixture does not plan: $(cat "$TMP/e")"
fi
snapshot "$D" > "$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass "a successful run leaves its inputs byte for byte" || fail "inputs changed by a run"
# --export-model over an existing file needs --overwrite as the plan does
"$R5G" plan "$D/scenario.yaml" -q -o "$TMP/out/p2.gpkg" --export-model "$TMP/out/m.lp" > /dev/null 2> "$TMP/e"
[ $? -eq 1 ] && grep -q -- "--export-model $TMP/out/m.lp: exists: use --overwrite" "$TMP/e" && [ ! -e "$TMP/out/p2.gpkg" ] &&
    pass "an existing export is refused before anything is written" || fail "existing export: $(cat "$TMP/e")"
finish
