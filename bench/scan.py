"""Offline scan benchmark: throughput against the floor, the reference parser, and memory.

    python -m bench.scan [--count 200] [--scale 10] [--skip-reference] [--profile]

Generates seeded ~1,500-line configurations (bench/genconfigs.py) into bench/out/ and
reports, in one run:

* floor: read the files, decode, split lines and build netcomply's tree (no checks);
* full scan: platform detection, parsing, every check, findings (the engine in-process);
* the same full scan with ``--parser ciscoconfparse`` (the reference tree builder);
* the CLI end to end (process start included) for the same folder;
* peak RSS of a full scan of N and of scale x N configurations (separate processes),
  which must stay flat: hosts are streamed, one tree at a time.

Figures are best-of-3 wall times on this machine; they are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.genconfigs import generate

OUT = Path(__file__).resolve().parent / "out"


def configs(count: int) -> Path:
    folder = OUT / f"configs-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        generate(folder, count)
        marker.write_text("ok")
    return folder


def best_of(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def floor(folder: Path) -> None:
    from scanner.configtree import ConfigTree
    from scanner.snapshot import decode

    for path in folder.glob("*.cfg"):
        ConfigTree.parse(decode(path.read_bytes()))


def full_scan(folder: Path, backend: str = "native") -> int:
    from scanner.engine import ScanOptions, run_scan
    from scanner.hostsource import offline_inputs
    from scanner.policy import Policy

    result = run_scan(offline_inputs(folder, None), ScanOptions(policy=Policy.default(), backend=backend))  # type: ignore[arg-type]
    return len(result.findings)


def cli_wall(folder: Path) -> float:
    """`netcomply scan` end to end (process start, imports, JSON report), without the results store."""
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "scanner",
                "scan",
                "-q",
                "--no-store",
                "--snapshots",
                str(folder),
                "-f",
                "json",
                "-o",
                str(Path(scratch) / "report.json"),
            ],
            check=False,
            capture_output=True,
        )
        return time.perf_counter() - start


def _high_water_mark_kib() -> int:
    """VmHWM: this process's own peak RSS. (ru_maxrss would include the parent's, kept across fork+exec.)"""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss(folder: Path) -> int:
    """Peak RSS (KiB) of a fresh process that scans ``folder``."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.scan", "--rss-child", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--scale", type=int, default=10, help="memory check: N and scale x N configs")
    parser.add_argument("--skip-reference", action="store_true", help="skip the ciscoconfparse run")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one full scan")
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.rss_child:
        full_scan(args.rss_child)
        print(_high_water_mark_kib())
        return

    folder = configs(args.count)
    lines = sum(p.read_text().count("\n") for p in folder.glob("*.cfg"))
    full_scan(folder)  # warm up: imports, template index
    floor_s = best_of(3, lambda: floor(folder))
    full_s = best_of(3, lambda: full_scan(folder))
    figures: dict[str, object] = {
        "configs": args.count,
        "lines_per_config": round(lines / args.count),
        "floor_configs_per_s": round(args.count / floor_s, 1),
        "full_scan_configs_per_s": round(args.count / full_s, 1),
        "full_over_floor": round(full_s / floor_s, 2),
        "floor_us_per_line": round(floor_s / lines * 1e6, 3),
        "full_us_per_line": round(full_s / lines * 1e6, 3),
    }
    if not args.skip_reference:
        reference_s = best_of(1, lambda: full_scan(folder, "ciscoconfparse"))
        figures["ciscoconfparse_configs_per_s"] = round(args.count / reference_s, 1)
        figures["native_speedup_vs_ciscoconfparse"] = round(reference_s / full_s, 1)
    figures["cli_wall_s"] = round(cli_wall(folder), 2)
    big = configs(args.count * args.scale)
    figures[f"peak_rss_kib_{args.count}"] = peak_rss(folder)
    figures[f"peak_rss_kib_{args.count * args.scale}"] = peak_rss(big)
    figures["load_average"] = os.getloadavg()
    print(json.dumps(figures, indent=2))

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(full_scan, folder)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
