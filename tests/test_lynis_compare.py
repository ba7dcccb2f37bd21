"""Lynis and netcomply on the same test hosts (bench/lynis_compare.py): the form items each one covers.

Lynis runs for real inside each test host's namespaces. The test pins the differences
the form cares about: where Lynis has no test (minimum password length, signature age,
weekly scan, listening clear-text services) netcomply still judges, and where both have
one they agree on both hosts.
"""

from __future__ import annotations

import shutil

import pytest

from testbed.linuxhost import skip_reason

pytestmark = pytest.mark.skipif(
    skip_reason() is not None or shutil.which("lynis") is None,
    reason=skip_reason() or "lynis is not installed (Debian package lynis; see tools/system-packages.txt)",
)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory):
    from bench.lynis_compare import compare

    return compare(tmp_path_factory.mktemp("lynis"))


def row(comparison, requirement: str) -> tuple[dict[str, str], dict[str, str]]:
    for candidate, lynis, ours in comparison.rows:
        if candidate.requirement == requirement:
            return lynis, ours
    raise KeyError(requirement)


def test_lynis_has_no_minimum_length_test_and_netcomply_does(comparison) -> None:
    lynis, ours = row(comparison, "password length: admin > 8, user > 6")
    assert lynis == {"linux-compliant": "ok", "linux-violating": "ok"}  # pam_pwquality is there: enough for Lynis
    assert ours == {"linux-compliant": "pass", "linux-violating": "fail"}  # minlen=6 < 9


@pytest.mark.parametrize(
    "requirement",
    [
        "no account without a password",
        "security patches installed",
        "SSH: no root password login, no empty passwords",
        "passwords changed within 6 months",
    ],
)
def test_both_tools_agree_where_both_have_a_test(comparison, requirement: str) -> None:
    lynis, ours = row(comparison, requirement)
    assert lynis == {"linux-compliant": "ok", "linux-violating": "flags"}
    assert ours == {"linux-compliant": "pass", "linux-violating": "fail"}


def test_netcomply_covers_what_lynis_does_not_look_at(comparison) -> None:
    for requirement in ("scan at least weekly", "signatures updated", "no telnet/FTP/TFTP/rsh service"):
        lynis, ours = row(comparison, requirement)
        assert lynis["linux-violating"] != "flags", requirement
        assert ours == {"linux-compliant": "pass", "linux-violating": "fail"}, requirement


def test_the_table_names_every_form_item(comparison) -> None:
    table = comparison.table()
    for item in ("5.1.3", "5.1.5", "5.2.5", "logs"):
        assert f"| {item} |" in table
    assert table.count("\n") == len(comparison.rows) + 1
