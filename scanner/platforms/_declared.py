"""What a saved configuration says about its own platform, before its syntax is looked at.

Backup tools label what they save. RANCID writes ``!RANCID-CONTENT-TYPE: <type>`` (or
``#RANCID-CONTENT-TYPE:`` for Junos) as the first line of every file and lists each
device's type in ``router.db``; Oxidized's models start the file with the device's
own version output as comments (``! Cisco Nexus Operating System (NX-OS) Software``,
``# Huawei Versatile Routing Platform Software``) and its CSV source lists each node's
model. A label outranks any guess from the text: a RANCID ``cisco-nx`` file is NX-OS
even when its first 16 KB hold only interfaces.

RANCID's ``cisco`` type covers IOS, IOS-XE and (before RANCID 3) ASA and PIX, so it
only narrows the choice to the Cisco IOS family; the text decides the rest.
"""

from __future__ import annotations

import re

# RANCID device types (rancid.types.base) and Oxidized model names -> netcomply platform.
# None: a platform the tool labels that netcomply does not audit (named in the error).
_TYPES: dict[str, str | None] = {
    # RANCID
    "cisco": "cisco_ios",
    "cisco-nx": "cisco_nxos",
    "arista": "arista_eos",
    "juniper": "juniper_junos",
    "juniper-srx": "juniper_junos",
    "h3c": "hp_comware",
    "huawei": "huawei",
    "cisco-xr": None,
    "cisco-xr7": None,
    "cisco-sb": None,
    "cisco-wlc4": None,
    "cisco-wlc5": None,
    "cisco-wlc8": None,
    "fortigate": None,
    "netscreen": None,
    "paloalto": None,
    "bigip": None,
    "bigip13": None,
    "f5": None,
    "foundry": None,
    "force10": None,
    "hp": None,
    "extreme": None,
    "mrv": None,
    # Oxidized
    "ios": "cisco_ios",
    "iosxe": "cisco_xe",
    "nxos": "cisco_nxos",
    "eos": "arista_eos",
    "junos": "juniper_junos",
    "vrp": "huawei",
    "comware": "hp_comware",
    "asa": None,
    "iosxr": None,
    "procurve": None,
    "aoscx": None,
    "fortios": None,
    "panos": None,
    "screenos": None,
    "vyatta": None,
    "vyos": None,
    "edgeos": None,
    "routeros": None,
}
# The names netcomply and netmiko use are labels too (an inventory exported to router.db).
_NETCOMPLY = ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "juniper_junos", "huawei", "hp_comware")

_RANCID = re.compile(r"^[!#]\s?RANCID-CONTENT-TYPE:\s*([A-Za-z0-9_-]+)\s*$", re.M)
# The first line an Oxidized model writes: the device's version output, commented.
_OXIDIZED_BANNERS = (
    (re.compile(r"^! Cisco Nexus Operating System \(NX-OS\) Software", re.M), "cisco_nxos"),
    (re.compile(r"^! Cisco IOS XE Software, Version ", re.M), "cisco_xe"),
    (re.compile(r"^! Cisco IOS Software, ", re.M), "cisco_ios"),
    (re.compile(r"^# Huawei Versatile Routing Platform Software|^# VRP \(R\) software, Version ", re.M), "huawei"),
    (re.compile(r"^# (?:H3C|HPE?) Comware (?:Platform )?Software, Version ", re.M), "hp_comware"),
    (re.compile(r"^# Junos: \d|^# JUNOS Software Release \[", re.M), "juniper_junos"),
)
# A literal every label pattern above holds: a head without any of them (most files) is
# passed by substring tests, not by seven multi-line regex scans of 4 KB.
_LABEL_WORDS = ("RANCID-CONTENT-TYPE:", "Cisco Nexus", "Cisco IOS", "Huawei", "VRP (R)", "Comware", "Junos: ", "JUNOS")
_HEAD = 4096


class Label:
    """A platform label: ``platform`` is netcomply's name, None when the labelled platform is not audited."""

    __slots__ = ("platform", "source")

    def __init__(self, platform: str | None, source: str) -> None:
        self.platform = platform
        self.source = source

    def __repr__(self) -> str:
        return f"Label({self.platform!r}, {self.source!r})"


def label_of_type(kind: str, source: str) -> Label | None:
    """The label of a RANCID type or Oxidized model name, None when the name is not one we know."""
    name = kind.strip().lower()
    if name in _NETCOMPLY:
        return Label(name, source)
    if name in _TYPES:
        return Label(_TYPES[name], source)
    return None


def declared_label(text: str) -> Label | None:
    """The platform a saved file labels itself with (RANCID header, Oxidized banner), if any."""
    head = text[:_HEAD]
    if not any(word in head for word in _LABEL_WORDS):
        return None
    rancid = _RANCID.search(head)
    if rancid:
        kind = rancid.group(1)
        return label_of_type(kind, f"RANCID-CONTENT-TYPE {kind}") or Label(None, f"RANCID-CONTENT-TYPE {kind}")
    for pattern, platform in _OXIDIZED_BANNERS:
        if pattern.search(head):
            return Label(platform, "Oxidized header")
    return None


def label_of_listing(fields: tuple[str, ...]) -> Label | None:
    """The label in a device list's row (RANCID ``router.db``, Oxidized CSV): the first field that names a type."""
    for field in fields:
        label = label_of_type(field, f"router.db type {field.strip()}")
        if label is not None:
            return label
    return None
