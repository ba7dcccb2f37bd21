"""Detection reads what a saved file says about itself, and recognises partial configurations.

RANCID and Oxidized label what they save (a ``RANCID-CONTENT-TYPE`` header, the
device's commented version banner, a ``router.db`` row): a label outranks any guess.
A section of a configuration (an ACL, a VRP interface block) carries no vendor marker
but is still written in its vendor's language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.model import Status
from scanner.platforms import detect_platform
from tests.scanhelpers import PLATFORM_FIXTURES, scan_folder

NXOS_BODY = """!
interface Ethernet1/1
  description uplink to core
  no switchport
  ip address 10.0.0.1/31
  no shutdown
!
interface Ethernet1/2
  switchport mode trunk
!
"""


def _detected(text: str) -> str | None:
    platform = detect_platform(text)
    return platform.name if platform else None


def test_a_rancid_header_decides_the_platform() -> None:
    """Interfaces alone look like IOS; RANCID says the device is a Nexus."""
    assert _detected(NXOS_BODY) == "cisco_ios"
    assert _detected("!RANCID-CONTENT-TYPE: cisco-nx\n" + NXOS_BODY) == "cisco_nxos"
    assert _detected("!RANCID-CONTENT-TYPE: arista\n" + NXOS_BODY) == "arista_eos"


def test_rancid_junos_and_h3c_headers() -> None:
    junos = (PLATFORM_FIXTURES / "juniper_junos" / "pass" / "show_configuration_display_set.txt").read_text()
    assert _detected("#RANCID-CONTENT-TYPE: juniper\n#\n" + junos) == "juniper_junos"
    assert _detected("# RANCID-CONTENT-TYPE: juniper-srx\n" + junos) == "juniper_junos"
    comware = (PLATFORM_FIXTURES / "hp_comware" / "pass" / "display_current-configuration.txt").read_text()
    assert _detected("!RANCID-CONTENT-TYPE: h3c\n" + comware) == "hp_comware"


def test_rancid_cisco_is_the_ios_family_and_never_an_asa() -> None:
    ios = (PLATFORM_FIXTURES / "cisco_ios" / "pass" / "show_running-config.txt").read_text()
    assert _detected("!RANCID-CONTENT-TYPE: cisco\n" + ios) == "cisco_ios"
    asa = "!RANCID-CONTENT-TYPE: cisco\n!\n: Saved\n:\nASA Version 9.12(4)67\n!\nhostname fw1\n"
    assert _detected(asa) is None


def test_an_unsupported_rancid_type_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "edge-fw.cfg").write_text(
        "#RANCID-CONTENT-TYPE: fortigate\n#\nconfig system global\n    set hostname edge-fw\nend\n"
    )
    findings = [f for f in scan_folder(tmp_path).findings if f.host == "edge-fw" and f.check == "services.http"]
    assert findings[0].status is Status.ERROR
    assert "RANCID-CONTENT-TYPE fortigate" in findings[0].message


@pytest.mark.parametrize(
    ("banner", "platform"),
    [
        ("! Cisco Nexus Operating System (NX-OS) Software\n! TAC support: http://www.cisco.com/tac\n", "cisco_nxos"),
        ("! Cisco IOS XE Software, Version 17.09.04a\n! \n", "cisco_xe"),
        ("# Huawei Versatile Routing Platform Software\n# VRP (R) software, Version 8.180\n", "huawei"),
        ("# HPE Comware Software, Version 7.1.070, Release 3507P18\n", "hp_comware"),
    ],
)
def test_an_oxidized_models_banner_names_the_platform(banner: str, platform: str) -> None:
    vrp = "#\ninterface GigabitEthernet0/0/1\n port link-type trunk\n#\n"
    body = NXOS_BODY if platform.startswith("cisco") else vrp
    assert _detected(banner + body) == platform


def _rancid_group(tmp_path: Path, router_db: str) -> Path:
    """RANCID's layout: GROUP/router.db beside GROUP/configs/<host> (no extension, no header)."""
    group = tmp_path / "dc"
    configs = group / "configs"
    configs.mkdir(parents=True)
    (group / "router.db").write_text(router_db)
    (configs / "leaf7.example.net").write_text(NXOS_BODY + "line vty\nboot nxos bootflash:/nxos.9.3.12.bin\n")
    return configs


@pytest.mark.parametrize(
    "router_db",
    [
        "# RANCID 3\nleaf7.example.net;cisco-nx;up\nspine1.example.net;arista;up\n",
        "leaf7.example.net:cisco-nx:up\n",  # RANCID 2
        "leaf7.example.net:10.0.0.7:nxos:dc\n",  # Oxidized CSV source, name:ip:model:group
    ],
)
def test_the_device_list_beside_a_flat_folder_names_each_hosts_platform(tmp_path: Path, router_db: str) -> None:
    result = scan_folder(_rancid_group(tmp_path, router_db))
    (host,) = result.hosts
    assert host.platform == "cisco_nxos"
    telnet = next(f for f in result.findings if f.check == "services.telnet")
    assert telnet.status is Status.PASS


def test_a_device_list_naming_an_unaudited_type_says_so(tmp_path: Path) -> None:
    result = scan_folder(_rancid_group(tmp_path, "leaf7.example.net;fortigate;up\n"))
    telnet = next(f for f in result.findings if f.check == "services.telnet")
    assert telnet.status is Status.ERROR and "fortigate" in telnet.message


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        # `show running-config | section access-list`: an IOS section, no marker in it.
        (
            "ip access-list extended MGMT-IN\n 10 permit tcp 10.10.99.0 0.0.0.255 any eq 22\n"
            " 20 deny   ip any any log\n!\n",
            "cisco_ios",
        ),
        (
            "route-map BGP_OUT permit 10\n match ip address prefix-list OWN\n set community 65000:100\n!\n",
            "cisco_ios",
        ),
        # A Huawei interface block pasted from `display current-configuration interface`.
        (
            "#\ninterface GigabitEthernet0/0/1\n port link-type trunk\n undo port trunk allow-pass vlan 1\n"
            " port trunk allow-pass vlan 10 99\n#\n",
            "huawei",
        ),
        (
            "set system syslog host 10.10.99.20 any notice\n"
            "set snmp community Fw9RoCommunity authorization read-only\n",
            "juniper_junos",
        ),
    ],
)
def test_partial_configurations_are_recognised_by_their_syntax(text: str, platform: str) -> None:
    assert _detected(text) == platform


def test_a_partial_configuration_reports_only_what_its_lines_show(tmp_path: Path) -> None:
    (tmp_path / "acc9.cfg").write_text(
        "snmp-server community public RO\n!\nline vty 0 4\n transport input telnet ssh\n!\n"
    )
    findings = {f.check: f for f in scan_folder(tmp_path).findings if f.host == "acc9"}
    assert findings["services.telnet"].status is Status.FAIL
    assert findings["snmp.community_strength"].status is Status.FAIL
    assert findings["services.http"].status is Status.ERROR
    assert findings["logging.remote"].status is Status.ERROR


def test_unsupported_platforms_with_cisco_like_words_stay_unsupported() -> None:
    procurve = '; J9773A Configuration Editor; Created on release #YA.16.04.0008\nhostname "sw-floor2"\n'
    procurve += 'vlan 10\n   name "USERS"\n   untagged 1-20\n   exit\nsnmp-server community "public" unrestricted\n'
    assert _detected(procurve) is None
    catos = "#snmp\nset snmp community read-only      myreadstring\nset snmp community read-write     mywrite\n"
    assert _detected(catos) is None


VRP_BY_LINE_SHAPE = [
    "#\ninterface GigabitEthernet0/0/1\n port link-type trunk\n#\n",
    "#\ninterface Vlanif10\n#\ninterface Vlanif20\n#\n",  # separators alone
    "acl number 3000\n 5 rule 5 permit ip\n 10 rule 10 deny ip\n",  # the word after an entry number
    "sysname CORE\r\nundo info-center enable\r\n",  # CRLF
    "sysname CORE\x0bundo info-center enable\x1cquit\u2028return\n",  # line breaks str.splitlines knows
    "\tsysname\tCORE\n\x1f undo  telnet server enable\n",  # tabs and other whitespace before the word
]


@pytest.mark.parametrize("text", VRP_BY_LINE_SHAPE)
def test_the_vrp_pre_test_never_rules_out_what_the_line_count_calls_vrp(text: str) -> None:
    from scanner.platforms._syntax import could_be_vrp, syntax_family

    assert syntax_family(text) == "vrp"
    assert could_be_vrp(text)


def test_the_vrp_pre_test_agrees_with_the_line_count_on_the_corpus(corpus: Path) -> None:
    """Wherever the line-by-line count says VRP (whole files, and the heads detection scores),
    the pre-test says it may be; and it does rule out Cisco-style heads, which is its use."""
    from scanner.platforms import DETECT_WINDOWS
    from scanner.platforms._syntax import could_be_vrp, syntax_family

    vrp = ruled_out = 0
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.stat().st_size < 2_000_000):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for sample in (text, *(text[:window] for window in DETECT_WINDOWS)):
            if syntax_family(sample) == "vrp":
                vrp += 1
                assert could_be_vrp(sample), path
            elif syntax_family(sample) == "cisco" and not could_be_vrp(sample):
                ruled_out += 1
    assert vrp > 20, "the corpus holds Huawei and H3C configurations"
    assert ruled_out > 100, "most Cisco-style texts are ruled out without the line count"
    assert not could_be_vrp(NXOS_BODY)
