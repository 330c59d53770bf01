#!/bin/sh
# The same inputs give the same plan on an idle and on a loaded machine:
# each preset (tiny, district; R5G_DETERMINISM_PRESETS adds district-xl,
# city) is planned once alone and once with two CPU-bound processes beside
# it, and every layer of the two plans must be equal field by field (the
# timings and the command line in plan_meta aside). The solver budgets its
# searches in work (iterations, nodes), so only the user's time limit may
# cut a search, and these presets finish well within theirs.
. "${top_srcdir:?}/tests/lib.sh"
[ -n "$PYGDAL" ] || skip_all "no python with GDAL bindings (Debian's python3-gdal)"
PRESETS=${R5G_DETERMINISM_PRESETS:-tiny district}

HOGS=""
hogs_start() {
    for _i in 1 2; do
        sh -c 'while :; do :; done' &
        HOGS="$HOGS $!"
    done
}
hogs_stop() {
    [ -n "$HOGS" ] && kill $HOGS 2>/dev/null
    wait 2>/dev/null
    HOGS=""
}
trap 'hogs_stop; rm -rf "$TMP"' EXIT INT TERM

# dump PLAN OUT: every layer as sorted CSV rows, volatile plan_meta rows dropped
dump() {
    "$PYGDAL" - "$1" "$2" <<'PY'
import json
import sys
from osgeo import ogr
skip = {"solve_seconds", "total_seconds", "phases", "command_line", "run_at_utc"}
ds = ogr.Open(sys.argv[1])
with open(sys.argv[2], "w") as out:
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        name = lyr.GetName()
        if name == "layer_styles":
            continue
        rows = []
        for f in lyr:
            d = f.items()
            if name == "plan_meta" and d.get("key") in skip:
                continue
            if name == "plan_meta" and d.get("key") == "settings":
                s = json.loads(d["value"])  # the same settings, written to another path
                s["output"].pop("path", None)
                d["value"] = json.dumps(s, sort_keys=True)
            g = f.GetGeometryRef()
            wkt = g.ExportToWkt() if g else ""
            rows.append(repr(sorted(d.items())) + " " + wkt)
        rows.sort()
        out.write("== %s %d\n" % (name, len(rows)))
        out.write("\n".join(rows) + "\n")
PY
}

for p in $PRESETS; do
    d="$TMP/$p"
    if ! "$R5G" synth --preset "$p" --seed 1 -o "$d" > /dev/null 2>"$TMP/err"; then
        fail "synth --preset $p: $(cat "$TMP/err")"
        continue
    fi
    "$R5G" plan "$d/scenario.yaml" -o "$d/idle.gpkg" -q > /dev/null 2>"$TMP/err"
    rc1=$?
    hogs_start
    "$R5G" plan "$d/scenario.yaml" -o "$d/loaded.gpkg" -q > /dev/null 2>"$TMP/err2"
    rc2=$?
    hogs_stop
    if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
        fail "$p: plan exits $rc1 idle, $rc2 loaded (a preset must finish within its time limit): $(cat "$TMP/err" "$TMP/err2")"
        continue
    fi
    dump "$d/idle.gpkg" "$d/idle.txt" && dump "$d/loaded.gpkg" "$d/loaded.txt"
    if cmp -s "$d/idle.txt" "$d/loaded.txt"; then
        pass "$p: the plan with two CPU hogs beside it equals the idle plan ($(grep -c . "$d/idle.txt") rows compared)"
    else
        fail "$p: the plans differ idle and loaded; first differences:"
        diff "$d/idle.txt" "$d/loaded.txt" | head -n 10 >&2
    fi
done
finish
