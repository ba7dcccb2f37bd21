"""User rules: the ``rules:`` section of a policy file, read into :class:`Rule` objects.

A rule is a check written in YAML instead of Python: regular expressions over the lines
of a device's configuration (see CONTRIBUTING.md, "Rules"). This module only reads and
validates the text, keeping the line of every key so that a refusal names the file, the
line and the reason. What depends on the rest of netcomply (known platforms, framework
items, ids of the shipped and plugin checks) is checked where those are known, in
``checks.rules``, with the line numbers kept here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from scanner.model import Severity

# The same shape as a shipped check id (family.name); a rule id is a public id like theirs.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

MissingSection = Literal["not_applicable", "fail"]
KEYS = (
    "id",
    "title",
    "severity",
    "rationale",
    "platforms",
    "within",
    "must_contain",
    "must_not_contain",
    "fix",
    "clauses",
    "missing_section",
)
DEFAULT_SEVERITY = "medium"
ALL_PLATFORMS = "*"


class RuleError(ValueError):
    """A rule that cannot be used: ``file:line: reason``."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Rule:
    """One user rule, validated. Patterns are compiled; ``lines`` maps each key (and list
    element, ``"within[1]"``) to its line in ``source``."""

    id: str
    title: str
    severity: Severity
    rationale: str
    platforms: tuple[str, ...] | None
    within: tuple[re.Pattern[str], ...]
    must_contain: tuple[re.Pattern[str], ...]
    must_not_contain: tuple[re.Pattern[str], ...]
    # Commands per platform name; "*" for every platform without its own entry.
    fix: Mapping[str, tuple[str, ...]]
    clauses: Mapping[str, tuple[str, ...]]
    missing_section: MissingSection
    source: str
    line: int
    lines: Mapping[str, int] = field(default_factory=dict)

    def fix_for(self, platform: str) -> tuple[str, ...]:
        return self.fix.get(platform) or self.fix.get(ALL_PLATFORMS, ())

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def origin(self) -> str:
        return f"{self.source}:{self.line}"


def parse_rules(text: str, source: str) -> tuple[Rule, ...]:
    """The rules of a policy text (none when it has no ``rules:``); :class:`RuleError` on the first bad one."""
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(source, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from None
    if not isinstance(document, yaml.MappingNode):
        return ()
    section = _value_of(document, "rules")
    if section is None or _is_null(section):
        return ()
    if not isinstance(section, yaml.SequenceNode):
        raise RuleError(source, _line(section), "rules must be a list of rules (each starting with `- id: ...`)")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for item in section.value:
        rule = _rule(item, source)
        if rule.id in seen:
            raise RuleError(
                source, rule.line_of("id"), f"duplicate rule id {rule.id!r} (first defined at line {seen[rule.id]})"
            )
        seen[rule.id] = rule.line_of("id")
        rules.append(rule)
    return tuple(rules)


# ---- one rule ------------------------------------------------------------------------


def _rule(node: yaml.Node, source: str) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError(source, _line(node), "a rule must be a mapping (id, must_contain, ...)")
    values: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in KEYS:
            raise RuleError(source, _line(key_node), _unknown_key(key))
        if key in values:
            raise RuleError(source, _line(key_node), f"key {key!r} given twice in one rule (line {lines[key]})")
        values[key] = value_node
        lines[key] = _line(key_node)
    start = _line(node)
    reader = _Reader(source, values, lines, start)

    rule_id = reader.text("id", required=True)
    if not ID_PATTERN.match(rule_id):
        raise RuleError(
            source,
            lines["id"],
            f"rule id {rule_id!r} must look like family.name (lower case letters, digits and _; e.g. site.no_http)",
        )
    severity_text = reader.text("severity") or DEFAULT_SEVERITY
    try:
        severity = Severity.parse(severity_text)
    except ValueError as exc:
        raise RuleError(source, lines["severity"], str(exc)) from None
    within = reader.patterns("within")
    must_contain = reader.patterns("must_contain")
    must_not_contain = reader.patterns("must_not_contain")
    if not must_contain and not must_not_contain:
        raise RuleError(source, start, f"rule {rule_id} checks nothing: give must_contain and/or must_not_contain")
    missing = reader.text("missing_section") or "not_applicable"
    if missing not in ("not_applicable", "fail"):
        raise RuleError(
            source, lines["missing_section"], f"missing_section must be not_applicable or fail, found {missing!r}"
        )
    if "missing_section" in values and not within:
        raise RuleError(source, lines["missing_section"], "missing_section needs within (the sections it is about)")
    platforms = reader.texts("platforms")
    return Rule(
        id=rule_id,
        title=reader.text("title") or rule_id,
        severity=severity,
        rationale=reader.text("rationale"),
        platforms=tuple(platforms) if "platforms" in values else None,
        within=within,
        must_contain=must_contain,
        must_not_contain=must_not_contain,
        fix=reader.fixes("fix"),
        clauses=reader.clauses("clauses"),
        missing_section=missing,  # type: ignore[arg-type]
        source=source,
        line=start,
        lines=reader.lines,
    )


class _Reader:
    """Typed values of one rule's keys, refusing the wrong shapes with the line they are on."""

    def __init__(self, source: str, values: dict[str, yaml.Node], lines: dict[str, int], start: int) -> None:
        self.source = source
        self.values = values
        self.lines = lines
        self.start = start

    def text(self, key: str, *, required: bool = False) -> str:
        node = self.values.get(key)
        if node is None or _is_null(node):
            if required:
                raise RuleError(self.source, self.start, f"a rule needs {key!r}")
            return ""
        if not isinstance(node, yaml.ScalarNode) or not isinstance(_construct(node), str | int | float):
            raise RuleError(self.source, _line(node), f"{key} must be text, found {_shape(node)}")
        value = str(node.value).strip()
        if required and not value:
            raise RuleError(self.source, _line(node), f"{key} must not be empty")
        return value

    def texts(self, key: str) -> list[str]:
        """A text or a list of texts; each list element's line is kept as ``key[i]``."""
        node = self.values.get(key)
        if node is None or _is_null(node):
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for index, item in enumerate(items):
            if not isinstance(item, yaml.ScalarNode) or _is_null(item):
                reason = f"{key} must be text or a list of texts, found {_shape(item)}"
                raise RuleError(self.source, _line(item), reason)
            if isinstance(node, yaml.SequenceNode):
                self.lines[f"{key}[{index}]"] = _line(item)
            out.append(str(item.value))
        if isinstance(node, yaml.SequenceNode) and not out:
            raise RuleError(self.source, _line(node), f"{key} is an empty list")
        return out

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for index, text in enumerate(self.texts(key)):
            line = self.lines.get(f"{key}[{index}]", self.lines.get(key))
            if not text.strip():
                raise RuleError(self.source, line, f"{key}: an empty regular expression matches every line")
            try:
                compiled.append(re.compile(text))
            except re.error as exc:
                raise RuleError(self.source, line, f"{key}: bad regular expression {text!r}: {exc}") from None
        return tuple(compiled)

    def fixes(self, key: str) -> dict[str, tuple[str, ...]]:
        """Commands for every platform (text or list), or per platform name (a mapping of those)."""
        node = self.values.get(key)
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            return {ALL_PLATFORMS: _command_lines(self.texts(key))}
        out = {}
        for key_node, value_node in node.value:
            platform = str(key_node.value)
            where = f"{key}.{platform}"
            self.lines[where] = _line(key_node)
            reader = _Reader(self.source, {where: value_node}, self.lines, self.start)
            out[platform] = _command_lines(reader.texts(where))
        return out

    def clauses(self, key: str) -> dict[str, tuple[str, ...]]:
        node = self.values.get(key)
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise RuleError(
                self.source, _line(node), f"{key} must map a framework to its items (e.g. {{form: '5.2.3'}})"
            )
        out: dict[str, tuple[str, ...]] = {}
        for key_node, value_node in node.value:
            framework = str(key_node.value)
            self.lines[f"{key}.{framework}"] = _line(key_node)
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            if not items or any(not isinstance(i, yaml.ScalarNode) or _is_null(i) for i in items):
                raise RuleError(self.source, _line(value_node), f"{key}.{framework} must be an item or a list of items")
            out[framework] = tuple(str(i.value) for i in items)
        return out


def _command_lines(texts: list[str]) -> tuple[str, ...]:
    """Commands, one a line; a multi-line text (YAML ``|``) gives several, their indentation kept."""
    return tuple(line.rstrip() for text in texts for line in text.splitlines() if line.strip())


# ---- YAML nodes ------------------------------------------------------------------------


def _value_of(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _construct(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(_construct(node))


def _unknown_key(key: object) -> str:
    known = ", ".join(KEYS)
    if not isinstance(key, str):
        return f"a rule's keys are names, found {key!r} (known: {known})"
    close = difflib.get_close_matches(key, KEYS, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r} in a rule{hint} (known: {known})"
