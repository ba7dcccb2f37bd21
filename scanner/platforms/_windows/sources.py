"""The snapshot of a Windows host: which files, and the PowerShell 5.1 that writes each one.

This is the contract of a Windows snapshot (CONTRIBUTING.md, README). ``DIR/<host>/``
holds ``meta.yaml`` (``platform: windows``) and one file per :class:`Source` below,
each the text one PowerShell body writes: JSON from ``ConvertTo-Json``, and the INF
text of ``secedit /export``. The same bodies serve both ways of collecting:

* offline, :mod:`scanner.platforms._windows.script` wraps them into one read-only
  script an operator runs on the host (``netcomply hosts windows-script``), which
  writes the files itself (UTF-16LE with a BOM, PowerShell's own default);
* live, :func:`live_command` wraps one body into one ``powershell.exe
  -EncodedCommand`` command line, run over OpenSSH or WinRM; the body's text comes
  back on stdout as UTF-8 and is saved under the same file name.

The readers accept what PowerShell 5.1 writes however it was asked to: UTF-16LE with a
BOM (``Out-File``, ``>``), UTF-8 with or without a BOM, or the ANSI code page (GBK on
Chinese Windows; read as GB18030, its superset), and ``ConvertTo-Json``'s quirks (one
object instead of a one-element array, dates as ``/Date(ms)/`` or ``{value, DateTime}``,
enums as numbers). Every body only reads; the one temporary file (secedit's export) is
deleted, and the offline catalogue registered for an update search is unregistered.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from scanner.hostfacts import (
    HOST_ACCOUNTS,
    HOST_ANTIVIRUS,
    HOST_FIREWALL,
    HOST_LISTENERS,
    HOST_PACKAGES,
    HOST_PASSWORD_RULES,
)
from scanner.platforms.base import CommandSet

SCRIPT_VERSION = 1


@dataclass(frozen=True)
class Source:
    """One file of the snapshot: its name, what wrote it (for evidence), the PowerShell body that writes it."""

    file: str
    label: str
    family: str | None
    body: str
    # A body that may take long (the Windows Update search) gets its own time budget, in seconds.
    timeout: float | None = None


OS = Source(
    "os.json",
    "Win32_OperatingSystem",
    None,
    r"""
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$cs = Get-CimInstance -ClassName Win32_ComputerSystem
[pscustomobject]@{
    CSName         = $os.CSName
    Caption        = $os.Caption
    Version        = $os.Version
    BuildNumber    = $os.BuildNumber
    LastBootUpTime = $os.LastBootUpTime
    PartOfDomain   = $cs.PartOfDomain
    Domain         = $cs.Domain
} | ConvertTo-Json
""",
)

HOTFIXES = Source(
    "hotfixes.json",
    "Get-HotFix",
    HOST_PACKAGES,
    r"""
$fixes = @(Get-HotFix | Select-Object -Property 'HotFixID', 'Description', 'InstalledOn')
ConvertTo-Json -InputObject $fixes -Depth 3
""",
)

# The Windows Update Agent's search: WSUS or Windows Update as the host is set up, or the
# offline catalogue wsusscn2.cab when one is given. Security updates are told by their
# MSRC severity and by the "Security Updates" category's id (names are localised).
PENDING_UPDATES = Source(
    "pending_updates.json",
    "Windows Update Agent search",
    HOST_PACKAGES,
    r"""
if ($SkipUpdateSearch) { throw 'the update search was not run (-SkipUpdateSearch)' }
$session = New-Object -ComObject Microsoft.Update.Session
$searcher = $session.CreateUpdateSearcher()
$manager = $null
$service = $null
try {
    if ($UpdateCab) {
        $manager = New-Object -ComObject Microsoft.Update.ServiceManager
        $cab = (Resolve-Path -LiteralPath $UpdateCab).Path
        $service = $manager.AddScanPackageService('netcomply offline catalogue', $cab, 1)
        $searcher.ServerSelection = 3
        $searcher.ServiceID = $service.ServiceID
    }
    $result = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
    if ($result.ResultCode -ne 2) { throw ('the update search ended with result code ' + $result.ResultCode) }
    $updates = @(foreach ($u in $result.Updates) {
        [pscustomobject]@{
            Title        = $u.Title
            KBArticleIDs = @($u.KBArticleIDs)
            MsrcSeverity = $u.MsrcSeverity
            Categories   = @(foreach ($c in $u.Categories) { $c.CategoryID })
        }
    })
    ConvertTo-Json -InputObject $updates -Depth 4
} finally {
    if ($service) { $manager.RemoveService($service.ServiceID) }
}
""",
    timeout=900.0,
)

DEFENDER = Source(
    "defender.json",
    "Get-MpComputerStatus",
    None,
    r"""
$fields = @('AMServiceEnabled', 'AntivirusEnabled', 'RealTimeProtectionEnabled', 'AntivirusSignatureLastUpdated',
    'AntivirusSignatureVersion', 'AMRunningMode', 'QuickScanAge', 'FullScanAge')
Get-MpComputerStatus | Select-Object -Property $fields | ConvertTo-Json
""",
)

INSTALLED = Source(
    "installed.json",
    "Uninstall registry keys",
    HOST_ANTIVIRUS,
    r"""
$keys = @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*',
          'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*')
$apps = @(Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName } |
    Select-Object -Property 'DisplayName', 'DisplayVersion', 'Publisher')
ConvertTo-Json -InputObject $apps -Depth 3
""",
)

SECPOL = Source(
    "secpol.inf",
    "secedit /export /areas SECURITYPOLICY",
    HOST_PASSWORD_RULES,
    r"""
$file = Join-Path ([IO.Path]::GetTempPath()) ('netcomply-secpol-' + [guid]::NewGuid().ToString() + '.inf')
try {
    $ErrorActionPreference = 'Continue'
    $log = (& secedit.exe /export /cfg $file /areas SECURITYPOLICY /quiet 2>&1 | Out-String).Trim()
    $code = $LASTEXITCODE
    $ErrorActionPreference = 'Stop'
    if ($code -ne 0 -or -not (Test-Path -LiteralPath $file)) {
        throw ('secedit /export failed (exit code ' + $code + '; it needs an administrator): ' + $log)
    }
    [IO.File]::ReadAllText($file)
} finally {
    Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
}
""",
)

# Get-LocalUser where the LocalAccounts module exists (Windows 10 / Server 2016 and later),
# else the same fields from ADSI (WinNT provider). Administrators are the members of the
# built-in group S-1-5-32-544, found by SID (its name is localised).
LOCAL_USERS = Source(
    "local_users.json",
    "Get-LocalUser",
    HOST_ACCOUNTS,
    r"""
$admins = $null
try {
    $sid = New-Object Security.Principal.SecurityIdentifier 'S-1-5-32-544'
    $group = $sid.Translate([Security.Principal.NTAccount]).Value.Split('\')[-1]
    $members = @(([ADSI]('WinNT://' + $env:COMPUTERNAME + '/' + $group + ',group')).Invoke('Members'))
    $admins = @(foreach ($m in $members) {
        $bytes = $m.GetType().InvokeMember('objectSid', 'GetProperty', $null, $m, $null)
        (New-Object Security.Principal.SecurityIdentifier($bytes, 0)).Value
    })
} catch { $admins = $null }
function Test-Admin([string]$Sid) { if ($null -eq $admins) { $null } else { $admins -contains $Sid } }
if (Get-Command -Name Get-LocalUser -ErrorAction SilentlyContinue) {
    $users = @(Get-LocalUser | ForEach-Object {
        [pscustomobject]@{
            Name = $_.Name; SID = $_.SID.Value; Enabled = $_.Enabled; PasswordRequired = $_.PasswordRequired
            PasswordLastSet = $_.PasswordLastSet; PasswordExpires = $_.PasswordExpires; LastLogon = $_.LastLogon
            Administrator = (Test-Admin $_.SID.Value)
        }
    })
} else {
    $computer = [ADSI]('WinNT://' + $env:COMPUTERNAME + ',computer')
    $users = @($computer.Children | Where-Object { $_.SchemaClassName -eq 'User' } | ForEach-Object {
        $flags = [int]$_.UserFlags.Value
        $sid = (New-Object Security.Principal.SecurityIdentifier($_.objectSid.Value, 0)).Value
        $set = (Get-Date).AddSeconds(-[double]$_.PasswordAge.Value)
        $expires = $null
        if (-not ($flags -band 0x10000) -and [double]$_.MaxPasswordAge.Value -gt 0) {
            $expires = $set.AddSeconds([double]$_.MaxPasswordAge.Value)
        }
        $last = $null
        try { $last = [datetime]$_.LastLogin.Value } catch { $last = $null }
        [pscustomobject]@{
            Name = $_.Name.Value; SID = $sid; Enabled = (-not ($flags -band 2))
            PasswordRequired = (-not ($flags -band 0x20))
            PasswordLastSet = $set; PasswordExpires = $expires; LastLogon = $last; Administrator = (Test-Admin $sid)
        }
    })
}
ConvertTo-Json -InputObject $users -Depth 3
""",
)

# TCP listeners and UDP endpoints, each with its process and the services hosted in it
# (for the fix: which service to stop). netstat -ano where the NetTCPIP module is missing.
LISTENING = Source(
    "listening.json",
    "Get-NetTCPConnection -State Listen; Get-NetUDPEndpoint",
    HOST_LISTENERS,
    r"""
$names = @{}
foreach ($p in Get-Process) { $names[[int]$p.Id] = $p.ProcessName }
$services = @{}
foreach ($s in Get-CimInstance -ClassName Win32_Service -Filter 'ProcessId > 0') {
    $id = [int]$s.ProcessId
    if ($services.ContainsKey($id)) { $services[$id] += $s.Name } else { $services[$id] = @($s.Name) }
}
function New-Row([string]$Protocol, [string]$Address, [int]$Port, [int]$Owner) {
    [pscustomobject]@{
        Protocol = $Protocol; LocalAddress = $Address; LocalPort = $Port; OwningProcess = $Owner
        ProcessName = $names[$Owner]; Services = @($services[$Owner] | Where-Object { $_ })
    }
}
if (Get-Command -Name Get-NetTCPConnection -ErrorAction SilentlyContinue) {
    $rows = @(
        foreach ($c in @(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue)) {
            New-Row 'TCP' $c.LocalAddress $c.LocalPort $c.OwningProcess
        }
        foreach ($e in @(Get-NetUDPEndpoint -ErrorAction SilentlyContinue)) {
            New-Row 'UDP' $e.LocalAddress $e.LocalPort $e.OwningProcess
        }
    )
} else {
    $rows = @(foreach ($line in @(netstat.exe -ano)) {
        $f = -split $line
        $listening = ($f.Count -eq 5 -and $f[0] -eq 'TCP' -and $f[2] -match ':0$')
        if ($listening -or ($f.Count -eq 4 -and $f[0] -eq 'UDP')) {
            $cut = $f[1].LastIndexOf(':')
            $address = $f[1].Substring(0, $cut).Trim('[', ']')
            $port = [int]$f[1].Substring($cut + 1)
            New-Row $f[0] $address $port ([int]$f[-1])
        }
    })
}
ConvertTo-Json -InputObject $rows -Depth 3
""",
)

# The active store: what the firewall enforces, whatever set it (local policy or a GPO).
FIREWALL = Source(
    "firewall.json",
    "Get-NetFirewallProfile -PolicyStore ActiveStore",
    HOST_FIREWALL,
    r"""
$profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore |
    Select-Object -Property 'Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction')
ConvertTo-Json -InputObject $profiles -Depth 3
""",
)

SOURCES: tuple[Source, ...] = (
    OS,
    HOTFIXES,
    PENDING_UPDATES,
    DEFENDER,
    INSTALLED,
    SECPOL,
    LOCAL_USERS,
    LISTENING,
    FIREWALL,
)
FILES = tuple(s.file for s in SOURCES)


def source(file: str) -> Source:
    return next(s for s in SOURCES if s.file == file)


@dataclass(frozen=True)
class WindowsSourceSet(CommandSet):
    """The Windows "command set": the snapshot's files, each written by one PowerShell body."""

    sources: tuple[Source, ...] = field(default=())

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(s.file for s in self.sources)


def source_set() -> WindowsSourceSet:
    return WindowsSourceSet(version=OS.file, config=SECPOL.file, sources=SOURCES)


# ---- live: one body as one powershell.exe command line --------------------------------

POWERSHELL = "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand"
# cmd.exe (the default shell of Windows OpenSSH, and WinRM's) takes at most 8191 characters.
MAX_COMMAND_LINE = 8191

# stdout carries the file's bytes only: progress and warnings (which powershell.exe would print
# there as text) are silenced, and the text is written as UTF-8 bytes to the stream itself, past
# the console's code page (which a WinRM session does not even have).
_LIVE = r"""$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$UpdateCab = {cab}
$SkipUpdateSearch = {skip}
function Send-Text([IO.Stream]$To, [string]$Text) {{
$bytes = (New-Object Text.UTF8Encoding $false).GetBytes($Text)
$To.Write($bytes, 0, $bytes.Length)
$To.Flush()
}}
try {{
$text = (& {{
{body}
}}) -join "`r`n"
Send-Text ([Console]::OpenStandardOutput()) $text
exit 0
}} catch {{
Send-Text ([Console]::OpenStandardError()) ([string]$_.Exception.Message)
exit 1
}}
"""


def ps_quote(value: str) -> str:
    """A PowerShell single-quoted string literal."""
    return "'" + value.replace("'", "''") + "'"


def compact(body: str) -> str:
    """The body without indentation and blank lines (shorter on the command line, same meaning)."""
    return "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())


def live_script(item: Source, settings: Mapping[str, object] | None = None) -> str:
    """The PowerShell run for ``item`` live: its body, its text sent as UTF-8 bytes, errors on stderr, exit 1."""
    settings = settings or {}
    cab = str(settings.get("update_cab") or "")
    skip = "$true" if settings.get("skip_update_search") else "$false"
    return _LIVE.format(cab=ps_quote(cab), skip=skip, body=compact(item.body))


def live_command(item: Source, settings: Mapping[str, object] | None = None) -> str:
    """``powershell.exe ... -EncodedCommand <base64 of the UTF-16LE script>``: no quoting left to any shell."""
    encoded = base64.b64encode(live_script(item, settings).encode("utf-16-le")).decode("ascii")
    return f"{POWERSHELL} {encoded}"


_ENCODED = re.compile(r"-EncodedCommand\s+([A-Za-z0-9+/=]+)\s*$", re.I)


def decode_command(command: str) -> str | None:
    """The script inside a ``-EncodedCommand`` command line (what the host runs), else None."""
    match = _ENCODED.search(command)
    if match is None:
        return None
    try:
        return base64.b64decode(match.group(1), validate=True).decode("utf-16-le")
    except (ValueError, UnicodeDecodeError):
        return None


def source_of_script(script: str) -> Source | None:
    """Which source a live script runs (the body is unique to each)."""
    for item in SOURCES:
        if compact(item.body) in script:
            return item
    return None
