"""Configurations netcomply recognises but does not audit, so the error can name them."""

from __future__ import annotations

import re

from scanner.platforms._declared import declared_label

_KNOWN = (
    ("Cisco IOS-XR", re.compile(r"^!! IOS XR|^interface \S+\d+/\d+/\d+/\d+|^\s+ipv4 address \d", re.M)),
    ("Cisco ASA", re.compile(r"^(ASA|PIX) Version |^: Saved", re.M)),
    ("Cisco CatOS", re.compile(r"^set (prompt|password|enablepass) |^set snmp community read-(?:only|write)", re.M)),
    ("HP ProCurve / Aruba-OS switch", re.compile(r"^; \S+ Configuration Editor|^hostname \"[^\"]+\"\s*$", re.M)),
    ("F5 BIG-IP", re.compile(r"^(ltm|sys|net|auth) \S+ .*\{\s*$", re.M)),
    ("Fortinet FortiOS", re.compile(r"^config system \S+", re.M)),
    ("VyOS / Vyatta", re.compile(r"^(set )?(interfaces|service|system) (ethernet|ssh|host-name)\b", re.M)),
)


def describe_unsupported(text: str, labels: bool = True) -> str | None:
    """The name of a known, unsupported platform whose configuration ``text`` is, if any.

    With ``labels``, a file's own label (a RANCID type netcomply does not audit) names it first.
    """
    if labels:
        label = declared_label(text)
        if label is not None and label.platform is None:
            return f"a device of {label.source}"
    for name, pattern in _KNOWN:
        if pattern.search(text):
            return name
    return None
