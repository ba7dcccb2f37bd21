"""The Nornir SimpleInventory (hosts.yaml, groups.yaml, defaults.yaml) as the scan sees it.

Nornir reads the files, so groups and defaults resolve exactly as they do for Nornir
users. Host data keys netcomply reads: role, zone, site, critical, spare.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scanner.inventory_check import InventoryFileError, check_inventory
from scanner.model import HostInfo

HOSTS_FILE = "hosts.yaml"
GROUPS_FILE = "groups.yaml"
DEFAULTS_FILE = "defaults.yaml"


class InventoryError(Exception):
    """An inventory folder that cannot be used, with a message a user can act on."""


def inventory_files(directory: Path) -> tuple[Path, Path, Path]:
    return directory / HOSTS_FILE, directory / GROUPS_FILE, directory / DEFAULTS_FILE


def load_nornir_inventory(directory: Path):  # type: ignore[no-untyped-def]
    """The nornir ``Inventory`` object of a folder (hosts.yaml required, the others optional)."""
    from nornir.plugins.inventory.simple import SimpleInventory

    hosts, groups, defaults = inventory_files(directory)
    if not directory.is_dir():
        raise InventoryError(f"inventory folder {directory} does not exist")
    if not hosts.is_file():
        raise InventoryError(f"inventory folder {directory} has no {HOSTS_FILE}")
    try:
        check_inventory(hosts, groups, defaults)
    except InventoryFileError as exc:
        raise InventoryError(str(exc)) from None
    try:
        return SimpleInventory(host_file=str(hosts), group_file=str(groups), defaults_file=str(defaults)).load()
    except yaml.YAMLError as exc:
        raise InventoryError(f"inventory in {directory} is not valid YAML: {exc}") from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InventoryError(
            f"inventory in {directory} is not a Nornir SimpleInventory ({type(exc).__name__}: {exc})"
        ) from exc


def load_inventory(directory: Path) -> dict[str, HostInfo]:
    return host_infos(load_nornir_inventory(directory))


def host_infos(inventory) -> dict[str, HostInfo]:  # type: ignore[no-untyped-def]
    """The hosts of a loaded nornir ``Inventory`` as the scan sees them."""
    hosts: dict[str, HostInfo] = {}
    for name, host in inventory.hosts.items():
        hosts[name] = HostInfo(
            name=name,
            platform=host.platform,
            address=host.hostname,
            groups=tuple(g.name for g in host.groups),
            data=host.extended_data(),
        )
    return hosts
