"""Compliance frameworks as data: each YAML file here maps a framework's items to check ids.

Prowler's lesson: a check does not know which clauses it serves; a framework file
does. A new framework is a new YAML file; a new check joins a framework by adding its
id to an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class HandCheck:
    """A point of a form item no check decides: a person looks at ``what``.

    Retired once every check of ``until`` gave a verdict on some host (of one of
    ``platforms`` when given): the point is then judged by checks, not by hand.
    """

    what: str
    what_zh: str | None = None
    until: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameworkItem:
    id: str
    title: str
    checks: tuple[str, ...]
    title_zh: str | None = None
    criterion: str | None = None
    criterion_zh: str | None = None
    by_hand: tuple[HandCheck, ...] = ()
    # Where an item that is not one of the form's numbered items comes from.
    basis: str | None = None
    basis_zh: str | None = None
    # Items of the self-assessment form this item relates to even without a shared check
    # (the MLPS mapping names them, so manual form rows show their clauses too).
    form: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    items: tuple[FrameworkItem, ...]
    title_zh: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


@cache
def frameworks() -> tuple[Framework, ...]:
    found = []
    folder = resources.files(__name__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        items = tuple(
            FrameworkItem(
                id=str(item_id),
                title=str(item.get("title", "")),
                checks=tuple(item.get("checks") or ()),
                title_zh=item.get("title_zh"),
                criterion=item.get("criterion"),
                criterion_zh=item.get("criterion_zh"),
                by_hand=tuple(_hand_check(h) for h in item.get("by_hand") or ()),
                basis=item.get("basis"),
                basis_zh=item.get("basis_zh"),
                form=tuple(str(x) for x in item.get("form") or ()),
            )
            for item_id, item in (data.get("items") or {}).items()
        )
        found.append(Framework(id=data["id"], title=data["title"], items=items, title_zh=data.get("title_zh")))
    return tuple(found)


def _hand_check(data: dict[str, object]) -> HandCheck:
    until = data.get("until") or {}
    assert isinstance(until, dict)
    return HandCheck(
        what=str(data["what"]),
        what_zh=str(data["what_zh"]) if data.get("what_zh") else None,
        until=tuple(str(c) for c in until.get("checks") or ()),
        platforms=tuple(str(p) for p in until.get("platforms") or ()),
    )


@cache
def clauses_by_check() -> dict[str, dict[str, tuple[str, ...]]]:
    """{check id: {framework id: (item ids...)}}."""
    mapping: dict[str, dict[str, list[str]]] = {}
    for framework in frameworks():
        for item in framework.items:
            for check_id in item.checks:
                mapping.setdefault(check_id, {}).setdefault(framework.id, []).append(item.id)
    return {c: {f: tuple(ids) for f, ids in by_fw.items()} for c, by_fw in mapping.items()}
