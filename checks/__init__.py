"""The controls: one module per check, registered with :func:`scanner.checkapi.check` when imported.

:func:`load_checks` imports every shipped check module once and returns the registry;
callers above the checks layer (the engine, the CLI) use it, never a module list of
their own.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from scanner.checkapi import CheckSpec, registered_check, registered_checks

# Packages of data, not checks.
_NOT_CHECKS = frozenset({"checks.frameworks", "checks.i18n"})


@cache
def _import_shipped() -> None:
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or module.name in _NOT_CHECKS or module.name.startswith(tuple(_NOT_CHECKS)):
            continue
        importlib.import_module(module.name)


def load_checks() -> list[CheckSpec]:
    """Every check, by id (the shipped ones are imported on first use)."""
    _import_shipped()
    return registered_checks()


def get_check(check_id: str) -> CheckSpec:
    _import_shipped()
    return registered_check(check_id)
