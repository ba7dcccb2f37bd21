"""Patches and antivirus of a Windows host: hotfixes.json, pending_updates.json, defender.json, installed.json."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from scanner.hostfacts import AntivirusProduct, InstalledPatch, PatchState, PendingUpdate
from scanner.platforms._windows import psjson
from scanner.platforms.base import EvidenceMaker

# The Windows Update category "Security Updates" (its name is localised, its id is not).
SECURITY_CATEGORY = "0fa1201d-4330-4fa8-8ae9-b877473b6441"
DEFENDER = "Microsoft Defender Antivirus"
# Get-MpComputerStatus reports a scan age of UInt32.MaxValue for "never".
_NEVER = 4294967295
_PASSIVE = ("passive", "edr block")


def hotfixes(text: str, ev: EvidenceMaker) -> tuple[InstalledPatch, ...]:
    found = []
    for record in psjson.records(text):
        name = psjson.text_value(record.data.get("HotFixID")).strip()
        if not name:
            continue
        installed = psjson.calendar_day(record.data.get("InstalledOn"))
        line = psjson.key_line(text, record, "HotFixID")
        shown = psjson.summary(record.data, ("HotFixID", "Description", "InstalledOn"))
        found.append(InstalledPatch(name, installed, ev(line, shown)))
    return tuple(found)


def pending_updates(text: str, ev: EvidenceMaker) -> tuple[PendingUpdate, ...]:
    found = []
    for record in psjson.records(text):
        data = record.data
        title = psjson.text_value(data.get("Title")).strip()
        kbs = [
            f"KB{k.strip().upper().removeprefix('KB')}" for k in psjson.strings(data.get("KBArticleIDs")) if k.strip()
        ]
        severity = psjson.text_value(data.get("MsrcSeverity")).strip()
        categories = {c.strip().lower() for c in psjson.strings(data.get("Categories"))}
        security = bool(severity) or SECURITY_CATEGORY in categories
        name = ", ".join(kbs) or title[:80] or "an update without a title"
        line = psjson.key_line(text, record, "Title")
        shown = psjson.summary(data, ("Title", "KBArticleIDs", "MsrcSeverity"))
        found.append(PendingUpdate(name, severity or "", security, ev(line, shown)))
    return tuple(found)


def patch_state(
    installed: tuple[InstalledPatch, ...],
    pending: tuple[PendingUpdate, ...] | None,
    note: str,
) -> PatchState:
    """``pending`` None: no catalogue was consulted (``note`` says why); only the hotfix dates can be judged."""
    if pending is None:
        return PatchState(
            manager="Get-HotFix",
            pending=(),
            knows_security=True,
            catalogue_consulted=False,
            catalogue_note=note,
            installed=installed,
        )
    return PatchState(manager="Windows Update Agent", pending=pending, installed=installed)


# ---- antivirus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownProduct:
    name: str
    windows: tuple[str, ...]


@cache
def known_products() -> tuple[KnownProduct, ...]:
    """The products of scanner/data/antivirus.yaml that name their Windows program (``windows:``)."""
    text = resources.files("scanner").joinpath("data/antivirus.yaml").read_text(encoding="utf-8")
    return tuple(
        KnownProduct(str(item["name"]), tuple(str(n) for n in item.get("windows") or ()))
        for item in yaml.safe_load(text)["products"]
        if item.get("windows")
    )


def installed_products(text: str, ev: EvidenceMaker) -> list[AntivirusProduct]:
    """Known antivirus products among the installed programs (DisplayName contains one of their names)."""
    found: dict[str, AntivirusProduct] = {}
    for record in psjson.records(text):
        display = psjson.text_value(record.data.get("DisplayName")).strip()
        lowered = display.casefold()
        for product in known_products():
            if product.name in found or not any(n.casefold() in lowered for n in product.windows):
                continue
            line = psjson.key_line(text, record, "DisplayName")
            shown = psjson.summary(record.data, ("DisplayName", "DisplayVersion", "Publisher"))
            found[product.name] = AntivirusProduct(product.name, running=False, evidence=(ev(line, shown),))
    return list(found.values())


def defender(text: str, ev: EvidenceMaker) -> AntivirusProduct | None:
    """Microsoft Defender as Get-MpComputerStatus reports it; None when the file holds no status."""
    found = psjson.records(text)
    if not found:
        return None
    record = found[0]
    data = record.data
    line = psjson.key_line(text, record, "AMServiceEnabled")
    evidence = ev(line, psjson.summary(data, ("AMServiceEnabled", "AntivirusEnabled", "RealTimeProtectionEnabled")))
    problems = []
    for key, what in (
        ("AMServiceEnabled", "the antimalware service is not running (AMServiceEnabled false)"),
        ("AntivirusEnabled", "antivirus protection is off (AntivirusEnabled false)"),
        ("RealTimeProtectionEnabled", "real-time protection is off (RealTimeProtectionEnabled false)"),
    ):
        if psjson.bool_value(data.get(key)) is not True:
            problems.append(what)
    mode = psjson.text_value(data.get("AMRunningMode")).strip()
    if mode and any(p in mode.lower() for p in _PASSIVE):
        problems.append(f"it runs in {mode} (another antivirus is the host's primary one)")
    signed = psjson.date_value(data.get("AntivirusSignatureLastUpdated"))
    sig_line = psjson.key_line(text, record, "AntivirusSignatureLastUpdated")
    sig_shown = psjson.summary(data, ("AntivirusSignatureLastUpdated", "AntivirusSignatureVersion"))
    ages = [psjson.int_value(data.get(k)) for k in ("QuickScanAge", "FullScanAge")]
    known = [a for a in ages if a is not None]
    recent = [a for a in known if a != _NEVER]
    scan_line = psjson.key_line(text, record, "QuickScanAge")
    return AntivirusProduct(
        DEFENDER,
        running=psjson.bool_value(data.get("AMServiceEnabled")) is True,
        evidence=(evidence,),
        signatures=signed,
        signatures_evidence=ev(sig_line, sig_shown),
        dateable=True,
        problems=tuple(problems),
        last_scan_days=min(recent) if recent else None,
        scan_evidence=ev(scan_line, psjson.summary(data, ("QuickScanAge", "FullScanAge"))) if known else None,
        never_scanned=bool(known) and not recent,
    )


# Get-MpComputerStatus when Defender is installed but its service does not run (HRESULT 0x800106ba).
_SERVICE_STOPPED = ("0x800106ba",)
# ... and when the Defender module is not there at all (a server without the feature).
_ABSENT = ("is not recognized", "无法将", "not recognised", "commandnotfoundexception")


def defender_stopped(error: str, ev: EvidenceMaker) -> AntivirusProduct | None:
    """Defender installed with its service stopped, from the error Get-MpComputerStatus gave."""
    if not any(code in error.lower() for code in _SERVICE_STOPPED):
        return None
    return AntivirusProduct(
        DEFENDER,
        running=False,
        evidence=(ev(1, f"Get-MpComputerStatus: {error}"),),
        dateable=True,
        problems=("the antimalware service is not running (Get-MpComputerStatus: 0x800106ba)",),
    )


def defender_absent(error: str) -> bool:
    """The error says the Defender cmdlets do not exist on the host (so neither does Defender)."""
    return any(marker in error.lower() for marker in _ABSENT)
