"""The Nornir inventory of a running lab: every simulated device at its loopback port.

It is enough on its own to log in (the lab's credentials and keys protect nothing),
and keeps the source inventory's groups, roles, zones, sites and management addresses,
so a live scan of the lab judges the same network as an offline scan of its snapshots.
Where SSH really goes (127.0.0.1 and the device's port) is in each host's
``connection_options: netmiko``, the place Nornir users put a connection override.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scanner.collect.credentials import PASSWORD_ENV_KEY
from scanner.files import atomic_write
from scanner.inventory import DEFAULTS_FILE, GROUPS_FILE, HOSTS_FILE, InventoryError
from scanner.lab.server import Lab

KNOWN_HOSTS_FILE = "known_hosts"
# Keys of a source inventory that say how to reach a real device: the lab sets its own.
_CONNECTION_KEYS = ("hostname", "port", "username", "password", "connection_options")


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InventoryError(f"{path} is not valid YAML: {exc}") from None
    return data if isinstance(data, dict) else {}


def _without_connection(entry: Any) -> dict[str, Any]:
    """The entry minus how to reach the real device (and where its password would come from)."""
    if not isinstance(entry, dict):
        return {}
    kept = {k: v for k, v in entry.items() if k not in _CONNECTION_KEYS}
    if isinstance(kept.get("data"), dict):
        kept["data"] = {k: v for k, v in kept["data"].items() if k != PASSWORD_ENV_KEY}
    return kept


def _dump(path: Path, header: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    atomic_write(path, f"# {header}\n{text}")


def write_lab_inventory(
    lab: Lab,
    out: Path,
    source: Path | None = None,
    *,
    key_file: Path | None = None,
    snmp: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write hosts.yaml, groups.yaml, defaults.yaml and known_hosts for ``lab`` (a started Lab) into ``out``.

    With ``key_file`` the inventory logs in with that key instead of the password. ``snmp``
    gives, per host, the ``snmp`` host data of its simulated agent (address, port, lab community).
    """
    source_hosts = _read_yaml(source / HOSTS_FILE) if source else {}
    source_groups = _read_yaml(source / GROUPS_FILE) if source else {}
    source_defaults = _read_yaml(source / DEFAULTS_FILE) if source else {}
    header = "written by `netcomply lab serve`: simulated devices on loopback; rewritten at every start"

    hosts: dict[str, Any] = {}
    for name, device in lab.devices.items():
        source_entry = source_hosts.get(name) if isinstance(source_hosts.get(name), dict) else {}
        # The real management address stays (topology matches neighbours by it); SSH goes to the lab.
        hosts[name] = {
            **_without_connection(source_entry),
            "hostname": source_entry.get("hostname") or lab.address,
            "platform": device.platform.name,
            "connection_options": {"netmiko": {"hostname": lab.address, "port": lab.ports[name]}},
        }
        if snmp and name in snmp:
            data = hosts[name].setdefault("data", {})
            data["snmp"] = snmp[name]
    groups = {name: _without_connection(entry) for name, entry in source_groups.items()}
    defaults = _without_connection(source_defaults)
    if not defaults.get("data"):
        defaults.pop("data", None)
    defaults["username"] = lab.username
    if key_file is None:
        defaults["password"] = lab.password
    else:
        defaults["connection_options"] = {
            "netmiko": {"extras": {"use_keys": True, "key_file": str(key_file.resolve())}}
        }

    out.mkdir(parents=True, exist_ok=True)
    _dump(out / HOSTS_FILE, header, hosts)
    _dump(out / GROUPS_FILE, header, groups)
    _dump(out / DEFAULTS_FILE, header, defaults)
    lines = []
    for name in lab.devices:
        key = lab.keys.host_key(name)
        lines.append(f"[{lab.address}]:{lab.ports[name]} {key.get_name()} {key.get_base64()}\n")
    atomic_write(out / KNOWN_HOSTS_FILE, "".join(lines))
    return out
