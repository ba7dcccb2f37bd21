from __future__ import annotations

from datetime import date, timedelta

from checks.host._common import host_state, listing, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_PACKAGES, PatchState


@check(
    id="host.patches",
    kind="host",
    title="No pending security updates",
    severity="high",
    needs=(HOST, HOST_PACKAGES),
    fixes=("apply_security_updates",),
    rationale=(
        "The form (5.1.3 / 5.2.5) requires hosts to be patched. On Linux netcomply asks the package "
        "manager, from its local cache and without touching the network, which installed packages "
        "have a newer version waiting; a security update waiting is a known, published hole. On "
        "Windows the Windows Update Agent's search (WSUS, Windows Update, or the offline catalogue "
        "wsusscn2.cab given to the collection script) lists the updates not installed; where no "
        "catalogue could be searched, the newest installed update must be at most "
        "hosts.patch_max_age_days old, and the finding says the catalogue was not consulted."
    ),
    messages={
        "ok": "no security update pending ({manager}; {other} other update(s) pending)",
        "security": "{count} security update(s) pending ({manager}): {names}",
        "unclassified": "{count} update(s) pending and {manager} cannot tell security ones apart: {names}",
        "recent": (
            "the newest installed update, {name}, is from {date} ({age} days old, at most {days} allowed); "
            "the update catalogue was not consulted, so pending updates are not known ({note})"
        ),
        "stale": (
            "the newest installed update, {name}, is from {date}: {age} days old, at most {days} allowed; "
            "the update catalogue was not consulted ({note})"
        ),
        "undated": (
            "no installed update has an install date ({count} listed by Get-HotFix); "
            "the update catalogue was not consulted ({note})"
        ),
        "future": (
            "the installed updates with a date are dated after the scan ({names}), so their age is unknown: "
            "the host's clock or the install date is wrong; the update catalogue was not consulted ({note})"
        ),
    },
)
def patches(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    patch = state.patches
    assert patch is not None
    upgrade = state.security_upgrade_command
    if not patch.catalogue_consulted:
        return _by_installed_age(facts, ctx, patch, upgrade)
    pending = patch.security if patch.knows_security else patch.pending
    if not pending:
        return Result.ok("ok", manager=patch.manager, other=len(patch.pending))
    names = sorted({u.package for u in pending})
    command = upgrade.format(packages=" ".join(names))
    fix = facts.platform.fix("apply_security_updates", upgrade=command) if command else ()
    key = "security" if patch.knows_security else "unclassified"
    return Result.fail(
        key, [u.evidence for u in pending[:20]], fix, count=len(names), manager=patch.manager, names=listing(names)
    )


def _by_installed_age(facts: Facts, ctx: Context, patch: PatchState, upgrade: str) -> Result:
    """No catalogue: judge the age of the newest installed update, and say that nothing more is known."""
    limit = settings(ctx)["patch_max_age_days"]
    fix = facts.platform.fix("apply_security_updates", upgrade=upgrade.format(packages="")) if upgrade else ()
    # A date after the scan proves nothing recent: a wrong clock, or Get-HotFix reading the
    # registry's install date in the wrong day/month order (a known PowerShell 5.1 quirk).
    latest = ctx.now.date() + timedelta(days=1)
    dated = [p for p in patch.installed if p.installed is not None]
    plausible = [p for p in dated if p.installed is not None and p.installed <= latest]
    if not dated:
        evidence = [p.evidence for p in patch.installed[:5]]
        return Result.fail("undated", evidence, fix, count=len(patch.installed), note=patch.catalogue_note)
    if not plausible:
        names = [f"{p.name} {p.installed.isoformat()}" for p in dated if p.installed is not None]
        evidence = [p.evidence for p in dated[:5]]
        return Result.fail("future", evidence, fix, names=listing(names), note=patch.catalogue_note)
    newest = max(plausible, key=lambda p: p.installed or date.min)
    assert newest.installed is not None
    age = (ctx.now.date() - newest.installed).days
    params = {"name": newest.name, "date": newest.installed.isoformat(), "age": age, "days": limit}
    if age > limit:
        return Result.fail("stale", [newest.evidence], fix, note=patch.catalogue_note, **params)
    return Result.ok("recent", [newest.evidence], note=patch.catalogue_note, **params)
