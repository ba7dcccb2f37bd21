"""The controls: one module per check, registered with :func:`scanner.checkapi.check` when imported.

:func:`load_checks` imports every shipped check module once, then the plugins (modules
of other installed packages named in the entry point group ``netcomply.checks``), and
returns the registry; callers above the checks layer (the engine, the CLI) use it,
never a module list of their own. The rules of a policy (``checks.rules``) are added by
the engine (``scanner.engine.scan_checks``): they belong to the scans that use that
policy, never to the process-wide registry.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from scanner.checkapi import CheckSpec, registered_check, registered_checks, registering_from, unregister

log = logging.getLogger("netcomply.checks")

PLUGIN_GROUP = "netcomply.checks"
# Packages of data or machinery, not checks.
_NOT_CHECKS = frozenset({"checks.frameworks", "checks.i18n", "checks.rules"})


class PluginError(Exception):
    """An installed check plugin that cannot be used: its checks would silently be missing."""


@cache
def _import_shipped() -> None:
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or module.name in _NOT_CHECKS or module.name.startswith(tuple(_NOT_CHECKS)):
            continue
        importlib.import_module(module.name)


@dataclass
class _Plugins:
    loaded: bool = False
    error: PluginError | None = None


_PLUGINS = _Plugins()


def _import_plugins() -> None:
    """Import every entry point of ``netcomply.checks`` once; a failure is kept and raised on every call."""
    if _PLUGINS.error is not None:
        raise _PLUGINS.error
    if _PLUGINS.loaded:
        return
    _PLUGINS.loaded = True
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            _import_plugin(entry)
        except PluginError as exc:
            _PLUGINS.error = exc
            raise


def _import_plugin(entry: EntryPoint) -> None:
    dist = entry.dist.name if entry.dist is not None else "?"
    origin = f"plugin {dist} ({entry.name})"
    before = {spec.id for spec in registered_checks()}
    try:
        with registering_from(origin):
            entry.load()
    except Exception as exc:
        for spec in registered_checks():
            if spec.id not in before:
                unregister(spec.id)
        raise PluginError(
            f"check plugin {entry.name!r} of package {dist} ({entry.value}) cannot be loaded: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    added = sorted({spec.id for spec in registered_checks()} - before)
    log.debug("%s registered %s", origin, ", ".join(added) or "no check")


def load_checks() -> list[CheckSpec]:
    """Every shipped and plugin check, by id; :class:`PluginError` when an installed plugin is broken."""
    _import_shipped()
    _import_plugins()
    return registered_checks()


def get_check(check_id: str) -> CheckSpec:
    _import_shipped()
    return registered_check(check_id)
