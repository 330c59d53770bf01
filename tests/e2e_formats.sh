#!/bin/sh
# --format: the default plan through GeoJSON, FlatGeobuf, ESRI Shapefile
# (one file per layer, in a folder) and KML (one file) reads back with the
# same feature counts and key fields as the GeoPackage (tests/roundtrip.py).
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
"$R5G" plan "$SC/scenario.yaml" -q --links -o "$TMP/ref.gpkg" > /dev/null 2> "$TMP/err" || { fail "plan: $(cat "$TMP/err")"; finish; exit 1; }
for f in GeoJSON FlatGeobuf "ESRI Shapefile" KML; do
    o="$TMP/out_$(echo "$f" | tr -d ' ')"
    if "$R5G" plan "$SC/scenario.yaml" -q --links --format "$f" -o "$o" > /dev/null 2> "$TMP/err"; then
        if "$PYGDAL" "$top_srcdir/tests/roundtrip.py" "$TMP/ref.gpkg" "$o" "$f" > "$TMP/rt" 2>&1; then
            pass "$f: $(tail -n 1 "$TMP/rt")"
        else
            fail "$f: $(head -n 5 "$TMP/rt")"
        fi
    else
        fail "$f: plan failed: $(cat "$TMP/err")"
    fi
done
[ -f "$TMP/out_ESRIShapefile/sites.shp" ] && [ -f "$TMP/out_ESRIShapefile/sites.qml" ] && pass "Shapefile folder has sites.shp and its QGIS style" || fail "no sites.shp/sites.qml: $(ls "$TMP/out_ESRIShapefile")"
grep -q 'UTF-8' "$TMP/out_ESRIShapefile/sites.cpg" 2>/dev/null && pass "Shapefile declares UTF-8 (.cpg)" || fail "no UTF-8 .cpg"
# a plan folder is replaced only with --overwrite, and a folder of other files never
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/out_GeoJSON" > /dev/null 2>&1 && fail "replaced a folder without --overwrite" || pass "refuses an existing folder"
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/out_GeoJSON" --overwrite > /dev/null 2> "$TMP/err" && [ ! -f "$TMP/out_GeoJSON/links.geojson" ] \
    && pass "--overwrite replaces an earlier plan folder" || fail "--overwrite of a plan folder: $(cat "$TMP/err")"
mkdir "$TMP/mine" && echo keep > "$TMP/mine/notes.txt"
"$R5G" plan "$SC/scenario.yaml" -q --format GeoJSON -o "$TMP/mine" --overwrite > /dev/null 2> "$TMP/err" && fail "replaced a folder that is not a plan" || pass "never replaces a folder that is not a plan"
[ -f "$TMP/mine/notes.txt" ] && pass "that folder is untouched" || fail "user folder damaged"
ls -a "$TMP" | grep -q 'tmp-' && fail "temporary output left: $(ls -a "$TMP")" || pass "no temporary output left"
finish
