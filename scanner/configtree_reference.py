"""The ``--parser ciscoconfparse`` backend: ciscoconfparse builds the tree, we copy it.

ciscoconfparse is the reference for what a configuration tree of Cisco-style text is.
It is imported only when selected: importing it is slow and it installs its own
(loguru) handler on stderr, which we silence so a scan's output stays ours.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scanner.configtree import BACKENDS, Backend, ConfigTree


class ReferenceParserMissing(RuntimeError):
    """ciscoconfparse is an optional dependency (GPL-3.0), installed with netcomply[reference]."""


def require_ciscoconfparse() -> None:
    try:
        _ciscoconfparse_class()
    except ImportError:
        raise ReferenceParserMissing(
            "--parser ciscoconfparse needs the ciscoconfparse package: pip install 'netcomply[reference]'"
        ) from None


@cache
def _ciscoconfparse_class() -> Any:
    from ciscoconfparse import CiscoConfParse
    from loguru import logger

    logger.remove()
    return CiscoConfParse


def parse_with_ciscoconfparse(text: str, comment: str = "!") -> ConfigTree:
    parse = _ciscoconfparse_class()
    lines = text.splitlines()
    parsed = parse(lines, syntax="ios", comment=comment, ignore_blank_lines=True)
    objects = [obj for obj in parsed.ConfigObjs if obj.text.strip()]
    position = {id(obj): i for i, obj in enumerate(objects)}

    tree = ConfigTree()
    cursor = 0
    for i, obj in enumerate(objects):
        raw = obj.text
        while cursor < len(lines) and lines[cursor].rstrip() != raw.rstrip():
            cursor += 1
        cursor += 1
        body = raw.strip()
        tree.texts.append(body)
        tree.linenos.append(cursor if cursor <= len(lines) else i + 1)
        tree.indents.append(len(raw) - len(raw.lstrip()))
        parent = obj.parent
        tree.parents.append(position.get(id(parent), -1) if parent is not None and parent is not obj else -1)
        if body[0] in comment:
            tree.comments.add(i)
    return tree


def build_tree(text: str, comment: str = "!", backend: Backend = "native") -> ConfigTree:
    """The tree of ``text`` from the chosen builder: netcomply's own, or ciscoconfparse (the reference)."""
    if backend == "ciscoconfparse":
        return parse_with_ciscoconfparse(text, comment)
    if backend != "native":
        raise ValueError(f"unknown config parser {backend!r} (expected one of: {', '.join(BACKENDS)})")
    return ConfigTree.parse(text, comment)
