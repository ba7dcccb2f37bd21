"""Renderers of a scan result, registered by format name.

Every renderer reads the same :class:`~scanner.model.ScanResult`. :func:`render` is the
one way out: whatever a renderer produced passes the secret redactor last, so a
secret that slipped into a message still never reaches a report.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from scanner.masking import REDACTOR
from scanner.model import ScanResult


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int | None = None
    # (host, check) pairs failing now that did not fail in the previous run of the same
    # inventory; None when there is no previous run (then nothing is marked new).
    new_since_last: frozenset[tuple[str, str]] | None = None
    previous_run: str | None = None
    # The language of formats that offer one ("zh", "en"; None: the format's own default).
    lang: str | None = None


Render = Callable[[ScanResult, RenderOptions], "str | bytes"]


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    func: Render
    description: str
    binary: bool = False


_RENDERERS: dict[str, Renderer] = {}


def renderer(name: str, *, extension: str, description: str, binary: bool = False) -> Callable[[Render], Render]:
    def register(func: Render) -> Render:
        if name in _RENDERERS:
            raise ValueError(f"report format {name!r} registered twice")
        _RENDERERS[name] = Renderer(name, extension, func, description, binary)
        return func

    return register


@cache
def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def formats() -> dict[str, Renderer]:
    _load_all()
    return dict(sorted(_RENDERERS.items()))


def get_renderer(name: str) -> Renderer:
    known = formats()
    if name not in known:
        raise KeyError(f"unknown report format {name!r} (known: {', '.join(known)})")
    return known[name]


def render(name: str, result: ScanResult, options: RenderOptions | None = None) -> str | bytes:
    output = get_renderer(name).func(result, options or RenderOptions())
    if isinstance(output, bytes):
        return output
    return REDACTOR.scrub(output)
