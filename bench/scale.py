"""Linear at any size: an offline scan of 1,000 and of 10,000 configurations in one run (issue 15).

    python -m bench.scale [--small 1000] [--large 10000] [--skip-cluster] [--keep]

Generates seeded ~1,500-line configurations (bench/genconfigs.py: every device with
secrets of its own) into a temporary folder under /tmp, removed at the end, and runs
each measurement in a fresh process (its own peak RSS, no warm caches from another):

* floor: read + decode + split + indentation tree of the same files, on one core;
* the engine's scan (every check, findings kept) in one process (``--jobs 1``), and with
  ``--jobs`` = every CPU (worker processes; the peak RSS is the scanning process's);
* the same scan through a two-worker ``distributed.LocalCluster`` (one thread each).

It prints seconds per config at both sizes and their ratio (target <= 1.25), peak RSS at
both sizes and their ratio (target < 1.5), the scan against the floor on one core
(target <= 3) and with --jobs (target < 1.5), and the cluster against one process.
Figures are wall times on this machine with its load average; printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.genconfigs import generate


def _hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(mode: str, folder: Path) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    import checks
    from scanner.configtree import ConfigTree
    from scanner.engine import ScanOptions, run_scan
    from scanner.hostsource import offline_tasks
    from scanner.parallel import DaskRunner, ProcessRunner, default_jobs
    from scanner.platforms import all_platforms
    from scanner.policy import Policy
    from scanner.snapshot import decode

    # Every mode loads its modules before the clock: the checks and the platforms (a scan
    # imported the platform modules on its first host, inside the clock, 0.15 s).
    checks.load_checks()
    all_platforms()
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    if mode == "floor":
        for path in sorted(folder.glob("*.cfg")):
            ConfigTree.parse(decode(path.read_bytes()))
    elif mode in ("one", "jobs"):
        jobs = 1 if mode == "one" else default_jobs()
        figures["jobs"] = jobs
        result = run_scan(offline_tasks(folder, None), ScanOptions(policy=Policy.default()), runner=ProcessRunner(jobs))
        figures["findings"] = len(result.findings)
    elif mode == "cluster":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            client.run(lambda: None)  # workers up before the clock starts
            started = time.perf_counter()
            runner = DaskRunner(client)
            result = run_scan(offline_tasks(folder, None), ScanOptions(policy=Policy.default()), runner=runner)
            figures["findings"] = len(result.findings)
            figures["seconds"] = time.perf_counter() - started
            figures["worker_peak_rss_kib"] = max(client.run(_hwm_kib).values())
    figures.setdefault("seconds", time.perf_counter() - started)
    figures["peak_rss_kib"] = _hwm_kib()
    return figures


def measure(mode: str, folder: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--child", mode, str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--skip-cluster", action="store_true", help="no Dask LocalCluster runs")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder instead of a temporary one")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]))))
        return

    from scanner.parallel import default_jobs

    root = args.keep or Path(tempfile.mkdtemp(prefix="netcomply-scale-", dir="/tmp"))
    modes = ["floor", "one", "jobs"] + ([] if args.skip_cluster else ["cluster"])
    runs: dict[int, dict[str, dict[str, Any]]] = {}
    try:
        for count in (args.small, args.large):
            folder = root / f"configs-{count}"
            if not (folder / ".complete").exists():
                generate(folder, count)
                (folder / ".complete").write_text("ok")
            lines = sum(p.read_bytes().count(b"\n") for p in folder.glob("*.cfg"))
            runs[count] = {mode: measure(mode, folder) for mode in modes}
            runs[count]["files"] = {"configs": count, "lines_per_config": round(lines / count)}
            print(f"{count} configs: " + json.dumps(runs[count]), file=sys.stderr, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)

    small, large = runs[args.small], runs[args.large]

    def per_config(run: dict[str, dict[str, Any]], mode: str, count: int) -> float:
        return run[mode]["seconds"] / count

    figures: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "jobs": large["jobs"]["jobs"],
        "lines_per_config": large["files"]["lines_per_config"],
    }
    for mode in modes:
        a, b = per_config(small, mode, args.small), per_config(large, mode, args.large)
        figures[f"{mode}_ms_per_config"] = [round(a * 1000, 3), round(b * 1000, 3)]
        figures[f"{mode}_growth_per_config"] = round(b / a, 2)
        if mode != "floor":
            rss_a, rss_b = small[mode]["peak_rss_kib"], large[mode]["peak_rss_kib"]
            figures[f"{mode}_peak_rss_mib"] = [round(rss_a / 1024, 1), round(rss_b / 1024, 1)]
            figures[f"{mode}_peak_rss_growth"] = round(rss_b / rss_a, 2)
            if "worker_peak_rss_kib" in large[mode]:
                figures[f"{mode}_worker_peak_rss_mib"] = [
                    round(small[mode]["worker_peak_rss_kib"] / 1024, 1),
                    round(large[mode]["worker_peak_rss_kib"] / 1024, 1),
                ]
    for mode in ("one", "jobs"):
        figures[f"{mode}_over_floor"] = [
            round(small[mode]["seconds"] / small["floor"]["seconds"], 2),
            round(large[mode]["seconds"] / large["floor"]["seconds"], 2),
        ]
    if "cluster" in modes:
        figures["cluster_over_one_process"] = [
            round(small["cluster"]["seconds"] / small["one"]["seconds"], 2),
            round(large["cluster"]["seconds"] / large["one"]["seconds"], 2),
        ]
        figures["cluster_same_findings"] = all(
            run["cluster"]["findings"] == run["one"]["findings"] for run in (small, large)
        )
    figures["same_findings_with_jobs"] = all(
        run["jobs"]["findings"] == run["one"]["findings"] for run in (small, large)
    )
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, indent=2))
    print(f"(default jobs here: {default_jobs()})", file=sys.stderr)


if __name__ == "__main__":
    main()
