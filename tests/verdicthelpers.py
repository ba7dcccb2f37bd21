"""Whole, realistic configurations around a few statements under test, and their verdicts.

Each builder returns a complete configuration as the device prints it (header, the
statements given, the closing ``end``/``return``), so a verdict resting on absence is
given on a configuration that is recognisably whole.
"""

from __future__ import annotations

from scanner.facts import Facts
from scanner.model import Finding
from scanner.platforms import get_platform
from scanner.policy import Policy
from scanner.snapshot import Snapshot
from tests.scanhelpers import by_check, scan, text_snapshot


def ios(body: str) -> str:
    return (
        "Building configuration...\n\nCurrent configuration : 1932 bytes\n!\nversion 15.2\n"
        "service timestamps log datetime msec\nservice password-encryption\n!\nhostname br-rtr1\n!\n"
        "boot-start-marker\nboot-end-marker\n!\n"
        "enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM\n!\n"
        "no ip domain-lookup\nip domain-name branch.example.net\n!\n"
        "interface GigabitEthernet0/0\n ip address 10.30.1.1 255.255.255.0\n!\n"
        f"{body}!\nend\n"
    )


def iosxe(body: str) -> str:
    """An IOS-XE 17 configuration (Catalyst 9300) around ``body``."""
    return (
        "Building configuration...\n\nCurrent configuration : 8112 bytes\n!\nversion 17.9\n"
        "service timestamps debug datetime msec\nservice timestamps log datetime msec\n"
        "platform punt-keepalive disable-kernel-core\n!\nhostname dc-core1\n!\nvrf definition Mgmt-vrf\n!\n"
        "boot system bootflash:packages.conf\n!\nlicense boot level network-advantage addon dna-advantage\n!\n"
        "enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM\n!\n"
        "interface GigabitEthernet0/0\n vrf forwarding Mgmt-vrf\n ip address 10.10.99.2 255.255.255.0\n!\n"
        f"{body}!\nend\n"
    )


def finding(platform: str, config: str, check: str, policy: Policy | None = None) -> Finding:
    """The verdict of one check on ``config`` scanned as a core device of ``platform``."""
    return findings(platform, config, policy)[check]


def nxos(body: str) -> str:
    lines = "".join(f"{section}\n" for section in ("line console", "line vty") if f"\n{section}" not in f"\n{body}")
    return (
        "!Command: show running-config\n!Running configuration last done at: Thu Nov 19 02:11:09 2026\n"
        "!Time: Fri Nov 20 02:00:00 2026\n\nversion 9.3(10) Bios:version 05.45\nhostname dc-agg1\n"
        "feature lldp\nfeature ssh\n\n"
        "username admin password 5 $5$KfLPBeHd$3Fo8sCIjZP9sWqHKqGEKrNxqXJ0RA5dmeW7bSWlJ1x.  role network-admin\n"
        f"{body}\nvrf context management\n  ip route 0.0.0.0/0 10.10.99.1\n\ninterface mgmt0\n  vrf member management\n"
        f"{lines}boot nxos bootflash:/nxos.9.3.10.bin\n"
    )


def eos(body: str) -> str:
    return (
        "! Command: show running-config\n! device: dc-leaf3 (DCS-7050SX3-48YC8, EOS-4.28.3M)\n!\n"
        "! boot system flash:/EOS-4.28.3M.swi\n!\nservice routing protocols model multi-agent\n!\n"
        "hostname dc-leaf3\n!\n"
        "username admin privilege 15 role network-admin secret sha512 "
        "$6$Xs0wF3pC$0gXkW9H1I3nTqZ0k2w2bq9a7nYl5D0r8vQ2lS7c6xU1pG4hJ3\n!\n"
        f"{body}!\ninterface Management1\n   ip address 10.10.99.31/24\n!\nend\n"
    )


def huawei(body: str) -> str:
    return (
        "!Software Version V200R019C10SPC500\n#\nsysname br-sw2\n#\nvlan batch 10 99\n#\n"
        "stelnet server enable\n#\naaa\n authentication-scheme default\n domain default\n"
        " local-user netops password irreversible-cipher $1a$Gk2#O7Wq~&$Cz)NfP0k;Q9d<5xL>V1s4%tEe8Y.Ub3H%Hm'$\n"
        " local-user netops privilege level 15\n local-user netops service-type ssh\n#\n"
        f"interface Vlanif99\n ip address 10.10.99.12 255.255.255.0\n#\n{body}#\nreturn\n"
    )


def comware(release: str, body: str) -> str:
    """``release`` is the version line's value ("7.1.070, Release 6328P03", "5.20.99, Release 1106"), or ""."""
    version = f" version {release}\n#\n" if release else ""
    return (
        f"#\n{version} sysname br-sw3\n#\n clock timezone Beijing add 08:00:00\n#\n lldp global enable\n#\n"
        "vlan 1\n#\nvlan 99\n name MGMT\n#\ninterface Vlan-interface99\n ip address 10.10.99.13 255.255.255.0\n#\n"
        f"{body}#\nreturn\n"
    )


COMWARE7 = "7.1.070, Release 6328P03"
COMWARE5 = "5.20.99, Release 1106"


def junos(body: str) -> str:
    return (
        "set version 21.4R3-S5\nset system host-name br-fw2\n"
        'set system root-authentication encrypted-password "$6$mqC1bV2x$Uu8pVJ0Lz4E2bT5kQ9aX7sR1yH3nD6fG8jK0lM2p"\n'
        "set system services ssh\nset interfaces ge-0/0/0 unit 0 family inet address 10.30.2.1/24\n"
        f"{body}"
    )


def findings(platform: str, config: str, policy: Policy | None = None, **outputs: str) -> dict[str, Finding]:
    """Scan ``config`` (plus show outputs by command) as a core device of ``platform``; findings by check."""
    snapshot = text_snapshot("t", get_platform(platform).commands.config, config, platform)
    snapshot.outputs.update(outputs)
    return by_check(scan(snapshot, platform=platform, policy=policy))


def facts(platform: str, config: str, **outputs: str) -> Facts:
    chosen = get_platform(platform)
    snapshot = Snapshot(host="t", platform=platform, outputs={chosen.commands.config: config, **outputs})
    return chosen.parse(snapshot)


def policy(text: str) -> Policy:
    return Policy.from_text(text, "test policy")


def status(found: dict[str, Finding], check: str) -> str:
    return found[check].status.value


def lines(found: dict[str, Finding], check: str) -> list[int]:
    return [e.line for e in found[check].evidence]


def line_of(config: str, needle: str) -> int:
    """The number of the first line of ``config`` that holds ``needle``."""
    return next(n for n, line in enumerate(config.splitlines(), 1) if needle in line)
