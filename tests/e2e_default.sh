#!/bin/sh
# The README's default scenario, end to end with the real binary: the plan is
# written, opens in GDAL with the contract's layers and fields, agrees with an
# independent recomputation, is deterministic, and the inputs are untouched.
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -s "$SC/scenario.yaml" ] || { fail "no default scenario at $SC"; finish; exit 1; }

sums() { cat "$SC"/*.geojson "$SC"/*.csv "$SC"/scenario.yaml | cksum; }
before=$(sums)
if "$R5G" plan "$SC/scenario.yaml" -o "$TMP/a.gpkg" > "$TMP/out" 2> "$TMP/err"; then
    pass "plan exits 0"
else
    fail "plan exited $?: $(cat "$TMP/err")"; finish; exit 1
fi
grep -q "^wrote $TMP/a.gpkg" "$TMP/out" && pass "prints the output path" || fail "no output path in: $(cat "$TMP/out")"
grep -q "^2030 " "$TMP/out" && pass "prints the per-period table" || fail "no per-period table: $(cat "$TMP/out")"
[ "$(sums)" = "$before" ] && pass "inputs untouched" || fail "an input file changed"
ls "$TMP" | grep -q tmp && fail "temporary file left: $(ls "$TMP")" || pass "no temporary file left"

if command -v ogrinfo > /dev/null 2>&1; then
    layers=$(ogrinfo -ro -q "$TMP/a.gpkg" | sed -n 's/^[0-9]*: \([a-z_]*\).*/\1/p' | sort | tr '\n' ' ')
    for l in coverage demand period_kpi plan_meta sites; do
        case " $layers" in *" $l "*) pass "ogrinfo sees layer $l" ;; *) fail "layer $l missing (ogrinfo: $layers)" ;; esac
    done
fi

if [ -n "$PYGDAL" ]; then
    budgets=$(sed -n 's/^ *capex: *\[\(.*\)\].*/\1/p' "$SC/scenario.yaml" | tr -d ' ')
    radius=$(sed -n 's/^ *radius_m: *\([0-9.]*\).*/\1/p' "$SC/scenario.yaml" | head -n 1)
    lead=$(sed -n 's/^ *lead_periods: *\([0-9]*\).*/\1/p' "$SC/scenario.yaml" | head -n 1)
    maxlead=$(sed -n 's/^ *max_lead_periods: *\([0-9]*\).*/\1/p' "$SC/scenario.yaml" | head -n 1)
    if [ -z "$lead" ] || [ -z "$maxlead" ]; then
        fail "no ahead_of_demand lead_periods / max_lead_periods in $SC/scenario.yaml"
    elif "$PYGDAL" "$top_srcdir/tests/check_plan.py" "$TMP/a.gpkg" "$SC" "$radius" "$budgets" "$lead" "$maxlead" \
        > "$TMP/chk" 2>&1; then
        pass "independent recomputation: $(cat "$TMP/chk")"
    else
        fail "independent recomputation: $(cat "$TMP/chk")"
    fi
    # the check can fail: a lead one period longer changes the on-time flags
    if [ -n "$lead" ] && [ -n "$maxlead" ] && ! "$PYGDAL" "$top_srcdir/tests/check_plan.py" "$TMP/a.gpkg" "$SC" \
        "$radius" "$budgets" "$((lead + 1))" "$((maxlead + 1))" 2>&1 | grep -q "disagree on on_time"; then
        fail "check_plan.py did not notice on_time flags computed with lead $lead, checked with lead $((lead + 1))"
    else
        pass "check_plan.py notices a wrong lead"
    fi
else
    echo "note: no python3 with GDAL bindings; skipping the independent recomputation"
fi

# Determinism: the same inputs give the same plan.
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/b.gpkg" > /dev/null 2>&1 || fail "second run failed"
if command -v ogrinfo > /dev/null 2>&1; then
    q='SELECT site_id, status, build_index FROM sites ORDER BY site_id'
    ogrinfo -ro -q -sql "$q" "$TMP/a.gpkg" | grep = > "$TMP/a.txt"
    ogrinfo -ro -q -sql "$q" "$TMP/b.gpkg" | grep = > "$TMP/b.txt"
    if [ -s "$TMP/a.txt" ] && cmp -s "$TMP/a.txt" "$TMP/b.txt"; then pass "same plan twice"; else fail "two runs differ"; fi
fi

# --overwrite replaces; without it the existing plan is refused and kept.
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/a.gpkg" > /dev/null 2> "$TMP/err" && fail "overwrote without --overwrite" || pass "refuses to overwrite"
"$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/a.gpkg" --overwrite > /dev/null 2> "$TMP/err" && pass "--overwrite replaces" || fail "--overwrite failed: $(cat "$TMP/err")"

# validate reports and writes nothing.
if "$R5G" validate "$SC/scenario.yaml" > "$TMP/v" 2>&1 && grep -q "never coverable" "$TMP/v"; then
    pass "validate"
else
    fail "validate: $(cat "$TMP/v")"
fi
"$R5G" version | grep -q "^GLPK " && pass "version names GLPK" || fail "version output"
finish
