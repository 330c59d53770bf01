#!/bin/sh
# Regional decomposition (solver.decompose, solver.workers) on a small
# province (`synth --preset province --scale 0.01`: 12 cities and rural land
# under one budget), checked with GDAL independently of rollout5g:
#  - the plan with the decomposition and 1 worker, and with 2 workers, are
#    the same plan (every site's status and build period);
#  - decomposed and undecomposed plans agree within their proven gaps:
#    each objective is at most the other's bound, and the decomposed one is
#    within its gap of the undecomposed one;
#  - the decomposition ran (plan_meta solver_regions >= 2, 0 without it);
#  - the decomposed plan keeps the budgets and the build limit (summed from
#    the sites layer) and `verify` passes on it; plan_meta records the
#    setting;
#  - one city (a single coverage component) is cut into tiles, with the
#    same checks;
#  - wrong values of the two keys give one line naming file:line and key.
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"

"$R5G" synth --preset province --scale 0.01 -o "$TMP/p" > /dev/null 2> "$TMP/synth.err" ||
    { fail "synth: $(cat "$TMP/synth.err")"; finish; exit 1; }
# the same scenario, output and solver section replaced
sed -e '/^solver:/,$d' "$TMP/p/scenario.yaml" > "$TMP/base.yaml"
mk() { # mk NAME DECOMPOSE WORKERS
    { cat "$TMP/base.yaml"; printf 'solver:\n  time_limit_s: 600\n  mip_gap: 0.005\n  decompose: %s\n  workers: %s\n' "$2" "$3"; } > "$TMP/p/$1.yaml"
}
mk on1 on 1
mk on2 on 2
mk off off 1
for n in on1 on2 off; do
    if "$R5G" plan "$TMP/p/$n.yaml" -q -o "$TMP/$n.gpkg" > "$TMP/$n.out" 2> "$TMP/$n.err"; then
        pass "plan ($n)"
    else
        fail "plan ($n) exited $?: $(cat "$TMP/$n.err")"; finish; exit 1
    fi
done

cat > "$TMP/check.py" <<'PY'
import json, sys
from osgeo import ogr
def sites(path):
    ds = ogr.Open(path)
    return {f.GetField("site_id"): (f.GetField("status"), f.GetField("build_index"), f.GetField("capex"))
            for f in ds.GetLayerByName("sites")}
def meta(path):
    ds = ogr.Open(path)
    return {f.GetField("key"): f.GetField("value") for f in ds.GetLayerByName("plan_meta")}
on1, on2, off = sys.argv[1:4]
a, b = sites(on1), sites(on2)
diff = [s for s in a if a[s][:2] != b.get(s, (None, None, None))[:2]]
if diff or len(a) != len(b):
    sys.exit("1 and 2 workers give different plans: %d sites differ, e.g. %s" % (len(diff), diff[:3]))
m1, m0 = meta(on1), meta(off)
o1, b1, g1 = (float(m1[k]) for k in ("objective", "bound", "gap"))
o0, b0 = (float(m0[k]) for k in ("objective", "bound"))
tol = 1e-9 * abs(o0)
if not (o1 <= b0 + tol and o0 <= b1 + tol and o1 >= o0 * (1 - g1) - tol):
    sys.exit("decomposed %.3f (bound %.3f, gap %.5f), undecomposed %.3f (bound %.3f): expected o1 <= b0, "
             "o0 <= b1, o1 >= o0 (1 - gap1)" % (o1, b1, g1, o0, b0))
settings = json.loads(m1["settings_json"]) if "settings_json" in m1 else None
# budgets (carry-over) and the build limit, from the scenario's numbers
import re
text = open(sys.argv[4]).read()
capex = [float(x) for x in re.search(r"capex: \[([^\]]*)\]", text).group(1).split(",")]
limit = int(re.search(r"max_new_sites: (\d+)", text).group(1))
spent, cum, budget = {}, 0.0, 0.0
built = {}
for st, bi, c in a.values():
    if st == "built" and bi is not None and c:
        spent[bi] = spent.get(bi, 0) + c
    if st == "built" and bi is not None and c:
        built[bi] = built.get(bi, 0) + 1
for t in range(1, len(capex) + 1):
    cum += spent.get(t, 0)
    budget += capex[t - 1]
    if cum > budget * (1 + 1e-9):
        sys.exit("period %d: %.0f spent by then, budget %.0f" % (t, cum, budget))
    if built.get(t, 0) > limit:
        sys.exit("period %d: %d sites built, limit %d" % (t, built[t], limit))
if int(m1.get("solver_regions", 0)) < 2 or int(m0.get("solver_regions", -1)) != 0:
    sys.exit("solver_regions: %s decomposed, %s undecomposed: expected >= 2 and 0"
             % (m1.get("solver_regions"), m0.get("solver_regions")))
print("decomposed %.1f (gap %.3f%%, %s regions), undecomposed %.1f; %d sites built"
      % (o1, 100 * g1, m1["solver_regions"], o0, sum(built.values())))
PY
if "$PYGDAL" "$TMP/check.py" "$TMP/on1.gpkg" "$TMP/on2.gpkg" "$TMP/off.gpkg" "$TMP/p/on1.yaml" > "$TMP/chk" 2>&1; then
    pass "$(cat "$TMP/chk")"
else
    fail "$(cat "$TMP/chk")"
fi
# the check can fail: a plan of another scenario is not the same plan
sed -e 's/mip_gap: 0.005/mip_gap: 0.3/' "$TMP/p/on1.yaml" > "$TMP/p/loose.yaml"
"$R5G" plan "$TMP/p/loose.yaml" -q -o "$TMP/loose.gpkg" > /dev/null 2>&1
if "$PYGDAL" "$TMP/check.py" "$TMP/on1.gpkg" "$TMP/loose.gpkg" "$TMP/off.gpkg" "$TMP/p/on1.yaml" > /dev/null 2>&1; then
    fail "check.py accepts a different plan as the 2-worker plan"
else
    pass "check.py notices a different plan"
fi
if "$R5G" verify "$TMP/on1.gpkg" -q > "$TMP/verify" 2>&1; then
    pass "verify passes on the decomposed plan"
else
    fail "verify: $(cat "$TMP/verify")"
fi
ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = 'settings'" "$TMP/on1.gpkg" 2> /dev/null |
    grep -q '"decompose": *true' && pass "plan_meta records decompose: true" ||
    fail "plan_meta settings lack decompose: $(ogrinfo -ro -q -sql "SELECT value FROM plan_meta WHERE key = 'settings'" "$TMP/on1.gpkg" 2>&1 | head -c 300)"

# one city (`synth --preset city --scale 0.03`: one coverage component) is
# cut into tiles: the same checks, and the log names them
"$R5G" synth --preset city --scale 0.03 -o "$TMP/c" > /dev/null 2> "$TMP/synth.err" ||
    { fail "synth city: $(cat "$TMP/synth.err")"; finish; exit 1; }
sed -e '/^solver:/,$d' "$TMP/c/scenario.yaml" > "$TMP/cbase.yaml"
for n in 1 2; do
    { cat "$TMP/cbase.yaml"; printf 'solver:\n  time_limit_s: 600\n  mip_gap: 0.005\n  decompose: on\n  workers: %s\n' "$n"; } > "$TMP/c/on$n.yaml"
done
{ cat "$TMP/cbase.yaml"; printf 'solver:\n  time_limit_s: 600\n  mip_gap: 0.005\n  decompose: off\n'; } > "$TMP/c/off.yaml"
for n in on1 on2 off; do
    if "$R5G" plan "$TMP/c/$n.yaml" -o "$TMP/c_$n.gpkg" > "$TMP/c_$n.out" 2> "$TMP/c_$n.err"; then
        pass "plan (city, $n)"
    else
        fail "plan (city, $n) exited $?: $(cat "$TMP/c_$n.err")"; finish; exit 1
    fi
done
if "$PYGDAL" "$TMP/check.py" "$TMP/c_on1.gpkg" "$TMP/c_on2.gpkg" "$TMP/c_off.gpkg" "$TMP/c/on1.yaml" > "$TMP/chk" 2>&1; then
    pass "city in tiles: $(cat "$TMP/chk")"
else
    fail "city in tiles: $(cat "$TMP/chk")"
fi
grep -q "decomposition: [0-9]* tiles solved apart" "$TMP/c_on1.err" && pass "the log names the tiles" ||
    fail "no 'decomposition: N tiles solved apart' line in: $(cat "$TMP/c_on1.err")"
if "$R5G" verify "$TMP/c_on1.gpkg" -q > "$TMP/verify" 2>&1; then
    pass "verify passes on the tiled plan"
else
    fail "verify (tiles): $(cat "$TMP/verify")"
fi

# user errors: one line naming file:line and the key, non-zero exit, no output
bad() { # bad KEY VALUE EXPECTED
    { cat "$TMP/base.yaml"; printf 'solver:\n  %s: %s\n' "$1" "$2"; } > "$TMP/p/bad.yaml"
    if "$R5G" plan "$TMP/p/bad.yaml" -o "$TMP/bad.gpkg" > /dev/null 2> "$TMP/bad.err"; then
        fail "solver.$1: $2 accepted"
    elif [ "$(wc -l < "$TMP/bad.err")" -eq 1 ] && grep -q "bad.yaml:[0-9]*.*solver.$1.*$3" "$TMP/bad.err" &&
        [ ! -e "$TMP/bad.gpkg" ]; then
        pass "solver.$1: $2: $(cat "$TMP/bad.err")"
    else
        fail "solver.$1: $2: expected one line naming bad.yaml:LINE, solver.$1 and '$3', got: $(cat "$TMP/bad.err")"
    fi
}
bad workers 0 "out of range"
bad workers 2.5 "expected an integer"
bad decompose maybe "maybe"
finish
