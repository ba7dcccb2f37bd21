"""What `netcomply diff TARGET...` compares, by handler: runs here, config backups later.

`netcomply diff` with no target, or with run ids, compares stored runs. Other kinds
of target plug in as handlers: the configuration-backup module registers one that
claims a host name (`netcomply diff HOST --from REV --to REV`). To add one:

1. write a module with a :class:`DiffHandler` and call :func:`register` at import,
   declaring its own click options in ``params`` (e.g. ``--from``/``--to``);
2. add the module's name to :data:`HANDLER_MODULES`.

Handlers are asked in that order; the first whose ``claims`` says yes runs. The run
handler comes last and claims no target or run ids, so anything that is neither
gets a clear error naming what was tried.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import click

# Modules that register diff handlers, asked in this order.
HANDLER_MODULES: tuple[str, ...] = ("scanner.cli.diff_backup", "scanner.cli.diff_runs")


@dataclass(frozen=True)
class DiffRequest:
    """The command line of one `netcomply diff`: its targets and every option's value by name."""

    targets: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DiffHandler:
    name: str
    # One line for --help: what targets it takes.
    usage: str
    claims: Callable[[DiffRequest], bool]
    # Prints the diff; returns the exit status (0 no difference, 1 differences, 2 could not compare).
    run: Callable[[DiffRequest], int]
    params: tuple[click.Parameter, ...] = ()


_HANDLERS: list[DiffHandler] = []


def register(handler: DiffHandler) -> DiffHandler:
    if any(h.name == handler.name for h in _HANDLERS):
        raise ValueError(f"diff handler {handler.name!r} registered twice")
    _HANDLERS.append(handler)
    return handler


@cache
def handlers() -> tuple[DiffHandler, ...]:
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    return tuple(_HANDLERS)


def dispatch(request: DiffRequest) -> tuple[DiffHandler | None, list[str]]:
    """The handler that claims ``request`` (None if none does) and the names of those asked."""
    asked = []
    for handler in handlers():
        asked.append(handler.name)
        if handler.claims(request):
            return handler, asked
    return None, asked
