"""Issue 13, section 2: services. One HTTPS rule, EOS vrf/localhost, Comware telnet, Junos groups, defaults."""

from __future__ import annotations

import pytest

from tests.verdicthelpers import (
    COMWARE5,
    COMWARE7,
    comware,
    eos,
    facts,
    findings,
    huawei,
    ios,
    junos,
    line_of,
    lines,
    nxos,
    policy,
    status,
)

ALLOW_HTTPS = "services:\n  allow_https_management: true\n"

# (platform, configuration that serves web management over HTTPS only)
HTTPS_ONLY = [
    ("cisco_ios", ios("no ip http server\nip http secure-server\nip http authentication local\n")),
    ("cisco_nxos", nxos("feature nxapi\nnxapi https port 443\n")),
    ("arista_eos", eos("management api http-commands\n   no shutdown\n")),
    ("huawei", huawei("undo http server enable\nhttp secure-server enable\n")),
    ("hp_comware", comware(COMWARE7, " ip https enable\n#\n")),
    ("juniper_junos", junos("set system services web-management https system-generated-certificate\n")),
]
# (platform, configuration that also serves plain HTTP)
PLAIN_HTTP = [
    ("cisco_ios", ios("ip http server\nip http secure-server\n")),
    ("cisco_nxos", nxos("feature nxapi\nnxapi http port 80\n")),
    ("arista_eos", eos("management api http-commands\n   protocol http\n   no shutdown\n")),
    ("huawei", huawei("http server enable\n")),
    ("hp_comware", comware(COMWARE7, " ip http enable\n#\n")),
    ("juniper_junos", junos("set system services web-management http\n")),
]


@pytest.mark.parametrize(("platform", "config"), HTTPS_ONLY)
def test_https_management_fails_by_default_on_every_vendor(platform: str, config: str) -> None:
    http = findings(platform, config)["services.http"]
    assert http.status.value == "fail", http.message
    assert http.evidence and http.remediation


@pytest.mark.parametrize(("platform", "config"), HTTPS_ONLY)
def test_https_management_passes_on_every_vendor_when_the_policy_accepts_it(platform: str, config: str) -> None:
    http = findings(platform, config, policy(ALLOW_HTTPS))["services.http"]
    assert http.status.value == "pass", http.message
    assert "HTTPS management accepted by the policy" in http.message


@pytest.mark.parametrize(("platform", "config"), PLAIN_HTTP)
def test_plain_http_fails_whatever_the_policy_says_of_https(platform: str, config: str) -> None:
    http = findings(platform, config, policy(ALLOW_HTTPS))["services.http"]
    assert http.status.value == "fail", http.message


def test_eos_eapi_over_http_to_localhost_only_is_no_remote_server() -> None:
    config = eos("management api http-commands\n   protocol http localhost\n   no protocol https\n   no shutdown\n")
    found = findings("arista_eos", config)
    assert status(found, "services.http") == "pass", found["services.http"].message


@pytest.mark.parametrize(
    "block",
    [
        "management api http-commands\n   protocol http\n   !\n   vrf MGMT\n      no shutdown\n",
        "management api http-commands\n   shutdown\n   !\n   vrf MGMT\n      no shutdown\n",
    ],
)
def test_eos_eapi_running_in_a_vrf_is_running(block: str) -> None:
    config = eos(block)
    found = findings("arista_eos", config)
    assert status(found, "services.http") == "fail"
    assert line_of(config, "      no shutdown") in lines(found, "services.http")
    assert "vrf MGMT" in found["services.http"].message


def test_eos_telnet_running_in_a_vrf_is_telnet_on() -> None:
    config = eos("management telnet\n   shutdown\n   !\n   vrf MGMT\n      no shutdown\n")
    found = findings("arista_eos", config)
    assert status(found, "services.telnet") == "fail"
    assert "management telnet, vrf MGMT" in found["services.telnet"].message


# ---- H3C Comware telnet: protocol inbound and the release's defaults ----------------------


@pytest.mark.parametrize(
    ("release", "body", "expected"),
    [
        # Comware 5: the telnet server is on by default, so a VTY line taking telnet is telnet on.
        (COMWARE5, "user-interface vty 0 15\n authentication-mode scheme\n protocol inbound telnet\n", "fail"),
        (COMWARE5, "user-interface vty 0 15\n authentication-mode scheme\n protocol inbound all\n", "fail"),
        # VTY 5-15 are not shown: they keep the default (telnet and SSH).
        (COMWARE5, "user-interface vty 0 4\n authentication-mode scheme\n protocol inbound ssh\n", "fail"),
        (COMWARE5, "user-interface vty 0 15\n authentication-mode scheme\n protocol inbound ssh\n", "pass"),
        (COMWARE5, " undo telnet server enable\n#\nuser-interface vty 0 15\n protocol inbound all\n", "pass"),
        # Comware 7: the telnet server is off until enabled.
        (COMWARE7, "line vty 0 63\n authentication-mode scheme\n protocol inbound telnet\n", "pass"),
        (COMWARE7, " telnet server enable\n#\nline vty 0 63\n protocol inbound all\n", "fail"),
        (COMWARE7, " telnet server enable\n#\nline class vty\n protocol inbound ssh\n#\nline vty 0 4\n", "fail"),
    ],
)
def test_comware_telnet_follows_protocol_inbound_and_the_release_defaults(
    release: str, body: str, expected: str
) -> None:
    found = findings("hp_comware", comware(release, body))
    assert status(found, "services.telnet") == expected, found["services.telnet"].message


def test_comware_7_telnet_off_by_default_says_so() -> None:
    telnet = findings("hp_comware", comware(COMWARE7, "line vty 0 63\n protocol inbound ssh\n"))["services.telnet"]
    assert telnet.status.value == "pass"
    assert "decided by vendor default: Comware 7 default: telnet server disabled" in telnet.message


def test_comware_5_vty_lines_the_configuration_does_not_show_are_named() -> None:
    config = comware(COMWARE5, "user-interface vty 0 4\n protocol inbound ssh\n")
    telnet = findings("hp_comware", config)["services.telnet"]
    assert "user-interface vty 5 15 (not in the configuration; Comware 5 default" in telnet.message
    assert lines({"t": telnet}, "t") == [line_of(config, "version 5.20")]


# ---- vendor defaults per release --------------------------------------------------------


@pytest.mark.parametrize(
    ("release", "expected", "said"),
    [
        (COMWARE5, "fail", "Comware 5 default: HTTP service enabled"),
        (COMWARE7, "pass", "Comware 7 default: HTTP service disabled"),
        ("", "fail", "Comware (release unknown, Comware 5 defaults assumed) default: HTTP service enabled"),
    ],
)
def test_comware_http_default_depends_on_the_release(release: str, expected: str, said: str) -> None:
    http = findings("hp_comware", comware(release, ""))["services.http"]
    assert http.status.value == expected, http.message
    assert f"decided by vendor default: {said}" in http.message


def test_comware_release_is_read_from_display_version_when_the_configuration_has_none() -> None:
    version = (
        "H3C Comware Software, Version 7.1.070, Release 6328P03\n"
        "Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.\n"
        "H3C S5130S-52P-EI uptime is 0 weeks, 96 days, 2 hours, 37 minutes\n"
    )
    found = findings("hp_comware", comware("", ""), **{"display version": version})
    assert "Comware 7 default: HTTP service disabled" in found["services.http"].message
    assert status(found, "services.http") == "pass"


def test_an_explicit_statement_wins_over_the_release_default() -> None:
    http = findings("hp_comware", comware(COMWARE5, " undo ip http enable\n#\n"))["services.http"]
    assert http.status.value == "pass" and "vendor default" not in http.message


@pytest.mark.parametrize(
    ("statement", "versions", "default"),
    [
        ("", ("1", "2"), "IOS default: SSH compatibility mode 1.99 (versions 1 and 2)"),
        ("ip ssh version 2\n", ("2",), ""),
        ("ip ssh version 1\n", ("1",), ""),
    ],
)
def test_ios_ssh_versions_come_from_the_statement_or_the_ios_default(
    statement: str, versions: tuple[str, ...], default: str
) -> None:
    ssh = facts("cisco_ios", ios(statement)).ssh
    assert ssh is not None and ssh.versions == versions and ssh.default == default


def test_ios_vty_without_transport_input_says_the_default_decided() -> None:
    telnet = findings("cisco_ios", ios("line vty 0 4\n login local\n"))["services.telnet"]
    assert telnet.status.value == "fail"
    assert "decided by vendor default: IOS default: 'transport input' differs by release" in telnet.message


# ---- Junos groups -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ("set groups LEGACY system services telnet\nset apply-groups LEGACY\n", "fail"),
        ("set groups LEGACY system services telnet\nset system apply-groups LEGACY\n", "fail"),
        ('set groups "LEGACY" system services telnet\nset system apply-groups "LEGACY"\n', "fail"),
        ("set groups LEGACY system services telnet\n", "pass"),
        ("set groups LEGACY system services telnet\nset interfaces apply-groups LEGACY\n", "pass"),
        (
            "set groups LEGACY system services telnet\nset apply-groups LEGACY\n"
            "set system apply-groups-except LEGACY\n",
            "pass",
        ),
        ("set groups LEGACY system services telnet\nset apply-groups LEGACY\ndeactivate apply-groups LEGACY\n", "pass"),
    ],
)
def test_junos_statements_inherited_through_apply_groups_count(statements: str, expected: str) -> None:
    found = findings("juniper_junos", junos(statements))
    assert status(found, "services.telnet") == expected, found["services.telnet"].message
    if expected == "fail":
        # The fix names the group statement as the device printed it (quotes are valid Junos syntax).
        fix = found["services.telnet"].remediation
        assert [line.replace('"', "") for line in fix] == ["delete groups LEGACY system services telnet"]


def test_junos_groups_in_braces_are_inherited_too() -> None:
    config = (
        "## Last commit: 2026-11-19 02:11:09 UTC by netops\nversion 21.4R3-S5;\ngroups {\n    LEGACY {\n"
        "        system {\n            services {\n                telnet;\n            }\n        }\n    }\n}\n"
        "system {\n    apply-groups LEGACY;\n    host-name br-fw2;\n    services {\n        ssh;\n    }\n}\n"
    )
    found = findings("juniper_junos", config)
    assert status(found, "services.telnet") == "fail"
    assert lines(found, "services.telnet") == [line_of(config, "telnet;")]
