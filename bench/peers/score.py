#!/usr/bin/env python3
"""Independent scorer for run_peers.py results (standard library only).

Recomputes every result line's routes in double precision under the SINTEF convention
(shared/benchmarks/README.md §4): Euclidean arcs, travel time = distance, service starts
in [READY, DUE] (early arrival waits), capacity per route, return to the depot by its
due date, every customer exactly once. Then prints, per instance and per group (C1, C2,
R1, R2, RC1, RC2) and overall, how many results are feasible at the fleet (routes <=
best-known vehicles) and the mean distance gap to bks.csv over those.

  python score.py --instances DIR --bks DIR/bks.csv results.jsonl [more.jsonl ...]

When a (solver, instance, time limit) appears more than once, the last line counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_peers import read_bks, read_solomon  # noqa: E402  (parser has no solver imports)

EPS = 1e-9  # the README allows no looser tolerance on time windows
GROUPS = ("C1", "C2", "R1", "R2", "RC1", "RC2")


def group_of(name: str) -> str:
    m = re.match(r"(RC|R|C)(\d)", name.upper())
    return f"{m.group(1)}{m.group(2)}" if m else "?"


def check(inst, routes: list[list[int]], unassigned: list[int]) -> tuple[float, list[str]]:
    """Returns (total distance, list of violations); empty list means feasible."""
    row = {cid: k for k, cid in enumerate(inst.ids)}
    problems: list[str] = []
    seen: dict[int, int] = defaultdict(int)
    total = 0.0
    for rn, route in enumerate(routes, 1):
        load = 0
        t = float(inst.ready[0])
        prev = 0
        for cid in route:
            k = row.get(cid)
            if k is None or k == 0:
                problems.append(f"route {rn}: unknown customer id {cid}")
                prev = None
                break
            seen[cid] += 1
            d = inst.dist(prev, k)
            total += d
            start = max(t + d, float(inst.ready[k]))
            if start > inst.due[k] + EPS:
                problems.append(f"route {rn}: customer {cid} starts at {start:.6f} > due {inst.due[k]}")
            t = start + inst.service[k]
            load += inst.demand[k]
            prev = k
        if prev is None:
            continue
        if route:
            d = inst.dist(prev, 0)
            total += d
            if t + d > inst.due[0] + EPS:
                problems.append(f"route {rn}: back at depot {t + d:.6f} > due {inst.due[0]}")
        if load > inst.capacity:
            problems.append(f"route {rn}: load {load} > capacity {inst.capacity}")
    for cid in inst.ids[1:]:
        if seen[cid] == 0:
            problems.append(f"customer {cid} not served")
        elif seen[cid] > 1:
            problems.append(f"customer {cid} served {seen[cid]} times")
    if unassigned:
        problems.append(f"{len(unassigned)} reported unassigned")
    return total, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="+", type=Path)
    ap.add_argument("--instances", type=Path, required=True)
    ap.add_argument("--bks", type=Path, required=True)
    ap.add_argument("--time-limit", type=float, help="only score lines with this time limit")
    ap.add_argument("--quiet", action="store_true", help="group table only")
    args = ap.parse_args()

    bks = read_bks(args.bks)
    lines = {}
    for path in args.results:
        for n, ln in enumerate(path.read_text().splitlines(), 1):
            if not ln.strip():
                continue
            try:
                r = json.loads(ln)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: not JSON ({e})")
            if args.time_limit is not None and float(r["time_limit_s"]) != args.time_limit:
                continue
            lines[(r["solver"], r["instance"].upper(), r["time_limit_s"])] = r

    cache = {}
    scored = {}  # (solver, instance) -> dict
    for (solver, name, _tl), r in sorted(lines.items()):
        if name not in cache:
            p = args.instances / f"{name}.txt"
            if not p.exists():
                p = next((q for q in args.instances.glob("*.txt") if q.stem.upper() == name), p)
            cache[name] = read_solomon(p)
        inst = cache[name]
        if r.get("error"):
            dist, problems = float("nan"), [f"error: {r['error']}"]
        else:
            dist, problems = check(inst, r["routes"], r["unassigned"])
        bveh, bdist = bks[name]
        veh = len([x for x in r["routes"] if x])
        s = {"veh": veh, "dist": dist, "problems": problems, "wall": r.get("wall_s"),
             "reported": r.get("reported_cost"), "version": r.get("version"), "cpu": r.get("cpu_s")}
        s["ok"] = not problems and veh <= bveh
        s["gap"] = 100.0 * (dist - bdist) / bdist if s["ok"] else None
        if s["gap"] is not None and abs(s["gap"]) < 0.001:
            s["gap"] = 0.0  # bks.csv has 2 decimals: smaller gaps are rounding noise
        if s["ok"] and (veh < bveh or s["gap"] < -1e-3):
            s["claim"] = True  # would be a new best-known: check by hand
        if r.get("reported_cost") is not None and not problems and abs(r["reported_cost"] - dist) > 0.01 * veh + 1e-6:
            s["cost_mismatch"] = True
        scored[(solver, name)] = s

    solvers = sorted({k[0] for k in scored}, key=lambda s: ("pyvrp", "vroom", "vrpcli", "ortools").index(s)
                     if s in ("pyvrp", "vroom", "vrpcli", "ortools") else 9)
    names = sorted({k[1] for k in scored}, key=lambda n: (GROUPS.index(group_of(n)) if group_of(n) in GROUPS else 9, n))
    tls = sorted({k[2] for k in lines})
    vers = {s: next((v["version"] for (so, _), v in scored.items() if so == s), None) for s in solvers}
    print(f"time limit(s): {', '.join(str(t) for t in tls)} s; fleet = best-known vehicles; "
          + ", ".join(f"{s} {vers[s]}" for s in solvers))

    if not args.quiet:
        print()
        hdr = f"{'instance':10s} {'BKS':>12s} " + " ".join(f"{s:>22s}" for s in solvers)
        print(hdr)
        print("-" * len(hdr))
        for name in names:
            bveh, bdist = bks[name]
            cells = []
            for s in solvers:
                x = scored.get((s, name))
                if x is None:
                    cells.append(f"{'-':>22s}")
                elif x["ok"]:
                    mark = " !" if x.get("claim") else ""
                    cells.append(f"{x['veh']:>3d} {x['dist']:9.2f} {x['gap']:+6.2f}%{mark:2s}"[:22].rjust(22))
                elif x["problems"] and x["problems"][0].startswith("error"):
                    cells.append(f"{'error':>22s}")
                elif x["problems"]:
                    unserved = sum(1 for p in x["problems"] if "not served" in p)
                    txt = f"infeasible ({unserved} unserved)" if unserved else "infeasible"
                    cells.append(f"{txt:>22s}")
                else:
                    cells.append(f"{x['veh']:>3d} veh > {bveh} (+{x['veh'] - bveh})".rjust(22))
            print(f"{name:10s} {bveh:>3d} {bdist:8.2f} " + " ".join(cells))
        problems = [(s, n, x) for (s, n), x in scored.items() if x["problems"]]
        if problems:
            print("\nfirst violation per infeasible result:")
            for s, n, x in sorted(problems):
                print(f"  {s:8s} {n:8s} {x['problems'][0]}" + (f" (+{len(x['problems']) - 1} more)" if len(x["problems"]) > 1 else ""))
        mism = [(s, n) for (s, n), x in scored.items() if x.get("cost_mismatch")]
        if mism:
            print("\nreported cost differs from recomputed distance by > 0.01 per route:", mism)

    print()
    hdr = f"{'group':6s} {'n':>3s} " + " ".join(f"{s + ' feas':>13s} {'gap%':>6s}" for s in solvers)
    print(hdr)
    print("-" * len(hdr))
    for g in list(GROUPS) + ["all"]:
        gnames = [n for n in names if g == "all" or group_of(n) == g]
        if not gnames:
            continue
        cells = []
        for s in solvers:
            xs = [scored[(s, n)] for n in gnames if (s, n) in scored]
            ok = [x for x in xs if x["ok"]]
            gap = sum(x["gap"] for x in ok) / len(ok) if ok else None
            cells.append(f"{len(ok):>8d}/{len(xs):<4d} " + (f"{gap:6.2f}" if gap is not None else f"{'-':>6s}"))
        print(f"{g:6s} {len(gnames):>3d} " + " ".join(cells))

    # CPU below wall means the solver did not have a whole core (shared machine).
    print()
    for s in solvers:
        xs = [x for (so, _), x in scored.items() if so == s]
        walls = [x["wall"] for x in xs if x["wall"] is not None]
        cpus = [x["cpu"] for x in xs if x["cpu"] is not None]
        if walls:
            cpu_txt = f", mean CPU {sum(cpus) / len(cpus):.2f} s" if cpus else ""
            print(f"{s:8s} mean wall {sum(walls) / len(walls):.2f} s{cpu_txt} over {len(xs)} runs")


if __name__ == "__main__":
    main()
