"""Platform registry: every module in this package that registers a :class:`Platform`.

Modules are imported on first use, so adding a vendor is one new file here; nothing
else is edited. Names are netmiko device_types (``cisco_ios``, ``huawei``...), and a
platform may answer to aliases (``cisco_xe``, ``huawei_vrpv8``).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from scanner.platforms._declared import declared_label, label_of_listing
from scanner.platforms._unsupported import describe_unsupported
from scanner.platforms.base import CommandSet, Platform

__all__ = [
    "CommandSet",
    "Platform",
    "UnknownPlatformError",
    "all_platforms",
    "detect_platform",
    "get_platform",
    "listed_platform",
    "register",
]

_REGISTRY: dict[str, type[Platform]] = {}


class UnknownPlatformError(Exception):
    def __init__(self, name: str) -> None:
        known = ", ".join(sorted(_names()))
        super().__init__(f"unknown platform {name!r} (netcomply knows: {known})")
        self.name = name


def register(cls: type[Platform]) -> type[Platform]:
    for name in (cls.name, *cls.aliases):
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"platform name {name!r} registered twice")
        _REGISTRY[name] = cls
    return cls


@cache
def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")


def _names() -> list[str]:
    _load_all()
    return list(_REGISTRY)


@cache
def get_platform(name: str) -> Platform:
    _load_all()
    cls = _REGISTRY.get(name.strip().lower())
    if cls is None:
        raise UnknownPlatformError(name)
    return cls() if cls.name == name.strip().lower() else _alias(cls, name.strip().lower())


def _alias(cls: type[Platform], name: str) -> Platform:
    """An instance for an alias name: same behaviour, reports the alias as its name."""
    instance = cls()
    instance.name = name  # type: ignore[misc]
    return instance


def all_platforms() -> list[Platform]:
    """One instance per registered platform class (aliases not repeated)."""
    _load_all()
    seen: dict[type[Platform], Platform] = {}
    for cls in _REGISTRY.values():
        seen.setdefault(cls, get_platform(cls.name))
    return list(seen.values())


# Detection reads only the head of a configuration: every vendor states who it is in
# its first lines (banners, version, hostname, features), and a whole-text regex scan
# per platform would cost more than parsing the configuration. A short head is tried
# first; a longer one only when no platform is confident.
DETECT_WINDOWS = (2_048, 16_384)
CONFIDENT_SCORE = 4


def detect_platform(text: str) -> Platform | None:
    """The platform whose configuration ``text`` most looks like, or None when none claims it.

    A label the file carries (RANCID header, Oxidized banner: ``_declared.py``) decides
    before any marker is scored.
    """
    label = declared_label(text)
    if label is not None:
        return _labelled(label.platform, text)
    best: tuple[int, Platform | None] = (0, None)
    for window in DETECT_WINDOWS:
        head = text[:window]
        best = (0, None)
        for platform in all_platforms():
            score = platform.detect(head)
            if score > best[0]:
                best = (score, platform)
        if best[0] >= CONFIDENT_SCORE or len(text) <= window:
            break
    if best[0] < CONFIDENT_SCORE and describe_unsupported(text[: DETECT_WINDOWS[-1]]):
        return None  # a weak likeness to a supported platform, a clear one to an unsupported one
    return best[1]


def _labelled(name: str | None, text: str) -> Platform | None:
    """The platform a label names; RANCID's ``cisco`` is the IOS family, the text tells IOS-XE and ASA apart."""
    if name is None:
        return None
    if name != "cisco_ios":
        return get_platform(name)
    head = text[: DETECT_WINDOWS[-1]]
    if describe_unsupported(head, labels=False):
        return None
    xe = get_platform("cisco_xe")
    return xe if xe.detect(head) > 0 else get_platform(name)


def listed_platform(fields: tuple[str, ...] | list[str], text: str | None) -> tuple[Platform | None, str] | None:
    """The platform a device list's row names (RANCID ``router.db``, Oxidized CSV), with the label's source.

    None when no field is a type netcomply knows; ``(None, source)`` when the type is one
    netcomply does not audit.
    """
    label = label_of_listing(tuple(fields))
    if label is None:
        return None
    return _labelled(label.platform, text or ""), label.source
