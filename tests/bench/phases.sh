#!/bin/sh
# Per-phase benchmark (make bench; BENCH_ONLY=phases): synthetic scenarios of
# growing size are planned with -v, and the time and memory of every phase
# (read, pairs, model, bound, search, kpi, write: plan_meta 'phases', the
# write phase from the -v line, which includes the commit) are printed
# against the size, with the growth factor from one size to the next, so a
# phase that grows faster than the scenario shows. Numbers only; nothing
# here fails on time.
#
# Environment: R5G (the binary);
#   BENCH_PHASES_SIZES  space-separated PRESET[:SCALE] (synth --preset, --scale);
#                       default "province:0.01 province:0.03 province:0.1 province:0.3",
#                       BENCH_PROVINCE=1 adds province:0.6 and province (100k x 1M x 8)
#   BENCH_PHASES_GAP    mip_gap of every run (default 0.05: only the phases
#                       around the solver matter here; "scenario" keeps the preset's)
#   BENCH_PHASES_TIME_LIMIT  time_limit_s (default 300; "scenario" keeps it)
#   BENCH_PHASES_FORMAT output format (default the scenario's, GPKG)
#   BENCH_PHASES_KEEP   a folder to keep the scenarios, plans and logs in
set -u
: "${R5G:?set R5G to the rollout5g binary}"
SIZES=${BENCH_PHASES_SIZES:-province:0.01 province:0.03 province:0.1 province:0.3}
[ "${BENCH_PROVINCE:-0}" = 1 ] && SIZES="$SIZES province:0.6 province"
GAP=${BENCH_PHASES_GAP:-0.05}
TL=${BENCH_PHASES_TIME_LIMIT:-300}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if [ -n "${BENCH_PHASES_KEEP:-}" ]; then
    W=$BENCH_PHASES_KEEP
    mkdir -p "$W" || exit 1
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/r5g-phases.XXXXXX") || exit 1
    trap 'rm -rf "$W"' EXIT INT TERM
fi

echo "== phases against size: mip_gap $GAP, time limit $TL s; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
runs=""
for size in $SIZES; do
    preset=${size%%:*}
    scale=1
    case $size in *:*) scale=${size#*:} ;; esac
    d="$W/$preset-$scale"
    rm -rf "$d"
    if ! "$R5G" synth --preset "$preset" --seed 1 --scale "$scale" -o "$d" > /dev/null 2> "$d.synth.err"; then
        echo "$size: synth failed: $(cat "$d.synth.err")"
        continue
    fi
    [ "$GAP" = scenario ] || sed -i "s/^\( *mip_gap:\).*/\1 $GAP/" "$d/scenario.yaml"
    [ "$TL" = scenario ] || sed -i "s/^\( *time_limit_s:\).*/\1 $TL/" "$d/scenario.yaml"
    out="$d/plan.gpkg"
    [ -n "${BENCH_PHASES_FORMAT:-}" ] && out="$d/plan-$BENCH_PHASES_FORMAT"
    /usr/bin/time -f '%e %M' -o "$d.time" "$R5G" plan "$d/scenario.yaml" -v -o "$out" \
        ${BENCH_PHASES_FORMAT:+--format "$BENCH_PHASES_FORMAT"} --json "$d.json" > /dev/null 2> "$d.log"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
        echo "$size: plan exited $rc: $(grep -i error "$d.log" | head -n 2)"
        continue
    fi
    runs="$runs $size=$d"
done
# shellcheck disable=SC2086
"$PY" - $runs <<'PY'
import json, re, sys

PH = ["read", "pairs", "model", "bound", "search", "kpi", "write"]
rows = []
for arg in sys.argv[1:]:
    size, d = arg.split("=", 1)
    meta = json.load(open(d + ".json"))["plan_meta"]
    ph = meta["phases"] if isinstance(meta["phases"], dict) else json.loads(meta["phases"])
    # the whole write (with plan_meta, styles and the commit) is in the -v line
    for line in open(d + ".log", encoding="utf-8", errors="replace"):
        m = re.search(r"phase write: ([0-9.]+) s \(([0-9.]+) s CPU\), resident ([0-9.]+) MB, peak ([0-9.]+) MB", line)
        if m:
            ph["write"] = {"seconds": float(m.group(1)), "cpu_seconds": float(m.group(2)),
                           "rss_mb": float(m.group(3)), "peak_mb": float(m.group(4))}
    wall, peak_kb = open(d + ".time").read().split()[-2:]
    rows.append(dict(size=size, ns=int(meta["n_sites"]), nd=int(meta["n_demand"]), np=int(meta["n_pairs"]),
                     T=int(meta["n_periods"]), gap=float(meta["gap"]), status=meta["status"], ph=ph,
                     wall=float(wall), peak=int(peak_kb) / 1024.0))
if not rows:
    print("no run finished")
    sys.exit(0)

def sec(r, p, key="cpu_seconds"):
    return r["ph"].get(p, {}).get(key, float("nan"))

print("time per phase: CPU seconds (wall seconds)")
print("| size | sites x points x T | pairs | " + " | ".join(PH) + " | wall | write share (wall) |")
print("|---" * (len(PH) + 5) + "|")
for r in rows:
    cells = ["%.2f (%.2f)" % (sec(r, p), sec(r, p, "seconds")) for p in PH]
    share = sec(r, "write", "seconds") / r["wall"] if r["wall"] > 0 else float("nan")
    print("| %s | %d x %d x %d | %d | %s | %.1f | %.1f %% |" % (r["size"], r["ns"], r["nd"], r["T"], r["np"],
          " | ".join(cells), r["wall"], 100 * share))
print()
print("memory: resident MB at the end of each phase; the process peak (time -f %M)")
print("| size | " + " | ".join(PH) + " | peak |")
print("|---" * (len(PH) + 2) + "|")
for r in rows:
    print("| %s | %s | %.0f |" % (r["size"], " | ".join("%.0f" % r["ph"].get(p, {}).get("rss_mb", float("nan"))
                                                     for p in PH), r["peak"]))
if len(rows) > 1:
    print()
    print("growth from the size before: points, pairs, then each phase's CPU time and the peak memory")
    print("| size | points | pairs | " + " | ".join(PH) + " | peak |")
    print("|---" * (len(PH) + 4) + "|")
    for a, b in zip(rows, rows[1:]):
        def ratio(x, y):
            return "%.1fx" % (y / x) if x > 0.02 and y == y else "-"
        print("| %s | %.1fx | %.1fx | %s | %s |" % (b["size"], b["nd"] / a["nd"], b["np"] / a["np"],
              " | ".join(ratio(sec(a, p), sec(b, p)) for p in PH), ratio(a["peak"], b["peak"])))
    print("(- : under 0.02 s CPU, too small to time)")
for r in rows:
    print("%s: %s, gap %.3f %%" % (r["size"], r["status"], 100 * r["gap"]))
PY
