"""How much of the public corpus netcomply judges, and that it judges it honestly.

Every file a user could point ``netcomply scan`` at (tests/test_corpus_scan.py's set)
is classified here by hand: the platform of its configuration, or None when it is no
configuration of a supported platform (show outputs, IOS-XR, ASA, F5, FortiOS...).
For the configurations of supported platforms the scan must:

- recognise the platform (IOS and IOS-XE count as one family) and read the configuration
  in at least 98% of them ("judged": not an ``error`` for the whole host);
- give a full verdict on every configuration check of a whole configuration;
- give no ``pass`` from a partial one (a section, a test snippet, a file cut short).
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from scanner.facts import CONFIG
from scanner.model import Finding, HostInfo, ScanResult, Status
from scanner.platforms.resolve import resolve_platform
from tests.scanhelpers import flat_snapshot, scan
from tests.test_corpus_platforms import EXPECTED, FAMILY
from tests.test_corpus_scan import _corpus_configs

# Files EXPECTED (whole configurations of 40 lines or more) does not list, read one by one.
MORE: dict[str, str | None] = {
    "ciscoconfparse/sample_01.catos": None,
    "ciscoconfparse/sample_01.f5": None,
    "ciscoconfparse/sample_02.junos": None,  # six lines of Tcl-like text, no Junos statement
    "ciscoconfparse/synthetic/sample_0[56].ios": "cisco_ios",  # generated VLANs and ACLs
    "hier_config/tests/circular/fixtures/eos_running.conf": "arista_eos",
    "hier_config/tests/fixtures/*_config.conf": "cisco_ios",
    "hier_config/tests/fixtures/*_config_acl.conf": "cisco_ios",
    "napalm/test/eos/mocked_data/test_get_config/normal/*.text": "arista_eos",
    "napalm/test/ios/mocked_data/test_get_environment/*": None,
    "napalm/test/ios/mocked_data/test_get_facts/*": None,
    "napalm/test/iosxr/*": None,
    # `show configuration | display xml`: a Junos configuration netcomply does not read (XML).
    "napalm/test/junos/junos/mock_data/get_config__database_committed__format_text.txt": "juniper_junos",
    "netutils/tests/unit/mock/config/parser/base/cisco_asa/*": None,
    "netutils/tests/unit/mock/config/parser/base/cisco_ios/*": "cisco_ios",
    "netutils/tests/unit/mock/config/parser/base/hp_comware/hp_comware_special_sent.txt": "hp_comware",
    "ntc-templates/cisco_ios/show_running-config_*": "cisco_ios",
    "oxidized/spec/model/data/eos_*": "arista_eos",
    "oxidized/spec/model/data/h3c_*": "hp_comware",
    "oxidized/spec/model/data/nxos_dummy_*": "cisco_nxos",
}
CONFIG_CHECKS = (
    "services.http",
    "services.ftp",
    "services.tftp",
    "services.telnet",
    "snmp.community_strength",
    "snmp.community_write",
    "auth.local_password",
    "logging.remote",
)
FLOOR = 0.98


def _classified(relative: str) -> tuple[bool, str | None]:
    for table in (EXPECTED, MORE):
        for pattern, platform in table.items():
            if fnmatch.fnmatchcase(relative, pattern):
                return True, platform
    return False, None


def _config_verdicts(result: ScanResult) -> dict[str, Finding]:
    """The one finding of each configuration check (two for one check is a fault)."""
    verdicts: dict[str, Finding] = {}
    for finding in result.findings:
        if finding.check in CONFIG_CHECKS:
            assert finding.check not in verdicts, f"two findings for {finding.check}"
            verdicts[finding.check] = finding
    return verdicts


def _family(name: str | None) -> str | None:
    return FAMILY.get(name, name) if name else None


def test_at_least_98_percent_of_supported_configs_are_judged_and_none_passes_on_a_part(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unjudged: dict[str, str] = {}
    whole = partial = 0
    supported = 0
    for path in _corpus_configs(corpus):
        relative = path.relative_to(corpus).as_posix()
        listed, expected = _classified(relative)
        assert listed, f"{relative}: classify it in EXPECTED or MORE"
        if expected is None:
            continue
        supported += 1
        snapshot = flat_snapshot(path)
        host = HostInfo(name=snapshot.host, data={"role": "core", "critical": True})
        try:
            platform = resolve_platform(host, snapshot)
        except Exception as exc:  # PlatformError: the host is an error as a whole
            unjudged[relative] = str(exc)
            continue
        if _family(platform.name) != _family(expected):
            unjudged[relative] = f"taken for {platform.name}"
            continue
        facts = platform.parse(snapshot)
        if CONFIG in facts.unavailable:
            unjudged[relative] = facts.unavailable[CONFIG]
            continue
        # Checks judging lists or lines (acl.*) give a finding per fault; the configuration checks give one.
        verdicts = _config_verdicts(scan(flat_snapshot(path), platform=platform.name))
        statuses = {check: verdicts[check].status for check in CONFIG_CHECKS}
        if facts.config_incomplete is None:
            whole += 1
            assert Status.ERROR not in statuses.values(), (relative, statuses)
        else:
            partial += 1
            assert Status.PASS not in statuses.values(), (relative, statuses)
    judged = whole + partial
    share = judged / supported
    with capsys.disabled():
        print(
            f"\ncorpus: {judged} of {supported} configurations of supported platforms judged ({share:.1%}): "
            f"{whole} whole, {partial} partial (failures shown by lines only); not judged: {unjudged}"
        )
    assert supported >= 100
    assert share >= FLOOR, unjudged
