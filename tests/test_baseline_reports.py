"""Issue 16: the baseline clauses (form item, GB/T 22239, CIS) in the check list, the markdown, the audit form."""

from __future__ import annotations

import re

import pytest

from checks.frameworks import clauses_by_check
from reports import render
from tests.conftest import LAB, ROOT, run_cli
from tests.scanhelpers import scan_folder

BASELINE = {
    "auth.login_lockout": ("5.2.3", "8.1.4.1 b)"),
    "auth.idle_timeout": ("5.2.3", "8.1.4.1 b)"),
    "access.management_acl": ("5.2.3", "8.1.4.4 c)"),
    "services.ssh_version": ("5.2.3", "8.1.4.1 c)"),
    "time.ntp": ("other.logging", "8.1.4.3 b)"),
    "logging.timestamps": ("other.logging", "8.1.4.3 b)"),
    "logging.config_changes": ("other.logging", "8.1.4.3 a)"),
}


@pytest.mark.parametrize(("check", "clauses"), sorted(BASELINE.items()))
def test_every_baseline_check_names_its_form_item_and_gbt_22239_clause(check: str, clauses: tuple[str, str]) -> None:
    form_item, mlps = clauses
    mapped = clauses_by_check()[check]
    assert form_item in mapped["form"] and mlps in mapped["mlps"]


def test_cis_ids_where_the_benchmark_has_one() -> None:
    mapped = clauses_by_check()
    assert mapped["auth.idle_timeout"]["cis"] == ("1.2.6", "1.2.7", "1.2.10")
    assert mapped["access.management_acl"]["cis"] == ("1.2.4", "1.2.5")
    assert mapped["services.ssh_version"]["cis"] == ("2.1.1.2",)
    assert mapped["time.ntp"]["cis"] == ("2.3.2",)


def test_netcomply_checks_lists_the_baseline() -> None:
    listed = run_cli("checks")
    assert listed.returncode == 0
    for check in BASELINE:
        assert check in listed.stdout


@pytest.fixture(scope="module")
def lab():
    return scan_folder(LAB / "snapshots", inventory=LAB)


def test_markdown_shows_the_clauses_of_each_failing_check(lab) -> None:
    text = str(render("markdown", lab))
    for check, (form_item, mlps) in BASELINE.items():
        section = text.split(f"### `{check}`", 1)[1].split("\n### ", 1)[0]
        clauses = re.search(r"^Clauses: (.*)$", section, re.M)
        assert clauses is not None, check
        assert f"self-assessment form {form_item}" in clauses.group(1)
        assert mlps in clauses.group(1)


def test_the_audit_form_shows_the_new_clauses(lab) -> None:
    english = str(render("audit-en", lab))
    for clause in ("8.1.4.1 b)", "8.1.4.4 c)", "8.1.4.3 b)"):
        assert clause in english
    assert "login-failure handling" in english
    chinese = str(render("audit-zh", lab))
    assert "登录失败处理功能" in chinese and "对通过网络进行管理的管理终端进行限制" in chinese


def test_the_readme_documents_the_checks_and_the_profiles() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What it checks", 1)[1].split("## ", 1)[0]
    for check in BASELINE:
        assert f"| `{check}` |" in table, check
    policy = readme.split("## Policy", 1)[1].split("\n## ", 1)[0]
    assert "`profile: NAME`" in policy and "netcomply policy --profile NAME" in policy
    for profile in ("form", "mlps-l3"):
        assert f"| `{profile}` |" in policy, profile
