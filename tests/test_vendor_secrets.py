"""Huawei cipher text, H3C simple passwords, Junos hashes and communities never reach an output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scanhelpers import PLATFORM_FIXTURES, flat_snapshot, load_snapshot, scan

_SECRET_PATTERNS = (
    re.compile(r"\b(?:irreversible-cipher|cipher|simple|hash)\s+(\S+)"),
    re.compile(r"^\s*snmp-agent community (?:read |write )?(?:simple |cipher )?(\S+)", re.M),
    re.compile(r"(?:encrypted-password|plain-text-password-value|password)\s+\"([^\"]+)\""),
    re.compile(r"\bsnmp community \"?([^\s\";]+)"),
    re.compile(r"^\s*community \"?([^\s\";{]+)", re.M),
    re.compile(r"://[^/\s:@\"]+:([^@\s\"]+)@"),
    re.compile(r"(\$[ch]\$\d+\$[^\s\"]+)"),
)
_NOT_SECRETS = {"", "authentication-mode", "privacy-mode"}
CASES = [PLATFORM_FIXTURES / p / c for p in ("huawei", "hp_comware", "juniper_junos") for c in ("pass", "fail")]
BRACES = PLATFORM_FIXTURES / "juniper_junos" / "braces" / "old-fw9.conf"


def _config_files() -> list[Path]:
    names = ("display_current-configuration.txt", "show_configuration_display_set.txt")
    return [p for p in [*(d / f for d in CASES for f in names), BRACES] if p.exists()]


def _secrets() -> set[str]:
    found: set[str] = set()
    for path in _config_files():
        text = path.read_text()
        for pattern in _SECRET_PATTERNS:
            found.update(m.group(1).strip('";') for m in pattern.finditer(text))
    return found - _NOT_SECRETS


def test_the_fixtures_hold_the_secrets_this_test_looks_for() -> None:
    secrets = _secrets()
    for expected in (
        "admin@huawei.com",
        "huawei123",
        "private123",
        "Br1FwMon2026x",
        "$1$kT4bQ9xZ$Jm2nF6vR8sW1yH3cL5dP0.",
    ):
        assert expected in secrets
    assert any(s.startswith("%^%#") for s in secrets) and any(s.startswith("$h$6$") for s in secrets)
    assert len(secrets) >= 15


def test_findings_hold_no_secret_before_any_report_scrubs_them() -> None:
    """Masked at parse time: the findings themselves, before the redactor of the reports runs.

    Short dictionary values (admin, public) also name users and appear in check rationales;
    the reports' redactor covers those, as the end-to-end test below shows.
    """
    secrets = {s for s in _secrets() if len(s) >= 8}
    dumps = []
    for snapshot in [*(load_snapshot(d) for d in CASES), flat_snapshot(BRACES)]:
        dumps.extend(json.dumps(f.to_dict()) for f in scan(snapshot).findings)
    text = "\n".join(dumps)
    leaked = sorted(s for s in secrets if s in text)
    assert not leaked


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_reports_and_logs_of_a_real_run_hold_no_secret(tmp_path: Path, fmt: str) -> None:
    snapshots = tmp_path / "snapshots"
    for directory in CASES:
        shutil.copytree(directory, snapshots / f"{directory.parent.name}-{directory.name}")
    shutil.copy(BRACES, snapshots / BRACES.name)
    result = run_cli("scan", "--snapshots", str(snapshots), "--format", fmt, "-vv")
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "old-fw9" in output and "hp_comware-fail" in output
    secrets = _secrets()
    leaked = sorted(s for s in secrets if len(s) >= 8 and s in output)
    assert not leaked
    # Short dictionary values (public, admin) name users and fill rationales too: what must
    # never show is the configuration line that holds one as a secret.
    lines = {
        line.strip()
        for path in _config_files()
        for line in path.read_text().splitlines()
        if any(pattern.search(line) for pattern in _SECRET_PATTERNS)
    }
    assert len(lines) >= 15
    assert not sorted(line for line in lines if line in output)


def test_keywords_are_never_taken_for_secrets() -> None:
    """Parsing every vendor fixture and lab device must not teach the redactor a keyword."""
    from scanner.masking import REDACTOR, mask_line
    from tests.conftest import LAB

    for snapshot in [*(load_snapshot(d) for d in CASES), flat_snapshot(BRACES)]:
        scan(snapshot)
    for host in ("hq-fw1", "hq-acc2", "hq-acc3", "plant-core1", "plant-sw1"):
        scan(load_snapshot(LAB / "snapshots" / host))
    line = "local-user ops password irreversible-cipher $1a$abc$ service-type ssh authentication-mode hash simple"
    assert REDACTOR.scrub(line) == line
    assert mask_line(" snmp-agent community read cipher %^%#abcdefghij%^%#").startswith(
        " snmp-agent community read cipher %^%"
    )
