"""Live collection benchmark: 200 simulated devices over real SSH, with 1, 20 and 100 workers.

    python -m bench.collect_lab [--count 200] [--workers 1,20,100] [--delay-factor F]

Builds a seeded snapshot folder (bench/genconfigs.py configurations, ~1,500 lines, plus
every other command of each platform taken from the bundled lab) under bench/out/, starts
`netcomply lab serve` on it in its own process (so the devices do not share the
collector's interpreter), then runs each collection in a fresh process and reports:
wall time of the collection, devices/second, the collector's CPU time and peak RSS, the
lab's CPU time over the same run, and whether every device came back complete (each
output compared byte for byte with the saved one). Nothing is asserted; the figures
depend on the machine and its load, which is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bench.genconfigs import generate

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "collect-lab"
LAB = ROOT / "scanner" / "lab" / "network"
# A bundled lab host per platform whose non-config outputs the generated devices reuse.
TEMPLATES = {"cisco_ios": "hq-acc1", "cisco_nxos": "hq-dist1", "arista_eos": "dc-leaf1"}


def build_snapshots(folder: Path, count: int) -> Path:
    from scanner.platforms import get_platform
    from scanner.snapshot import slugify

    stamp = folder / f".count-{count}"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    flat = folder.parent / "flat"
    shutil.rmtree(flat, ignore_errors=True)
    for config in generate(flat, count):
        text = config.read_text()
        platform_name = next(p for p in TEMPLATES if f"bench-{p.split('_')[1]}-" in config.name)
        platform = get_platform(platform_name)
        host = folder / config.stem
        host.mkdir(parents=True)
        template = LAB / "snapshots" / TEMPLATES[platform_name]
        for command in platform.commands.all:
            target = host / f"{slugify(command)}.txt"
            if command == platform.commands.config:
                target.write_text(text)
            else:
                shutil.copyfile(template / f"{slugify(command)}.txt", target)
        (host / "meta.yaml").write_text(yaml.safe_dump({"platform": platform_name}))
    shutil.rmtree(flat)
    stamp.touch()
    return folder


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_run(inventory: Path, snapshots: Path, workers: int, delay_factor: float) -> None:
    """One collection in this process; prints its figures as JSON on the last line."""
    from scanner.collect import CollectOptions, collect

    started_cpu = time.process_time()
    started = time.perf_counter()
    run = collect(
        inventory,
        lambda _h: True,
        CollectOptions(workers=workers, connect_timeout=60, command_timeout=120, delay_factor=delay_factor),
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    complete = 0
    total_bytes = 0
    for _host, outcome in run:
        if outcome.snapshot is None:
            continue
        saved = snapshots / outcome.name
        same = all(
            (saved / f"{_slug(command)}.txt").read_bytes() == text.encode("utf-8")
            for command, text in outcome.snapshot.outputs.items()
        )
        complete += same
        total_bytes += sum(len(t.encode("utf-8")) for t in outcome.snapshot.outputs.values())
    errors = sorted({str(r.error) for r in run.failed})[:3]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "workers": workers,
                "devices": len(run.hosts),
                "collected": len(run.hosts) - len(run.failed),
                "complete": complete,
                "bytes": total_bytes,
                "wall": wall,
                "cpu": cpu,
                "peak_rss_mib": peak_kib / 1024,
                "errors": errors,
            }
        )
    )


def _slug(command: str) -> str:
    from scanner.snapshot import slugify

    return slugify(command)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", default="1,20,100")
    parser.add_argument("--delay-factor", type=float, default=None, help="Netmiko global_delay_factor (default: ours)")
    parser.add_argument("--worker-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from scanner.collect.ssh import DEFAULT_DELAY_FACTOR

    delay_factor = DEFAULT_DELAY_FACTOR if args.delay_factor is None else args.delay_factor
    snapshots = OUT / "snapshots"
    inventory = OUT / "inventory"
    if args.worker_run:
        worker_run(inventory, snapshots, args.worker_run, delay_factor)
        return

    build_snapshots(snapshots, args.count)
    lab = subprocess.Popen(
        [sys.executable, "-m", "scanner", "lab", "serve", "--no-snmp", "-s", str(snapshots), "-o", str(inventory)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = lab.stdout.readline().strip()  # type: ignore[union-attr]
        print(ready)
        print(f"machine: {os.cpu_count()} CPU(s); load average before: {os.getloadavg()}")
        print(f"netmiko global_delay_factor {delay_factor}")
        print(
            f"{'workers':>7} {'wall s':>8} {'dev/s':>7} {'speedup':>7} {'cpu s':>7} {'lab cpu s':>9} "
            f"{'peak MiB':>8} {'collected':>9} {'complete':>8}"
        )
        base = None
        for workers in [int(w) for w in args.workers.split(",")]:
            lab_cpu = _cpu_seconds(lab.pid)
            proc = subprocess.run(
                [sys.executable, "-m", "bench.collect_lab", "--worker-run", str(workers),
                 "--delay-factor", str(delay_factor), "--count", str(args.count)],
                cwd=ROOT, capture_output=True, text=True, check=True,
            )  # fmt: skip
            lab_cpu = _cpu_seconds(lab.pid) - lab_cpu
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            base = base or figures["wall"]
            print(
                f"{workers:>7} {figures['wall']:>8.2f} {figures['devices'] / figures['wall']:>7.1f} "
                f"{base / figures['wall']:>6.1f}x {figures['cpu']:>7.2f} {lab_cpu:>9.2f} "
                f"{figures['peak_rss_mib']:>8.1f} {figures['collected']:>5}/{figures['devices']:<3} "
                f"{figures['complete']:>8}" + (f"  errors: {figures['errors']}" if figures["errors"] else "")
            )
        print(f"load average after: {os.getloadavg()}; {figures['bytes'] / 1e6:.1f} MB collected per run")
    finally:
        lab.terminate()
        lab.wait(timeout=30)


if __name__ == "__main__":
    main()
