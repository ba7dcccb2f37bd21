"""The live SNMP probe and walks against real SNMP agents (snmpsim) over UDP on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.model import HostInfo
from scanner.snmp.collect import SnmpRun, collect_snmp, target_for
from scanner.snmp.probe import ProbeOutcome, ProbeTarget
from scanner.snmp.settings import SnmpSettings
from scanner.snmpfiles import ENTITY_FILE, LLDP_FILE, PROBE_FILE, SYSTEM_FILE
from testbed.udptap import TappedSnmpLab
from tests.snmp_lab import (  # noqa: F401
    HIDDEN_COMMUNITY,
    community_of,
    fast_policy,
    lab_agents,
    lab_hosts,
    require_snmpsim,
    snmp_lab,
)

WEAK = {"hq-acc1": "cisco", "hq-dist1": "public", "hq-edge1": "private", HIDDEN_COMMUNITY[0]: HIDDEN_COMMUNITY[1]}


def probe(lab: TappedSnmpLab, *, write_test: bool = False, **snmp: object) -> tuple[SnmpRun, SnmpSettings]:
    settings = SnmpSettings.from_policy(fast_policy(**snmp), write_test=write_test)
    hosts, env = lab_hosts(lab)
    return collect_snmp([target_for(h, settings, env) for h in hosts.values()], settings), settings


@pytest.fixture(scope="module")
def lab_run(snmp_lab: TappedSnmpLab) -> SnmpRun:  # noqa: F811
    run, _ = probe(snmp_lab, write_test=True)
    return run


def test_weak_and_default_communities_are_found_and_named_masked(lab_run: SnmpRun) -> None:
    for host, word in WEAK.items():
        outcome = lab_run.collections[host].outcome
        assert outcome is not None and outcome.alive, host
        masked = [a.record()["community"] for a in outcome.answered]
        assert masked == [word[: min(3, len(word) // 3)] + "***"], (host, masked)
        assert outcome.answered[0].record()["length"] == len(word)


def test_strong_communities_are_not_guessed(lab_run: SnmpRun) -> None:
    for host in ("hq-core2", "dc-leaf2", "mgmt-sw1", "plant-rtr1"):
        outcome = lab_run.collections[host].outcome
        assert outcome is not None
        assert outcome.answered == [], host
        assert outcome.alive, f"{host}: its own credential and the SNMPv3 discovery prove the agent is alive"
        assert outcome.tried >= 40


def test_agent_answering_a_community_its_config_does_not_show_is_caught(lab_run: SnmpRun) -> None:
    host, word = HIDDEN_COMMUNITY
    outcome = lab_run.collections[host].outcome
    assert outcome is not None and [a.word.value.reveal() for a in outcome.answered] == [word]


def test_write_test_tells_read_write_from_read_only(lab_run: SnmpRun) -> None:
    edge = lab_run.collections["hq-edge1"].outcome
    access = lab_run.collections["hq-acc1"].outcome
    assert edge is not None and access is not None
    assert edge.answered[0].write is True, edge.answered[0].write_detail
    assert access.answered[0].write is False, access.answered[0].write_detail


def test_without_write_test_no_set_is_sent(snmp_lab: TappedSnmpLab) -> None:  # noqa: F811
    settings = SnmpSettings.from_policy(fast_policy())
    hosts, env = lab_hosts(snmp_lab)
    run = collect_snmp([target_for(hosts["hq-edge1"], settings, env)], settings)
    outcome = run.collections["hq-edge1"].outcome
    assert outcome is not None and outcome.answered[0].write is None
    assert not outcome.write_tested


def test_files_never_hold_a_community_in_clear(lab_run: SnmpRun) -> None:
    secrets = set(WEAK.values()) | {community_of(h) for h in ("hq-core2", "dc-leaf2", "mgmt-sw1", "plant-rtr1")}
    secrets |= {"Auth-Key-4-lab", "Priv-Key-4-lab"}
    for collection in lab_run.collections.values():
        for name, text in collection.documents.items():
            for secret in secrets:
                assert f'"{secret}"' not in text and f"{secret}," not in text, (collection.host, name)


def test_snmpv3_credential_works_and_walks_with_it(lab_run: SnmpRun) -> None:
    collection = lab_run.collections["dc-leaf1"]
    assert collection.outcome is not None and collection.outcome.credential_ok
    assert "SNMPv3 user netcomply (authPriv)" in collection.outcome.reason
    assert set(collection.documents) == {PROBE_FILE, SYSTEM_FILE, ENTITY_FILE, LLDP_FILE}
    assert '"dc-leaf1"' in collection.documents[SYSTEM_FILE]


def test_wrong_snmpv3_key_is_refused_and_said(snmp_lab: TappedSnmpLab) -> None:  # noqa: F811
    settings = SnmpSettings.from_policy(fast_policy())
    hosts, env = lab_hosts(snmp_lab)
    env["NETCOMPLY_TEST_SNMP_DC_LEAF1_AUTH"] = "Not-The-Key-9"
    run = collect_snmp([target_for(hosts["dc-leaf1"], settings, env)], settings)
    collection = run.collections["dc-leaf1"]
    assert collection.outcome is not None and not collection.outcome.credential_ok
    assert "digest" in collection.outcome.reason.lower()
    assert set(collection.documents) == {PROBE_FILE}, "no walk without a working credential"


def test_agent_that_never_answers_times_out_within_its_bound(snmp_lab: TappedSnmpLab) -> None:  # noqa: F811
    settings = SnmpSettings.from_policy(fast_policy(rate_per_host=100.0))
    hosts, env = lab_hosts(snmp_lab)
    target = target_for(hosts["blackhole"], settings, env)
    before = snmp_lab.packet_logs()["blackhole"].count
    started = time.monotonic()
    run = collect_snmp([target], settings)
    elapsed = time.monotonic() - started
    outcome = run.collections["blackhole"].outcome
    assert outcome is not None and outcome.status == "silent"
    assert "no answer" in outcome.reason and "inventory" in outcome.reason
    attempts = settings.retries + 1
    waits = sum(settings.timeout * 2**attempt for attempt in range(attempts))
    # Discovery first (every attempt), then the dictionary at the agent's rate, every word sent `attempts` times.
    bound = waits + len(target.words) * attempts / settings.rate_per_host + waits + 1.0
    assert elapsed < bound, f"{elapsed:.2f} s, bound {bound:.2f} s"
    received = snmp_lab.packet_logs()["blackhole"].count - before
    assert received == outcome.requests == (len(target.words) + 1) * attempts


def test_closed_port_is_reported_at_once_without_sending_the_dictionary() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings = SnmpSettings.from_policy(fast_policy(timeout=2.0, rate_per_host=5.0))
    words = tuple(settings.dictionary(name="ghost"))
    started = time.monotonic()
    run = collect_snmp([ProbeTarget("ghost", "127.0.0.1", port, words)], settings)
    outcome = run.collections["ghost"].outcome
    assert outcome is not None and outcome.status == "closed", outcome.reason
    assert time.monotonic() - started < 1.0
    assert outcome.requests == 1


def test_unresolvable_and_missing_addresses_are_reasons_not_passes() -> None:
    settings = SnmpSettings.from_policy(fast_policy())
    run = collect_snmp(
        [
            ProbeTarget("nowhere", None, 161, ()),
            ProbeTarget("bad-name", "no-such-host.invalid", 161, ()),
        ],
        settings,
    )
    assert run.collections["nowhere"].outcome.status == "no_address"  # type: ignore[union-attr]
    assert run.collections["bad-name"].outcome.status == "unresolved"  # type: ignore[union-attr]


def test_no_agent_receives_more_than_the_configured_rate(snmp_lab: TappedSnmpLab) -> None:  # noqa: F811
    rate, burst = 20.0, 1
    before = snmp_lab.packet_logs()
    run, _ = probe(snmp_lab, rate_per_host=rate, burst=burst, concurrency=20)
    after = snmp_lab.packet_logs()
    for host, log in after.items():
        arrivals = sorted(t for t in log.arrivals if t > max(before[host].arrivals, default=0.0))
        sent = run.sent_per_agent.get(("127.0.0.1", snmp_lab.ports[host]), 0)
        outcome = run.collections[host].outcome
        assert outcome is not None
        assert len(arrivals) == sent + outcome.discovery_requests, f"{host}: the agent received what was sent"
        window = max_in_window(arrivals, 1.0)
        assert window <= rate + burst, f"{host}: {window} requests within one second, rate {rate:g}"
        if len(arrivals) > 20:
            mean = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
            assert mean <= rate * 1.05, f"{host}: {mean:.1f} requests/s on average"


def max_in_window(times: list[float], seconds: float) -> int:
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= seconds:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_saved_files_replay(lab_run: SnmpRun, tmp_path: Path) -> None:
    from scanner.snmp.collect import save_documents

    collection = lab_run.collections["hq-core1"]
    save_documents(tmp_path / "hq-core1", collection.documents, "cisco_xe")
    saved = sorted(p.name for p in (tmp_path / "hq-core1").iterdir())
    assert saved == sorted([*collection.documents, "meta.yaml"])


# ---- silence is not refusal: retries and liveness (issue 13, section 5) ----------------------


@pytest.fixture(scope="module")
def lossy_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TappedSnmpLab]:
    """Two lab agents behind a link that loses the first request of every community (and of SNMPv3)."""
    require_snmpsim()
    agents = [a for a in lab_agents() if a.host in ("hq-edge1", "hq-core2")]
    lossy = frozenset(a.host for a in agents)
    with TappedSnmpLab(agents, tmp_path_factory.mktemp("lossy"), tap=True, lossy=lossy) as lab:
        yield lab


def _probe_lossy(lab: TappedSnmpLab, retries: int) -> dict[str, ProbeOutcome]:
    settings = SnmpSettings.from_policy(fast_policy(rate_per_host=100.0, retries=retries))
    hosts, env = lab_hosts(lab)
    run = collect_snmp([target_for(hosts[name], settings, env) for name in ("hq-edge1", "hq-core2")], settings)
    outcomes = {name: run.collections[name].outcome for name in ("hq-edge1", "hq-core2")}
    assert all(o is not None for o in outcomes.values())
    return outcomes  # type: ignore[return-value]


def test_a_lossy_link_without_retries_is_never_read_as_refusal(lossy_lab: TappedSnmpLab) -> None:
    """Every first request is lost: hq-edge1's weak community `private` goes unanswered, and so does the
    host's own community, so the probe says it cannot tell: never `alive` with nothing found (a false pass)."""
    outcomes = _probe_lossy(lossy_lab, retries=0)
    for name, outcome in outcomes.items():
        assert outcome.status == "unproven", (name, outcome.status, outcome.reason)
        assert "proves nothing" in outcome.reason
        assert not outcome.answered


def test_retries_find_the_weak_community_behind_a_lossy_link(lossy_lab: TappedSnmpLab) -> None:
    """The same link with the default two retries: hq-edge1's weak community answers (a finding), and
    hq-core2, whose own community answered before and after the dictionary, refused every word."""
    outcomes = _probe_lossy(lossy_lab, retries=2)
    assert outcomes["hq-edge1"].status == "alive" and outcomes["hq-edge1"].answered
    core2 = outcomes["hq-core2"]
    assert core2.status == "alive" and not core2.answered
    assert "answered before and after" in core2.reason
    assert "needed more than one attempt" in core2.reason
    assert core2.credential_after is not None and core2.credential_after.answered


def test_without_the_hosts_own_community_the_report_says_liveness_was_not_shown(snmp_lab: TappedSnmpLab) -> None:  # noqa: F811
    settings = SnmpSettings.from_policy(fast_policy(rate_per_host=100.0))
    hosts, _ = lab_hosts(snmp_lab)
    host = hosts["hq-core2"]
    bare = HostInfo(
        name=host.name, platform=host.platform, address=host.address, data={"snmp": {"port": host.data["snmp"]["port"]}}
    )
    run = collect_snmp([target_for(bare, settings, {})], settings)
    outcome = run.collections["hq-core2"].outcome
    assert outcome is not None and outcome.status == "alive"
    assert "liveness of the community service could not be shown" in outcome.reason
