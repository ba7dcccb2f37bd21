"""Windows servers and workstations (platform ``windows``): a host read from its snapshot files, not a config.

The files and the PowerShell that writes them are in
:mod:`scanner.platforms._windows.sources` (the contract); their readers are the other
``_windows`` modules. This module ties them into :class:`~scanner.hostfacts.HostState`
(the same facts as a Linux host, so the same ``host.*`` checks judge it) and holds the
fixes, as commands for an elevated Windows PowerShell 5.1.
"""

from __future__ import annotations

from scanner.configtree import Backend
from scanner.facts import HOST, Facts
from scanner.hostfacts import (
    HOST_ACCOUNTS,
    HOST_AGING,
    HOST_ANTIVIRUS,
    HOST_FIREWALL,
    HOST_LISTENERS,
    HOST_LOCKOUT,
    HOST_LOGINS,
    HOST_PACKAGES,
    HOST_PASSWORD_RULES,
    HostState,
)
from scanner.model import Evidence
from scanner.platforms import register
from scanner.platforms._windows import accounts as acc
from scanner.platforms._windows import network, protection, psjson, secpol
from scanner.platforms._windows import sources as src
from scanner.platforms.base import EvidenceMaker, Platform
from scanner.snapshot import Snapshot

# Install every pending update through the Windows Update Agent (run on the host itself: the
# agent refuses downloads and installs from a remote session).
_INSTALL_UPDATES = (
    "$s = New-Object -ComObject Microsoft.Update.Session; "
    "$u = $s.CreateUpdateSearcher().Search(\"IsInstalled=0 and IsHidden=0 and Type='Software'\").Updates; "
    "$d = $s.CreateUpdateDownloader(); $d.Updates = $u; [void]$d.Download(); "
    "$i = $s.CreateUpdateInstaller(); $i.Updates = $u; $i.Install()"
)


def _secedit(key: str, value: int) -> tuple[str, ...]:
    """Set one [System Access] value of the local security policy with secedit (no module needed)."""
    return (
        "secedit /export /cfg $env:TEMP\\netcomply-secpol.inf /areas SECURITYPOLICY",
        f"(Get-Content $env:TEMP\\netcomply-secpol.inf) -replace '^{key} = .*', '{key} = {value}'"
        " | Set-Content -Encoding Unicode $env:TEMP\\netcomply-secpol.inf",
        "secedit /configure /db $env:windir\\security\\local.sdb /cfg $env:TEMP\\netcomply-secpol.inf"
        " /areas SECURITYPOLICY",
    )


class _Files:
    """The snapshot's files as the Windows parser needs them: text, evidence, and why one is unusable."""

    def __init__(self, platform: Platform, snapshot: Snapshot, facts: Facts) -> None:
        self.snapshot = snapshot
        self.facts = facts
        self.present: list[str] = []

    def text(self, name: str, *families: str) -> str | None:
        """The file's text, or None (every family marked unavailable with the reason)."""
        text = self.snapshot.document(name)
        recorded = self.snapshot.error_for(name)
        reason = None
        if recorded:
            reason = f"{name}: {recorded}"
        elif text is None:
            reason = self.snapshot.unreadable.get(name) or f"{name}: not in the snapshot"
        if reason is not None:
            for family in families:
                self.facts.missing(family, reason)
            return None
        self.present.append(name)
        return text

    def records(self, name: str, *families: str) -> str | None:
        """Like :meth:`text`, for a JSON file: None too (with the reason) when it is not ConvertTo-Json's JSON."""
        text = self.text(name, *families)
        if text is None:
            return None
        try:
            psjson.records(text)
        except psjson.PsJsonError as exc:
            for family in families:
                self.facts.missing(family, f"{name}: {exc}")
            return None
        return text

    def ev(self, name: str) -> EvidenceMaker:
        item = src.source(name)
        path = self.snapshot.document_path(name)
        label = f"{name} ({item.label})"

        def make(line: int, text: str) -> Evidence:
            return Evidence.of(label, line, text, path)

        return make


@register
class Windows(Platform):
    name = "windows"
    kind = "host"
    display_name = "Windows"
    vendor = "microsoft"
    aliases = ("windows_server", "microsoft_windows")
    ntc_platform = "windows"
    commands = src.source_set()
    comment = "#"
    cli_prompt = "PS C:\\Users\\{user}>"
    cli_rejection = "The term is not recognized as the name of a cmdlet, function, script file, or operable program."
    fixes = {
        "set_min_length_secpol": ("net accounts /minpwlen:{length}",),
        "disable_reversible_encryption": _secedit("ClearTextPassword", 0),
        "set_max_password_age": ("net accounts /maxpwage:{days}",),
        "set_account_max_days": ("Set-LocalUser -Name '{user}' -PasswordNeverExpires $false",),
        "force_password_change": ("net user '{user}' /logonpasswordchg:yes",),
        "lock_empty_password": ("net user '{user}' /passwordreq:yes", "Disable-LocalUser -Name '{user}'"),
        "lock_stale_account": ("Disable-LocalUser -Name '{user}'",),
        "install_antivirus": (
            "Install-WindowsFeature -Name Windows-Defender",
            "Set-MpPreference -DisableRealtimeMonitoring $false",
        ),
        "enable_antivirus": ("Start-Service -Name WinDefend", "Set-MpPreference -DisableRealtimeMonitoring $false"),
        "update_signatures": ("Update-MpSignature",),
        "schedule_scan": (
            "Set-MpPreference -ScanScheduleDay Everyday -ScanParameters QuickScan -ScanScheduleTime 02:00:00",
            "Start-MpScan -ScanType QuickScan",
        ),
        "apply_security_updates": ("{upgrade}",),
        "disable_service": ("Stop-Service -Name '{unit}' -Force", "Set-Service -Name '{unit}' -StartupType Disabled"),
        "set_lockout": ("net accounts /lockoutthreshold:{tries} /lockoutduration:{minutes} /lockoutwindow:{minutes}",),
        "enable_firewall": ("Set-NetFirewallProfile -Profile {profiles} -Enabled True -DefaultInboundAction Block",),
    }

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        """Fixes quote names in single quotes: a quote inside a name is doubled, as PowerShell reads it."""
        quoted = {
            k: v.replace("'", "''") if isinstance(v, str) and k in ("user", "unit") else v for k, v in params.items()
        }
        return super().fix(key, **quoted)

    def parse(self, snapshot: Snapshot, backend: Backend = "native") -> Facts:
        facts = Facts(host=snapshot.host, platform=self)
        state = HostState(
            os_id="windows",
            install_command="Install-WindowsFeature",
            security_upgrade_command=_INSTALL_UPDATES,
        )
        facts.host_state = state
        files = _Files(self, snapshot, facts)
        self._os(files, facts, state)
        access = self._policy(files, state)
        self._accounts(files, state, access)
        listening = files.records("listening.json", HOST_LISTENERS)
        if listening is not None:
            state.listeners = network.listeners(listening, files.ev("listening.json"))
        self._patches(files, state)
        self._antivirus(files, state)
        self._firewall(files, state)
        if not files.present:
            facts.missing(HOST, f"the snapshot holds none of a Windows host's files ({', '.join(src.FILES)})")
        return facts

    # ---- steps ------------------------------------------------------------------------

    def _os(self, files: _Files, facts: Facts, state: HostState) -> None:
        text = files.records("os.json")
        found = psjson.records(text) if text is not None else []
        if not found:
            return
        data = found[0].data
        state.os_name = psjson.text_value(data.get("Caption")).strip()
        state.os_version = psjson.text_value(data.get("Version")).strip()
        facts.version = " ".join(p for p in (state.os_name, state.os_version) if p) or None
        hostname = psjson.text_value(data.get("CSName")).strip()
        if hostname:
            facts.hostname = hostname

    def _policy(self, files: _Files, state: HostState) -> dict[str, secpol.Setting] | None:
        text = files.text("secpol.inf", HOST_PASSWORD_RULES, HOST_LOCKOUT)
        if text is None:
            return None
        parsed = secpol.sections(text)
        if not secpol.is_security_policy(parsed):
            reason = "secpol.inf: no [System Access] MinimumPasswordLength (not a secedit /export of SECURITYPOLICY)"
            files.facts.missing(HOST_PASSWORD_RULES, reason)
            files.facts.missing(HOST_LOCKOUT, reason)
            return None
        if not secpol.is_whole(parsed):
            # A setting after the cut might have failed a check: only failures shown by a line stand.
            reason = "secpol.inf ends before secedit's closing [Version] section: the export was cut short"
            files.facts.incomplete.setdefault(HOST_PASSWORD_RULES, reason)
            files.facts.incomplete.setdefault(HOST_LOCKOUT, reason)
        access = parsed[secpol.SYSTEM_ACCESS]
        ev = files.ev("secpol.inf")
        state.password_rules = secpol.password_rules(access, ev)
        state.lockout = secpol.lockout(access, ev)
        return access

    def _accounts(self, files: _Files, state: HostState, access: dict[str, secpol.Setting] | None) -> None:
        text = files.records("local_users.json", HOST_ACCOUNTS, HOST_AGING, HOST_LOGINS)
        if text is None:
            return
        max_days = state.password_rules.max_days if state.password_rules else None
        guest = access.get("EnableGuestAccount") if access else None
        guest_on = files.ev("secpol.inf")(guest.line, guest.raw) if guest is not None and guest.number == 1 else None
        found, _ = acc.accounts(text, files.ev("local_users.json"), max_days, guest_on)
        if not found:
            for family in (HOST_ACCOUNTS, HOST_AGING, HOST_LOGINS):
                files.facts.missing(family, "local_users.json: no account could be read")
            return
        state.accounts = found

    def _patches(self, files: _Files, state: HostState) -> None:
        hotfix_text = files.records("hotfixes.json")
        pending_text = files.records("pending_updates.json")
        if hotfix_text is None and pending_text is None:
            why = [files.snapshot.error_for(f) or files.snapshot.unreadable.get(f) or "not in the snapshot"
                   for f in ("hotfixes.json", "pending_updates.json")]  # fmt: skip
            files.facts.missing(HOST_PACKAGES, f"hotfixes.json: {why[0]}; pending_updates.json: {why[1]}")
            return
        installed = protection.hotfixes(hotfix_text, files.ev("hotfixes.json")) if hotfix_text else ()
        if pending_text is not None:
            pending = protection.pending_updates(pending_text, files.ev("pending_updates.json"))
            state.patches = protection.patch_state(installed, pending, "")
            return
        recorded = files.snapshot.error_for("pending_updates.json")
        note = (
            f"Windows Update search: {recorded}"
            if recorded
            else "no pending_updates.json: no Windows Update search was made (no WSUS, Windows Update or wsusscn2.cab)"
        )
        state.patches = protection.patch_state(installed, None, note)

    def _antivirus(self, files: _Files, state: HostState) -> None:
        products = []
        unknown = []
        defender_text = files.records("defender.json")
        if defender_text is not None:
            product = protection.defender(defender_text, files.ev("defender.json"))
            if product is not None:
                products.append(product)
        else:
            recorded = files.snapshot.error_for("defender.json") or ""
            stopped = protection.defender_stopped(recorded, files.ev("defender.json"))
            if stopped is not None:
                products.append(stopped)
            elif not protection.defender_absent(recorded):
                why = recorded or files.snapshot.unreadable.get("defender.json") or "not in the snapshot"
                unknown.append(f"defender.json: {why}")
        installed_text = files.records("installed.json")
        if installed_text is not None:
            products += protection.installed_products(installed_text, files.ev("installed.json"))
        else:
            recorded = files.snapshot.error_for("installed.json") or files.snapshot.unreadable.get("installed.json")
            unknown.append(f"installed.json: {recorded or 'not in the snapshot'}")
        if unknown and not [p for p in products if not p.problems]:
            # Nothing protecting found, and a source that could have shown one is missing: no verdict.
            files.facts.missing(HOST_ANTIVIRUS, "; ".join(unknown))
            return
        state.antivirus = products
        state.antivirus_searched = ("Microsoft Defender", *(p.name.split(" (")[0] for p in protection.known_products()))

    def _firewall(self, files: _Files, state: HostState) -> None:
        text = files.records("firewall.json", HOST_FIREWALL)
        if text is None:
            return
        firewall, why = network.firewall(text, files.ev("firewall.json"))
        if firewall is None:
            files.facts.missing(HOST_FIREWALL, why)
            return
        state.firewall = firewall
