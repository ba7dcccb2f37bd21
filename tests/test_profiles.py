"""Issue 16: the shipped policy profiles (form, mlps-l3), extended by a policy file and printed by the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scanner.policy import PROFILES, Policy, PolicyError, profile_text
from tests.conftest import run_cli
from tests.verdicthelpers import finding, ios, policy

STRENGTH = "snmp.community_strength"


@pytest.mark.parametrize("name", PROFILES)
def test_every_profile_is_a_valid_policy_of_known_keys(name: str) -> None:
    loaded = Policy.from_text(f"profile: {name}\n", "p.yaml")
    assert loaded.profile == name
    for section, values in yaml.safe_load(profile_text(name)).items():
        for key, value in values.items():
            assert loaded.data[section][key] == value, (section, key)


def test_mlps_l3_holds_the_level_3_thresholds() -> None:
    thresholds = Policy.from_text("profile: mlps-l3\n", "p.yaml").data["thresholds"]
    assert thresholds["password_min_length_admin"] == 8 and thresholds["password_min_classes"] == 2
    assert thresholds["login_lockout_max_attempts"] == 5 and thresholds["login_lockout_min_minutes"] == 5
    assert thresholds["idle_timeout_max_minutes"] == 10


def test_a_policy_file_overrides_the_profile_it_extends() -> None:
    loaded = Policy.from_text("profile: mlps-l3\nthresholds:\n  idle_timeout_max_minutes: 5\n", "p.yaml")
    assert loaded.data["thresholds"]["idle_timeout_max_minutes"] == 5
    assert loaded.data["thresholds"]["password_min_classes"] == 2, "the profile's other values stay"


def test_an_unknown_profile_is_refused() -> None:
    refusal = r"p.yaml, line 1: profile: no profile 'mlps-l2' \(did you mean 'mlps-l3'\?\)"
    with pytest.raises(PolicyError, match=refusal):
        Policy.from_text("profile: mlps-l2\n", "p.yaml")


@pytest.mark.parametrize(
    ("community", "form", "mlps"),
    [
        ("Abcdefg1", "fail", "pass"),  # 8 characters: not "more than 8", but 8 and three classes
        ("abcdefghij", "fail", "fail"),  # letters only: no digit (form), one class (level 3)
        ("k3ybo4rdx9", "pass", "pass"),
    ],
)
def test_the_profiles_judge_the_same_community_by_their_own_rules(community: str, form: str, mlps: str) -> None:
    config = ios(
        f"ip access-list standard NMS\n permit 10.10.99.0 0.0.0.255\nsnmp-server community {community} RO NMS\n"
    )
    assert finding("cisco_ios", config, STRENGTH, policy("profile: form\n")).status.value == form
    assert finding("cisco_ios", config, STRENGTH, policy("profile: mlps-l3\n")).status.value == mlps


def test_netcomply_policy_prints_a_profile_and_checks_a_file_that_extends_it(tmp_path: Path) -> None:
    printed = run_cli("policy", "--profile", "mlps-l3")
    assert printed.returncode == 0 and printed.stdout == profile_text("mlps-l3")
    path = tmp_path / "mine.yaml"
    path.write_text("profile: form\nthresholds:\n  idle_timeout_max_minutes: 15\n")
    checked = run_cli("policy", "--check", str(path))
    assert checked.returncode == 0 and "profile form" in checked.stdout
    refused = run_cli("policy", "--profile", "mlps-l9")
    assert refused.returncode != 0 and "mlps-l3" in refused.stderr
