#!/bin/sh
# The HTML reports (plan --html, compare --html) in a real browser, headless
# Chromium: the page loads with no request leaving the file, the screenshot
# is not blank, the tables hold the plan's numbers (period_kpi, region_kpi,
# compare_kpi read with ogr2ogr), the Chinese region names are in the DOM,
# the print rules show every period's map, and printing to PDF works.
. "${top_srcdir}/tests/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "no $CHROMIUM (Debian package chromium)"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
command -v ogr2ogr > /dev/null 2>&1 || skip_all "no ogr2ogr"
CHK="$PYGDAL $top_srcdir/tests/html_check.py"
SC="$top_srcdir/scenarios/yrd-demo"
browse() { # chromium, headless, offline as far as its own flags allow; the last argument is the page
    timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/prof" "$@" 2>> "$TMP/chromium.log"
}

# the default plan and a variant with less money early on
if ! "$R5G" plan "$SC/scenario.yaml" -q -o "$TMP/plan.gpkg" --html "$TMP/plan.html" > /dev/null 2> "$TMP/err"; then
    fail "plan --html: $(cat "$TMP/err")"; finish; exit 1
fi
pass "plan --html writes $(wc -c < "$TMP/plan.html") bytes"
mkdir -p "$TMP/sc2"
cp "$SC"/*.geojson "$SC"/*.csv "$TMP/sc2/"
sed 's/capex: \[4000000, 6000000,/capex: [2000000, 4000000,/' "$SC/scenario.yaml" > "$TMP/sc2/scenario.yaml"
grep -q "capex: \[2000000, 4000000," "$TMP/sc2/scenario.yaml" || fail "could not change the budgets of the variant"
"$R5G" plan "$TMP/sc2/scenario.yaml" -q -o "$TMP/low.gpkg" > /dev/null 2> "$TMP/err" || fail "plan low: $(cat "$TMP/err")"
"$R5G" compare "$TMP/plan.gpkg" "$TMP/low.gpkg" --labels plan,low -q -o "$TMP/cmp.gpkg" --html "$TMP/cmp.html" \
    > /dev/null 2> "$TMP/err" || fail "compare --html: $(cat "$TMP/err")"
ls -a "$TMP" | grep -q 'tmp-' && fail "temporary file left: $(ls -a "$TMP")" || pass "no temporary file left"

# a page that does reach out, to prove the request checks can fail
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><img src="http://127.0.0.1:9/x.png">x</body></html>\n' > "$TMP/neg.html"
$CHK static "$TMP/neg.html" > /dev/null && fail "the static check missed an <img src=http://...>" || pass "the static check catches an external image"
browse --log-net-log="$TMP/neg.json" --dump-dom "file://$TMP/neg.html" > /dev/null
$CHK netlog "$TMP/neg.json" > "$TMP/c" && fail "the net log check missed a request: $(cat "$TMP/c")" || pass "the net log check catches a page's request"

for r in plan cmp; do
    H="$TMP/$r.html"
    $CHK static "$H" > "$TMP/c" && pass "$r: $(tail -n 1 "$TMP/c")" || fail "$r: $(cat "$TMP/c")"
    rm -rf "$TMP/prof"
    browse --log-net-log="$TMP/$r.net.json" --dump-dom "file://$H" > "$TMP/$r.dom"
    [ -s "$TMP/$r.dom" ] && pass "$r: the page loads ($(wc -c < "$TMP/$r.dom") bytes of DOM)" || fail "$r: no DOM: $(tail -n 5 "$TMP/chromium.log")"
    $CHK netlog "$TMP/$r.net.json" > "$TMP/c" && pass "$r: $(tail -n 1 "$TMP/c")" || fail "$r: $(cat "$TMP/c")"
    n=$(grep -o '娄葑街道' "$TMP/$r.dom" | wc -l)
    [ "$n" -ge 2 ] && pass "$r: the Chinese region name 娄葑街道 is in the DOM ($n times)" || fail "$r: 娄葑街道 $n times in the DOM"
    browse --window-size=1200,2400 --screenshot="$TMP/$r.png" "file://$H" > /dev/null
    $CHK pixels "$TMP/$r.png" > "$TMP/c" && pass "$r: screenshot $(cat "$TMP/c")" || fail "$r: screenshot blank: $(cat "$TMP/c")"
    browse --no-pdf-header-footer --print-to-pdf="$TMP/$r.pdf" "file://$H" > /dev/null
    $CHK pdf "$TMP/$r.pdf" 4 > "$TMP/c" && pass "$r: print to PDF: $(head -n 1 "$TMP/c")" || fail "$r: PDF: $(cat "$TMP/c")"
    # the print rules, applied on screen, show the map of every period
    sed 's/@media print{/@media all{/' "$H" | sed 's|</body>|<script>document.body.setAttribute("data-probe",Array.from(document.querySelectorAll(".pm")).map(function(e){return getComputedStyle(e).display}).join(","))</script></body>|' > "$TMP/$r.print.html"
    browse --dump-dom "file://$TMP/$r.print.html" > "$TMP/$r.print.dom"
    maps=$(grep -o 'class="pm k[0-9]*"' "$H" | wc -l)
    $CHK display "$TMP/$r.print.dom" "$maps" > "$TMP/c" && pass "$r: printed, all $maps period maps show" || fail "$r: print view: $(cat "$TMP/c")"
    grep -q 'class="k5" checked' "$TMP/$r.dom" && pass "$r: the last period is selected on screen" || fail "$r: no period selected"
done

# the numbers: the report's tables against the layers, read with ogr2ogr
ogr2ogr -f CSV "$TMP/pk.csv" "$TMP/plan.gpkg" period_kpi
$CHK table "$TMP/plan.dom" "KPIs per period" "$TMP/pk.csv" period=period \
    budget=budget,capex=capex,new_sites="new sites",upgrades=upgrades,sites_on_air="sites on air",covered_share=covered,on_time_share="on time" \
    > "$TMP/c" && pass "plan: $(tail -n 1 "$TMP/c") from period_kpi" || fail "plan: $(cat "$TMP/c")"
ogr2ogr -f CSV "$TMP/rk.csv" "$TMP/plan.gpkg" -sql "SELECT region_id, name, sites_on_air, covered_share AS c5 FROM region_kpi WHERE period_index = 5"
$CHK table "$TMP/plan.dom" "Regions" "$TMP/rk.csv" region_id=id,name=region sites_on_air="sites on air",c5="covered 2030" \
    > "$TMP/c" && pass "plan: $(tail -n 1 "$TMP/c") from region_kpi" || fail "plan regions: $(cat "$TMP/c")"
ogr2ogr -f CSV "$TMP/ck.csv" "$TMP/cmp.gpkg" compare_kpi
$CHK table "$TMP/cmp.dom" "Per period and plan" "$TMP/ck.csv" period=period,plan=plan \
    covered_share=covered,on_time_share="on time",whitelist_on_time_share="white-list on time",sites_on_air="sites on air",idle_sites="idle sites" \
    > "$TMP/c" && pass "compare: $(tail -n 1 "$TMP/c") from compare_kpi" || fail "compare: $(cat "$TMP/c")"
n=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM site_diff WHERE change <> 'same'" "$TMP/cmp.gpkg" | sed -n 's/^ *n (Integer[^)]*) = //p')
[ "$n" -gt 400 ] && n=400
$CHK rows "$TMP/cmp.dom" "Sites that differ" "$n" > "$TMP/c" && pass "compare: $(cat "$TMP/c") as in site_diff" || fail "compare: $(cat "$TMP/c")"
finish
