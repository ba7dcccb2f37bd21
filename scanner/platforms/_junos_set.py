"""Junos configuration text in braces -> ``set`` lines, each with the number of the line it came from.

``show configuration`` prints the hierarchy in braces; ``show configuration | display
set`` prints one ``set`` line per leaf. The Junos parser reads the set form; a config
saved in braces (RANCID, Oxidized, a hand-made backup) is converted here first. Every
converted line keeps the line number of the statement it came from, so evidence points
at the line of the text the device printed.

What the converter understands: nested blocks, leaves ending in ``;``, lists in
``[ ]`` (one set line per element, as ``display set`` does), ``inactive:`` (a
``deactivate`` line is added), ``protect:``/``replace:`` annotations, ``/* */`` and
``#`` comments, and set/deactivate lines given as they are. It never raises: a
truncated or unbalanced text converts as far as it makes sense.
"""

from __future__ import annotations

import re

_SET_VERBS = ("set ", "deactivate ", "activate ", "delete ", "protect ", "insert ")
_ANNOTATIONS = ("inactive: ", "protect: ", "replace: ", "inactive:", "protect:", "replace:")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')


def is_brace_form(text: str) -> bool:
    """True when the text holds blocks in braces rather than set lines."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "/*", "*")):
            continue
        if line.startswith(_SET_VERBS):
            return False
        if line.endswith("{"):
            return True
    return False


def strip_comment(line: str) -> str:
    """The statement without a trailing ``## SECRET-DATA`` or ``# comment`` outside quotes."""
    if "#" not in line:
        return line
    quoted = False
    for position, char in enumerate(line):
        if char == '"' and (position == 0 or line[position - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted and (position == 0 or line[position - 1] in " \t;{}"):
            return line[:position].rstrip()
    return line


def split_words(statement: str) -> list[str]:
    """Words of a statement, a quoted string being one word (quotes kept)."""
    return _TOKEN.findall(statement)


def to_set_lines(text: str) -> list[tuple[int, str]]:
    """(original line number, set line) for every statement of ``text``, in order."""
    out: list[tuple[int, str]] = []
    path: list[str] = []
    # For each open block: the line it opened on and how many lines were emitted under it.
    opened: list[tuple[int, int]] = []
    in_comment = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if in_comment:
            if "*/" not in line:
                continue
            in_comment = False
            line = line.split("*/", 1)[1].strip()
        if line.startswith("/*"):
            if "*/" not in line:
                in_comment = True
                continue
            line = line.split("*/", 1)[1].strip()
        if not line or line.startswith("#"):
            continue
        line = strip_comment(line)
        if not path and line.startswith(_SET_VERBS):
            out.append((lineno, line))
            continue
        inactive = False
        for annotation in _ANNOTATIONS:
            if line.startswith(annotation):
                inactive = annotation.startswith("inactive")
                line = line[len(annotation) :].strip()
                break
        while line.startswith("}"):
            _close(path, opened, out)
            line = line[1:].strip()
        if not line:
            continue
        if line.endswith("{"):
            head = line[:-1].strip()
            if head:
                path.append(head)
                opened.append((lineno, len(out)))
                if inactive:
                    out.append((lineno, "deactivate " + " ".join(path)))
            continue
        statement = line[:-1].rstrip() if line.endswith(";") else line
        if statement.endswith("}"):
            # "name { leaf; }" on one line: a block with its leaves inline.
            _inline_block(lineno, statement, path, out)
            continue
        for leaf in _expand_list(statement):
            out.append((lineno, "set " + " ".join([*path, leaf])))
        if inactive:
            out.append((lineno, "deactivate " + " ".join([*path, statement])))
    while path:
        _close(path, opened, out)
    return out


def unclosed_blocks(text: str) -> int:
    """How many ``{`` blocks of a brace-form text are never closed (0 for a whole configuration)."""
    depth = 0
    in_comment = False
    for raw in text.splitlines():
        line = raw.strip()
        if in_comment:
            if "*/" not in line:
                continue
            in_comment = False
            line = line.split("*/", 1)[1]
        if line.startswith("/*"):
            if "*/" not in line:
                in_comment = True
                continue
            line = line.split("*/", 1)[1]
        if not line or line.startswith("#"):
            continue
        unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', "", strip_comment(line))
        depth = max(depth + unquoted.count("{") - unquoted.count("}"), 0)
    return depth


def _close(path: list[str], opened: list[tuple[int, int]], out: list[tuple[int, str]]) -> None:
    """End the innermost block; a block with nothing in it is still a statement (``set system services ssh``)."""
    if not path:
        return
    lineno, emitted = opened.pop()
    if len(out) == emitted:
        out.append((lineno, "set " + " ".join(path)))
    path.pop()


def _expand_list(statement: str) -> list[str]:
    """``domain-search [ a b ]`` -> ``domain-search a``, ``domain-search b``."""
    if not statement.endswith("]") or "[" not in statement:
        return [statement]
    words = split_words(statement)
    if "[" not in words:
        return [statement]
    start = words.index("[")
    key = " ".join(words[:start])
    items = [w for w in words[start + 1 :] if w != "]"]
    return [f"{key} {item}".strip() for item in items] or [key]


def _inline_block(lineno: int, statement: str, path: list[str], out: list[tuple[int, str]]) -> None:
    head, _, body = statement.partition("{")
    inner = [*path, head.strip()]
    leaves = [leaf.strip() for leaf in body.rstrip("}").split(";") if leaf.strip()]
    if not leaves:
        out.append((lineno, "set " + " ".join(inner)))
    for leaf in leaves:
        for item in _expand_list(leaf):
            out.append((lineno, "set " + " ".join([*inner, item])))
