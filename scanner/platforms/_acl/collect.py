"""What every vendor's ACL reader fills: lists under construction, their uses, notes; then the facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.aclfacts import (
    AccessFacts,
    AccessList,
    AclFamily,
    AclLine,
    AclUse,
    LineRef,
    NamedReference,
    Routing,
    SecurityZones,
    Unmodelled,
)
from scanner.configtree import Line
from scanner.model import Evidence
from scanner.platforms._acl.build import MatchDraft, ReadyMatch

EvidenceMaker = Callable[[int, str], Evidence]


class LineEvidence:
    """A line's evidence now (``source(line)``), or a reference that makes it when cited (``source.ref(line)``)."""

    __slots__ = ("make", "path", "source")

    def __init__(self, make: EvidenceMaker) -> None:
        self.make = make
        # The command and file every evidence of this output names (an empty probe line shows them).
        probe = make(0, "")
        self.source, self.path = probe.source, probe.path

    def __call__(self, line: Line) -> Evidence:
        return self.make(line.lineno, line.raw)

    def ref(self, line: Line) -> LineRef:
        return LineRef(self.source, line.lineno, line.raw, self.path)


@dataclass
class ListDraft:
    name: str
    kind: str
    family: AclFamily
    evidence: Evidence
    edit: tuple[str, ...]
    lines: list[AclLine] = field(default_factory=list)
    auto_order: bool = False
    notes: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def skip(self, lineno: int, text: str, reason: object) -> None:
        """An entry the reader could not analyse: noted, and its line kept (``AccessList.skipped``)."""
        self.notes.append(f"line {lineno}: {text}: {reason} (not analysed)")
        self.skipped.append(lineno)

    def add(
        self,
        action: str,
        match: MatchDraft | ReadyMatch,
        origin: LineRef | Evidence,
        label: str,
        remove: tuple[str, ...],
    ) -> AclLine:
        line = AclLine(
            action=action,  # type: ignore[arg-type]
            space=match.space(),
            origin=origin,
            label=label,
            exact=match.exact,
            inexact="; ".join(match.inexact) if match.inexact else "",
            remove=remove,
        )
        self.lines.append(line)
        return line

    def finish(self) -> AccessList:
        return AccessList(
            name=self.name,
            kind=self.kind,
            family=self.family,
            lines=tuple(self.lines),
            evidence=self.evidence,
            edit=self.edit,
            auto_order=self.auto_order,
            notes=tuple(self.notes),
            skipped=tuple(self.skipped),
        )


@dataclass
class AccessCollector:
    drafts: dict[tuple[AclFamily, str], ListDraft] = field(default_factory=dict)
    uses: list[AclUse] = field(default_factory=list)
    unmodelled: list[Unmodelled] = field(default_factory=list)
    undefined: list[NamedReference] = field(default_factory=list)
    # Another name a list answers to (a Huawei named ACL with a number): (family, alias) -> name.
    aliases: dict[tuple[AclFamily, str], str] = field(default_factory=dict)
    _reported: set[tuple[str, str]] = field(default_factory=set)

    def missing_names(self, names: set[tuple[str, str]], evidence: Evidence) -> None:
        """Names (kind, name) an entry uses that are not defined: each reported at its first use."""
        for kind, name in sorted(names - self._reported):
            self.undefined.append(NamedReference(kind, name, evidence))
            self._reported.add((kind, name))

    def draft(self, name: str, kind: str, family: AclFamily, evidence: Evidence, edit: tuple[str, ...]) -> ListDraft:
        """The list ``name`` (created on first mention; numbered IOS lists are spread over many lines)."""
        key = (family, name)
        found = self.drafts.get(key)
        if found is None:
            found = self.drafts[key] = ListDraft(name, kind, family, evidence, edit)
        return found

    def use(self, use: AclUse) -> None:
        self.uses.append(use)

    def finish(self, routing: Routing | None, zones: SecurityZones | None = None) -> AccessFacts:
        return AccessFacts(
            lists={key: draft.finish() for key, draft in self.drafts.items()},
            uses=self.uses,
            routing=routing,
            zones=zones,
            unmodelled=self.unmodelled,
            undefined=self.undefined,
            aliases=self.aliases,
        )
