"""An indentation tree of a configuration, with line numbers.

Every platform parser reads configurations through :class:`ConfigTree`. The tree is
stored as parallel lists (text, line number, indent, parent index) rather than one
object per line: building it is a single pass of a few list appends per line, which
is what makes a full scan cost little more than reading the files. :class:`Line`
objects are light views created on demand.

Semantics follow ciscoconfparse (the reference, see tests/test_configtree_reference.py):
blank lines are not nodes; a line's parent is the nearest earlier configuration line
with a smaller indent; comment lines never become parents; the lines of a delimited
banner (``banner motd ^C ... ^C``) and of a ``macro name`` block are children of it.
Line numbers are 1-based positions in the original text, blank lines counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import compress, repeat
from operator import lt
from typing import Literal

Backend = Literal["native", "ciscoconfparse"]
BACKENDS: tuple[Backend, ...] = ("native", "ciscoconfparse")

_BANNER_START = re.compile(
    r"^(?:set\s+)*banner\s+(?:login|motd|incoming|exec|telnet|lcd)\s+(?P<delim>\S)"
    r"|^aaa authentication fail-message\s+(?P<delim2>\S)"
)


class Line:
    """A view of one node of a :class:`ConfigTree`."""

    __slots__ = ("index", "tree")

    def __init__(self, tree: ConfigTree, index: int) -> None:
        self.tree = tree
        self.index = index

    @property
    def text(self) -> str:
        """The line without its indentation."""
        return self.tree.texts[self.index]

    @property
    def raw(self) -> str:
        return " " * self.tree.indents[self.index] + self.tree.texts[self.index]

    @property
    def lineno(self) -> int:
        return self.tree.linenos[self.index]

    @property
    def indent(self) -> int:
        return self.tree.indents[self.index]

    @property
    def parent(self) -> Line | None:
        parent = self.tree.parents[self.index]
        return None if parent < 0 else Line(self.tree, parent)

    @property
    def children(self) -> list[Line]:
        return [Line(self.tree, i) for i in self.tree.child_indices(self.index)]

    def child(self, pattern: str | re.Pattern[str]) -> Line | None:
        """The first child whose text matches ``pattern`` (searched, not anchored)."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        texts = self.tree.texts
        for i in self.tree.child_indices(self.index):
            if regex.search(texts[i]):
                return Line(self.tree, i)
        return None

    def children_matching(self, pattern: str | re.Pattern[str]) -> list[Line]:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        texts = self.tree.texts
        return [Line(self.tree, i) for i in self.tree.child_indices(self.index) if regex.search(texts[i])]

    def __repr__(self) -> str:
        return f"<Line {self.lineno}: {self.text!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and other.tree is self.tree and other.index == self.index

    def __hash__(self) -> int:
        return hash((id(self.tree), self.index))


class ConfigTree:
    """Parallel lists: ``texts`` (unindented), ``linenos`` (1-based), ``indents``, ``parents`` (-1 = root)."""

    __slots__ = ("_joined", "_tops", "comments", "indents", "linenos", "parents", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.linenos: list[int] = []
        self.indents: list[int] = []
        self.parents: list[int] = []
        self.comments: set[int] = set()
        self._tops: list[int] | None = None
        self._joined: str | None = None

    @classmethod
    def parse(cls, text: str, comment: str = "!") -> ConfigTree:
        """netcomply's own tree of indented text (``scanner.configtree_reference`` builds one with ciscoconfparse)."""
        return cls._parse_native(text, comment)

    @classmethod
    def from_lines(cls, lines: Iterable[tuple[int, str]], comment: str = "!") -> ConfigTree:
        """A tree of lines given with their own line numbers, for text a platform rewrote before parsing.

        Junos configurations in braces are converted to ``set`` lines first; each converted
        line keeps the number of the line it came from, so evidence points into the text
        the device printed. Same semantics as :meth:`parse` otherwise.
        """
        pairs = list(lines)
        tree = cls._parse_native_lines([text for _, text in pairs], comment)
        tree.linenos = [pairs[position - 1][0] for position in tree.linenos]
        return tree

    @classmethod
    def _parse_native(cls, text: str, comment: str) -> ConfigTree:
        return cls._parse_native_lines(text.splitlines(), comment)

    @classmethod
    def _parse_native_lines(cls, lines: list[str], comment: str) -> ConfigTree:
        tree = cls()
        texts = tree.texts
        linenos = tree.linenos
        indents = tree.indents
        parents = tree.parents
        comments = tree.comments
        tops: list[int] = []
        stack_indent: list[int] = []
        stack_index: list[int] = []
        block_starts: list[int] = []
        previous_indent = 0
        lineno = 0
        for raw in lines:
            lineno += 1
            body = raw.lstrip()
            indent = len(raw) - len(body)
            if not body:
                previous_indent = indent
                continue
            body = body.rstrip()
            index = len(texts)
            texts.append(body)
            linenos.append(lineno)
            indents.append(indent)
            if body[0] in comment:
                # ciscoconfparse never makes a comment the child of anything when the line
                # just above it is indented deeper; otherwise it hangs under the nearest
                # configuration line with a smaller indent.
                comments.add(index)
                parent = -1
                if indent and previous_indent <= indent:
                    for pos in range(len(stack_indent) - 1, -1, -1):
                        if stack_indent[pos] < indent:
                            parent = stack_index[pos]
                            break
                parents.append(parent)
            else:
                while stack_indent and stack_indent[-1] >= indent:
                    stack_indent.pop()
                    stack_index.pop()
                if stack_index:
                    parents.append(stack_index[-1])
                else:
                    parents.append(-1)
                    tops.append(index)
                    if indent == 0 and body[0] in "abms":
                        block_starts.append(index)
                stack_indent.append(indent)
                stack_index.append(index)
            previous_indent = indent
        if block_starts and tree._adopt_blocks(block_starts):
            tops = [i for i in tops if parents[i] < 0]
        tree._tops = tops
        return tree

    def _adopt_blocks(self, candidates: list[int]) -> bool:
        """Make the lines of each banner or macro children of its first line; whether any line was adopted.

        As in ciscoconfparse, blocks are applied in order and a later block start that
        lies inside an earlier block takes over the lines after it.
        """
        texts = self.texts
        parents = self.parents
        count = len(texts)
        adopted = False
        for start in candidates:
            body = texts[start]
            if body.startswith("macro name "):
                close = "@"
            else:
                match = _BANNER_START.match(body)
                if match is None:
                    continue
                close = match.group("delim") or match.group("delim2")
                if len(body.split(close)) > 2:
                    continue
            i = start + 1
            while i < count:
                parents[i] = start
                adopted = True
                if (texts[i] == "@") if close == "@" else (close in texts[i]):
                    break
                i += 1
        return adopted

    def __len__(self) -> int:
        return len(self.texts)

    def child_indices(self, index: int) -> list[int]:
        """Indices of the children of node ``index``, scanning only its own block.

        Once a configuration line attaches above ``index``, the parser's stack has popped
        it and no later line can be its child, so the scan stops there.
        """
        parents = self.parents
        comments = self.comments
        children = []
        for j in range(index + 1, len(parents)):
            parent = parents[j]
            if parent == index:
                children.append(j)
            elif parent < index and j not in comments:
                break
        return children

    def line(self, index: int) -> Line:
        return Line(self, index)

    def top_indices(self) -> list[int]:
        """Indices of the top-level configuration lines (comments excluded), in order.

        Every reader of a platform walks the top level (a fifth of a configuration's lines):
        the native parser notes them as it attaches each line; a tree built otherwise has
        them picked here once, in C.
        """
        tops = self._tops
        if tops is None:
            comments = self.comments
            picked = compress(range(len(self.parents)), map(lt, self.parents, repeat(0)))
            tops = self._tops = [i for i in picked if i not in comments] if comments else list(picked)
        return tops

    def lines_starting(self, prefix: str) -> list[int]:
        """Indices of the lines whose text (without its indentation) starts with ``prefix``, in order.

        Found with ``str.find`` over the lines joined once per tree, each line after a newline:
        a statement most configurations lack (``ipv6 enable``, ``zone-member security``) costs
        a few microseconds to rule out, where a test of every line costs a hundred.
        """
        joined = self._joined
        if joined is None:
            joined = self._joined = "\n" + "\n".join(self.texts)
        needle = "\n" + prefix
        found: list[int] = []
        index = -1  # the newlines before a match, less one: its line's index
        counted = 0
        position = joined.find(needle)
        while position >= 0:
            index += joined.count("\n", counted, position + 1)
            counted = position + 1
            found.append(index)
            position = joined.find(needle, counted)
        return found

    def roots(self) -> Iterator[Line]:
        """Top-level configuration lines (comments excluded), in order."""
        for i in self.top_indices():
            yield Line(self, i)

    def find(self, pattern: str | re.Pattern[str], *, top: bool = False) -> list[Line]:
        """Lines whose text matches ``pattern`` (``re.search``); ``top`` limits to root lines."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        parents = self.parents
        return [
            Line(self, i) for i, text in enumerate(self.texts) if (not top or parents[i] < 0) and regex.search(text)
        ]

    def find_first(self, pattern: str | re.Pattern[str], *, top: bool = False) -> Line | None:
        found = self.find(pattern, top=top)
        return found[0] if found else None

    def structure(self) -> list[tuple[str, str | None]]:
        """(text, parent text) for every node: the shape two parsers must agree on."""
        texts = self.texts
        return [(texts[i], texts[p] if p >= 0 else None) for i, p in enumerate(self.parents)]
