"""Configurations netcomply recognises but does not audit, so the error can name them."""

from __future__ import annotations

import re

_KNOWN = (
    ("Cisco IOS-XR", re.compile(r"^!! IOS XR|^interface \S+\d+/\d+/\d+/\d+|^\s+ipv4 address \d", re.M)),
    ("Cisco ASA", re.compile(r"^(ASA|PIX) Version |^: Saved", re.M)),
    ("Cisco CatOS", re.compile(r"^set (prompt|password|enablepass) ", re.M)),
    ("HP ProCurve / Aruba-OS switch", re.compile(r"^; \S+ Configuration Editor|^hostname \"[^\"]+\"\s*$", re.M)),
    ("F5 BIG-IP", re.compile(r"^(ltm|sys|net|auth) \S+ .*\{\s*$", re.M)),
    ("Fortinet FortiOS", re.compile(r"^config system \S+", re.M)),
    ("VyOS / Vyatta", re.compile(r"^(set )?(interfaces|service|system) (ethernet|ssh|host-name)\b", re.M)),
)


def describe_unsupported(text: str) -> str | None:
    """The name of a known, unsupported platform whose configuration ``text`` is, if any."""
    for name, pattern in _KNOWN:
        if pattern.search(text):
            return name
    return None
