#!/usr/bin/python3
"""Independent checks of `rollout5g batch` output for the e2e tests.

Reads the jobs table with GDAL (osgeo.ogr) and the manifest with Python's
sqlite3, and recomputes what the batch claims from first principles: the
Pareto flags by brute-force dominance, the frontier marginals from the
table's own columns, and each job's KPIs from the layers of a standalone
`rollout5g plan` of the same scenario with the same overrides.

Every subcommand prints what it found and exits 1 on a mismatch.
"""
import json
import math
import re
import sqlite3
import sys

from osgeo import ogr

ogr.UseExceptions()

TIMINGS = {"seconds", "solve_seconds"}
DEFAULT_CRITERIA = [("total_capex", "min"), ("covered_weight", "max"),
                    ("whitelist_on_time_share", "max"), ("idle_site_periods", "min")]


def table(path, layer):
    ds = ogr.Open(path)
    if ds is None:
        sys.exit("cannot open %s" % path)
    lyr = ds.GetLayerByName(layer)
    if lyr is None:
        sys.exit("%s: no layer %s" % (path, layer))
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = []
    for f in lyr:
        rows.append({n: (f.GetField(n) if f.IsFieldSetAndNotNull(n) else None) for n in names})
    return names, rows


def jobs(path):
    return table(path, "jobs")


def close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def cmd_compare(a, b):
    """The jobs tables of two runs agree field by field, timings aside."""
    na, ra = jobs(a)
    nb, rb = jobs(b)
    bad = 0
    if na != nb:
        print("columns differ:\n  %s\n  %s" % (na, nb))
        return 1
    da = {r["job_id"]: r for r in ra}
    db = {r["job_id"]: r for r in rb}
    if sorted(da) != sorted(db):
        print("job ids differ: %s vs %s" % (sorted(set(da) ^ set(db)), ""))
        return 1
    for jid in sorted(da):
        for n in na:
            if n in TIMINGS:
                continue
            if da[jid][n] != db[jid][n]:  # exact: the same plan gives the same doubles
                print("%s: %s = %r in %s, %r in %s" % (jid, n, da[jid][n], a, db[jid][n], b))
                bad += 1
    print("%d jobs, %d columns compared (timings aside): %d differences" % (len(da), len(na) - 2, bad))
    return 1 if bad else 0


def dominates(p, q, crit):
    better = False
    for k, d in crit:
        a, b = p[k], q[k]
        # an unknown value is worse than any number
        if a is None and b is None:
            continue
        if a is None:
            return False
        if b is None:
            better = True
            continue
        if d == "max":
            a, b = -a, -b
        if a > b:
            return False
        if a < b:
            better = True
    return better


def cmd_pareto(path, crit_text=None):
    """The pareto column equals a brute-force dominance check."""
    crit = DEFAULT_CRITERIA
    if crit_text:
        crit = [tuple(c.split(":")) for c in crit_text.split(",")]
    _, rows = jobs(path)
    planned = [r for r in rows if r["status"] in ("done", "time_limit")]
    bad = 0
    n_front = 0
    for r in rows:
        want = 0
        if r in planned:
            want = 0 if any(dominates(q, r, crit) for q in planned
                            if q is not r and q["scenario"] == r["scenario"]) else 1
        n_front += want
        if r["pareto"] != want:
            print("%s: pareto %s, brute force says %d" % (r["job_id"], r["pareto"], want))
            bad += 1
    print("%d jobs, %d on the frontier by brute force, %d mismatches" % (len(rows), n_front, bad))
    if n_front == 0 or n_front == len(planned) and len(planned) > 3:
        print("warning: a degenerate frontier (%d of %d)" % (n_front, len(planned)))
    return 1 if bad else 0


def cmd_marginal(path, axis, cov="covered_weight"):
    """marginal_per_million = (cov - cov of the next lower budget) / (budget step in millions)."""
    names, rows = jobs(path)
    others = [n for n in names if n not in (axis,) and n.startswith(("budget.", "ahead_of_demand.", "radio.", "sectors."))]
    bad = 0
    n = 0
    for r in rows:
        same = [q for q in rows if q["scenario"] == r["scenario"] and all(q[o] == r[o] for o in others)
                and q["status"] in ("done", "time_limit") and q["total_budget"] < r["total_budget"]]
        want = None
        if same and r["status"] in ("done", "time_limit"):
            q = max(same, key=lambda x: x["total_budget"])
            want = (r[cov] - q[cov]) / ((r["total_budget"] - q["total_budget"]) / 1e6)
        n += want is not None
        if not close(r["marginal_per_million"], want, 1e-9):
            print("%s: marginal %r, expected %r" % (r["job_id"], r["marginal_per_million"], want))
            bad += 1
    print("%d marginals checked, %d mismatches" % (n, bad))
    return 1 if bad or n == 0 else 0


def cmd_attempts(manifest, max_extra):
    max_extra = int(max_extra)
    """Each job finished exactly once; at most max_extra attempts were cut short."""
    db = sqlite3.connect(manifest)
    bad = 0
    total_extra = 0
    for jid, status in db.execute("SELECT job_id, status FROM jobs WHERE idx >= 0"):
        outcomes = [o for (o,) in db.execute("SELECT outcome FROM attempts WHERE job_id=? ORDER BY attempt", (jid,))]
        finished = [o for o in outcomes if o in ("done", "time_limit", "failed", "infeasible")]
        extra = [o for o in outcomes if o not in ("done", "time_limit", "failed", "infeasible")]
        total_extra += len(extra)
        if len(finished) != 1 or status != "done":
            print("%s: status %s, attempts %s" % (jid, status, outcomes))
            bad += 1
        if any(o not in ("lost", "interrupted") for o in extra):
            print("%s: unexpected attempt outcomes %s" % (jid, outcomes))
            bad += 1
    print("every job finished once: %s; %d attempts cut short (at most %d allowed)" % (bad == 0, total_extra, max_extra))
    return 1 if bad or total_extra > int(max_extra) else 0


def scale_scenario(src, dst, sets):
    """The scenario with the overrides written in as text (no YAML library):
    budget.scale multiplies the capex list; other keys replace their line."""
    text = open(src).read()
    for kv in sets:
        key, val = kv.split("=", 1)
        if key == "budget.scale":
            m = re.search(r"^(  capex: )\[([^\]]*)\]", text, re.M)
            vals = [float(v) * float(val) for v in m.group(2).split(",")]
            text = text[:m.start()] + m.group(1) + "[" + ", ".join(repr(v) for v in vals) + "]" + text[m.end():]
            continue
        last = key.split(".")[-1]
        pat = re.compile(r"^(\s*%s:\s*)([^#\n]*)" % re.escape(last), re.M)
        if not pat.search(text):
            sys.exit("no line for %s in %s" % (key, src))
        text = pat.sub(lambda m: m.group(1) + val + " ", text, count=1)
    # the inputs stay where they are
    open(dst, "w").write(text)
    return 0


def plan_kpis(plan):
    """The batch's KPI columns recomputed from a plan's layers."""
    _, pk = table(plan, "period_kpi")
    _, meta = table(plan, "plan_meta")
    _, sites = table(plan, "sites")
    _, dem = table(plan, "demand")
    meta = {m["key"]: m["value"] for m in meta}
    pk.sort(key=lambda r: r["period_index"])
    last = pk[-1]
    T = len(pk)
    white = [d for d in dem if d["whitelist"] == 1]
    ww = sum(d["effective_weight"] for d in white)
    first = {}
    for d in dem:
        s = d["serving_site_id"]
        if s is not None:
            first[s] = min(first.get(s, T + 1), d["demand_index"])
    idle = 0
    built = 0
    for s in sites:
        if s["status"] != "built":
            continue
        built += 1
        idle += max(0, first.get(s["site_id"], T + 1) - s["build_index"])
    return {
        "objective": float(meta["objective"]),
        "total_capex": sum(r["capex"] for r in pk),
        "total_budget": sum(r["budget"] for r in pk),
        "covered_share": last["covered_share"],
        "on_time_share": last["on_time_share"],
        "covered_weight": last["covered_share"] * last["demand_weight"],
        "whitelist_on_time_share": sum(d["effective_weight"] for d in white if d["on_time"] == 1) / ww if ww else None,
        "idle_site_periods": idle,
        "sites_built": built,
    }


def cmd_standalone(results, job_id, job_plan, plan):
    """A job's row and plan equal a standalone plan of the same overridden scenario."""
    _, rows = jobs(results)
    row = [r for r in rows if r["job_id"] == job_id]
    if not row:
        print("no job %s in %s" % (job_id, results))
        return 1
    row = row[0]
    bad = 0
    want = plan_kpis(plan)
    for k, v in want.items():
        if not close(row[k], v, 1e-9):
            print("%s: %s = %r in the jobs table, %r from the standalone plan" % (job_id, k, row[k], v))
            bad += 1
    cols, a = table(job_plan, "period_kpi")
    _, b = table(plan, "period_kpi")
    for ra, rb in zip(sorted(a, key=lambda r: r["period_index"]), sorted(b, key=lambda r: r["period_index"])):
        for c in cols:
            if ra[c] != rb[c]:
                print("%s: period_kpi %s period %s: %r in the job's plan, %r standalone" % (job_id, c, ra["period"], ra[c], rb[c]))
                bad += 1
    if len(a) != len(b):
        print("%s: %d periods vs %d" % (job_id, len(a), len(b)))
        bad += 1
    print("%s: %d KPIs and %d period rows compared with a standalone plan: %d differences" % (job_id, len(want), len(a), bad))
    return 1 if bad else 0


def cmd_row(results, job_id, field):
    _, rows = jobs(results)
    for r in rows:
        if r["job_id"] == job_id:
            print(r[field])
            return 0
    return 1


def cmd_meta(plan, key):
    _, meta = table(plan, "plan_meta")
    for m in meta:
        if m["key"] == key:
            print(m["value"])
            return 0
    return 1


def cmd_same_files(results, csv_path, json_path):
    """results.csv and results.json hold the jobs table."""
    names, rows = jobs(results)
    import csv
    with open(csv_path) as f:
        crow = list(csv.DictReader(f))
    doc = json.load(open(json_path))
    bad = 0
    if [r["job_id"] for r in crow] != [r["job_id"] for r in rows] or [j["job_id"] for j in doc["jobs"]] != [r["job_id"] for r in rows]:
        print("job order differs between results.gpkg, results.csv and results.json")
        return 1
    for r, c, j in zip(rows, crow, doc["jobs"]):
        for k in ("status", "total_capex", "covered_weight", "pareto", "sites_built", "gap"):
            v = r[k]
            cv = c[k]
            jv = j[k]
            if isinstance(v, float):
                ok = close(float(cv), v, 1e-12) and close(jv, v, 1e-12)
            else:
                ok = str(v) == cv and jv == v
            if not ok:
                print("%s: %s: gpkg %r csv %r json %r" % (r["job_id"], k, v, cv, jv))
                bad += 1
    print("%d rows in gpkg, csv and json agree: %s" % (len(rows), bad == 0))
    return 1 if bad else 0


if __name__ == "__main__":
    cmds = {"compare": cmd_compare, "pareto": cmd_pareto, "marginal": cmd_marginal, "attempts": cmd_attempts,
            "override": lambda src, dst, *kv: scale_scenario(src, dst, kv), "standalone": cmd_standalone,
            "row": cmd_row, "meta": cmd_meta, "files": cmd_same_files}
    sys.exit(cmds[sys.argv[1]](*sys.argv[2:]))
