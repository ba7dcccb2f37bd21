"""A configuration as user rules read it: sections of lines, one shape for every platform.

A user rule (``scanner.rules``) searches regular expressions in configuration lines and
selects sections with ``within``. Each platform builds its :class:`ConfigView` from the
tree it already parsed (``Platform.config_view``), so a rule reads the configuration the
way that platform's own parser does: Cisco-style and Huawei/H3C trees by indentation
(``#`` and ``!`` lines are not lines, banner text is not configuration), Junos as its
statements in effect (``apply-groups`` followed, deactivated statements left out). The
view also carries the remediation syntax of its platform: how a command is placed in a
section and how a line is removed.

A view lives on :class:`~scanner.facts.Facts` while the host's checks run; the engine
releases it afterwards.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from scanner.configtree import ConfigTree
from scanner.masking import mask_line
from scanner.model import Evidence

EvidenceMaker = Callable[[int, str], Evidence]


class ViewLine:
    """One configuration line: the texts a rule's regex is searched in, and where it is.

    The evidence (the line masked) is made only when asked for: a rule reads many lines
    and cites few. ``statement`` is the whole statement as written (not masked: mask it
    before it is shown), where a platform needs it to remove the line (Junos ``delete``);
    tree platforms remove the line's text.
    """

    __slots__ = ("_evidence", "_make", "forms", "lineno", "raw", "statement")

    def __init__(self, forms: tuple[str, ...], make: EvidenceMaker, lineno: int, raw: str, statement: str = "") -> None:
        self.forms = forms
        self._make = make
        self.lineno = lineno
        self.raw = raw
        self.statement = statement
        self._evidence: Evidence | None = None

    @property
    def evidence(self) -> Evidence:
        if self._evidence is None:
            self._evidence = self._make(self.lineno, self.raw)
        return self._evidence

    def matches(self, pattern: re.Pattern[str]) -> bool:
        return any(pattern.search(form) for form in self.forms)


class Section(ABC):
    """A part of the configuration: the whole of it (``label == ""``) or a parent line with what is under it."""

    label: str
    evidence: Evidence | None

    @abstractmethod
    def lines(self) -> list[ViewLine]:
        """The lines directly in this section."""

    @abstractmethod
    def sections(self, pattern: re.Pattern[str]) -> list[Section]:
        """The sections in this one whose line matches ``pattern``, in configuration order."""

    @abstractmethod
    def placed(self, commands: Sequence[str]) -> tuple[str, ...]:
        """``commands`` as they are entered in this section (its parent lines first)."""

    @abstractmethod
    def removal(self, line: ViewLine) -> tuple[str, ...]:
        """The commands that remove ``line`` (one of this section's lines)."""

    @property
    def is_root(self) -> bool:
        return not self.label


class ConfigView:
    """The configuration of one host for rules; ``incomplete`` says why the text may not be all of it.

    The root section is built on first use, so a scan without rules pays nothing for it.
    """

    def __init__(self, build: Callable[[], Section], source: str, incomplete: str | None = None) -> None:
        self._build = build
        self._root: Section | None = None
        self.source = source
        self.incomplete = incomplete

    @property
    def root(self) -> Section:
        if self._root is None:
            self._root = self._build()
        return self._root


class TreeSection(Section):
    """A section of an indentation tree (Cisco IOS/IOS-XE/NX-OS, Arista EOS, Huawei VRP, H3C Comware)."""

    def __init__(
        self,
        tree: ConfigTree,
        ev: EvidenceMaker,
        negation: str,
        index: int = -1,
        roots: Sequence[int] | None = None,
    ) -> None:
        self.tree = tree
        self.ev = ev
        self.negation = negation
        self.index = index
        self._indices = roots
        if index < 0:
            self.label = ""
            self.evidence = None
        else:
            self.label = mask_line(tree.texts[index])
            self.evidence = ev(tree.linenos[index], " " * tree.indents[index] + tree.texts[index])

    def _members(self) -> list[int]:
        if self._indices is not None:
            return list(self._indices)
        tree = self.tree
        if self.index < 0:
            return list(tree.top_indices())
        return [i for i in tree.child_indices(self.index) if i not in tree.comments]

    def lines(self) -> list[ViewLine]:
        tree = self.tree
        return [
            ViewLine((tree.texts[i],), self.ev, tree.linenos[i], " " * tree.indents[i] + tree.texts[i])
            for i in self._members()
        ]

    def sections(self, pattern: re.Pattern[str]) -> list[Section]:
        texts = self.tree.texts
        return [TreeSection(self.tree, self.ev, self.negation, i) for i in self._members() if pattern.search(texts[i])]

    def _lineage(self) -> list[str]:
        tree = self.tree
        chain = []
        index = self.index
        while index >= 0:
            chain.append(mask_line(tree.texts[index]))
            index = tree.parents[index]
        return chain[::-1]

    def placed(self, commands: Sequence[str]) -> tuple[str, ...]:
        parents = self._lineage()
        depth = len(parents)
        return (
            *(" " * level + text for level, text in enumerate(parents)),
            *(" " * depth + command for command in commands),
        )

    def removal(self, line: ViewLine) -> tuple[str, ...]:
        text = line.evidence.text.strip()
        command = text.removeprefix(self.negation) if text.startswith(self.negation) else self.negation + text
        return self.placed([command])
