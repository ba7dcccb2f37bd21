"""Results store and report benchmark: save, load, diff and render a large run.

    python -m bench.store_reports [--count 500] [--profile]

Scans ``--count`` generated configurations (bench/genconfigs.py, one per host) once,
then measures on a fresh SQLite file:

* save: one run with all its findings, in one transaction;
* load: the run back as a ScanResult;
* diff: the run against a copy with a changed verdict;
* render: every report format from the loaded run.

Figures are best-of-3 wall times on this machine; they are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.genconfigs import generate
from checks.frameworks import clauses_by_check
from reports import RenderOptions, formats, render
from scanner.engine import ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.model import Status
from scanner.policy import Policy
from scanner.store import Scope, Store
from scanner.store.diff import diff_runs

OUT = Path(__file__).resolve().parent / "out"


def best_of(func, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="cProfile the save and the HTML render")
    args = parser.parse_args()
    folder = OUT / f"configs-{args.count}"
    if not (folder / ".complete").exists():
        generate(folder, args.count)
        (folder / ".complete").write_text("")
    options = ScanOptions(policy=Policy.default(), clauses=clauses_by_check(), inputs={"snapshots": str(folder)})
    result = run_scan(offline_inputs(folder, None), options)
    findings = len(result.findings)
    print(f"run: {len(result.hosts)} hosts, {findings} findings ({result.summary.by_status['fail']} failures)")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        counter = iter(range(1_000_000))

        def save() -> None:
            copy = replace(result, run=replace(result.run, id=f"{result.run.id}-{next(counter)}"))
            store.save(copy, Scope.of(None, folder))

        if args.profile:
            cProfile.runctx("save()", globals(), locals(), str(Path(tmp) / "save.prof"))
            pstats.Stats(str(Path(tmp) / "save.prof")).sort_stats("cumulative").print_stats(12)
        t_save = best_of(save)
        run_id = store.runs(limit=1)[0].id
        t_load = best_of(lambda: store.load(run_id))
        loaded = store.load(run_id)
        changed = replace(
            loaded,
            findings=[
                replace(f, status=Status.PASS) if f.status is Status.FAIL and i % 7 == 0 else f
                for i, f in enumerate(loaded.findings)
            ],
        )
        t_diff = best_of(lambda: diff_runs(loaded, changed))
        size = (Path(tmp) / "bench.db").stat().st_size
        print(f"save  {t_save * 1000:8.1f} ms  ({findings / t_save:,.0f} findings/s, one transaction)")
        print(f"load  {t_load * 1000:8.1f} ms  ({findings / t_load:,.0f} findings/s)")
        print(f"diff  {t_diff * 1000:8.1f} ms")
        print(f"database after {next(counter)} saves: {size / 1e6:.1f} MB")
        opts = RenderOptions(new_since_last=diff_runs(changed, loaded).new_pairs, previous_run="previous")
        if args.profile:
            cProfile.runctx("render('html', loaded, opts)", globals(), locals(), str(Path(tmp) / "html.prof"))
            pstats.Stats(str(Path(tmp) / "html.prof")).sort_stats("cumulative").print_stats(12)
        for name in formats():
            out: list[str | bytes] = []
            elapsed = best_of(lambda name=name, out=out: out.append(render(name, loaded, opts)))
            print(f"render {name:<14} {elapsed * 1000:8.1f} ms  {len(out[-1]) / 1e6:6.2f} MB")
        store.close()


if __name__ == "__main__":
    main()
