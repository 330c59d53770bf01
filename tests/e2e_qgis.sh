#!/bin/sh
# The default plan as GIS tools open it: GDAL's GeoPackage validator passes,
# real QGIS (headless) loads every layer with its default style and temporal
# setup and renders a map that is not blank, --json writes the KPIs. QGIS
# parts skip when python3-qgis is not installed.
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
ogrinfo -ro -q -sql "SELECT styleQML FROM layer_styles WHERE f_table_name = 'sites'" "$TMP/plan.gpkg" | grep -q 'temporal enabled="1" mode="1".*startField="build_date"' \
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
print("ok")
PY
then pass "--json: periods and plan_meta"; else fail "--json: $(cat "$TMP/j")"; fi

# real QGIS
if "$PYGDAL" -c 'import qgis.core' > /dev/null 2>&1; then
    if QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP" "$PYGDAL" "$top_srcdir/tests/qgis_check.py" "$TMP/plan.gpkg" "$TMP/map.png" > "$TMP/q" 2>&1; then
        pass "QGIS: $(grep -c '^ok: .* loads' "$TMP/q") layers load with styles and time; $(grep '^ok: rendered' "$TMP/q" | sed 's/^ok: rendered [^ ]* //')"
    else
        fail "QGIS: $(grep -v '^ok' "$TMP/q" | tail -n 5)"
    fi
else
    echo "note: python3-qgis not installed; skipping the QGIS check"
fi
finish
