#!/bin/sh
# Two runs to the same new output at the same moment: exactly one exits 0,
# the other exits 1 with "...: appeared while this run was writing; not
# replaced (use --overwrite)" and removes its temporary; the output is a
# complete, valid plan every round (20 rounds GeoPackage, 5 a GeoJSON folder).
# With --overwrite both exit 0 and one complete plan is left. Without it an
# existing output still fails at the start, before solving.
# R5G_TEST_PAUSE_AT=solve:0.3 holds both runs after their start-up checks so
# that both really pass them before either writes (tiny solves in 0.1 s).
. "${top_srcdir}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python3 with GDAL bindings"
"$R5G" synth --preset tiny --seed 1 -o "$TMP/t" > /dev/null 2>&1 || { fail "synth tiny"; finish; exit 1; }
S="$TMP/t/scenario.yaml"
mkdir "$TMP/r"

# race NAME FORMAT PAUSE [--overwrite]: two runs at once; sets rc1 rc2
race() {
    R5G_TEST_PAUSE_AT=$3 "$R5G" plan "$S" -q --format "$2" -o "$TMP/r/$1" ${4:-} > /dev/null 2> "$TMP/e1" &
    p1=$!
    R5G_TEST_PAUSE_AT=$3 "$R5G" plan "$S" -q --format "$2" -o "$TMP/r/$1" ${4:-} > /dev/null 2> "$TMP/e2" &
    p2=$!
    wait $p1; rc1=$?
    wait $p2; rc2=$?
}

# one_won NAME: one exit 0, the other 1 with the line and nothing else wrong
one_won() {
    if [ $rc1 -eq 0 ] && [ $rc2 -eq 1 ]; then loser=$TMP/e2
    elif [ $rc1 -eq 1 ] && [ $rc2 -eq 0 ]; then loser=$TMP/e1
    else
        fail "$1: exits $rc1 and $rc2, want 0 and 1: $(cat "$TMP/e1" "$TMP/e2")"
        return 1
    fi
    errors=$(grep -c "error:" "$loser")
    if [ "$errors" -eq 1 ] && grep -q "^rollout5g: error: $TMP/r/$1: appeared while this run was writing; not replaced (use --overwrite)$" "$loser"; then
        return 0
    fi
    fail "$1: the loser says: $(cat "$loser")"
    return 1
}

won=0
i=1
while [ $i -le 20 ]; do
    race "plan_$i.gpkg" GPKG solve:0.3
    one_won "plan_$i.gpkg" && won=$((won + 1))
    i=$((i + 1))
done
[ $won -eq 20 ] && pass "GPKG: 20 of 20 rounds: one run exits 0, the other 1 with the line" || fail "GPKG: only $won of 20 rounds as expected"

won=0
for i in 1 2 3 4 5; do
    race "folder_$i" GeoJSON solve:0.3
    one_won "folder_$i" && won=$((won + 1))
done
[ $won -eq 5 ] && pass "GeoJSON folder: 5 of 5 rounds: one run exits 0, the other 1 with the line" || fail "GeoJSON: only $won of 5 rounds"

# --overwrite: both replace, both exit 0, one complete plan; held at the
# commit so that the renames meet (over an earlier plan, and into a new name)
cp "$TMP/r/plan_1.gpkg" "$TMP/r/over.gpkg"
cp -r "$TMP/r/folder_1" "$TMP/r/over_folder"
ok=0
for i in 1 2 3; do
    for target in "over.gpkg GPKG" "over_folder GeoJSON" "new_$i.gpkg GPKG" "new_folder_$i GeoJSON"; do
        set -- $target
        race "$1" "$2" commit:0.2 --overwrite
        if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]; then ok=$((ok + 1)); else fail "--overwrite $1: exits $rc1 $rc2: $(cat "$TMP/e1" "$TMP/e2")"; fi
    done
done
[ $ok -eq 12 ] && pass "--overwrite: 12 of 12 concurrent pairs both exit 0" || fail "--overwrite: $ok of 12"

# every output is a complete plan: the layers, every input feature once,
# plan_meta, SQLite's integrity check; no temporary or lock left anywhere
"$PYGDAL" - "$TMP/t" "$TMP/r" > "$TMP/check" 2>&1 <<'PY'
import os, sqlite3, sys
from osgeo import ogr
sc, out = sys.argv[1], sys.argv[2]
def count(path, **kw):
    ds = ogr.Open(path)
    return ds.GetLayer(0).GetFeatureCount()
n_sites = count(os.path.join(sc, "candidates.csv")) + count(os.path.join(sc, "existing.geojson"))
n_demand = count(os.path.join(sc, "demand.geojson"))
want = {"sites", "demand", "coverage", "coverage_by_period", "region_kpi", "period_kpi", "sector_kpi", "plan_meta"}
bad = []
names = sorted(os.listdir(out))
for name in names:
    p = os.path.join(out, name)
    if ".tmp-" in name:
        bad.append("left: " + name)
        continue
    if os.path.isdir(p):
        files = set(os.listdir(p))
        layers = {f[:-8] for f in files if f.endswith(".geojson")}
        if layers != want:
            bad.append("%s: layers %s" % (name, sorted(layers)))
            continue
        ds = {l: ogr.Open(os.path.join(p, l + ".geojson")) for l in ("sites", "demand", "plan_meta")}
    else:
        if sqlite3.connect(p).execute("pragma integrity_check").fetchone()[0] != "ok":
            bad.append(name + ": integrity_check fails")
        d = ogr.Open(p)
        layers = {d.GetLayer(k).GetName() for k in range(d.GetLayerCount())} - {"layer_styles"}
        if layers != want:
            bad.append("%s: layers %s" % (name, sorted(layers)))
            continue
        ds = {l: d for l in ("sites", "demand", "plan_meta")}
    ns = ds["sites"].GetLayerByName("sites").GetFeatureCount()
    nd = ds["demand"].GetLayerByName("demand").GetFeatureCount()
    meta = {f["key"]: f["value"] for f in ds["plan_meta"].GetLayerByName("plan_meta")}
    if ns != n_sites or nd != n_demand or meta.get("status") != "optimal":
        bad.append("%s: %d sites (want %d), %d demand (want %d), status %s" % (name, ns, n_sites, nd, n_demand, meta.get("status")))
print("%d outputs checked: %d sites, %d demand points each" % (len(names), n_sites, n_demand))
for b in bad:
    print("BAD " + b)
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] && pass "every output is a complete valid plan, no temporaries: $(tail -n 1 "$TMP/check")" || fail "$(cat "$TMP/check")"

# the early check stays: an existing output without --overwrite fails at the start
"$R5G" plan "$S" -o "$TMP/r/plan_1.gpkg" > /dev/null 2> "$TMP/e"
rc=$?
[ $rc -eq 1 ] && grep -q "plan_1.gpkg exists: use --overwrite" "$TMP/e" && ! grep -q "solving:" "$TMP/e" &&
    pass "an existing output fails before solving" || fail "early check: exit $rc: $(cat "$TMP/e")"
finish
