"""Junos configurations as user rules read them (``scanner.configview``).

Junos has no indentation tree to select sections from: every statement is one ``set``
line, and the hierarchy is its leading words. So here a line is a statement in effect
(groups applied, deactivated statements left out), matched both as ``display set``
prints it (``set system services ssh``) and as its path (``system services ssh``): a
rule copied from either form of the configuration works. A section is a hierarchy level:
``within`` is matched against the leading words of each statement, the shortest match
wins (``^interfaces \\S+$`` makes one section per interface), and the section's lines
are its statements with those words taken off (``unit 0 family inet address ...``).
Fixes are written in set form under the section's words; a forbidden statement is
removed with ``delete`` on the statement as written (its ``groups NAME`` prefix kept).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.configview import EvidenceMaker, Section, ViewLine
from scanner.masking import mask_line

_VERBS = frozenset({"set", "delete", "deactivate", "activate", "insert", "annotate", "protect", "unprotect", "rename"})


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement in effect: its words below the section, the words as written, its line."""

    words: tuple[str, ...]
    written: tuple[str, ...]
    number: int
    text: str


class JunosSection(Section):
    def __init__(self, prefix: tuple[str, ...], statements: Sequence[Statement], ev: EvidenceMaker) -> None:
        self.prefix = prefix
        self.statements = list(statements)
        self.ev = ev
        self.label = mask_line(" ".join(prefix))
        first = self.statements[0] if prefix and self.statements else None
        self.evidence = ev(first.number, first.text) if first else None

    @classmethod
    def root(cls, statements: Sequence[tuple[Sequence[str], Sequence[str], int, str]], ev: EvidenceMaker) -> Section:
        """The whole configuration from (path in effect, path as written, line number, line text) tuples."""
        return cls(
            (), [Statement(tuple(path), tuple(done), number, text) for path, done, number, text in statements], ev
        )

    def _forms(self, words: Sequence[str]) -> tuple[str, ...]:
        text = " ".join(words)
        return (text, f"set {text}") if self.is_root else (text,)

    def lines(self) -> list[ViewLine]:
        return [
            ViewLine(self._forms(s.words), self.ev, s.number, s.text, statement=" ".join(s.written))
            for s in self.statements
            if s.words
        ]

    def sections(self, pattern: re.Pattern[str]) -> list[Section]:
        found: dict[tuple[str, ...], list[Statement]] = {}
        for statement in self.statements:
            words = statement.words
            for size in range(1, len(words) + 1):
                if any(pattern.search(form) for form in self._forms(words[:size])):
                    below = Statement(words[size:], statement.written, statement.number, statement.text)
                    found.setdefault(words[:size], []).append(below)
                    break
        return [JunosSection((*self.prefix, *head), members, self.ev) for head, members in found.items()]

    def placed(self, commands: Sequence[str]) -> tuple[str, ...]:
        path = self.label
        out = []
        for command in commands:
            verb, _, rest = command.strip().partition(" ")
            if verb not in _VERBS:
                verb, rest = "set", command.strip()
            out.append(" ".join(part for part in (verb, path, rest) if part))
        return tuple(out)

    def removal(self, line: ViewLine) -> tuple[str, ...]:
        return (f"delete {mask_line(line.statement)}",)
