#!/bin/sh
# Re-planning next year: sites already built or committed are fixed in the
# plan, from a layer (`committed:`, here last year's plan) or a candidates
# field (candidates.fields.committed). The default scenario is planned, then
# re-planned with the first plan's period-1 sites committed; the checks read
# both plans with GDAL independently of rollout5g:
#  - every period-1 site of the first plan is built in period 1 in the second,
#    and `committed` is 1 exactly for those sites;
#  - the objectives agree within the proven gaps: the first plan is feasible
#    for the re-plan (same inputs, its own period-1 decisions), so the
#    re-plan's optimum OPT2 lies between o1 and the free optimum, which is at
#    most the first plan's bound b1. Hence o2 <= b1, b2 >= o1 and
#    o2 >= o1 * (1 - gap2);
#  - verify passes on the re-plan and fails on a copy that moves a committed
#    site to another period;
#  - the field variant forces sites the free plan does not build, and the
#    user errors give one line, a non-zero exit and no output.
. "${top_srcdir}/tests/lib.sh"
SC="$top_srcdir/scenarios/yrd-demo"
[ -s "$SC/scenario.yaml" ] || { fail "no default scenario at $SC"; finish; exit 1; }
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
command -v ogrinfo > /dev/null 2>&1 || skip_all "no ogrinfo"

# the default scenario with its sources as absolute paths (read in place)
sed -e "s|^\( *source: *\)\([^ /][^ ]*\)|\1$SC/\2|" -e '/^output:/,$d' "$SC/scenario.yaml" > "$TMP/base.yaml"
grep -q "source: $SC/candidates.csv" "$TMP/base.yaml" || { fail "could not rewrite the sources: $(grep source "$TMP/base.yaml")"; finish; exit 1; }

if "$R5G" plan "$TMP/base.yaml" -q -o "$TMP/p1.gpkg" > "$TMP/out1" 2> "$TMP/err1"; then
    pass "first plan"
else
    fail "first plan exited $?: $(cat "$TMP/err1")"; finish; exit 1
fi

{ cat "$TMP/base.yaml"; cat <<EOF
committed:
  source: $TMP/p1.gpkg
  layer: sites
  where: "status = 'built' AND build_index <= 1"
  fields: {id: site_id, period: build_index}
EOF
} > "$TMP/replan.yaml"
if "$R5G" plan "$TMP/replan.yaml" -o "$TMP/p2.gpkg" --json "$TMP/p2.json" --html "$TMP/p2.html" > "$TMP/out2" 2> "$TMP/err2"; then
    pass "re-plan with committed: from the first plan"
else
    fail "re-plan exited $?: $(cat "$TMP/err2")"; finish; exit 1
fi

# independent checks of the two plans
cat > "$TMP/check.py" <<'PY'
import sys
from osgeo import ogr
def sites(path):
    ds = ogr.Open(path)
    rows = {}
    for f in ds.GetLayerByName("sites"):
        rows[f.GetField("site_id")] = (f.GetField("status"), f.GetField("build_index"),
                                        f.GetField("committed"), f.GetField("capex"))
    return rows
def meta(path):
    ds = ogr.Open(path)
    return {f.GetField("key"): f.GetField("value") for f in ds.GetLayerByName("plan_meta")}
p1, p2 = sites(sys.argv[1]), sites(sys.argv[2])
first = {s for s, r in p1.items() if r[0] == "built" and r[1] == 1}
bad = [s for s in first if p2[s][0] != "built" or p2[s][1] != 1]
if bad:
    sys.exit("period-1 sites of the first plan not built in period 1 of the re-plan: %s" % bad[:5])
committed = {s for s, r in p2.items() if r[2] == 1}
if committed != first:
    sys.exit("committed = 1 for %d sites, expected the %d period-1 sites of the first plan (extra %s, missing %s)"
             % (len(committed), len(first), sorted(committed - first)[:5], sorted(first - committed)[:5]))
if any(r[2] is None for r in p2.values()):
    sys.exit("committed is NULL for some site")
if any(r[2] not in (0, 1) for r in p1.values()):
    sys.exit("the first plan's committed column is not 0/1")
if any(r[2] == 1 for r in p1.values()):
    sys.exit("the first plan commits nothing, yet has committed = 1")
m1, m2 = meta(sys.argv[1]), meta(sys.argv[2])
o1, b1, o2, b2, g2 = (float(x) for x in (m1["objective"], m1["bound"], m2["objective"], m2["bound"], m2["gap"]))
tol = 1e-9 * abs(o1)
if not (o2 <= b1 + tol and b2 >= o1 - tol and o2 >= o1 * (1 - g2) - tol):
    sys.exit("objectives: first %.6f (bound %.6f), re-plan %.6f (bound %.6f, gap %.6f): expected o2 <= b1, "
             "b2 >= o1, o2 >= o1 (1 - gap2)" % (o1, b1, o2, b2, g2))
spent = sum(p1[s][3] for s in first)
print("%d sites committed (%.2f M), objectives %.1f and %.1f" % (len(first), spent / 1e6, o1, o2))
print("N=%d" % len(first))
print("CAPEX=%.2f" % (spent / 1e6))
PY
if "$PYGDAL" "$TMP/check.py" "$TMP/p1.gpkg" "$TMP/p2.gpkg" > "$TMP/chk" 2>&1; then
    pass "re-plan keeps period 1: $(head -n 1 "$TMP/chk")"
else
    fail "re-plan: $(cat "$TMP/chk")"
fi
N=$(sed -n 's/^N=//p' "$TMP/chk")
CAPEX=$(sed -n 's/^CAPEX=//p' "$TMP/chk")
if [ -n "$N" ] && grep -qx "2026 *committed: $N sites, $CAPEX M CNY of the capex (decided before this plan)" "$TMP/out2"; then
    pass "the terminal table says what was committed in 2026"
else
    fail "no committed line for $N sites, $CAPEX M in: $(cat "$TMP/out2")"
fi
# --json and --html say the same: committed_sites/committed_capex per period, a "committed" column
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
n, capex = int(sys.argv[2]), float(sys.argv[3])
p = d["periods"]
if p[0]["committed_sites"] != n or abs(p[0]["committed_capex"] / 1e6 - capex) > 0.006:
    sys.exit("period 1: committed_sites %s, committed_capex %s; expected %d and %.2f M" % (p[0]["committed_sites"], p[0]["committed_capex"], n, capex))
if any(q["committed_sites"] or q["committed_capex"] for q in p[1:]):
    sys.exit("commitments after period 1: %s" % [(q["committed_sites"], q["committed_capex"]) for q in p[1:]])
' "$TMP/p2.json" "${N:-0}" "${CAPEX:-0}" > "$TMP/jchk" 2>&1; then
    pass "--json: committed_sites $N and committed_capex $CAPEX M in 2026, none later"
else
    fail "--json: $(cat "$TMP/jchk")"
fi
grep -q ">committed</th>" "$TMP/p2.html" && grep -q ">$N (" "$TMP/p2.html" &&
    pass "--html: a committed column with $N sites in 2026" || fail "--html: no committed column with '$N (' in $TMP/p2.html"
"$R5G" plan "$TMP/base.yaml" -q -o "$TMP/p0.gpkg" --html "$TMP/p0.html" > /dev/null 2>&1
grep -q ">committed</th>" "$TMP/p0.html" && fail "--html: a committed column in a plan without commitments" ||
    pass "--html: no committed column without commitments"
grep -q "committed:" "$TMP/out1" && fail "the first plan reports commitments: $(cat "$TMP/out1")" || pass "no committed line without commitments"
# the check can fail: the first plan's own sites layer is not the re-plan's
if "$PYGDAL" "$TMP/check.py" "$TMP/p1.gpkg" "$TMP/p1.gpkg" > /dev/null 2>&1; then
    fail "check.py accepts a plan without committed sites as the re-plan"
else
    pass "check.py notices a plan without commitments"
fi
ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = 'input_committed_sha256'" "$TMP/p2.gpkg" |
    grep -q "value (String) = $(sha256sum "$TMP/p1.gpkg" | cut -c1-64)" &&
    pass "plan_meta records the committed layer's checksum" || fail "no input_committed_sha256 of p1.gpkg in plan_meta"

# a reviewer comparing this year's plan with the re-plan sees the commitment as a differing input
if "$R5G" compare "$TMP/p1.gpkg" "$TMP/p2.gpkg" --labels first,replan -q > "$TMP/cmp.out" 2> "$TMP/cmp.err" &&
    grep -q "^inputs: .*candidates same.*, committed differs$" "$TMP/cmp.out"; then
    pass "compare: the committed layer is an input only the re-plan has: committed differs"
else
    fail "compare first vs replan: $(grep '^inputs' "$TMP/cmp.out") $(cat "$TMP/cmp.err")"
fi

# verify: passes, and fails on a plan that moves a committed site
if "$R5G" verify "$TMP/p2.gpkg" > "$TMP/v.out" 2> "$TMP/v.err" && grep -q "^PASS committed: every committed site ($N) is built in its committed period" "$TMP/v.out"; then
    pass "verify passes on the re-plan"
else
    fail "verify on the re-plan: $(cat "$TMP/v.out" "$TMP/v.err")"
fi
cp "$TMP/p2.gpkg" "$TMP/moved.gpkg"
id=$(ogrinfo -ro -q -sql "SELECT site_id FROM sites WHERE committed = 1 ORDER BY site_id LIMIT 1" "$TMP/p2.gpkg" | sed -n 's/.*site_id (String) = //p')
ogrinfo -q -dialect SQLite -sql "UPDATE sites SET build_index = 2, build_period = '2027', build_date = '2027-01-01' WHERE site_id = '$id'" "$TMP/moved.gpkg" > /dev/null 2>&1
if "$R5G" verify "$TMP/moved.gpkg" > "$TMP/v2.out" 2> "$TMP/v2.err"; then
    fail "verify passes a plan that builds committed site $id in 2027"
elif grep -qx "FAIL committed: 1 of $N committed sites are not built in their committed period: $id (committed to 2026, built in 2027)" "$TMP/v2.out"; then
    pass "verify fails on a plan that moves committed site $id to 2027"
else
    fail "verify on the moved plan: $(cat "$TMP/v2.out" "$TMP/v2.err")"
fi

# the field variant: four candidates the free plan never builds, committed
# by label, index, date and date as a GeoPackage reads it
ids=$(ogrinfo -ro -q -sql "SELECT site_id FROM sites WHERE status = 'not_built' ORDER BY site_id LIMIT 4" "$TMP/p1.gpkg" | sed -n 's/.*site_id (String) = //p' | tr '\n' ' ')
set -- $ids
if [ $# -ne 4 ]; then
    fail "fewer than 4 unbuilt candidates in the first plan: $ids"
else
    awk -F, -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN { OFS = "," }
        NR == 1 { print $0, "decided"; next }
        { v = $1 == a ? "2027" : $1 == b ? "3" : $1 == c ? "2029-06-30" : $1 == d ? "2030/01/01" : ""; print $0, v }' \
        "$SC/candidates.csv" > "$TMP/cand.csv"
    sed -e "s|source: $SC/candidates.csv|source: $TMP/cand.csv|" -e 's/^\(    height: height_m\)$/\1\n    committed: decided/' \
        "$TMP/base.yaml" > "$TMP/field.yaml"
    grep -q "committed: decided" "$TMP/field.yaml" || fail "could not add candidates.fields.committed"
    if "$R5G" plan "$TMP/field.yaml" -q -o "$TMP/p3.gpkg" > /dev/null 2> "$TMP/err3"; then
        got=$(ogrinfo -ro -q -sql "SELECT site_id, build_index FROM sites WHERE committed = 1 ORDER BY site_id" "$TMP/p3.gpkg" |
            sed -n 's/.*site_id (String) = //p; s/.*build_index ([A-Za-z0-9]*) = //p' | tr '\n' ' ')
        want=$(printf '%s\n' "$1 2" "$2 3" "$3 4" "$4 5" | sort | tr '\n' ' ')
        [ "$got" = "$want" ] && pass "candidates.fields.committed: $want" || fail "committed sites $got, expected $want"
    else
        fail "field variant exited $?: $(cat "$TMP/err3")"
    fi
fi

# user errors: one line, a non-zero exit, nothing written
bad() { # NAME EXPECTED(regex) CSV-ROWS [EXTRA-YAML]
    printf 'site_id,period\n%b' "$3" > "$TMP/bad.csv"
    { cat "$TMP/base.yaml"; printf 'committed:\n  source: %s\n  fields: {id: site_id, period: period}\n' "$TMP/bad.csv"; } > "$TMP/bad.yaml"
    rm -f "$TMP/bad.gpkg"
    "$R5G" plan "$TMP/bad.yaml" -q -o "$TMP/bad.gpkg" > /dev/null 2> "$TMP/bad.err"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        fail "$1: exit 0"
    elif [ "$(wc -l < "$TMP/bad.err")" -ne 1 ] || ! grep -Eqx "rollout5g: error: $2" "$TMP/bad.err"; then
        fail "$1: $(cat "$TMP/bad.err")"
    elif [ -e "$TMP/bad.gpkg" ] || ls -A "$TMP" | grep -q '^\.'; then
        fail "$1: output or a temporary file written: $(ls -A "$TMP")"
    else
        pass "$1: one line, exit $rc, nothing written"
    fi
}
bad "unknown id" "bad.csv feature 2 \(id NOPE\): committed id 'NOPE' is not a candidate \(candidates.csv\)" 'N00001,1\nNOPE,1\n'
bad "existing id" "bad.csv feature 1 \(id E0001\): committed id 'E0001' is an existing site .*" 'E0001,1\n'
bad "period out of range" "bad.csv feature 1 \(id N00001\): period '6' is not a period of the scenario .*" 'N00001,6\n'
bad "same id, two periods" "bad.csv feature 2 \(id N00001\): committed id 'N00001' in period 2028, but bad.csv feature 1 \(id N00001\) commits it to 2026" 'N00001,1\nN00001,2028\n'
# every candidate in 2027: far over the 10 M budget by then
rows=$(awk -F, 'NR > 1 { printf "%s,2027\\n", $1 }' "$SC/candidates.csv")
bad "over the budget" ".*bad.yaml:[0-9]+: committed: period 2027: the committed sites cost [0-9.]+ M by then, budget.capex allows 10.00 M \(cumulative, carry_over\)" "$rows"
# 41 upgrades (about 4.5 M) in 2028: within the 18 M by then, over the 40 sites per period
rows=$(awk -F, 'NR > 1 && $4 == "upgrade" && n < 41 { n++; printf "%s,2028\\n", $1 }' "$SC/candidates.csv")
bad "over max_new_sites" ".*bad.yaml:[0-9]+: committed: period 2028: 41 sites are committed, budget.max_new_sites allows 40" "$rows"

finish
