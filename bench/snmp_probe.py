"""Benchmark of the live SNMP probe: 200 simulated agents, a 30-word dictionary.

    python bench/snmp_probe.py [--agents 200] [--words 30] [--concurrency 50] [--rate 10] [--timeout 1]
                               [--profile FILE]

Starts the agents (snmpsim, one SNMP engine per agent, each behind a UDP tap that notes
when every request arrives), probes one agent alone to get the single-host time, then
all of them, and prints:

* wall time, requests sent and packets received at the agents;
* the target: all agents in under 2 x (single-host time x agents / concurrency);
* the most requests any agent received within one second, and its mean rate, against
  the configured rate (token bucket: at most rate + burst within any second).

Every 10th agent answers one word of the dictionary, so the probe has something to find.
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner.policy import Policy
from scanner.snmp.collect import collect_snmp
from scanner.snmp.lab import LabAgent
from scanner.snmp.probe import ProbeTarget
from scanner.snmp.settings import Guess, SnmpSettings, Word
from scanner.snmpfiles import oids
from testbed.udptap import PacketLog, TappedSnmpLab

STRONG = "Bench-Str0ng-{n:03d}"


def dictionary(size: int) -> list[str]:
    policy = Policy.default()
    words = list(dict.fromkeys([*policy.section("snmp")["probe_words"], *sorted(policy.weak_words)]))
    return words[:size]


def agents(count: int, words: list[str]) -> list[LabAgent]:
    made = []
    for n in range(count):
        records = [
            (oids.SYS_DESCR, "4", f"bench agent {n}"),
            (oids.SYS_NAME, "4", f"bench-{n:03d}"),
            (oids.SYS_LOCATION, "4", "bench"),
        ]
        agent = LabAgent(host=f"bench-{n:03d}", records=records)
        agent.add_community(STRONG.format(n=n))
        if n % 10 == 0:
            agent.add_community(words[(n // 10) % len(words)])
        made.append(agent)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--words", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--retries", type=int, default=2, help="snmp.retries: unanswered requests sent again")
    parser.add_argument("--profile", type=Path, help="Write a cProfile of the 200-agent probe here.")
    args = parser.parse_args()

    words = dictionary(args.words)
    settings = SnmpSettings(
        timeout=args.timeout,
        retries=args.retries,
        rate_per_host=args.rate,
        burst=args.burst,
        concurrency=args.concurrency,
        walks=False,
    )
    lab_agents = agents(args.agents, words)
    with tempfile.TemporaryDirectory(prefix="netcomply-bench-snmp-") as state:
        started = time.perf_counter()
        with TappedSnmpLab(lab_agents, Path(state), tap=True) as lab:
            print(f"agents: {len(lab_agents)} started in {time.perf_counter() - started:.1f} s (snmpsim + taps)")
            dictionary_words = tuple(Word(Guess(w), "policy") for w in words)
            targets = [ProbeTarget(a.host, "127.0.0.1", lab.ports[a.host], dictionary_words) for a in lab_agents]

            single = collect_snmp([targets[1]], settings)
            single_seconds = single.seconds
            run_started = time.monotonic()

            usage = resource.getrusage(resource.RUSAGE_SELF)
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            run = collect_snmp(targets, settings)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            after = resource.getrusage(resource.RUSAGE_SELF)
            logs = lab.packet_logs()

    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    received = {h: sorted(t for t in log.arrivals if t >= run_started) for h, log in logs.items()}
    windows = [PacketLog(arrivals=t).max_in_window() for t in received.values()]
    total_received = sum(len(t) for t in received.values())
    sent = {h: c.outcome.requests for h, c in run.collections.items() if c.outcome}
    odd = {h: (len(t), sent.get(h)) for h, t in received.items() if len(t) != sent.get(h)}
    if odd:
        print(f"agents that received other than what was sent to them (received, sent): {odd}")
    worst_window = max(windows)
    mean_rates = [(len(t) - 1) / (t[-1] - t[0]) for t in received.values() if len(t) > 2 and t[-1] > t[0]]
    found = sum(len(c.outcome.answered) for c in run.collections.values() if c.outcome)
    seeded = sum(1 for n in range(args.agents) if n % 10 == 0)
    alive = sum(1 for c in run.collections.values() if c.outcome and c.outcome.alive)
    target = 2 * single_seconds * args.agents / args.concurrency
    ideal = single_seconds * -(-args.agents // args.concurrency)

    print(
        f"dictionary: {len(words)} words; rate {args.rate:g}/s per agent, burst {args.burst}; "
        f"concurrency {args.concurrency}; timeout {args.timeout:g} s; retries {args.retries} (backoff x2)"
    )
    print(f"single host: {single_seconds:.2f} s ({single.requests} requests)")
    print(
        f"all {args.agents}: {run.seconds:.2f} s wall, {cpu:.2f} s CPU in the prober; "
        f"ideal {ideal:.1f} s ({-(-args.agents // args.concurrency)} rounds of the single-host time)"
    )
    print(
        f"target: < {target:.1f} s (2 x {single_seconds:.2f} s x {args.agents} / {args.concurrency}): "
        f"{'met' if run.seconds < target else 'MISSED'}"
    )
    print(
        f"requests sent: {run.requests} ({run.requests / args.agents:.1f} per agent); "
        f"packets received at the agents: {total_received}"
    )
    print(
        f"most requests one agent received within 1 s: {worst_window} (allowed: rate + burst = "
        f"{args.rate + args.burst:g}); highest mean rate at an agent: {max(mean_rates):.2f}/s"
    )
    print(f"found: {found} weak community(ies) of {seeded} seeded; {alive}/{args.agents} agents shown alive")
    ok = run.seconds < target and worst_window <= args.rate + args.burst and found == seeded
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
