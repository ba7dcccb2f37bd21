from __future__ import annotations

from collections.abc import Iterable

from checks.topology._common import INPUT_MESSAGES, Prepared, TopologyInputError, input_error, prepare
from scanner.checkapi import NetworkContext, Result, check
from scanner.model import Evidence
from scanner.network.topology.analysis import SiteCores, core_sites
from scanner.network.topology.graph import Topology


@check(
    scope="network",
    models=("topology",),
    id="topology.core_redundancy",
    unassessed=("unproven",),
    title="Core devices are redundant at every site (or a spare is held)",
    severity="high",
    rationale=(
        "A site whose core is one device loses everything behind it when that device fails. The "
        "form (5.2.1) asks that core switches and routers are redundant, or that a spare device is "
        "held. Each site needs topology.min_cores_per_site devices with a core role (a declared "
        "spare, `spare: true`, counts), and no core device may be the only path between parts of "
        "the site (an articulation point of the site's topology)."
    ),
    remediation=(
        "Add a second core device and connect every distribution/access device to both cores; or "
        "hold a spare and declare it in the inventory (`spare: true`, role core, same site)."
    ),
    messages={
        "ok": "site {site}: {count} core devices ({cores}){spares}, none the only path to any device",
        "ok_spare": "site {site}: {count} core device(s) ({cores}) and spare {spares}",
        "single": "site {site} has {count} core device(s) ({cores}) and no declared spare; {needed} required",
        "cut": "site {site}: losing core {core} cuts off {lost_count} device(s): {lost}",
        "unproven": "site {site}: cannot tell whether losing core {core} cuts off {lost_count} device(s) ({lost}): "
        "no neighbour data from {unread}, whose links to each other are unknown",
        "spare_only": "site {site} has only spare core devices ({spares}) and no active core",
        **INPUT_MESSAGES,
    },
)
def core_redundancy(ctx: NetworkContext) -> Iterable[Result]:
    try:
        prepared = prepare(ctx)
    except TopologyInputError as exc:
        return [input_error(exc)]
    settings = prepared.settings
    sites = core_sites(prepared.topology, settings.core_roles, settings.leaf_roles)
    return [result for site in sites for result in _judge(prepared, site)]


def _judge(prepared: Prepared, site: SiteCores) -> list[Result]:
    needed = prepared.settings.min_cores_per_site
    cores, spares = site.cores, site.spares
    names = ", ".join(cores)
    if not cores:
        return [Result.fail("spare_only", site=site.label, spares=", ".join(spares)).on_host(s) for s in spares]
    if len(cores) < needed:
        if len(cores) + len(spares) >= needed:
            return [
                Result.ok("ok_spare", site=site.label, count=len(cores), cores=names, spares=", ".join(spares)).on_host(
                    core
                )
                for core in cores
            ]
        return [
            Result.fail("single", site=site.label, count=len(cores), cores=names, needed=needed).on_host(core)
            for core in cores
        ]
    results = []
    for core in cores:
        lost = site.cut.get(core)
        where = {"site": site.label, "core": core}
        if lost:
            evidence = _links_evidence(prepared.topology, core, lost)
            results.append(Result.fail("cut", evidence, **where, lost_count=len(lost), lost=_shown(lost)).on_host(core))
        elif core in site.unproven:
            lost, unread = site.unproven[core]
            unproven = Result.not_applicable(
                "unproven", **where, lost_count=len(lost), lost=_shown(lost), unread=_shown(unread)
            )
            results.append(unproven.on_host(core))
        else:
            spare_text = f" and spare {', '.join(spares)}" if spares else ""
            results.append(
                Result.ok("ok", site=site.label, count=len(cores), cores=names, spares=spare_text).on_host(core)
            )
    return results


def _shown(names: list[str]) -> str:
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def _links_evidence(topology: Topology, core: str, lost: list[str]) -> list[Evidence]:
    """The neighbour lines of the core's links into the part it alone connects."""
    cut = set(lost)
    evidence: list[Evidence] = []
    for neighbor in topology.neighbors(core):
        if neighbor in cut:
            for link in topology.links_between(core, neighbor):
                evidence.extend(link.evidence)
    return evidence
