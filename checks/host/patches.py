from __future__ import annotations

from checks.host._common import host_state, listing
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_PACKAGES


@check(
    id="host.patches",
    kind="host",
    title="No pending security updates",
    severity="high",
    needs=(HOST, HOST_PACKAGES),
    fixes=("apply_security_updates",),
    rationale=(
        "The form (5.1.3 / 5.2.5) requires hosts to be patched. netcomply asks the package manager, "
        "from its local cache and without touching the network, which installed packages have a "
        "newer version waiting; a security update waiting is a known, published hole."
    ),
    messages={
        "ok": "no security update pending ({manager}; {other} other update(s) pending)",
        "security": "{count} security update(s) pending ({manager}): {names}",
        "unclassified": "{count} update(s) pending and {manager} cannot tell security ones apart: {names}",
    },
)
def patches(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    patch = state.patches
    assert patch is not None
    pending = patch.security if patch.knows_security else patch.pending
    if not pending:
        return Result.ok("ok", manager=patch.manager, other=len(patch.pending))
    names = sorted({u.package for u in pending})
    upgrade = state.security_upgrade_command.format(packages=" ".join(names))
    fix = facts.platform.fix("apply_security_updates", upgrade=upgrade) if upgrade else ()
    key = "security" if patch.knows_security else "unclassified"
    return Result.fail(
        key, [u.evidence for u in pending[:20]], fix, count=len(names), manager=patch.manager, names=listing(names)
    )
