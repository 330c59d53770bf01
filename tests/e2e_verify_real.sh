#!/bin/sh
# rollout5g verify on the committed real-data scenario (tests/real-data:
# Shanghai power plants, BD-09 campuses, GCJ-02 districts): the plan passes
# every check, and the same plan checked with a build moved into the first
# period breaks its crew limit. Skipped (77) without ../shared/data.
. "${top_srcdir}/tests/lib.sh"
D="${R5G_SHARED_DATA:-}"
[ -n "$D" ] && [ -d "$D/cn-power-plants-wri" ] && [ -d "$D/cn-universities" ] ||
    skip_all "no shared real data at '${D:-unset}' (R5G_SHARED_DATA)"
command -v ogrinfo > /dev/null 2>&1 || skip_all "ogrinfo not found (gdal-bin)"
# the scenario's paths are relative (../../../shared/data beside a clone): a
# copy whose ../../../shared/data is $R5G_SHARED_DATA, as in e2e_coverage.sh
RD="$TMP/rd/main/tests/real-data"
mkdir -p "$RD" "$TMP/rd/shared"
ln -s "$D" "$TMP/rd/shared/data"
cp "$top_srcdir/tests/real-data/scenario.yaml" "$RD/"
if ! "$R5G" plan "$RD/scenario.yaml" -q -o "$TMP/plan.gpkg" > "$TMP/out" 2> "$TMP/err"; then
    fail "plan tests/real-data: $(cat "$TMP/err")"
    finish
    exit 1
fi
"$R5G" verify -q "$TMP/plan.gpkg" > "$TMP/v" 2> "$TMP/err"
rc=$?
if [ $rc -eq 0 ] && ! grep -qv '^PASS ' "$TMP/v"; then
    pass "real data: every check passes ($(grep -c . "$TMP/v") checks)"
else
    fail "real data: verify exit $rc: $(cat "$TMP/v" "$TMP/err")"
fi
# the regions are GCJ-02 districts: a region_kpi line for all 16
grep -Fxq "PASS region_kpi: 16 regions x 3 periods, every field as recomputed" "$TMP/v" &&
    pass "real data: region_kpi of the 16 districts as recomputed" || fail "real data: $(grep region_kpi "$TMP/v")"
# every candidate built in 2026, as a plan made elsewhere: the crew limit is 4 a year
n=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM sites WHERE kind <> 'existing'" "$TMP/plan.gpkg" | sed -n 's/.*n (Integer.*) = //p')
ogrinfo -ro -q -sql "SELECT site_id FROM sites WHERE kind <> 'existing'" "$TMP/plan.gpkg" |
    sed -n 's/^ *site_id (String) = //p' | awk 'BEGIN { print "site_id,year" } { print "\"" $0 "\",2026" }' > "$TMP/given.csv"
"$R5G" verify -q "$TMP/given.csv" --scenario "$RD/scenario.yaml" --period-field year > "$TMP/v" 2> "$TMP/err"
rc=$?
[ "$n" -gt 4 ] && [ $rc -eq 5 ] && grep -q "^FAIL build_limit 2026: $n sites built, max_new_sites 4 (.* and $((n - 10)) more)$" "$TMP/v" &&
    pass "real data: all $n candidates in 2026 break max_new_sites 4, 10 named and the rest counted" ||
    fail "real data, all in 2026: exit $rc: $(cat "$TMP/v" "$TMP/err")"
finish
