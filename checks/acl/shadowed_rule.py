from __future__ import annotations

from collections.abc import Iterable

from checks.acl._common import MAX_EVIDENCE, MAX_NAMED, all_lists, short, unread_entries
from scanner.aclfacts import AclLine
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts
from scanner.network.acl.lines import unreachable_lines


@check(
    id="acl.shadowed_rule",
    title="Every access-list line can match (none is shadowed by earlier lines)",
    severity="low",
    needs=(CONFIG,),
    rationale=(
        "A line that earlier lines cover, alone or together, never matches a packet: the first-match rule "
        "hands every packet it describes to those lines first. Such a line misleads whoever reads the list "
        "(a deny that never denies, a permit that never permits) and usually marks an ordering mistake. "
        "netcomply decides it exactly on header spaces, as Batfish's filterLineReachability does: the "
        "line's packets minus those of each earlier line, until nothing is left."
    ),
    messages={
        "ok": "{count} list(s), {lines} line(s): every line can match{note}",
        "none": "no access list is defined",
        "shadowed": "{list}: {count} line(s) can never match: {details}",
    },
)
def shadowed_rule(facts: Facts, ctx: Context) -> Iterable[Result]:
    access = facts.access
    lists = list(all_lists(access)) if access is not None else []
    if not lists:
        yield Result.ok("none")
        return
    failed = False
    undecided = 0
    skipped = 0
    for found in lists:
        if found.auto_order:
            skipped += 1
            continue
        reach = unreachable_lines(found)
        undecided += len(reach.undecided)
        if not reach.unreachable:
            continue
        failed = True
        lines = found.lines
        details = []
        cited: list[AclLine] = []
        fix = list(found.edit)
        for item in reach.unreachable:
            line = lines[item.index]
            covering = ", ".join(lines[i].label for i in item.covering)
            conflicting = item.conflicting(lines)
            effect = "another action, so it never takes effect" if conflicting else "the same action: redundant"
            if len(details) < MAX_NAMED:
                details.append(f"line {line.label} ({line.text}) is covered by line(s) {covering} ({effect})")
            if len(cited) < MAX_EVIDENCE:
                cited.append(line)
                cited.extend(lines[i] for i in item.covering)
            fix.extend(line.remove)
        if len(reach.unreachable) > MAX_NAMED:
            details.append(f"and {len(reach.unreachable) - MAX_NAMED} more")
        yield Result.fail(
            "shadowed",
            short(line.evidence for line in dict.fromkeys(cited)),
            fix,
            list=f"{found.kind} {found.name}",
            count=len(reach.unreachable),
            details="; ".join(details),
        )
    if not failed:
        notes = []
        if undecided:
            notes.append(f"{undecided} line(s) too complex to decide")
        if skipped:
            notes.append(f"{skipped} list(s) with match-order auto not analysed")
        unread = unread_entries(lists)
        if unread:
            notes.append(unread)
        note = f" ({'; '.join(notes)})" if notes else ""
        yield Result.ok("ok", [], count=len(lists), lines=sum(len(f.lines) for f in lists), note=note)
