#!/bin/sh
# The SJC maximal covering benchmarks (Lorena & Pereira 2002), run through the
# real binary: every node is a demand point (weight = demand) and a candidate
# (capex 1, budget p), covered within S metres, crs planar. rollout5g must
# reproduce the optimal covered demand, computed independently with glpsol on
# the hand-written MathProg model tests/sjc.mod (see docs/model.md).
. "${top_srcdir}/tests/lib.sh"
DATA="${R5G_SHARED_DATA:-}/mclp-sjc"
[ -f "$DATA/SJC324.txt" ] || skip_all "SJC data not found at $DATA (set R5G_SHARED_DATA)"
command -v ogrinfo > /dev/null 2>&1 || skip_all "ogrinfo (gdal-bin) not installed"

# instance S p optimum  (oracles: glpsol --math tests/sjc.mod, see docs/model.md)
CASES="SJC324 800 4 12106
SJC324 1200 2 11555
SJC402 800 5 15970
SJC402 1200 2 14832
SJC500 800 7 19692
SJC500 1200 3 19393
SJC708 800 8 23684
SJC708 1200 4 23884
SJC818 800 6 25908
SJC818 800 10 28838
SJC818 1200 3 25211
SJC818 1200 5 28513"

run_case() {
    inst=$1 S=$2 p=$3 opt=$4
    d="$TMP/$inst-$S-$p"
    mkdir -p "$d"
    awk 'NR == 1 { print "id,x,y,weight"; next } NF >= 3 { printf "N%d,%s,%s,%s\n", NR - 1, $1, $2, $3 }' \
        "$DATA/$inst.txt" > "$d/demand.csv"
    awk 'NR == 1 { print "site_id,x,y,capex"; next } NF >= 3 { printf "N%d,%s,%s,1\n", NR - 1, $1, $2 }' \
        "$DATA/$inst.txt" > "$d/candidates.csv"
    cat > "$d/scenario.yaml" <<Y
version: 1
name: $inst S=$S p=$p
crs: planar
periods: {start: 2026, count: 1}
budget: {capex: $p}
demand:
  source: demand.csv
  open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y]
  fields: {id: id, weight: weight}
candidates:
  source: candidates.csv
  open_options: [X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y]
  fields: {id: site_id, capex: capex}
radio: {model: fixed_radius, radius_m: $S}
solver: {time_limit_s: 120, mip_gap: 0}
Y
    if ! "$R5G" plan "$d/scenario.yaml" -q -o "$d/plan.gpkg" > "$d/out" 2> "$d/err"; then
        fail "$inst S=$S p=$p: plan exited non-zero: $(cat "$d/err")"
        return
    fi
    got=$(ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = 'objective'" "$d/plan.gpkg" |
        sed -n 's/.*value (String) = //p')
    status=$(ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = 'status'" "$d/plan.gpkg" |
        sed -n 's/.*value (String) = //p')
    built=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM sites WHERE status = 'built'" "$d/plan.gpkg" |
        sed -n 's/.*n (Integer.*) = //p')
    if [ "$got" = "$opt" ] && [ "$status" = "optimal" ] && [ "$built" -le "$p" ]; then
        pass "$inst S=$S p=$p: covered demand $got = optimum ($built sites)"
    else
        fail "$inst S=$S p=$p: covered demand '$got' (status $status, $built sites), optimum $opt"
    fi
}

echo "$CASES" > "$TMP/cases"
while read -r inst S p opt; do
    [ -n "$inst" ] && run_case "$inst" "$S" "$p" "$opt"
done < "$TMP/cases"
finish
