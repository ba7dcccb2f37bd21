"""Readers shared by Huawei VRP and H3C Comware, whose configurations are close cousins.

Both separate sections with ``#`` lines, name the device with ``sysname``, end with
``return``, and share ``snmp-agent community`` and ``info-center loghost``. What
differs per vendor (accounts, services, show outputs) stays in its own module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.configtree import ConfigTree, Line
from scanner.configview import ConfigView, TreeSection
from scanner.facts import Access, CommunityStorage, Facts, LogHost, PowerStatus, SnmpCommunity
from scanner.masking import Secret
from scanner.platforms._markers import compile_markers
from scanner.platforms.base import EvidenceMaker, Platform

# Cipher text as VRP and Comware print it: %^%#...%^%#, %$%$...%$%$, %@%@...%@%@, $c$3$..., $h$6$...
CIPHER_TEXT = re.compile(r"^(%\^%#|%\$%\$|%@%@|%#%#|\$[ch]\$\d+\$)")
_SECTION_START = re.compile(r"^#[ \t]*\r?\n[ \t]+\S", re.M)

# Text only one of the two vendors writes, with how much it counts: each platform's
# detect() scores its own markers and subtracts the other's.
HUAWEI_MARKERS = compile_markers(
    (r"^!Software Version V\d{3}R", 6),
    (r"^aaa\s*\r?\n\s+authentication-scheme ", 3),
    (r"^\s*local-user \S+ password (?:irreversible-cipher|cipher|simple) ", 3),
    (r"^\s*local-user \S+ (?:privilege level|service-type) ", 2),
    (r"^\s*domain default_admin\b", 2),
    (r"^interface (?:Vlanif|Eth-Trunk|XGigabitEthernet|MEth|40GE|100GE|25GE|10GE)\d", 3),
    (r"^\s*port (?:default vlan|trunk allow-pass vlan|hybrid (?:tagged|untagged) vlan) ", 2),
    (r"^\s*(?:stelnet server enable|ssh user \S+ authentication-type|drop illegal-mac alarm)", 2),
    (r"^\s*(?:http (?:secure-)?server enable|ipv4-family (?:unicast|vpnv4|vpn-instance))", 1),
    (r"^\s*(?:firewall zone |local-aaa-user password policy|set save-configuration)", 2),
)
COMWARE_MARKERS = compile_markers(
    (r"^\s*version \d+\.\d+\.?\d*, (?:Release|ESS) ", 6),
    (r"^#? ?(?:H3C|HPE?) Comware|^\s*irf (?:domain|member|mac-address)|^irf-port ", 6),
    (r"^\s*local-user \S+ class (?:manage|network)", 4),
    (r"^\s*password-control |authorization-attribute (?:user-role|level) ", 3),
    (
        r"^interface (?:Vlan-interface|Bridge-Aggregation|Route-Aggregation|Ten-GigabitEthernet"
        r"|M-GigabitEthernet|FortyGigE|HundredGigE)\d",
        3,
    ),
    (r"^\s*port (?:access vlan|trunk permit vlan|link-mode (?:bridge|route))", 3),
    (r"^line (?:vty|class|aux|con) |^\s*domain (?:default enable )?system\b|^user-group system", 2),
    (r"^\s*(?:ip https? enable|ssh server enable|lldp global enable|undo copyright-info enable)", 1),
    (r"^acl (?:advanced|basic|mac|ipv6 advanced|ipv6 basic) |^\s*dhcp server ip-pool ", 3),
    (r"^\s*address-family (?:ipv4|ipv6|vpnv4|l2vpn)\b", 2),
    (r"^header (?:motd|incoming|legal|login|shell) (?!information)", 2),
)
_SYSNAME = re.compile(r"^\s*sysname \S|^return\s*$", re.M)
_SEPARATOR = re.compile(r"^#\s*$", re.M)


def looks_vrp_family(text: str) -> bool:
    """``sysname``, ``return`` or ``#`` separators: Huawei VRP or H3C Comware (not Cisco, not Junos)."""
    # Substring tests first: detection runs on every flat config, and most are not VRP/Comware.
    if "sysname " not in text and "return" not in text and text.count("#") < 3:
        return False
    if _SYSNAME.search(text, 0, 200000):
        return True
    return len(_SEPARATOR.findall(text, 0, 20000)) >= 3


def flatten_sections(text: str) -> str:
    """Dedent each ``#``-separated section by the indent of its first line.

    Comware 7 (and some VRP releases) print global commands indented by one space
    under a ``#`` separator (``#`` / `` sysname SW1`` / ``#``). The separator ends the
    previous block, so those lines are top-level; without this they would hang under
    the last unindented line before them. Line count and order are kept, so line
    numbers do not change.
    """
    if not _SECTION_START.search(text):
        return text
    out = []
    base = 0
    fresh = True
    for raw in text.splitlines():
        body = raw.lstrip()
        if not body:
            out.append(raw)
            continue
        indent = len(raw) - len(body)
        if body.rstrip() == "#" and indent == 0:
            fresh = True
            base = 0
            out.append(raw)
            continue
        if fresh:
            base = indent
            fresh = False
        elif indent < base:
            base = indent
        out.append(raw[base:])
    return "\n".join(out)


def config_roots(tree: ConfigTree) -> Iterator[Line]:
    """Top-level lines, without the body of a multi-line ``header`` (banner) text."""
    closing: str | None = None
    for line in tree.roots():
        text = line.text
        if closing is not None:
            if closing in text:
                closing = None
            continue
        if text.startswith("header "):
            closing = _header_delimiter(text)
            continue
        yield line


def vrp_config_view(platform: Platform, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
    """What user rules read: the ``#``-separated blocks as sections, without banner text; ``undo`` negates."""

    def build() -> TreeSection:
        roots = [line.index for line in config_roots(tree)]
        return TreeSection(tree, ev, platform.negation, roots=roots)

    return ConfigView(build, platform.commands.config, platform.config_truncation(text))


def _header_delimiter(text: str) -> str | None:
    """The delimiter still open after ``header motd %...`` / ``header login information "...``, if any."""
    words = text.split(None, 2)
    if len(words) < 3:
        return None
    rest = words[2]
    if rest.startswith("information "):
        rest = rest[len("information ") :].lstrip()
    if not rest:
        return None
    delimiter = rest[0]
    return None if rest.count(delimiter) >= 2 else delimiter


def rest_after(text: str, words: int) -> str:
    """``text`` without its first ``words`` words (``sysname HP V1910 Switch`` -> ``HP V1910 Switch``)."""
    parts = text.split(None, words)
    return parts[words] if len(parts) > words else ""


# ---- SNMP -----------------------------------------------------------------------------

_RW_ROLES = {"network-admin", "level-15", "level-3"}


def parse_community(line: Line, ev: EvidenceMaker) -> SnmpCommunity | None:
    """``snmp-agent community {read|write} [simple|cipher] NAME [mib-view V] [acl N]`` (either keyword order).

    Comware 7 in RBAC mode writes ``snmp-agent community [simple|cipher] NAME user-role ROLE``:
    a network-admin role can write. A name without ``cipher`` is clear text although the
    device could have stored it as cipher text; that storage is reported by the check.
    """
    words = line.text.split()
    if len(words) < 3 or words[1] != "community":
        return None
    access: Access | None = None
    storage: CommunityStorage | None = None
    value = None
    position = 2
    while position < len(words):
        word = words[position]
        if word == "read":
            access = "ro"
        elif word == "write":
            access = "rw"
        elif word == "cipher":
            storage = "cipher"
        elif word == "simple":
            storage = "clear"
        elif word in ("complexity-check", "destination-host"):
            return None
        else:
            value = word
            break
        position += 1
    if value is None:
        return None
    rest = words[position + 1 :]
    if access is None:
        access = "rw" if _role(rest) in _RW_ROLES else "ro"
    if storage is None:
        storage = "cipher" if CIPHER_TEXT.match(value) else "clear"
    acl = rest[rest.index("acl") + 1] if "acl" in rest and rest.index("acl") + 1 < len(rest) else None
    return SnmpCommunity(
        value=Secret(value),
        access=access,
        storage=storage,
        evidence=Platform.line_evidence(ev, line),
        acl=acl,
        could_encrypt=storage == "clear",
    )


def _role(words: list[str]) -> str | None:
    if "user-role" in words and words.index("user-role") + 1 < len(words):
        return words[words.index("user-role") + 1]
    return None


# ---- logging --------------------------------------------------------------------------

_LOGHOST_SKIP_ONE = {"vpn-instance", "domain"}


def loghost_address(text: str) -> str | None:
    """The server of ``info-center loghost [ipv6] [vpn-instance V] ADDRESS ...``; None for ``loghost source``."""
    words = text.split()
    position = 2
    while position < len(words):
        word = words[position]
        if word in ("source", "meta-data", "language", "timestamp"):
            return None
        if word in _LOGHOST_SKIP_ONE:
            position += 2
            continue
        if word == "ipv6":
            position += 1
            continue
        return word
    return None


def add_loghost(line: Line, facts: Facts, ev: EvidenceMaker) -> None:
    if not line.text.startswith("info-center loghost "):
        return
    address = loghost_address(line.text)
    if address is not None:
        facts.log_hosts.append(LogHost(address, Platform.line_evidence(ev, line)))


def disable_logging(facts: Facts, line: Line, ev: EvidenceMaker) -> None:
    """``undo info-center enable``: the device sends no log anywhere, whatever loghosts say."""
    facts.logging_off = Platform.line_evidence(ev, line)


# ---- show outputs ---------------------------------------------------------------------


def device_power_status(online: str, power: str, alarm: str) -> PowerStatus:
    """A power module row of ``display device``: Present/Absent, PowerOn/On/Off, Normal/Abnormal."""
    online_word = online.strip().lower()
    if online_word in ("absent", "notpresent", "not-present", "offline", ""):
        return "absent" if online_word != "offline" else "failed"
    if power.strip().lower() not in ("on", "poweron", "power-on", "-", ""):
        return "failed"
    if alarm.strip().lower() not in ("normal", "-", "", "na"):
        return "failed"
    return "ok"
