#!/bin/sh
# The default plan as GIS tools open it: GDAL's GeoPackage validator passes,
# --json writes the KPIs, and real QGIS (headless) opens the plan in every
# format with its default styles: tests/qgis_check.py renders each period as
# the temporal controller shows it and checks the features drawn and their
# categories against the attributes, and the labels. Skips (77) only when
# QGIS's Python module cannot be imported (the GDAL checks must pass first).
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
if ! "$R5G" plan "$SC/scenario.yaml" -q --links -o "$TMP/plan.gpkg" --json "$TMP/plan.json" > "$TMP/out" 2> "$TMP/err"; then
    fail "plan: $(cat "$TMP/err")"; finish; exit 1
fi
ls -a "$TMP" | grep -q tmp && fail "temporary file left: $(ls -a "$TMP")" || pass "no temporary file left"

# GDAL's own validator (python3-gdal ships it as an example)
V=$(dpkg -L python3-gdal 2>/dev/null | grep '/validate_gpkg.py$' | head -n 1)
[ -n "$V" ] || V=/usr/share/doc/python3-gdal/examples/validate_gpkg.py
if [ -f "$V" ]; then
    if "$PYGDAL" "$V" "$TMP/plan.gpkg" > "$TMP/v" 2>&1; then pass "validate_gpkg passes"; else fail "validate_gpkg: $(cat "$TMP/v")"; fi
else
    echo "note: validate_gpkg.py not found; skipping the validator"
fi

# layer_styles: one default style per layer, stored the QGIS way
n=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM layer_styles WHERE useAsDefault = 1 AND f_table_schema = '' AND f_table_name IN ('sites','demand','coverage','coverage_by_period','links','region_kpi','period_kpi','sector_kpi','plan_meta')" "$TMP/plan.gpkg" | sed -n 's/.*n (Integer.*) = //p')
[ "$n" = 9 ] && pass "9 default styles in layer_styles" || fail "layer_styles: $n default styles, expected 9"
# mode 4 (from an expression on build_date), not 1 (from the field): see
# temporal() in planner/report/styles.c
ogrinfo -ro -q -sql "SELECT styleQML FROM layer_styles WHERE f_table_name = 'sites'" "$TMP/plan.gpkg" | grep -q 'temporal enabled="1" mode="4".*startField="build_date".*startExpression="coalesce(to_datetime(&quot;build_date&quot;)' \
    && pass "sites style animates by build_date" || fail "sites style has no temporal setup on build_date"

# CJK region names survive (the input regions.geojson has 娄葑街道)
ogrinfo -ro -q -sql "SELECT count(*) AS n FROM region_kpi WHERE name = '娄葑街道'" "$TMP/plan.gpkg" | grep -q "n (Integer.*) = 5" \
    && pass "region_kpi keeps 娄葑街道 (5 periods)" || fail "region_kpi lost the CJK name"

# --json: 5 periods, plan_meta with status and the scenario checksum
if "$PYGDAL" - "$TMP/plan.json" "$SC/scenario.yaml" > "$TMP/j" 2>&1 <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(d["periods"]) == 5, d["periods"]
assert [p["period"] for p in d["periods"]] == ["2026", "2027", "2028", "2029", "2030"]
assert d["periods"][0]["budget"] == 4000000, d["periods"][0]
m = d["plan_meta"]
assert m["status"] in ("optimal", "time_limit"), m["status"]
assert m["scenario_sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
# numbers as numbers, the settings and phases as objects
assert isinstance(m["gap"], float) and isinstance(m["objective"], float), (m["gap"], m["objective"])
assert isinstance(m["settings"], dict) and m["settings"]["periods"]["count"] == 5, m["settings"]
assert isinstance(m["phases"], dict) and "write" in m["phases"], m["phases"]
print("ok")
PY
then pass "--json: periods and plan_meta"; else fail "--json: $(cat "$TMP/j")"; fi

# real QGIS: the GeoPackage, then the same plan in the other formats
if ! "$PYGDAL" -c 'from qgis.core import QgsApplication' > /dev/null 2>&1; then
    [ "$FAILS" -eq 0 ] && skip_all "python3-qgis not importable: QGIS checks not run ($PASSES GDAL checks passed)"
    finish; exit 1
fi
mkdir -m 700 "$TMP/xdg"
qgis_check() { # LABEL PLAN
    d="$TMP/q_$(echo "$1" | tr -d ' ')"
    mkdir -p "$d"
    if QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP/xdg" "$PYGDAL" "$top_srcdir/tests/qgis_check.py" "$2" "$d" > "$d.out" 2>&1; then
        pass "QGIS $1: $(sed -n 's/^ok: summary: //p' "$d.out")"
    else
        fail "QGIS $1: $(grep -v '^ok' "$d.out" | grep -v XDG_RUNTIME | tail -n 8)"
    fi
}
qgis_check GPKG "$TMP/plan.gpkg"
for fmt in GeoJSON FlatGeobuf "ESRI Shapefile" CSV; do
    out="$TMP/plan_$(echo "$fmt" | tr -d ' ')"
    if "$R5G" plan "$SC/scenario.yaml" -q --links --format "$fmt" -o "$out" > "$TMP/out" 2> "$TMP/err"; then
        qgis_check "$fmt" "$out"
    else
        fail "plan --format $fmt: $(cat "$TMP/err")"
    fi
done
# KML: one file, no QGIS style (its features carry their own, tests/e2e_formats.sh): the layers open with the plan's field names
if "$R5G" plan "$SC/scenario.yaml" -q --format KML -o "$TMP/plan.kml" > "$TMP/out" 2> "$TMP/err"; then
    qgis_check KML "$TMP/plan.kml"
else
    fail "plan --format KML: $(cat "$TMP/err")"
fi
finish
