"""Every configuration of the shared corpus: its platform told from the text alone, and a scan that never crashes.

The expected platforms were set by reading each file (headers, syntax, the source
project's own naming). ``ciscoconfparse/HP_Procurve.conf`` is in fact an HP V1910,
a Comware 5 switch (``version 5.20, Release 1513P81``, ``sysname``, ``#`` sections).
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from checks import load_checks
from scanner.engine import ScanOptions, run_scan
from scanner.model import HostInfo, Status
from scanner.platforms import detect_platform
from scanner.policy import Policy
from scanner.snapshot import FLAT_KEY, HostInput, Snapshot, decode

# Whole configurations (40 lines or more, as the corpus README counts them), and the
# small hand-written cross-vendor fixtures of hier_config. None: a platform netcomply
# does not audit (IOS-XR, ASA, F5, FortiOS, ProCurve, VyOS), which must not be taken
# for a supported one. IOS and IOS-XE count as one family.
EXPECTED: dict[str, str | None] = {
    "ciscoconfparse/HP_Procurve.conf": "hp_comware",
    "ciscoconfparse/sample_01.asa": None,
    "ciscoconfparse/sample_01.ios": "cisco_ios",
    "ciscoconfparse/sample_01.iosxr": None,
    "ciscoconfparse/sample_01.junos": "juniper_junos",
    "ciscoconfparse/sample_01.nxos": "cisco_nxos",
    "ciscoconfparse/sample_02.f5": None,
    "ciscoconfparse/sample_02.ios": "cisco_ios",
    "ciscoconfparse/sample_02.iosxr": None,
    "ciscoconfparse/sample_03.ios": "cisco_ios",
    "ciscoconfparse/sample_03.iosxr": None,
    "ciscoconfparse/sample_03.junos": "juniper_junos",
    "ciscoconfparse/sample_04.ios": "cisco_ios",
    "ciscoconfparse/sample_04.iosxr": None,
    "ciscoconfparse/sample_04.junos": "juniper_junos",
    "ciscoconfparse/sample_05.iosxr": None,
    "ciscoconfparse/sample_06.iosxr": None,
    "ciscoconfparse/sample_07.ios": "cisco_ios",
    "ciscoconfparse/sample_07.iosxr": None,
    "ciscoconfparse/sample_08.ios": "cisco_ios",
    "ciscoconfparse/sample_09.ios": "cisco_ios",
    "eNSP_Labs/*/*/*.cfg": "huawei",
    "hier_config/tests/circular/fixtures/comware5_generated.conf": "hp_comware",
    "hier_config/tests/circular/fixtures/comware5_running.conf": "hp_comware",
    "hier_config/tests/circular/fixtures/eos_generated.conf": "arista_eos",
    "hier_config/tests/circular/fixtures/fortios_generated.conf": None,
    "hier_config/tests/circular/fixtures/fortios_running.conf": None,
    "hier_config/tests/circular/fixtures/ios_generated.conf": "cisco_ios",
    "hier_config/tests/circular/fixtures/ios_running.conf": "cisco_ios",
    "hier_config/tests/circular/fixtures/iosxr_generated.conf": None,
    "hier_config/tests/circular/fixtures/iosxr_running.conf": None,
    "hier_config/tests/circular/fixtures/junos_generated.conf": "juniper_junos",
    "hier_config/tests/circular/fixtures/junos_running.conf": "juniper_junos",
    "hier_config/tests/circular/fixtures/nxos_generated.conf": "cisco_nxos",
    "hier_config/tests/circular/fixtures/nxos_running.conf": "cisco_nxos",
    "hier_config/tests/circular/fixtures/procurve_generated.conf": None,
    "hier_config/tests/circular/fixtures/procurve_running.conf": None,
    "hier_config/tests/circular/fixtures/vyos_generated.conf": None,
    "hier_config/tests/circular/fixtures/vyos_running.conf": None,
    "hier_config/tests/fixtures/generated_config_flat_junos.conf": "juniper_junos",
    "hier_config/tests/fixtures/generated_config_junos.conf": "juniper_junos",
    "hier_config/tests/fixtures/running_config_flat_junos.conf": "juniper_junos",
    "hier_config/tests/fixtures/running_config_junos.conf": "juniper_junos",
    "napalm/test/ios/mocked_data/test_get_config/normal/show_running_config.txt": "cisco_ios",
    "napalm/test/ios/mocked_data/test_get_config/normal/show_startup_config.txt": "cisco_ios",
    "napalm/test/nxos_ssh/mocked_data/test_get_config/normal/show_running_config.txt": "cisco_nxos",
    "napalm/test/nxos_ssh/mocked_data/test_get_config/normal/show_startup_config.txt": "cisco_nxos",
    "netutils/tests/unit/mock/config/compliance/compliance/hp_comware/hp_comware_full_backup.txt": "hp_comware",
    "netutils/tests/unit/mock/config/compliance/compliance/hp_comware/hp_comware_full_intended.txt": "hp_comware",
    "netutils/tests/unit/mock/config/parser/base/arista_eos/eos_full_sent.txt": "arista_eos",
    "netutils/tests/unit/mock/config/parser/base/cisco_asa/asa_full_sent.txt": None,
    "netutils/tests/unit/mock/config/parser/base/cisco_ios/ios_full_sent.txt": "cisco_ios",
    "netutils/tests/unit/mock/config/parser/base/cisco_nxos/nxos_full_sent.txt": "cisco_nxos",
    "netutils/tests/unit/mock/config/parser/base/hp_comware/hp_comware_full_sent.txt": "hp_comware",
    "netutils/tests/unit/mock/config/parser/base/hp_comware/hp_comware_sent.txt": "hp_comware",
    "netutils/tests/unit/mock/config/parser/base/juniper_junos/junos_full_sent.txt": "juniper_junos",
    "oxidized/spec/model/data/asa_5512_9.12-4-67_single-context_output.txt": None,
    "oxidized/spec/model/data/ios_C9200L-24P-4G_17.09.04a_output.txt": "cisco_ios",
    "oxidized/spec/model/data/ios_C9800-L-F-K9_17.06.05_output.txt": "cisco_ios",
    "oxidized/spec/model/data/ios_asr920_16.8.1b_output.txt": "cisco_ios",
    "oxidized/spec/model/data/junos_srx300_22.4_output.txt": "juniper_junos",
    "oxidized/spec/model/data/junos_srx300_22.4_wo_cluster_output.txt": "juniper_junos",
    "oxidized/spec/model/data/nxos_C93180YC-FX3J_10.4.5_output.txt": "cisco_nxos",
    "oxidized/spec/model/data/nxos_N5548_7.3.13_output.txt": "cisco_nxos",
}
# 40 lines or more but no configuration: show outputs, XML, and generated stress data.
NOT_CONFIGS = (
    "ciscoconfparse/synthetic/*",
    "napalm/test/ios/mocked_data/test_get_facts/*",
    "napalm/test/iosxr/*",
    "napalm/test/junos/*",
)
FAMILY = {"cisco_xe": "cisco_ios"}
HOST_CHECKS = {spec.id for spec in load_checks() if spec.scope == "host"}


def _config_files(corpus: Path) -> list[Path]:
    """Every file of the corpus a user could point `netcomply scan` at, except raw show outputs."""
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and "ntc-templates" not in p.parts and p.name != "README.md" and p.suffix != ".yaml"
    )


def _expected(relative: str) -> tuple[bool, str | None]:
    for pattern, platform in EXPECTED.items():
        if fnmatch.fnmatchcase(relative, pattern):
            return True, platform
    return False, None


def test_every_whole_config_is_told_apart(corpus: Path) -> None:
    wrong = {}
    counted = 0
    for path in _config_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        listed, expected = _expected(relative)
        if not listed:
            lines = decode(path.read_bytes()).count("\n")
            assert lines < 40 or any(fnmatch.fnmatchcase(relative, p) for p in NOT_CONFIGS), (
                f"{relative}: a whole config missing from the expected table"
            )
            continue
        detected = detect_platform(decode(path.read_bytes()))
        name = FAMILY.get(detected.name, detected.name) if detected else None
        counted += 1
        if name != expected:
            wrong[relative] = (expected, name)
    assert not wrong
    assert counted >= 100


def _scan_flat(text: str, name: str):
    host = HostInfo(name=name, data={"role": "core", "critical": True})
    snapshot = Snapshot(host=name, outputs={FLAT_KEY: text}, origin=name)
    return run_scan([HostInput(host=host, snapshot=snapshot)], ScanOptions(policy=Policy.default()))


def test_every_corpus_file_scans_without_an_exception(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Each file gives one finding per host check: verdicts, or `error` findings saying why not."""
    scanned = 0
    for path in _config_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        result = _scan_flat(decode(path.read_bytes()), relative)
        assert {f.check for f in result.findings if f.host == relative} >= HOST_CHECKS, relative
        crashed = [f for f in result.findings if f.status is Status.ERROR and "failed to run" in f.message]
        assert not crashed, (relative, crashed[0].message)
        parse_errors = [f for f in result.findings if "cannot parse the snapshot" in f.message]
        assert not parse_errors, (relative, parse_errors[0].message)
        text = decode(path.read_bytes())
        detected = detect_platform(text)
        whole = detected is not None and detected.config_truncation(text) is None
        if whole and detected.name in ("huawei", "hp_comware", "juniper_junos"):
            config_errors = [f for f in result.findings if f.status is Status.ERROR and f.check.startswith("services.")]
            assert not config_errors, (relative, config_errors[0].message)
        scanned += 1
    assert scanned >= 120
    assert "Traceback" not in caplog.text


def test_nxos_whole_config_test_agrees_with_the_line_start_pattern(corpus: Path) -> None:
    """NX-OS proves a configuration whole by the sections it prints last, at the start of a line.
    The fast search (after a newline, or at the very start) must find exactly what ``^...`` under
    re.M finds: on hand-made edges, every corpus file, and each of them cut short anywhere."""
    import random
    import re

    from scanner.platforms.cisco_nxos import _reaches_last_sections

    reference = re.compile(r"^(?:line vty|boot (?:nxos|system|kickstart) )", re.M)
    texts = [
        "line vty\n",
        "hostname a\nline vty\n",
        "hostname a\n line vty\n",
        "hostname a\r\nboot nxos bootflash:/n9000.bin\r\n",
        "hostname a\nboot nxos",
        "hostname a\nboot kickstart x\n",
        "xline vty\n",
        "hostname a\nline console\n",
        "",
        "\n",
        "boot system x",
    ]
    rng = random.Random(15)
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.stat().st_size < 2_000_000:
            text = decode(path.read_bytes())
            texts += [text, *(text[: rng.randrange(len(text) + 1)] for _ in range(5))]
    assert sum(bool(reference.search(t)) for t in texts) > 10
    for text in texts:
        assert _reaches_last_sections(text) == bool(reference.search(text)), text[:80]
