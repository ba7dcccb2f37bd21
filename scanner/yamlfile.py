"""Reading a user's YAML file (policy, inventory): bounded, and every value with its line.

``yaml.safe_load`` shares one object for every use of an anchor, so a file of a few
hundred bytes whose aliases nest ("billion laughs") loads quickly and then explodes
the first time anything walks it (a policy's ``weak_words`` grew to 4.75 GB). Here the
document is composed first, the size it would have with every alias expanded is
counted on the node graph (each node once, in linear time), and a document above
:data:`MAX_VALUES` is refused before a single Python object is built.

The composed nodes also give the line of every key, so a validator can say
``policy.yaml, line 12: checks.enable: ...`` instead of only the key path.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

# More values than any real policy or inventory of 10,000 devices holds.
MAX_VALUES = 2_000_000

Path_ = tuple[str | int, ...]


class YamlFileError(Exception):
    """A YAML file that cannot be used: the message names the file, the line and the key."""


@dataclass
class YamlDocument:
    """A loaded document: its data, and the line (1-based) of each key path."""

    source: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def where(self, path: Path_) -> str:
        """``source, line N`` for the nearest line known along ``path``."""
        for length in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:length]))
            if line is not None:
                return f"{self.source}, line {line}"
        return self.source

    def error(self, path: Path_, message: str) -> YamlFileError:
        shown = key_path(path)
        return YamlFileError(f"{self.where(path)}: {shown + ': ' if shown else ''}{message}")


def key_path(path: Path_) -> str:
    """``("waivers", 2, "check")`` -> ``waivers[2].check``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_yaml(text: str, source: str, max_values: int = MAX_VALUES) -> YamlDocument:
    """Parse one YAML document safely; raises :class:`YamlFileError` (syntax, alias bomb)."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise YamlFileError(_syntax_message(exc, source)) from None
        except yaml.YAMLError as exc:
            raise YamlFileError(f"{source}: not valid YAML: {exc}") from None
        if node is None:
            return YamlDocument(source, None)
        size = _expanded_size(node, max_values)
        if size > max_values:
            raise YamlFileError(
                f"{source}, line {node.start_mark.line + 1}: refused: its aliases (*name) expand to more than "
                f"{max_values:,} values (an alias bomb?)"
            )
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            raise YamlFileError(_syntax_message(exc, source)) from None
        lines: dict[Path_, int] = {}
        _record_lines(node, (), lines)
        return YamlDocument(source, data, lines)
    finally:
        loader.dispose()


def _syntax_message(exc: yaml.MarkedYAMLError, source: str) -> str:
    mark = exc.context_mark or exc.problem_mark  # where the unclosed construct began, else where it broke
    where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
    problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    return f"{where}: not valid YAML: {problem}"


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many nodes the document holds with every alias expanded (capped just above ``limit``)."""
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:  # every distinct node once, children after parents
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):
        total = 1
        for child in _children(node):
            total += sizes.get(id(child), 1)
            if total > limit:
                total = limit + 1
                break
        sizes[id(node)] = total
    return sizes[id(root)]


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    """The line of each key path: a mapping key's own line, else where the value starts."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            lines.setdefault((*path, name), key.start_mark.line + 1)
            _record_lines(value, (*path, name), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def did_you_mean(word: str, known: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known word, or an empty string."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
