"""User rules as checks: each rule of a policy becomes a :class:`~scanner.checkapi.CheckSpec`.

A rule (``scanner.rules``) is judged on the host's :class:`~scanner.configview.ConfigView`,
the configuration as its platform reads it. The semantics (CONTRIBUTING.md, "Rules"):

* ``within`` selects sections: the first regex picks lines of the global configuration,
  each further one picks lines under those; a section is the picked line and the lines
  under it. Without ``within`` the rule reads the global configuration.
* In every selected section each ``must_contain`` regex matches at least one line and no
  ``must_not_contain`` regex matches any line. Regexes are searched (``re.search``) in one
  line without its indentation; anchor them with ``^`` and ``$``.
* No section at all: ``not_applicable``, or ``fail`` with ``missing_section: fail``.
* A verdict that rests on a line being absent (a ``must_not_contain`` pass, a missing
  ``must_contain`` line, a missing section) is an ``error`` when the configuration is not
  known to be whole; a forbidden line that is there fails whatever else is missing.

The check object is plain data (picklable), so the rules of a policy travel with it to
wherever host checks run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from checks.frameworks import frameworks
from scanner.checkapi import CheckSpec, Context, Result
from scanner.configview import ConfigView, Section
from scanner.facts import CONFIG, Facts
from scanner.model import Evidence
from scanner.rules import ALL_PLATFORMS, Rule, RuleError

MESSAGES = {
    "ok": "{detail}",
    "failed": "{detail}",
    "no_section": "no section matches {pattern}{where}",
    "not_whole": "cannot judge: {reason}; {detail}",
}
# A finding lists this many problems (and evidence lines); the message says how many more.
_SHOWN = 8


@dataclass(frozen=True)
class PlatformNames:
    """A platform as a rule may name it: its own name, its aliases, its kind.

    Given by the caller (the engine knows the platforms; checks do not).
    """

    name: str
    names: tuple[str, ...]
    kind: str


def rule_checks(
    rules: Sequence[Rule], registered: Iterable[CheckSpec], platforms: Mapping[str, PlatformNames]
) -> list[CheckSpec]:
    """One check per rule; :class:`RuleError` for an id already taken, an unknown platform or clause.

    ``platforms`` maps every platform name and alias to its :class:`PlatformNames`.
    """
    taken = {spec.id: spec for spec in registered}
    known_items = {fw.id: {item.id for item in fw.items} for fw in frameworks()}
    specs = []
    for rule in rules:
        other = taken.get(rule.id)
        if other is not None:
            owner = other.origin or "netcomply"
            raise RuleError(
                rule.source,
                rule.line_of("id"),
                f"rule id {rule.id!r} is already the id of a check of {owner} ({other.title}); choose another",
            )
        rule = _normalized(rule, platforms)
        specs.append(
            CheckSpec(
                id=rule.id,
                title=rule.title,
                severity=rule.severity,
                rationale=rule.rationale or f"A rule of the policy ({rule.origin}).",
                func=RuleCheck(rule),
                messages=MESSAGES,
                needs=(CONFIG,),
                platforms=rule.platforms,
                origin=f"rule {rule.origin}",
                # A rule reads view.incomplete itself: its absence-based verdicts are errors there.
                judges_incomplete=True,
            )
        )
        _check_clauses(rule, known_items)
    return specs


def rule_clauses(rules: Sequence[Rule]) -> dict[str, dict[str, tuple[str, ...]]]:
    """{rule id: {framework: items}}: the rules' own entries beside ``clauses_by_check()``."""
    return {rule.id: dict(rule.clauses) for rule in rules if rule.clauses}


def _normalized(rule: Rule, platforms: Mapping[str, PlatformNames]) -> Rule:
    """``platforms`` as netcomply names them (aliases resolved); ``fix`` under every name of its platform,
    so a host whose inventory names its platform by an alias finds its commands."""
    listed = None
    if rule.platforms is not None:
        names = [_platform(rule, name, f"platforms[{i}]", platforms).name for i, name in enumerate(rule.platforms)]
        listed = tuple(dict.fromkeys(names))
    fix: dict[str, tuple[str, ...]] = {}
    for name, commands in rule.fix.items():
        if name == ALL_PLATFORMS:
            fix[name] = commands
            continue
        for alias in _platform(rule, name, f"fix.{name}", platforms).names:
            fix[alias] = commands
    return replace(rule, platforms=listed, fix=fix)


def _platform(rule: Rule, name: str, key: str, platforms: Mapping[str, PlatformNames]) -> PlatformNames:
    found = platforms.get(name.strip().lower())
    if found is None:
        known = ", ".join(sorted(platforms))
        raise RuleError(rule.source, rule.line_of(key), f"unknown platform {name!r} (netcomply knows: {known})")
    if found.kind != "network":
        reason = f"{found.name} is a {found.kind} platform: rules read device configurations"
        raise RuleError(rule.source, rule.line_of(key), reason)
    return found


def _check_clauses(rule: Rule, known: dict[str, set[str]]) -> None:
    for framework, items in rule.clauses.items():
        line = rule.line_of(f"clauses.{framework}")
        if framework not in known:
            raise RuleError(rule.source, line, f"unknown framework {framework!r} (known: {', '.join(sorted(known))})")
        for item in items:
            if item not in known[framework]:
                raise RuleError(rule.source, line, f"framework {framework} has no item {item!r}")


# ---- judging ---------------------------------------------------------------------------


@dataclass
class _Judgement:
    """What one rule found on one host, before it becomes one verdict."""

    present: list[str] = field(default_factory=list)  # forbidden lines that are there
    absent: list[str] = field(default_factory=list)  # required lines or sections that are not
    evidence: list[Evidence] = field(default_factory=list)  # where the problems are
    support: list[Evidence] = field(default_factory=list)  # the required lines that are there
    fixes: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class RuleCheck:
    """The check function of one rule."""

    rule: Rule

    def __call__(self, facts: Facts, ctx: Context) -> Result:
        view = facts.config_view
        if view is None:
            reason = facts.unavailable.get(CONFIG, "the configuration was not read")
            return Result.error("unavailable", reason=reason)
        rule = self.rule
        sections, missing = _select(view.root, rule.within)
        if not sections:
            return self._no_section(view, missing)
        judged = _Judgement()
        fix = rule.fix_for(facts.platform.name)
        for section in sections:
            self._judge(section, fix, judged)
        if rule.missing_section == "fail":
            for parent, pattern in missing:
                judged.absent.append(f"no section matching {pattern.pattern!r} in {_where(parent)}")
                judged.evidence.extend(e for e in (parent.evidence,) if e is not None)
        return self._verdict(view, sections, judged)

    def _judge(self, section: Section, fix: tuple[str, ...], judged: _Judgement) -> None:
        rule = self.rule
        lines = section.lines()
        fix_here = False
        for pattern in rule.must_not_contain:
            for line in lines:
                if line.matches(pattern):
                    judged.present.append(
                        f"{line.evidence.text.strip()!r} (line {line.evidence.line}) matches {pattern.pattern!r}"
                    )
                    judged.evidence.append(line.evidence)
                    if fix:
                        fix_here = True
                    else:
                        judged.fixes.append(section.removal(line))
        for pattern in rule.must_contain:
            matching = [line for line in lines if line.matches(pattern)]
            if matching:
                judged.support.extend(line.evidence for line in matching)
            else:
                judged.absent.append(f"no line matching {pattern.pattern!r} in {_where(section)}")
                if section.evidence is not None:
                    judged.evidence.append(section.evidence)
                fix_here = fix_here or bool(fix)
        if fix_here:
            judged.fixes.append(section.placed(fix))

    def _verdict(self, view: ConfigView, sections: list[Section], judged: _Judgement) -> Result:
        rule = self.rule
        evidence = _capped(judged.evidence)
        fix = [line for block in dict.fromkeys(judged.fixes) for line in block]
        if judged.present:
            problems = judged.present + ([] if view.incomplete else judged.absent)
            return Result.fail("failed", evidence, fix=fix, detail=_listing(problems))
        if view.incomplete and (judged.absent or rule.must_not_contain):
            about = judged.absent or [f"no line matching {p.pattern!r}" for p in rule.must_not_contain]
            detail = f"the verdict would rest on what is absent: {_listing(about)}"
            return Result.error("not_whole", evidence, reason=view.incomplete, detail=detail)
        if judged.absent:
            return Result.fail("failed", evidence, fix=fix, detail=_listing(judged.absent))
        return Result.ok("ok", _capped(judged.support), detail=self._holds(sections))

    def _holds(self, sections: list[Section]) -> str:
        rule = self.rule
        parts = [f"a line matching {p.pattern!r}" for p in rule.must_contain]
        parts += [f"no line matching {p.pattern!r}" for p in rule.must_not_contain]
        holds = " and ".join(parts)
        if not rule.within:
            return f"the global configuration has {holds}"
        return f"each of {len(sections)} section(s) matching {_chain(rule.within)} has {holds}"

    def _no_section(self, view: ConfigView, missing: list[tuple[Section, re.Pattern[str]]]) -> Result:
        rule = self.rule
        parents = [parent for parent, _pattern in missing if not parent.is_root]
        where = f" under {_listing([repr(p.label) for p in parents])}" if parents else ""
        pattern = _chain(rule.within)
        if view.incomplete:
            detail = f"the verdict would rest on what is absent: no section matching {pattern}"
            return Result.error("not_whole", reason=view.incomplete, detail=detail)
        if rule.missing_section == "fail":
            evidence = [p.evidence for p in parents if p.evidence is not None]
            return Result.fail("no_section", evidence, pattern=pattern, where=where)
        return Result.not_applicable("no_section", pattern=pattern, where=where)


def _select(
    root: Section, within: Sequence[re.Pattern[str]]
) -> tuple[list[Section], list[tuple[Section, re.Pattern[str]]]]:
    """The sections ``within`` selects, and (parent, regex) for every parent where the next level is missing."""
    sections = [root]
    missing: list[tuple[Section, re.Pattern[str]]] = []
    for pattern in within:
        below = []
        for section in sections:
            found = section.sections(pattern)
            if not found:
                missing.append((section, pattern))
            below.extend(found)
        sections = below
    return sections, missing


def _where(section: Section) -> str:
    if section.is_root:
        return "the global configuration"
    line = f" (line {section.evidence.line})" if section.evidence is not None else ""
    return f"{section.label!r}{line}"


def _chain(patterns: Sequence[re.Pattern[str]]) -> str:
    return " > ".join(repr(p.pattern) for p in patterns)


def _capped(evidence: list[Evidence]) -> list[Evidence]:
    return list(dict.fromkeys(evidence))[: _SHOWN * 4]


def _listing(items: Sequence[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    more = len(items) - _SHOWN
    return f"{shown}; and {more} more" if more > 0 else shown
