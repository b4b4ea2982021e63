#!/usr/bin/env python3
"""Run peer VRPTW solvers (PyVRP, OR-Tools, VROOM, vrp-cli) on Solomon-format instances.

Each (solver, instance) pair runs in its own subprocess with one thread, the given time
limit and a hard timeout; one JSON line per pair is appended to --out. Routes are written
as the instance file's CUST NO. ids (depot excluded); the Nabo benchmark and score.py
recompute everything in double precision from those routes, so the solvers' own costs
(`reported_cost`, converted back to instance units) are informational only.

Integer scaling: PyVRP, OR-Tools, VROOM and vrp-cli all take integer matrices (vrp-cli's
pragmatic format has i64 matrices and whole-second RFC 3339 times), so every time and
distance is multiplied by SCALE = 10_000. Distances are rounded; travel *durations* are
rounded up, so any route a solver thinks is on time is also on time in exact arithmetic
(the error is at most 1e-4 per arc, which only matters for schedules that are tight to
within ~1e-3, which the Solomon data's integer windows make very rare).

Usage (from the venv made by setup.sh):
  python run_peers.py --instances DIR --names R101,C101 (or all) --time-limit 10 \
      --fleet bks --bks DIR/bks.csv --solvers pyvrp,ortools,vroom,vrpcli --out results.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

SCALE = 10_000
RESULT_MARK = "@@RESULT "  # marks the worker's result line among solver log output
SOLVERS = ("pyvrp", "ortools", "vroom", "vrpcli")
PACKAGE = {"pyvrp": "pyvrp", "ortools": "ortools", "vroom": "pyvroom", "vrpcli": "vrp-cli"}
# Makes OR-Tools prefer serving a visit over any distance saving (total scaled distance
# of a 200-customer instance is < 1e9).
ORTOOLS_DROP_PENALTY = 10**11


# ---------------------------------------------------------------------------- instances


@dataclass
class Instance:
    name: str
    num_vehicles: int
    capacity: int
    ids: list[int]  # CUST NO. per row; row 0 is the depot
    x: list[float]
    y: list[float]
    demand: list[int]
    ready: list[int]
    due: list[int]
    service: list[int]

    @property
    def n(self) -> int:
        return len(self.ids)

    def dist(self, i: int, j: int) -> float:
        return math.hypot(self.x[i] - self.x[j], self.y[i] - self.y[j])


def read_solomon(path: Path) -> Instance:
    """Reads the classic Solomon text format (CRLF or LF; GH 200-customer files too)."""
    lines = [ln.strip() for ln in path.read_text().splitlines()]
    name = next((ln for ln in lines if ln), path.stem)
    vehicles = capacity = None
    rows: list[list[str]] = []
    section = None
    for lineno, ln in enumerate(lines, 1):
        up = ln.upper()
        if up.startswith("VEHICLE"):
            section = "vehicle"
            continue
        if up.startswith("CUSTOMER"):
            section = "customer"
            continue
        parts = ln.split()
        if not parts or not parts[0].lstrip("-").replace(".", "").isdigit():
            continue
        if section == "vehicle" and vehicles is None:
            if len(parts) != 2:
                raise ValueError(f"{path}:{lineno}: expected 'NUMBER CAPACITY', got {ln!r}")
            vehicles, capacity = int(parts[0]), int(parts[1])
        elif section == "customer":
            if len(parts) != 7:
                raise ValueError(f"{path}:{lineno}: expected 7 columns, got {len(parts)}: {ln!r}")
            rows.append(parts)
    if vehicles is None or not rows:
        raise ValueError(f"{path}: no VEHICLE or CUSTOMER section found")

    def num(s: str) -> int:
        v = float(s)
        if v != int(v):
            raise ValueError(f"{path}: non-integer value {s!r} where an integer was expected")
        return int(v)

    return Instance(
        name=name,
        num_vehicles=vehicles,
        capacity=capacity,
        ids=[num(r[0]) for r in rows],
        x=[float(r[1]) for r in rows],
        y=[float(r[2]) for r in rows],
        demand=[num(r[3]) for r in rows],
        ready=[num(r[4]) for r in rows],
        due=[num(r[5]) for r in rows],
        service=[num(r[6]) for r in rows],
    )


def scaled_matrices(inst: Instance) -> tuple[list[list[int]], list[list[int]]]:
    """(distance rounded, duration rounded up), both times SCALE."""
    dist = [[0] * inst.n for _ in range(inst.n)]
    dur = [[0] * inst.n for _ in range(inst.n)]
    for i in range(inst.n):
        for j in range(inst.n):
            if i != j:
                d = inst.dist(i, j) * SCALE
                dist[i][j] = round(d)
                dur[i][j] = math.ceil(d - 1e-9)  # integer distances stay exact
    return dist, dur


def read_bks(path: Path) -> dict[str, tuple[int, float]]:
    out = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            out[row["instance"].strip().upper()] = (int(row["vehicles"]), float(row["distance"]))
    return out


# ---------------------------------------------------------------------------- solvers
# Each returns (routes as row indices, unassigned row indices, reported cost in instance units).


def solve_pyvrp(inst: Instance, fleet: int, limit: float, seed: int):
    import numpy as np
    import pyvrp
    from pyvrp.stop import MaxRuntime

    dist, dur = scaled_matrices(inst)
    locations = [pyvrp.Location(x=inst.x[i], y=inst.y[i]) for i in range(inst.n)]
    depot = pyvrp.Depot(location=0, tw_early=inst.ready[0] * SCALE, tw_late=inst.due[0] * SCALE)
    clients = [
        pyvrp.Client(
            location=i,
            delivery=[inst.demand[i]],
            service_duration=inst.service[i] * SCALE,
            tw_early=inst.ready[i] * SCALE,
            tw_late=inst.due[i] * SCALE,
        )
        for i in range(1, inst.n)
    ]
    vt = pyvrp.VehicleType(
        num_available=fleet,
        capacity=[inst.capacity],
        tw_early=inst.ready[0] * SCALE,
        tw_late=inst.due[0] * SCALE,
    )
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=[depot],
        vehicle_types=[vt],
        distance_matrices=[np.array(dist, dtype=np.int64)],
        duration_matrices=[np.array(dur, dtype=np.int64)],
    )
    res = pyvrp.solve(data, stop=MaxRuntime(limit), seed=seed, collect_stats=False)
    best = res.best
    # A route iterates over scheduled activities (depots included); a client activity's
    # idx indexes the clients list, which starts at our row 1.
    routes = [[a.idx + 1 for a in r if a.is_client()] for r in best.routes()]
    routes = [r for r in routes if r]
    served = {c for r in routes for c in r}
    unassigned = [i for i in range(1, inst.n) if i not in served]
    return routes, unassigned, best.distance() / SCALE, {"feasible_by_solver": best.is_feasible()}


def solve_ortools(inst: Instance, fleet: int, limit: float, seed: int):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    dist, dur = scaled_matrices(inst)
    horizon = inst.due[0] * SCALE
    manager = pywrapcp.RoutingIndexManager(inst.n, fleet, 0)
    routing = pywrapcp.RoutingModel(manager)

    def dist_cb(a, b):
        return dist[manager.IndexToNode(a)][manager.IndexToNode(b)]

    def time_cb(a, b):
        i, j = manager.IndexToNode(a), manager.IndexToNode(b)
        return inst.service[i] * SCALE + dur[i][j]

    def demand_cb(a):
        return inst.demand[manager.IndexToNode(a)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(dist_cb))
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "Time")
    tdim = routing.GetDimensionOrDie("Time")
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb), 0, [inst.capacity] * fleet, True, "Load"
    )
    for i in range(1, inst.n):
        idx = manager.NodeToIndex(i)
        tdim.CumulVar(idx).SetRange(inst.ready[i] * SCALE, inst.due[i] * SCALE)
        # Without this OR-Tools finds no first solution at the best-known fleet.
        routing.AddDisjunction([idx], ORTOOLS_DROP_PENALTY)
    for v in range(fleet):
        tdim.CumulVar(routing.Start(v)).SetRange(inst.ready[0] * SCALE, horizon)
        tdim.CumulVar(routing.End(v)).SetRange(inst.ready[0] * SCALE, horizon)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(limit * 1000))
    sol = routing.SolveWithParameters(params)
    if sol is None:
        return [], list(range(1, inst.n)), None, {"status": int(routing.status())}
    routes = []
    for v in range(fleet):
        idx = routing.Start(v)
        route = []
        idx = sol.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            route.append(manager.IndexToNode(idx))
            idx = sol.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    served = {c for r in routes for c in r}
    unassigned = [i for i in range(1, inst.n) if i not in served]
    travel = sum(
        dist[a][b] for r in routes for a, b in zip([0] + r, r + [0])
    )
    return routes, unassigned, travel / SCALE, {"objective": sol.ObjectiveValue()}


def solve_vroom(inst: Instance, fleet: int, limit: float, seed: int):
    from datetime import timedelta

    import numpy as np
    import vroom

    dist, dur = scaled_matrices(inst)
    problem = vroom.Input()
    problem.set_durations_matrix("car", np.array(dur, dtype=np.uint32))
    # VROOM optimises cost; cost = distance (rounded), durations only drive time windows.
    problem.set_costs_matrix("car", np.array(dist, dtype=np.uint32))
    problem.set_distances_matrix("car", np.array(dist, dtype=np.uint32))
    tw0 = vroom.TimeWindow(inst.ready[0] * SCALE, inst.due[0] * SCALE)
    for v in range(fleet):
        problem.add_vehicle(
            vroom.Vehicle(v + 1, start=0, end=0, capacity=[inst.capacity], time_window=tw0)
        )
    for i in range(1, inst.n):
        problem.add_job(
            vroom.Job(
                i,
                location=i,
                default_service=inst.service[i] * SCALE,
                delivery=[inst.demand[i]],
                time_windows=[vroom.TimeWindow(inst.ready[i] * SCALE, inst.due[i] * SCALE)],
            )
        )
    sol = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=limit))
    df = sol.routes
    routes = []
    for _vid, grp in df.groupby("vehicle_id", sort=True):
        jobs = [int(j) for t, j in zip(grp["type"], grp["id"]) if t == "job"]
        if jobs:
            routes.append(jobs)
    served = {c for r in routes for c in r}
    unassigned = [i for i in range(1, inst.n) if i not in served]
    return routes, unassigned, sol.summary.cost / SCALE, {}


def solve_vrpcli(inst: Instance, fleet: int, limit: float, seed: int):
    import datetime as dt

    import vrp_cli

    dist, dur = scaled_matrices(inst)
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

    def ts(t: int) -> str:
        # Solomon time unit t -> t*SCALE seconds after an arbitrary epoch.
        return (epoch + dt.timedelta(seconds=t * SCALE)).strftime("%Y-%m-%dT%H:%M:%SZ")

    jobs = [
        {
            "id": str(i),
            "deliveries": [
                {
                    "places": [
                        {
                            "location": {"index": i},
                            "duration": inst.service[i] * SCALE,
                            "times": [[ts(inst.ready[i]), ts(inst.due[i])]],
                        }
                    ],
                    "demand": [inst.demand[i]],
                }
            ],
        }
        for i in range(1, inst.n)
    ]
    problem = {
        "plan": {"jobs": jobs},
        "fleet": {
            "vehicles": [
                {
                    "typeId": "vehicle",
                    "vehicleIds": [f"v{k}" for k in range(1, fleet + 1)],
                    "profile": {"matrix": "car"},
                    "costs": {"fixed": 0.0, "distance": 1.0, "time": 0.0},
                    "shifts": [
                        {
                            "start": {"earliest": ts(inst.ready[0]), "location": {"index": 0}},
                            "end": {"latest": ts(inst.due[0]), "location": {"index": 0}},
                        }
                    ],
                    "capacity": [inst.capacity],
                }
            ],
            "profiles": [{"name": "car"}],
        },
    }
    matrix = {
        "profile": "car",
        "travelTimes": [v for row in dur for v in row],
        "distances": [v for row in dist for v in row],
    }
    config = {
        # maxTime is whole seconds in vrp-cli's config.
        "termination": {"maxTime": max(1, round(limit)), "maxGenerations": 10**9},
        "environment": {"parallelism": {"numThreadPools": 1, "threadsPerPool": 1}},
    }
    out = vrp_cli.solve_pragmatic(json.dumps(problem), [json.dumps(matrix)], json.dumps(config))
    sol = json.loads(out)
    routes = []
    for tour in sol.get("tours", []):
        r = [
            int(a["jobId"])
            for stop in tour["stops"]
            for a in stop["activities"]
            if a["type"] not in ("departure", "arrival")
        ]
        if r:
            routes.append(r)
    served = {c for r in routes for c in r}
    unassigned = [i for i in range(1, inst.n) if i not in served]
    return routes, unassigned, sol["statistic"]["distance"] / SCALE, {}


SOLVE = {
    "pyvrp": solve_pyvrp,
    "ortools": solve_ortools,
    "vroom": solve_vroom,
    "vrpcli": solve_vrpcli,
}


def worker(args) -> None:
    """Runs one solver on one instance and prints one JSON object on the last line of stdout."""
    inst = read_solomon(Path(args.instance_file))
    t0, c0 = time.perf_counter(), time.process_time()
    routes, unassigned, cost, extra = SOLVE[args.worker](inst, args.fleet_n, args.time_limit, args.seed)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ids = inst.ids
    print(
        RESULT_MARK + json.dumps(
            {
                "routes": [[ids[c] for c in r] for r in routes],
                "unassigned": [ids[c] for c in unassigned],
                "wall_s": round(wall, 3),
                # CPU seconds of this process: below wall_s when the machine is shared.
                "cpu_s": round(cpu, 3),
                "reported_cost": cost,
                "extra": extra,
            }
        ),
        flush=True,
    )


# ---------------------------------------------------------------------------- driver


def pkg_version(solver: str) -> str | None:
    try:
        return version(PACKAGE[solver])
    except PackageNotFoundError:
        return None


def instance_files(directory: Path, names: str) -> list[Path]:
    files = {p.stem.upper(): p for p in directory.glob("*.txt")}
    if names.strip().lower() == "all":
        return [files[k] for k in sorted(files)]
    out = []
    for n in names.split(","):
        key = n.strip().upper()
        if key not in files:
            sys.exit(f"error: instance {n!r} not found in {directory} (expected {n}.txt)")
        out.append(files[key])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", type=Path, help="folder with Solomon-format .txt files")
    ap.add_argument("--names", default="all", help="comma-separated instance names, or 'all'")
    ap.add_argument("--time-limit", type=float, default=10.0, help="seconds per solver and instance")
    ap.add_argument("--fleet", default="bks", help="'bks' (vehicles from --bks), 'file' (VEHICLE NUMBER) or a number")
    ap.add_argument("--bks", type=Path, help="bks.csv (instance,vehicles,distance,source)")
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="JSON lines file to append to")
    ap.add_argument("--skip-existing", action="store_true", help="skip (solver, instance, time limit, fleet) already in --out")
    # internal: run a single solver in this process
    ap.add_argument("--worker", choices=SOLVERS, help=argparse.SUPPRESS)
    ap.add_argument("--instance-file", help=argparse.SUPPRESS)
    ap.add_argument("--fleet-n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        worker(args)
        return
    if not args.instances or not args.out:
        ap.error("--instances and --out are required")
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    for s in solvers:
        if s not in SOLVERS:
            ap.error(f"unknown solver {s!r}; choose from {', '.join(SOLVERS)}")
    bks = read_bks(args.bks) if args.bks else {}
    if args.fleet == "bks" and not args.bks:
        ap.error("--fleet bks needs --bks FILE")

    done = set()
    if args.skip_existing and args.out.exists():
        for ln in args.out.read_text().splitlines():
            if ln.strip():
                r = json.loads(ln)
                done.add((r["solver"], r["instance"], r["time_limit_s"], r["fleet"]))

    env = dict(os.environ)
    # One thread for every library, whatever it would pick by itself.
    for var in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    hard_timeout = 2 * args.time_limit + 60

    args.out.parent.mkdir(parents=True, exist_ok=True)
    for path in instance_files(args.instances, args.names):
        inst = read_solomon(path)
        name = path.stem.upper()
        if args.fleet == "bks":
            if name not in bks:
                sys.exit(f"error: {name} missing from {args.bks}")
            fleet = bks[name][0]
        elif args.fleet == "file":
            fleet = inst.num_vehicles
        else:
            fleet = int(args.fleet)
        for solver in solvers:
            tl = int(args.time_limit) if args.time_limit == int(args.time_limit) else args.time_limit
            if (solver, name, tl, fleet) in done:
                continue
            rec = {
                "solver": solver,
                "version": pkg_version(solver),
                "instance": name,
                "time_limit_s": tl,
                "fleet": fleet,
                "seed": args.seed,
                "scale": SCALE,
                "routes": [],
                "unassigned": [],
                "wall_s": None,
                "cpu_s": None,
                "reported_cost": None,
                "error": None,
            }
            cmd = [
                sys.executable, os.path.abspath(__file__), "--worker", solver,
                "--instance-file", str(path), "--fleet-n", str(fleet),
                "--time-limit", str(args.time_limit), "--seed", str(args.seed),
            ]
            t0 = time.perf_counter()
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=hard_timeout, env=env)
                lines = [ln[len(RESULT_MARK):] for ln in p.stdout.splitlines() if ln.startswith(RESULT_MARK)]
                if p.returncode != 0 or not lines:
                    tail = (p.stderr or p.stdout).strip().splitlines()[-5:]
                    rec["error"] = f"exit {p.returncode}: " + " | ".join(tail)
                else:
                    res = json.loads(lines[-1])
                    rec.update({k: res[k] for k in ("routes", "unassigned", "wall_s", "cpu_s", "reported_cost")})
                    if res.get("extra"):
                        rec["extra"] = res["extra"]
            except subprocess.TimeoutExpired:
                rec["error"] = f"hard timeout after {hard_timeout:.0f} s"
            if rec["wall_s"] is None:
                rec["wall_s"] = round(time.perf_counter() - t0, 3)
            with args.out.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            status = rec["error"] or f"{len(rec['routes'])} routes, {len(rec['unassigned'])} unassigned"
            print(f"{name:8s} {solver:8s} {rec['wall_s']:7.2f}s  {status}", flush=True)


if __name__ == "__main__":
    main()
