"""Backup benchmark: the git-backed store on the lab and on generated configurations.

    python -m bench.backup [--count 200] [--profile]

Reports best-of-3 wall times, in-process (no interpreter start):

* the bundled lab (15 devices): first backup into a new store (git init + 2 commits), a
  run with nothing changed (no commit), a run with one device changed (one commit);
* COUNT generated ~1,500-line configurations (bench/genconfigs.py): the same three;
* a scan of those COUNT configurations with and without ``backup.current`` looking
  each host up in the store (the provider's cost per host);
* the git processes a run starts (counted), which must not grow with the device count;
* with --live: the bundled lab served over SSH on loopback (scanner.lab, in this
  process), collected with the configuration command only (what `netcomply backup`
  asks) and with every command of the platform (what a scan asks), 20 workers.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.scan import configs
from checks.frameworks import clauses_by_check
from scanner.backup.provider import backup_check
from scanner.backup.run import back_up, open_store
from scanner.backup.settings import BackupSettings
from scanner.engine import ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.policy import Policy

LAB = Path(__file__).resolve().parents[1] / "scanner" / "lab" / "network"


def best_of(runs: int, setup: Callable[[], object], func: Callable[[object], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        state = setup()
        start = time.perf_counter()
        func(state)
        best = min(best, time.perf_counter() - start)
    return best


class GitCounter:
    """Counts the git processes started, by wrapping subprocess.Popen (run() uses it too)."""

    def __init__(self) -> None:
        self.count = 0
        self._original = subprocess.Popen

    def __enter__(self) -> GitCounter:
        original = self._original
        counter = self

        class Counting(original):  # type: ignore[misc,valid-type]
            def __init__(self, args, *a, **kw):  # type: ignore[no-untyped-def]
                if args and str(args[0]).endswith("git"):
                    counter.count += 1
                super().__init__(args, *a, **kw)

        subprocess.Popen = Counting  # type: ignore[misc]
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.Popen = self._original  # type: ignore[misc]


def backup(store: Path, snapshots: Path, inventory: Path | None) -> None:
    settings = BackupSettings.from_policy(Policy.default(), store)
    now = datetime.now(UTC)
    opened = open_store(settings, now)
    hosts = load_inventory(inventory) if inventory else None
    report = back_up(opened, offline_inputs(snapshots, hosts), settings, source="bench", now=now)
    assert report.ok, [h.detail for h in report.hosts if not h.outcome.stored]


def scan(snapshots: Path, store: Path | None) -> None:
    policy = Policy.default()
    options = ScanOptions(policy=policy, clauses=clauses_by_check())
    with backup_check(options, BackupSettings.from_policy(policy, store)):
        run_scan(offline_inputs(snapshots, None), options)


def three_runs(label: str, snapshots: Path, inventory: Path | None, work: Path, change: Path) -> None:
    first = best_of(3, lambda: _fresh(work / "first"), lambda store: backup(store, snapshots, inventory))  # type: ignore[arg-type]
    store = _fresh(work / "store")
    backup(store, snapshots, inventory)
    unchanged = best_of(3, lambda: store, lambda s: backup(s, snapshots, inventory))  # type: ignore[arg-type]
    with GitCounter() as counter:
        backup(store, snapshots, inventory)
    text = change.read_text()
    flip = [0]

    def one_change(s: object) -> None:
        flip[0] += 1
        change.write_text(
            text.replace("\nend", f"\n! bench change {flip[0]}\nend", 1) if "\nend" in text else text + f"! {flip[0]}\n"
        )
        backup(s, snapshots, inventory)  # type: ignore[arg-type]

    changed = best_of(3, lambda: store, one_change)
    change.write_text(text)
    print(
        f"{label:<28} first {first * 1000:8.1f} ms   unchanged {unchanged * 1000:8.1f} ms   "
        f"one changed {changed * 1000:8.1f} ms   git processes per run: {counter.count}"
    )


def live(work: Path) -> None:
    import dataclasses

    from scanner.cli.cmd_backup import config_command
    from scanner.collect import CollectOptions, collect
    from scanner.collect.cli import live_inputs
    from scanner.lab import Lab, load_devices, write_lab_inventory

    devices = load_devices(LAB / "snapshots", load_inventory(LAB), None)
    with Lab(devices, work / "lab-state") as lab:
        inventory = write_lab_inventory(lab, work / "lab-inventory", LAB)
        options = CollectOptions(workers=20)
        config_only = dataclasses.replace(options, commands=config_command)
        every = best_of(3, lambda: None, lambda _: collect(inventory, lambda _h: True, options))
        only = best_of(3, lambda: None, lambda _: collect(inventory, lambda _h: True, config_only))
        settings = BackupSettings.from_policy(Policy.default(), work / "live-store")

        def run_live(_: object) -> None:
            run = collect(inventory, lambda _h: True, config_only)
            report = back_up(
                open_store(settings, datetime.now(UTC)), live_inputs(run), settings, source="bench", now=None
            )
            assert report.ok, [h.detail for h in report.hosts if not h.outcome.stored]

        whole = best_of(3, lambda: None, run_live)
    print(
        f"live lab ({len(devices)} devices, 20 workers): collect every command {every:.2f} s, "
        f"config only {only:.2f} s; live backup run (collect + store) {whole:.2f} s"
    )


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile one unchanged run of COUNT configs")
    parser.add_argument("--live", action="store_true", help="also back the lab up over SSH (simulated devices)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netcomply-bench-backup-") as tmp:
        work = Path(tmp)
        lab = work / "lab"
        shutil.copytree(LAB / "snapshots", lab)
        count = sum(1 for p in lab.iterdir() if p.is_dir())
        three_runs(f"lab ({count} devices)", lab, LAB, work / "lab-work", lab / "hq-core1" / "show_running-config.txt")

        generated = work / "generated"
        shutil.copytree(configs(args.count), generated)
        first_file = sorted(p for p in generated.iterdir() if p.is_file() and not p.name.startswith("."))[0]
        three_runs(f"generated ({args.count} devices)", generated, None, work / "gen-work", first_file)

        store = work / "gen-work" / "store"
        without = best_of(3, lambda: None, lambda _: scan(generated, None))
        with_store = best_of(3, lambda: None, lambda _: scan(generated, store))
        per_host = (with_store - without) / args.count * 1000
        print(
            f"scan of {args.count} devices: without backup store {without:.2f} s, with {with_store:.2f} s "
            f"(+{per_host:.2f} ms per host)"
        )
        if args.live:
            live(work)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            backup(store, generated, None)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
