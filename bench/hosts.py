"""Linux host collection benchmark: one host, then 50 hosts with 20 workers, over real SSH.

    python -m bench.hosts [--hosts 50] [--workers 20] [--runs 3] [--profile]

Needs root (the test host of testbed/linuxhost.py: namespaces, sshd -i). One arranged
host (the violating profile: 6 examined accounts, so 12 phase-two commands plus
apt) answers on N loopback ports; each port is a separate inventory entry with its
own known_hosts line, and every connection is served by its own ``sshd -i`` process,
so N hosts cost N logins, N key exchanges and N x 2 command scripts, as N servers
would (the servers share this machine's 2 cores with the collector).

Prints best-of-``runs`` wall times: one host collected alone (by the same collection
step as the N, and by the Linux collector alone: one SSH login), N hosts collected
concurrently by the collection step of ``netcomply scan --live`` (Nornir's threaded
runner, ``--workers``), their ratio (target: at most 10), the CPU floor the simulated
servers set on this machine, and the offline scan of the collected snapshots. Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

from scanner.collect import CollectOptions, collect
from scanner.collect.hostkeys import KnownHosts
from scanner.collect.linux import HostTarget, collect_host
from scanner.engine import ScanOptions, run_scan
from scanner.model import HostInfo
from scanner.policy import Policy
from scanner.snapshot import HostInput
from testbed.linuxhost import LOGIN_USER, LinuxTestHost, skip_reason, violating_profile, write_inventory


def cpu() -> tuple[float, float]:
    """CPU seconds of this process (the collector) and of its reaped children (the sshd sessions)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def best(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the N-host collection (top 20)")
    args = parser.parse_args(argv)
    reason = skip_reason()
    if reason:
        print(f"bench.hosts cannot run here: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="netcomply-bench-hosts-") as tmp:
        work = Path(tmp)
        with LinuxTestHost(violating_profile(), work / "host", extra_ports=args.hosts - 1) as host:
            known_path = work / "known_hosts"
            known_path.write_text("".join(host.known_hosts_line(p) for p in host.ports))
            known = KnownHosts(known_path)
            first = HostTarget("srv00", "127.0.0.1", host.port, LOGIN_USER, key_file=host.client_key)
            snapshot = collect_host(first, known)  # warm-up: page cache, sudo, apt cache
            commands = len(snapshot.outputs)
            one_direct = best(args.runs, lambda: collect_host(first, known))
            inventory = write_inventory(work / "inventory", [(f"srv{i:02d}", p) for i, p in enumerate(host.ports)])
            single = write_inventory(work / "single", [("srv00", host.port)])
            options = CollectOptions(workers=args.workers, known_hosts=known_path, ssh_key=host.client_key)
            one = best(args.runs, lambda: collect(single, lambda _host: True, options))
            outcomes = []

            def many() -> None:
                run = collect(inventory, lambda _host: True, options)
                outcomes[:] = list(run.results.values())

            many_time = best(args.runs, many)
            host.reap()
            before = cpu()
            many()
            host.reap()
            after = cpu()
            collector_cpu, server_cpu = (after[0] - before[0]) / args.hosts, (after[1] - before[1]) / args.hosts
            failed = [o for o in outcomes if o.error is not None]
            per_host = sorted(o.seconds for o in outcomes)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                many()
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
            snapshots = [o.snapshot for o in outcomes if o.snapshot is not None]
            options = ScanOptions(Policy.default())
            scan_time = best(
                args.runs,
                lambda: run_scan([HostInput(HostInfo(name=s.host, platform="linux"), s) for s in snapshots], options),
            )
    print(
        f"one host ({commands} commands, 2 SSH channels): {one:.3f} s through the collection step"
        f" ({one_direct:.3f} s by the Linux collector alone; best of {args.runs})"
    )
    print(f"{args.hosts} hosts, {args.workers} workers: {many_time:.3f} s (best of {args.runs}); {len(failed)} failed")
    if per_host:
        print(f"  per host inside the run: median {per_host[len(per_host) // 2]:.3f} s, max {per_host[-1]:.3f} s")
    print(f"ratio {args.hosts} hosts / one host: {many_time / one:.1f}x (target: at most 10x)")
    cores = os.cpu_count() or 1
    floor = args.hosts * (collector_cpu + server_cpu) / cores
    print(
        f"CPU per host: collector {collector_cpu * 1000:.0f} ms,"
        f" its sshd session and commands {server_cpu * 1000:.0f} ms;"
        f" {args.hosts} hosts need at least {floor:.2f} s of this machine's {cores} cores"
        f" ({floor / one:.1f}x one host) since every simulated server runs here too"
    )
    print(f"offline scan of the {len(snapshots)} snapshots (every check): {scan_time:.3f} s")
    for outcome in failed[:5]:
        print(f"  {outcome.name}: {outcome.error}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
