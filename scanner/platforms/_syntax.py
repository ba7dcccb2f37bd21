"""Which configuration language a text is written in, when no vendor marker says so.

Markers (``_markers.py``, ``_cisco.py``) name the vendor from what only it prints: a
version banner, a header, a feature. A partial configuration (an ACL or route-map
section, a snippet pasted into a ticket, a RANCID file without its header) carries
none, but its statements still say which language it is: the first word of each line.
Cisco-style (IOS, IOS-XE, NX-OS, EOS) and VRP-style (Huawei, H3C) share many words
(``interface``, ``ip``, ``vlan``), so each family is counted only by words the other
does not use; Junos is told by its shape (braces or ``set`` lines) and its top-level
hierarchy names.

A family claims a text when its words are at least two (one to confirm a platform the
inventory names) and more than the other's.
The answer only ever gives a platform the lowest detection score (1): any marker wins
over it, and a text no family claims stays undetected.
"""

from __future__ import annotations

import re
from typing import Literal

SyntaxFamily = Literal["cisco", "vrp", "junos"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# First words of Cisco-style configuration lines that VRP/Comware never write.
CISCO_WORDS = _words(
    """
    no hostname snmp-server logging username enable service banner boot access-list route-map
    switchport spanning-tree router crypto transport exec-timeout login tacacs-server
    radius-server archive control-plane class-map policy-map match permit deny remark
    redistribute neighbor exit-address-family channel-group standby feature vrf mls
    errdisable cdp udld platform redundancy end alias cli switchname vpc peer-keepalive
    management transceiver daemon tftp-server ftp-server ntp vtp privilege mac-address-table
    """
)
# First words of VRP/Comware lines that Cisco-style configurations never write.
VRP_WORDS = _words(
    """
    undo sysname return quit user-interface info-center snmp-agent ntp-service stp rule
    local-user authentication-mode header acl traffic-policy traffic-classifier traffic-behavior
    port-group irf irf-port user-role password-control domain hwtacacs-scheme radius-scheme
    port link-aggregation ip-prefix route-policy super drop loopback-detect dldp ndp ntdp
    public-key
    """
)
# Top-level hierarchies of a Junos configuration (brace form, or after ``set`` / ``delete``).
JUNOS_WORDS = _words(
    """
    system interfaces protocols policy-options firewall routing-options snmp security chassis
    vlans groups apply-groups version class-of-service forwarding-options routing-instances
    services access event-options poe ethernet-switching-options bridge-domains applications
    schedulers switch-options virtual-chassis access-profile
    """
)
_JUNOS_BRACE_TOP = re.compile(r"^(?:inactive: |replace: )?([a-z][a-z0-9-]*)(?: [^{};]*)?\s*[{;]\s*$")
_JUNOS_SET = re.compile(r"^(?:set|delete|deactivate) ([a-z][a-z0-9-]*) ")
_SAMPLE_LINES = 4000


def could_be_vrp(text: str) -> bool:
    """False when :func:`syntax_family` cannot answer "vrp" for ``text``: no VRP word and no ``#`` among its words.

    Every word ``syntax_family`` counts for VRP (a line's first word, the second after an
    entry number, a ``#`` separator line) is one of the text's whitespace-separated words,
    so this C-speed test only ever says True more often. Platform detection asks it of every
    head it scores: on a Cisco-style head it spares the line-by-line count.
    """
    words = set(text.split())
    return "#" in words or not VRP_WORDS.isdisjoint(words)


def syntax_family(text: str, minimum: int = 2) -> SyntaxFamily | None:
    """The configuration language ``text`` is written in, or None when no family claims it.

    ``minimum``: how many statements of the family it takes (one is enough to confirm a
    platform the inventory names; detection from nothing asks for two).
    """
    junos = 0
    cisco = 0
    vrp = 0
    for count, raw in enumerate(text.splitlines()):
        if count >= _SAMPLE_LINES:
            break
        line = raw.strip()
        if line in ("!", "#"):
            # Section separators: Cisco-style configurations print "!", VRP-style ones "#".
            if line == "!":
                cisco += 1
            else:
                vrp += 1
            continue
        if not line or line[0] in "!#":
            continue
        if not raw[0].isspace():
            # Literal tests first: a set line starts with its verb, a brace line (stripped) ends in { or ;.
            match = (_JUNOS_SET.match(line) if line.startswith(("set ", "delete ", "deactivate ")) else None) or (
                _JUNOS_BRACE_TOP.match(line) if line[-1] in "{;" else None
            )
            if match and match.group(1) in JUNOS_WORDS:
                junos += 1
                continue
        words = line.split(None, 2)
        word = words[1] if words[0].isdigit() and len(words) > 1 else words[0]  # "20 deny ...": an ACL entry
        if word in CISCO_WORDS:
            cisco += 1
        elif word in VRP_WORDS:
            vrp += 1
    best = max(junos, cisco, vrp)
    if best < minimum:
        return None
    if junos == best and junos > cisco + vrp:
        return "junos"
    if cisco == best and cisco > vrp:
        return "cisco"
    if vrp == best and vrp > cisco:
        return "vrp"
    return None
