"""Checking a Nornir SimpleInventory before Nornir reads it: one clear line per mistake.

Nornir accepts an inventory whose values have the wrong type and turns some of them
into surprises: ``critical: "false"`` is a non-empty string, so the host counted as
critical; ``groups: core`` (a string, not a list) is read letter by letter. Here each
file is read with :func:`scanner.yamlfile.load_yaml` (bounded aliases, line numbers)
and every key Nornir and netcomply read is checked for its type, every group a host
names must exist, and every host name must be usable as a file name
(:mod:`scanner.names`). The first mistake is raised with its file, line and key.

Host ``data`` keys other than those netcomply reads are the user's own and left alone.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scanner.names import file_name_problem
from scanner.yamlfile import Path_, YamlDocument, YamlFileError, did_you_mean, load_yaml

# Nornir's SimpleInventory keys of a host, a group, and the defaults.
_TEXT = "text"
_WHOLE = "a whole number"
_MAPPING = "a mapping"
_LIST = "a list of group names"
_BOOL = "true or false"
HOST_KEYS: dict[str, str] = {
    "hostname": _TEXT,
    "port": _WHOLE,
    "username": _TEXT,
    "password": _TEXT,
    "platform": _TEXT,
    "groups": _LIST,
    "data": _MAPPING,
    "connection_options": _MAPPING,
}
DEFAULTS_KEYS = {k: v for k, v in HOST_KEYS.items() if k != "groups"}
# Host data netcomply reads (README: role, zone, site, critical, spare; collection and SNMP settings).
DATA_KEYS: dict[str, str] = {
    "role": _TEXT,
    "zone": _TEXT,
    "site": _TEXT,
    "critical": _BOOL,
    "spare": _BOOL,
    "password_env": _TEXT,
    "snmp": _MAPPING,
    # Zones as address space (zone name -> prefixes), read by the ACL model.
    "zones": _MAPPING,
    "windows": _MAPPING,
}
# A Windows host's collection (README "Windows hosts"; scanner.collect.windows reads it):
# every key is netcomply's, so an unknown one is a mistake (a typo would silently mean SSH).
WINDOWS_KEYS: dict[str, str] = {
    "transport": _TEXT,
    "port": _WHOLE,
    "scheme": _TEXT,
    "auth": _TEXT,
    "ca_file": _TEXT,
    "verify": _BOOL,
    "update_cab": _TEXT,
    "skip_update_search": _BOOL,
}
WINDOWS_CHOICES: dict[str, tuple[str, ...]] = {
    "transport": ("ssh", "winrm"),
    "scheme": ("https", "http"),
    "auth": ("ntlm", "kerberos"),
}
_CHECKS: dict[str, Callable[[Any], bool]] = {
    _TEXT: lambda v: isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool)),
    _WHOLE: lambda v: isinstance(v, int) and not isinstance(v, bool),
    _MAPPING: lambda v: isinstance(v, Mapping),
    _LIST: lambda v: isinstance(v, list) and all(isinstance(g, str) for g in v),
    _BOOL: lambda v: isinstance(v, bool),
}


class InventoryFileError(Exception):
    """An inventory file that cannot be used: file, line and key in the message."""


def check_inventory(hosts: Path, groups: Path, defaults: Path) -> None:
    """Raise :class:`InventoryFileError` at the first mistake in the three files (missing optional files are fine)."""
    group_doc = _read(groups)
    group_names = list(group_doc.data) if isinstance(group_doc.data, Mapping) else []
    hosts_doc = _read(hosts)
    _entries(hosts_doc, HOST_KEYS, group_names, names_are_files=True)
    _entries(group_doc, HOST_KEYS, group_names, names_are_files=False)
    defaults_doc = _read(defaults)
    if defaults_doc.data is not None:
        if not isinstance(defaults_doc.data, Mapping):
            raise _error(defaults_doc, (), f"must be a mapping of settings, found {_kind(defaults_doc.data)}")
        _entry(defaults_doc, (), defaults_doc.data, DEFAULTS_KEYS, group_names)


def _read(path: Path) -> YamlDocument:
    if not path.exists():
        return YamlDocument(str(path), None)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InventoryFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InventoryFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return load_yaml(text, str(path))
    except YamlFileError as exc:
        raise InventoryFileError(str(exc)) from None


def _entries(doc: YamlDocument, keys: Mapping[str, str], groups: list[str], names_are_files: bool) -> None:
    if doc.data is None:
        return
    if not isinstance(doc.data, Mapping):
        raise _error(doc, (), f"must be a mapping of names to settings, found {_kind(doc.data)}")
    for name, entry in doc.data.items():
        if not isinstance(name, str):
            raise _error(doc, (name,), f"a name must be text, found {name!r}")
        if names_are_files:
            problem = file_name_problem(name)
            if problem:
                raise _error(doc, (name,), f"host name {name!r} cannot be used as a file name: {problem}")
        if entry is None:
            continue
        if not isinstance(entry, Mapping):
            raise _error(doc, (name,), f"must be a mapping of settings, found {_kind(entry)}")
        _entry(doc, (name,), entry, keys, groups)


def _entry(
    doc: YamlDocument, path: Path_, entry: Mapping[str, Any], keys: Mapping[str, str], groups: list[str]
) -> None:
    for key, value in entry.items():
        here = (*path, key)
        if key not in keys:
            raise _error(doc, here, f"unknown key{did_you_mean(str(key), keys)} (known: {', '.join(keys)})")
        _typed(doc, here, value, keys[key])
        if key == "groups":
            for index, group in enumerate(value):
                if group not in groups:
                    raise _error(doc, (*here, index), f"no group {group!r} in groups.yaml{did_you_mean(group, groups)}")
        elif key == "data" and value is not None:
            for data_key, data_value in value.items():
                if data_key in DATA_KEYS:
                    _typed(doc, (*here, data_key), data_value, DATA_KEYS[data_key])
                if data_key == "zones" and isinstance(data_value, Mapping):
                    _zones(doc, (*here, data_key), data_value)
            if isinstance(value.get("windows"), Mapping):
                _windows(doc, (*here, "windows"), value["windows"])


def _zones(doc: YamlDocument, path: Path_, zones: Mapping[Any, Any]) -> None:
    """``data.zones``: each zone a prefix or a list of prefixes (``10.20.0.0/16``)."""
    for zone, prefixes in zones.items():
        here = (*path, zone)
        if prefixes is None or isinstance(prefixes, str):
            prefixes = [prefixes]
        elif not isinstance(prefixes, list):
            raise _error(doc, here, f"must be a list of prefixes, found {_kind(prefixes)}")
        for index, text in enumerate(prefixes):
            try:
                ipaddress.ip_network(str(text), strict=False)
            except ValueError:
                where = here if len(prefixes) == 1 and not isinstance(zones[zone], list) else (*here, index)
                raise _error(doc, where, f"{text!r} is not a prefix (write it as 10.20.0.0/16)") from None


def _windows(doc: YamlDocument, path: Path_, settings: Mapping[str, Any]) -> None:
    for key, value in settings.items():
        here = (*path, key)
        if key not in WINDOWS_KEYS:
            known = ", ".join(WINDOWS_KEYS)
            raise _error(doc, here, f"unknown key{did_you_mean(str(key), WINDOWS_KEYS)} (known: {known})")
        _typed(doc, here, value, WINDOWS_KEYS[key])
        choices = WINDOWS_CHOICES.get(key)
        if choices and value is not None and str(value).lower() not in choices:
            raise _error(doc, here, f"{value!r} is not one of {', '.join(choices)}{did_you_mean(str(value), choices)}")
        if key == "port" and value is not None and not 0 < value < 65536:
            raise _error(doc, here, f"{value} is not a TCP port (1-65535)")


def _typed(doc: YamlDocument, path: Path_, value: Any, wanted: str) -> None:
    if value is None or _CHECKS[wanted](value):
        return
    hint = ""
    if wanted == _BOOL and isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
        meant = "true" if value.lower() in ("true", "yes") else "false"
        hint = f" (write {meant} without quotes: a quoted {value!r} is text)"
    if wanted == _LIST and isinstance(value, str):
        hint = f" (write [{value}])"
    raise _error(doc, path, f"must be {wanted}, found {_kind(value)}{hint}")


def _error(doc: YamlDocument, path: Path_, message: str) -> InventoryFileError:
    return InventoryFileError(str(doc.error(path, message)))


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return repr(value).lower()
    if isinstance(value, str):
        return f"the text {value!r}"
    return {dict: "a mapping", list: "a list"}.get(type(value), repr(value))
