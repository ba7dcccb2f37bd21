"""SNMP in the scan: facts from the saved walks, the live check, the CLI, offline replay, secrets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from checks.snmp.community_strength import community_strength
from checks.snmp.live_weak_community import live_weak_community
from scanner.checkapi import Context
from scanner.facts import NEIGHBORS, POWER, Facts, SnmpCommunity, SnmpProbe
from scanner.masking import Secret
from scanner.model import Evidence, HostInfo, Status
from scanner.platforms import get_platform
from scanner.policy import Policy
from scanner.snapshot import Snapshot, discover
from scanner.snmp.collect import SnmpRun, collect_snmp, save_documents, target_for
from scanner.snmp.credentials import host_snmp
from scanner.snmp.lab import SnmpLab
from scanner.snmp.settings import SnmpSettings
from scanner.snmpfiles import ENTITY_FILE, PROBE_FILE
from tests.conftest import FIXTURES, LAB, run_cli
from tests.scanhelpers import by_host_and_check, scan_folder
from tests.snmp_lab import (  # noqa: F401
    HIDDEN_COMMUNITY,
    V3_USER,
    fast_policy,
    lab_hosts,
    snmp_configured,
    snmp_lab,
    write_inventory,
)

EXPECTED = yaml.safe_load((FIXTURES / "lab_expected.yaml").read_text())
# The lab hosts SNMP can read: those whose configuration has SNMP (plant-sw1 has none).
CLI_HOSTS = [h for h in EXPECTED if snmp_configured(h)]


@pytest.fixture(scope="module")
def lab_run(snmp_lab: SnmpLab) -> SnmpRun:  # noqa: F811
    settings = SnmpSettings.from_policy(fast_policy())
    hosts, env = lab_hosts(snmp_lab)
    return collect_snmp([target_for(h, settings, env) for h in hosts.values()], settings)


@pytest.fixture(scope="module")
def snmp_only(lab_run: SnmpRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot folder of the lab hosts with only the SNMP files and meta.yaml (CLI not allowed)."""
    root = tmp_path_factory.mktemp("snmp-only")
    inventory = yaml.safe_load((LAB / "hosts.yaml").read_text())
    for host in CLI_HOSTS:
        save_documents(root / host, lab_run.collections[host].documents, inventory[host]["platform"])
    return root


def cli_facts(host: str) -> Facts:
    source = next(s for s in discover(LAB / "snapshots") if s.host == host)
    snapshot = source.load()
    return get_platform(snapshot.platform or "").parse(snapshot)


def snmp_facts(root: Path, host: str) -> Facts:
    snapshot = next(s for s in discover(root) if s.host == host).load()
    return get_platform(snapshot.platform or "").parse(snapshot)


@pytest.mark.parametrize("host", CLI_HOSTS)
def test_walks_give_the_power_supplies_the_cli_gives(snmp_only: Path, host: str) -> None:
    cli = cli_facts(host)
    snmp = snmp_facts(snmp_only, host)
    assert POWER not in snmp.unavailable, snmp.unavailable.get(POWER)
    expected = sorted((s.name, s.status) for s in cli.power_supplies if s.status != "absent")
    assert sorted((s.name, s.status) for s in snmp.power_supplies) == expected
    for supply in snmp.power_supplies:
        assert supply.evidence.source == "SNMP ENTITY-MIB"
        assert supply.evidence.path and supply.evidence.path.endswith(ENTITY_FILE)


@pytest.mark.parametrize("host", CLI_HOSTS)
def test_walks_give_the_lldp_neighbours_the_cli_gives(snmp_only: Path, host: str) -> None:
    cli = cli_facts(host)
    snmp = snmp_facts(snmp_only, host)
    assert NEIGHBORS not in snmp.unavailable, snmp.unavailable.get(NEIGHBORS)

    def key(n: object) -> tuple[object, ...]:
        return (n.local_interface, n.remote_name, n.remote_interface, n.remote_address)  # type: ignore[attr-defined]

    expected = sorted(key(n) for n in cli.neighbors if n.protocol == "lldp")
    assert sorted(key(n) for n in snmp.neighbors) == expected
    assert snmp.hostname == (cli.hostname or host)


def test_snmp_only_hosts_get_the_power_verdicts_of_their_cli(snmp_only: Path) -> None:
    result = scan_folder(snmp_only, inventory=LAB)
    found = by_host_and_check(result)
    for host in CLI_HOSTS:
        expected = EXPECTED[host].get("power.redundant")
        if expected is None:
            continue
        finding = found[(host, "power.redundant")]
        assert finding.status.value == expected, (host, finding.message)
    # The configuration was not collected: checks of it say so instead of passing.
    telnet = found[("hq-acc1", "services.telnet")]
    assert telnet.status is Status.ERROR and "not in the snapshot" in telnet.message


def test_cli_facts_win_over_snmp_when_both_are_there(lab_run: SnmpRun, tmp_path: Path) -> None:
    shutil.copytree(LAB / "snapshots" / "hq-core1", tmp_path / "hq-core1")
    save_documents(tmp_path / "hq-core1", lab_run.collections["hq-core1"].documents, "cisco_xe")
    facts = snmp_facts(tmp_path, "hq-core1")
    cli = cli_facts("hq-core1")
    assert [s.evidence.source for s in facts.power_supplies] == [s.evidence.source for s in cli.power_supplies]
    assert len(facts.neighbors) == len(cli.neighbors)
    assert facts.snmp_probe is not None and facts.snmp_probe.answered


def test_corrupt_snmp_files_give_reasons_not_crashes(lab_run: SnmpRun, tmp_path: Path) -> None:
    save_documents(tmp_path / "hq-core2", lab_run.collections["hq-core2"].documents, "cisco_xe")
    (tmp_path / "hq-core2" / ENTITY_FILE).write_text('{"format": "netcomply-snmp-walk/1", "varbinds": [')
    (tmp_path / "hq-core2" / PROBE_FILE).write_text("not json")
    result = scan_folder(tmp_path, inventory=LAB)
    found = by_host_and_check(result)
    power = found[("hq-core2", "power.redundant")]
    assert power.status is Status.ERROR and ENTITY_FILE in power.message
    live = found[("hq-core2", "snmp.live_weak_community")]
    assert live.status is Status.ERROR and PROBE_FILE in live.message


def test_scan_with_snmp_probes_saves_and_replays_offline(snmp_lab: SnmpLab, tmp_path: Path) -> None:  # noqa: F811
    inventory = tmp_path / "inventory"
    env = write_inventory(snmp_lab, inventory)
    snapshots = tmp_path / "snapshots"
    shutil.copytree(LAB / "snapshots", snapshots)
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"snmp": {"timeout": 0.5, "rate_per_host": 50.0}}))
    report = tmp_path / "report.json"
    args = ["scan", "-i", str(inventory), "-s", str(snapshots), "-p", str(policy), "-f", "json", "-o", str(report)]
    proc = run_cli(*args, "--snmp", "--snmp-write-test", "-v", env=env)
    assert proc.returncode == 2, proc.stderr  # blackhole has no configuration: incomplete outranks failing
    findings = {(f["host"], f["check"]): f for f in json.loads(report.read_text())["findings"]}
    assert {f["host"] for f in findings.values() if f["status"] == "error"} == {"blackhole"}
    live = {h: findings[(h, "snmp.live_weak_community")] for h in snmp_lab.ports}
    assert {h for h, f in live.items() if f["status"] == "fail"} == {"hq-acc1", "hq-dist1", "hq-edge1", "hq-core1"}
    assert "WRITE allowed" in live["hq-edge1"]["message"] and "pr***" in live["hq-edge1"]["message"]
    assert "write refused" in live["hq-acc1"]["message"]
    assert live["hq-core2"]["status"] == "pass"
    assert live["blackhole"]["status"] == "error" and "no answer" in live["blackhole"]["message"]
    assert live["hq-edge1"]["evidence"][0]["path"].endswith(f"hq-edge1/{PROBE_FILE}")
    assert (snapshots / "hq-core2" / ENTITY_FILE).is_file()
    assert yaml.safe_load((snapshots / "blackhole" / "meta.yaml").read_text())["platform"] == "cisco_ios"

    # Nothing secret leaked: the hosts' own communities and SNMPv3 keys anywhere, the answered words in clear.
    saved = [p.read_text() for p in snapshots.glob("*/snmp_*.json")]
    strong = [v for v in env.values() if len(v) >= 8]
    assert strong
    for text in [proc.stdout, proc.stderr, report.read_text(), *saved]:
        for secret in strong:
            assert secret not in text
    for text in [report.read_text(), *saved]:
        for word in ("private", "public", "cisco", HIDDEN_COMMUNITY[1]):
            assert f'"{word}"' not in text and f" {word} " not in text, word

    replay = tmp_path / "replay.json"
    proc = run_cli("scan", "-i", str(inventory), "-s", str(snapshots), "-f", "json", "-o", str(replay))
    assert proc.returncode == 2, proc.stderr
    again = {(f["host"], f["check"]): f for f in json.loads(replay.read_text())["findings"]}
    for host, finding in live.items():
        assert again[(host, "snmp.live_weak_community")]["status"] == finding["status"], host


def test_snmp_needs_an_inventory_and_its_options_need_snmp(tmp_path: Path) -> None:
    proc = run_cli("scan", "-s", str(LAB / "snapshots"), "--snmp")
    assert proc.returncode == 2 and "--inventory" in proc.stderr
    proc = run_cli("scan", "--snmp-write-test")
    assert proc.returncode == 2 and "go with --snmp" in proc.stderr
    bad = tmp_path / "policy.yaml"
    bad.write_text(yaml.safe_dump({"snmp": {"versions": ["3"]}}))
    proc = run_cli("scan", "-i", str(LAB), "-p", str(bad), "--snmp", "--hosts", "none")
    assert proc.returncode == 2 and "snmp.versions" in proc.stderr


def test_not_probed_and_unreachable_are_never_a_pass() -> None:
    facts = Facts(host="r1", platform=get_platform("cisco_ios"))
    context = Context(host=HostInfo("r1"), policy=Policy.default(), now=None)  # type: ignore[arg-type]
    assert live_weak_community(facts, context).status is Status.NOT_APPLICABLE
    evidence = Evidence.of("SNMP probe", 1, "x")
    for status in ("silent", "unproven", "no_address"):
        facts.snmp_probe = SnmpProbe(
            agent="10.0.0.1:161",
            alive=False,
            tried=40,
            answered=(),
            reason="no answer",
            evidence=evidence,
            status=status,
        )
        result = live_weak_community(facts, context)
        assert result.status is Status.ERROR and result.params["reason"] == "no answer", status
    facts.snmp_probe = SnmpProbe(
        agent="10.0.0.1:161",
        alive=False,
        tried=0,
        answered=(),
        reason="port unreachable",
        evidence=evidence,
        status="closed",
    )
    assert live_weak_community(facts, context).status is Status.NOT_APPLICABLE


def test_cipher_community_message_reports_the_probe() -> None:
    facts = Facts(host="r1", platform=get_platform("cisco_ios"))
    evidence = Evidence.of("display current-configuration", 3, "snmp-agent community read cipher %^%#x")
    facts.snmp_communities = [SnmpCommunity(Secret("%^%#xyzzy"), "ro", "cipher", evidence)]
    context = Context(host=HostInfo("r1"), policy=Policy.default(), now=None)  # type: ignore[arg-type]
    before = community_strength(facts, context)
    assert "judges them" in before.params["probe"]
    facts.snmp_probe = SnmpProbe(
        agent="10.0.0.1:161", alive=True, tried=45, answered=(), reason="ok", evidence=evidence
    )
    after = community_strength(facts, context)
    assert after.status is Status.NOT_APPLICABLE
    assert "found none of 45" in after.params["probe"]


def test_inventory_credentials_come_from_the_environment_only() -> None:
    literal = host_snmp("10.0.0.1", {"snmp": {"community": "s3cret-value"}}, {})
    assert literal.credential is None and "environment variable" in (literal.problem or "")
    assert "s3cret-value" not in (literal.problem or "")
    unset = host_snmp("10.0.0.1", {"snmp": {"community_env": "NOPE_UNSET"}}, {})
    assert unset.problem and "NOPE_UNSET" in unset.problem
    given = host_snmp("10.0.0.1", {"snmp": {"community_env": "RO", "port": 1161}}, {"RO": "Str0ng-Commun1ty"})
    assert given.port == 1161 and given.credential is not None
    assert "Str0ng" not in repr(given.credential) and "Str0ng" not in str(given.credential.value)
    v3 = host_snmp(
        "10.0.0.1",
        {"snmp": {"user": "u", "auth_key_env": "A", "priv_key_env": "P"}},
        {"A": V3_USER.auth_key, "P": V3_USER.priv_key},
    )
    assert v3.credential is not None and v3.credential.describe().startswith("SNMPv3 user u (authPriv)")


def test_snapshot_documents_are_written_with_the_snapshot(tmp_path: Path) -> None:
    from scanner.snapshot import write_snapshot

    snapshot = Snapshot(host="r1", platform="cisco_ios", outputs={"show version": "x"}, documents={PROBE_FILE: "{}"})
    write_snapshot(tmp_path, snapshot)
    assert (tmp_path / "r1" / PROBE_FILE).read_text() == "{}"
    with pytest.raises(ValueError):
        write_snapshot(tmp_path, Snapshot(host="r2", documents={"../evil.json": "{}"}))
