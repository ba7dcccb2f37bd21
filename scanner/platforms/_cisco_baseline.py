"""The device baseline (issue 16) as the Cisco-style platforms configure it: IOS/IOS-XE, NX-OS, EOS.

Login lockout, idle timeouts of the login lines, log time stamps, NTP, the SSH server and
the configuration change log, read in one pass over the top-level statements. Where the
configuration is silent the dialect's default decides, and the fact says so:

- IOS ``exec-timeout`` defaults to 10 minutes; NX-OS ``line console``/``line vty`` to 0 (never);
  EOS ``management ssh``/``management console`` ``idle-timeout`` to 0 (never).
- IOS puts no time stamp on log messages without ``service timestamps log datetime``;
  NX-OS and EOS stamp every message with the date and time.
- NX-OS keeps an accounting log of every configuration command with its user (``show
  accounting log``); IOS logs changes only with ``archive`` / ``log config`` / ``logging enable``
  (or command accounting), EOS only with ``aaa accounting commands``.
- NX-OS and EOS speak SSH version 2 only; IOS without ``ip ssh version 2`` runs 1.99 (both).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from scanner.aclfacts import AccessFacts
from scanner.aclsources import open_line, service_traffic
from scanner.configtree import ConfigTree, Line
from scanner.facts import (
    ChangeLog,
    Facts,
    IdleTimeout,
    LoginLockout,
    LogTimestamps,
    NtpServer,
    SshServer,
    TimeSync,
)
from scanner.model import Evidence
from scanner.platforms._mgmt_access import cisco_access, cisco_ipv6_reach

Dialect = Literal["ios", "nxos", "eos"]
LineEvidence = Callable[[Line], Evidence]

_FIRST_WORDS = frozenset(
    {
        "line",
        "login",
        "system",
        "aaa",
        "service",
        "no",
        "ntp",
        "archive",
        "management",
        "feature",
        "interface",
        "ip",
        "version",
    }
)
# The statements starting with "ip" or "no" that the baseline reads (most such lines are not).
_WANTED_PREFIXES = (
    "ip http access-class ",
    "no service timestamps",
    "no feature ntp",
    "no feature ssh",
)
_IOS_EXEC_DEFAULT = 600
_LOCAL_CLOCK = re.compile(r"^127\.")
_TRANSPORT = re.compile(r"^transport\s+input\s+(?P<protocols>.+)$")


@dataclass
class _Found:
    """The baseline statements of one configuration, collected before any conclusion."""

    lines: list[Line] = field(default_factory=list)
    lockouts: list[LoginLockout] = field(default_factory=list)
    timestamps: Line | None = None
    ntp_servers: list[Line] = field(default_factory=list)
    ntp_authenticate: Line | None = None
    trusted_keys: set[str] = field(default_factory=set)
    ntp_off: Line | None = None
    ntp_master: Line | None = None
    ntp_source: str | None = None
    ntp_disabled_on: dict[str, Line] = field(default_factory=dict)
    archive: Line | None = None
    accounting: list[Line] = field(default_factory=list)
    management: dict[str, Line] = field(default_factory=dict)
    ssh_off: Line | None = None
    # ``ip http access-class [ipv4] N`` and ``ip http access-class ipv6 N``: one list per address family.
    http_acl: Line | None = None
    http_acl6: Line | None = None
    # The release the configuration names ("version 9.3(10)"), for release-dependent syntax in fixes.
    version: str | None = None
    quiet_mode_acl: Line | None = None


def read_cisco_baseline(tree: ConfigTree, facts: Facts, evidence: LineEvidence, dialect: Dialect) -> None:
    """Fill the baseline facts of an IOS, NX-OS or EOS configuration (``facts.ssh`` is refined, not replaced)."""
    found = _Found()
    texts = tree.texts
    # Interfaces matter only for IOS "ntp disable": skipped unless some interface says it.
    interfaces = dialect == "ios" and "ntp disable" in texts
    for index in tree.top_indices():
        text = texts[index]
        first = text.partition(" ")[0]
        if first not in _FIRST_WORDS or (first == "interface" and not interfaces):
            continue
        if first in ("ip", "no") and not text.startswith(_WANTED_PREFIXES):
            continue
        _statement(Line(tree, index), first, found, evidence, dialect)
    if dialect == "nxos" and facts.version is None:
        facts.version = found.version
    facts.login_lockouts.extend(_quiet_mode(found, facts.access, evidence) or [_no_lockout(dialect)])
    facts.idle_timeouts.extend(_idle_timeouts(found, evidence, dialect))
    facts.log_timestamps.append(_timestamps(found, evidence, dialect))
    facts.time_sync = _time_sync(found, evidence, dialect)
    facts.change_logs.extend(_change_logs(found, evidence, dialect))
    facts.ssh = _ssh(facts.ssh, found, evidence, dialect)
    http_acls = (found.http_acl, found.http_acl6)
    reach = cisco_ipv6_reach(tree, evidence)
    facts.management_access.extend(
        cisco_access(facts, found.lines, found.management, http_acls, evidence, dialect, reach)
    )


def _statement(line: Line, first: str, found: _Found, evidence: LineEvidence, dialect: Dialect) -> None:
    text = line.text
    words = text.split()
    if first == "version":
        found.version = words[1] if len(words) > 1 else None
    elif first == "line":
        found.lines.append(line)
    elif text.startswith("ip http access-class "):
        if words[3:4] == ["ipv6"]:
            found.http_acl6 = line
        else:
            found.http_acl = line
    elif text.startswith("login quiet-mode access-class "):
        found.quiet_mode_acl = line
    elif text.startswith(("login block-for ", "system login block-for ")):
        _block_for(line, words, found, evidence)
    elif text.startswith("aaa local authentication attempts max-fail "):
        attempts = _int(words[-1])
        found.lockouts.append(
            LoginLockout("aaa local authentication attempts max-fail", attempts, None, (evidence(line),))
        )
    elif text.startswith("aaa authentication rejected "):
        # NX-OS: aaa authentication rejected N in W ban S
        found.lockouts.append(
            LoginLockout(
                "aaa authentication rejected",
                _int(_after(words, "rejected")),
                _int(_after(words, "ban")),
                (evidence(line),),
            )
        )
    elif text.startswith("aaa authentication policy lockout "):
        # EOS: aaa authentication policy lockout failure N [window W] duration S
        found.lockouts.append(
            LoginLockout(
                "aaa authentication policy lockout",
                _int(_after(words, "failure")),
                _int(_after(words, "duration")),
                (evidence(line),),
            )
        )
    elif text.startswith("aaa accounting commands "):
        found.accounting.append(line)
    elif text.startswith(("service timestamps log", "no service timestamps")) or text == "service timestamps":
        if "debug" not in words:
            found.timestamps = line
    elif first == "ntp" or text.startswith("no ntp"):
        _ntp(line, words, found)
    elif text == "no feature ntp":
        found.ntp_off = line
    elif text == "no feature ssh":
        found.ssh_off = line
    elif first == "archive":
        found.archive = line
    elif first == "management" and len(words) >= 2:
        # "management ssh", "management telnet", "management api http-commands"...
        found.management[" ".join(words[1:])] = line
    elif first == "interface" and dialect == "ios":
        disable = line.child(r"^ntp disable$")
        if disable is not None and len(words) > 1:
            found.ntp_disabled_on[words[1]] = disable


_NO_LOCKOUT = {
    "ios": ("login block-for", "no 'login block-for', no 'aaa local authentication attempts max-fail'"),
    "nxos": ("login block-for", "no '[system] login block-for', no 'aaa authentication rejected'"),
    "eos": ("aaa authentication policy lockout", "no 'aaa authentication policy lockout'"),
}
_DIALECT_NAMES = {"ios": "IOS", "nxos": "NX-OS", "eos": "EOS"}


def _no_lockout(dialect: Dialect) -> LoginLockout:
    mechanism, missing = _NO_LOCKOUT[dialect]
    default = f"{_DIALECT_NAMES[dialect]} default: failed logins are not limited ({missing})"
    return LoginLockout(mechanism, None, None, (), default, enabled=False)


def _quiet_mode(found: _Found, access: AccessFacts | None, evidence: LineEvidence) -> list[LoginLockout]:
    """IOS ``login quiet-mode access-class L``: the sources L permits may still log in while
    ``login block-for`` blocks; a list that lets every source log in (judged on the ACL model
    already read) leaves the block blocking no one."""
    quiet = found.quiet_mode_acl
    listed = access.get(quiet.text.split()[-1]) if quiet is not None and access is not None else None
    opened = open_line((listed,), service_traffic("vty")) if listed is not None else None
    if quiet is None or opened is None:
        return found.lockouts
    why = f"'{quiet.text}' exempts every source from the block ({opened.text})"
    return [
        replace(
            lock,
            enabled=False,
            void=why,
            unvoid=(f"no {quiet.text}",),
            evidence=(*lock.evidence, evidence(quiet), opened.evidence),
        )
        if "block-for" in lock.mechanism
        else lock
        for lock in found.lockouts
    ]


def _block_for(line: Line, words: list[str], found: _Found, evidence: LineEvidence) -> None:
    """``[system] login block-for S attempts N within W``: every login refused for S seconds after N failures."""
    found.lockouts.append(
        LoginLockout(
            " ".join(words[: words.index("block-for") + 1]),
            _int(_after(words, "attempts")),
            _int(_after(words, "block-for")),
            (evidence(line),),
        )
    )


def _ntp(line: Line, words: list[str], found: _Found) -> None:
    if words[:2] == ["ntp", "server"]:
        found.ntp_servers.append(line)
    elif words[:2] == ["ntp", "authenticate"]:
        found.ntp_authenticate = line
    elif words[:2] == ["ntp", "trusted-key"]:
        found.trusted_keys.update(_key_range(words[2:]))
    elif words[:2] == ["ntp", "master"]:
        found.ntp_master = line
    elif words[:2] == ["ntp", "source"] and len(words) > 2:
        found.ntp_source = words[2]


def _key_range(words: list[str]) -> set[str]:
    """``1``, ``1 - 3`` (IOS ranges) -> the key ids."""
    if len(words) == 3 and words[1] == "-" and words[0].isdigit() and words[2].isdigit():
        return {str(n) for n in range(int(words[0]), int(words[2]) + 1)}
    return {w for w in words if w.isdigit()}


# ---- login lines ---------------------------------------------------------------------------


def _idle_timeouts(found: _Found, evidence: LineEvidence, dialect: Dialect) -> list[IdleTimeout]:
    if dialect == "eos":
        return _eos_idle(found, evidence)
    timeouts = []
    for block in found.lines:
        words = block.text.split()
        if len(words) < 2 or not words[1].startswith(("con", "vty", "aux")):
            continue
        if _no_session(block):
            continue
        timeouts.append(_exec_timeout(block, evidence, dialect))
    if dialect == "nxos":
        # NX-OS prints no "line vty" when nothing is set under it: its sessions never time out.
        named = {block.text.split()[1] for block in found.lines if len(block.text.split()) > 1}
        for kind in ("console", "vty"):
            if kind not in named:
                timeouts.append(
                    IdleTimeout(
                        f"line {kind}",
                        None,
                        None,
                        "NX-OS default: exec-timeout 0 (sessions never time out); no 'line "
                        f"{kind}' block is configured",
                        f"line {kind}",
                    )
                )
    return timeouts


def _no_session(block: Line) -> bool:
    """A line that starts no EXEC session: ``no exec`` (IOS aux), or ``transport input none`` on a vty."""
    if block.child(r"^no exec$") is not None:
        return True
    transport = block.child(_TRANSPORT)
    return transport is not None and transport.text.split()[2:] == ["none"]


def _exec_timeout(block: Line, evidence: LineEvidence, dialect: Dialect) -> IdleTimeout:
    statement = block.child(r"^(?:no )?exec-timeout\b")
    if statement is None:
        if dialect == "ios":
            default = f"no 'exec-timeout' under '{block.text}': IOS default 10 minutes applies"
            return IdleTimeout(block.text, _IOS_EXEC_DEFAULT, evidence(block), default, block.text)
        default = f"no 'exec-timeout' under '{block.text}': NX-OS default 0 (never) applies"
        return IdleTimeout(block.text, None, evidence(block), default, block.text)
    words = statement.text.split()
    if words[0] == "no":
        return IdleTimeout(block.text, None, evidence(statement), context=block.text)
    minutes = _int(words[1]) or 0
    seconds = _int(words[2]) or 0 if len(words) > 2 else 0
    total = minutes * 60 + seconds
    return IdleTimeout(block.text, total or None, evidence(statement), context=block.text)


def _eos_idle(found: _Found, evidence: LineEvidence) -> list[IdleTimeout]:
    """``management ssh`` / ``management console`` (and a running ``management telnet``): ``idle-timeout N`` minutes."""
    timeouts = []
    for name in ("ssh", "console", "telnet"):
        block = found.management.get(name)
        if name == "telnet" and (block is None or block.child(r"^no shutdown$") is None):
            continue
        context = f"management {name}"
        if name == "ssh" and block is not None and block.child(r"^shutdown$") is not None:
            continue
        statement = block.child(r"^idle-timeout \d+") if block is not None else None
        if statement is None:
            default = f"no 'idle-timeout' under '{context}': EOS default 0 (never) applies"
            timeouts.append(IdleTimeout(context, None, evidence(block) if block else None, default, context))
            continue
        minutes = _int(statement.text.split()[1]) or 0
        timeouts.append(IdleTimeout(context, minutes * 60 or None, evidence(statement), context=context))
    return timeouts


# ---- log time stamps -----------------------------------------------------------------------


def _timestamps(found: _Found, evidence: LineEvidence, dialect: Dialect) -> LogTimestamps:
    if dialect == "nxos":
        return LogTimestamps(
            "log", True, "NX-OS stamps every log message with the date and time", None, "NX-OS default", "log"
        )
    if dialect == "eos":
        return LogTimestamps(
            "log", True, "EOS stamps every log message with the date and time", None, "EOS default", "log"
        )
    line = found.timestamps
    if line is None:
        default = "no 'service timestamps log datetime': IOS default puts no time stamp on log messages"
        return LogTimestamps("log", False, default, None, default, "log")
    words = line.text.split()
    if words[0] == "no":
        return LogTimestamps("log", False, f"{line.text}: log messages carry no time stamp", evidence(line))
    if "datetime" in words:
        return LogTimestamps("log", True, line.text, evidence(line))
    return LogTimestamps("log", False, f"{line.text}: time since boot (uptime), not the date and time", evidence(line))


# ---- NTP -----------------------------------------------------------------------------------


def _time_sync(found: _Found, evidence: LineEvidence, dialect: Dialect) -> TimeSync:
    notes: list[str] = []
    servers = []
    for line in found.ntp_servers:
        server = _ntp_server(line, found, evidence, dialect)
        if server is None:
            continue
        if _LOCAL_CLOCK.match(server.address):
            notes.append(f"line {line.lineno}: {server.address} is the device's own clock, not a time server")
            continue
        servers.append(server)
    if found.ntp_master is not None:
        notes.append(f"line {found.ntp_master.lineno}: 'ntp master' makes the device serve its own clock")
    off, context = found.ntp_off, ""
    if off is None and found.ntp_source and found.ntp_source in found.ntp_disabled_on:
        off, context = found.ntp_disabled_on[found.ntp_source], f"interface {found.ntp_source}"
        notes.append(f"'ntp disable' on {found.ntp_source}, the interface NTP is sourced from")
    for name, line in found.ntp_disabled_on.items():
        if name != found.ntp_source:
            notes.append(f"line {line.lineno}: 'ntp disable' on {name}: NTP packets on that interface are dropped")
    if off is not None:
        return TimeSync(tuple(servers), False, evidence(off), notes=tuple(notes), context=context)
    return TimeSync(tuple(servers), notes=tuple(notes))


def _ntp_server(line: Line, found: _Found, evidence: LineEvidence, dialect: Dialect) -> NtpServer | None:
    """``ntp server [vrf V] [ip|ipv6] ADDRESS [key N] [use-vrf V] ...``."""
    words = line.text.split()[2:]
    vrf = None
    if words[:1] == ["vrf"] and len(words) > 2:
        vrf, words = words[1], words[2:]
    if words[:1] in (["ip"], ["ipv6"]) and len(words) > 1:
        words = words[1:]
    if not words:
        return None
    address = words[0]
    vrf = _after(words, "use-vrf") or vrf
    key = _after(words, "key")
    if key is None:
        detail = "no key on the server"
    elif found.ntp_authenticate is None:
        detail = f"key {key} given, but 'ntp authenticate' is not configured"
    elif key not in found.trusted_keys:
        detail = f"key {key} is not a trusted key ('ntp trusted-key {key}' missing)"
    else:
        return NtpServer(address, evidence(line), True, f"key {key}, trusted, ntp authenticate", vrf)
    return NtpServer(address, evidence(line), False, detail, vrf)


# ---- configuration change log ---------------------------------------------------------------


def _change_logs(found: _Found, evidence: LineEvidence, dialect: Dialect) -> list[ChangeLog]:
    logs = [log for line in found.accounting if (log := _accounting(line, evidence, dialect)) is not None]
    if dialect == "nxos":
        logs.append(
            ChangeLog(
                "accounting log",
                True,
                True,
                (),
                "NX-OS default: the accounting log records every configuration command with its user "
                "('show accounting log')",
                "kept on the device",
            )
        )
    elif dialect == "ios" and found.archive is not None:
        logs.append(_archive(found.archive, evidence))
    if not logs:
        missing = {
            "ios": "no 'archive' / 'log config' / 'logging enable', no 'aaa accounting commands 15'",
            "eos": "no 'aaa accounting commands' to logging or a server",
        }[dialect]
        default = f"{_DIALECT_NAMES[dialect]} default: configuration commands are not logged ({missing})"
        logs.append(ChangeLog("configuration change log", False, True, (), default))
    return logs


def _archive(archive: Line, evidence: LineEvidence) -> ChangeLog:
    """``archive`` / ``log config`` / ``logging enable`` (``notify syslog`` also sends each change to syslog)."""
    log_config = archive.child(r"^log config$")
    if log_config is None:
        return ChangeLog("archive without 'log config'", False, True, (evidence(archive),))
    enable = log_config.child(r"^logging enable$")
    if enable is None:
        return ChangeLog("archive log config without 'logging enable'", False, True, (evidence(log_config),))
    notify = log_config.child(r"^notify syslog\b")
    where = "kept on the device ('show archive log config all')"
    shown = [evidence(enable)]
    if notify is not None:
        where += " and sent to syslog (notify syslog)"
        shown.append(evidence(notify))
    return ChangeLog("archive log config", True, True, tuple(shown), where=where)


def _accounting(line: Line, evidence: LineEvidence, dialect: Dialect) -> ChangeLog | None:
    """``aaa accounting commands {15|all} LIST {start-stop|stop-only} {group G|logging}``.

    Each configuration command is recorded with its user (level 15 holds the configuration commands).
    """
    words = line.text.split()
    if len(words) < 6 or words[3] not in ("15", "all") or "none" in words:
        return None
    if "logging" in words and dialect == "eos":
        where = "sent to syslog"
    elif "group" in words:
        where = f"sent to the accounting servers (group {_after(words, 'group')})"
    else:
        return None
    return ChangeLog(f"aaa accounting commands {words[3]}", True, True, (evidence(line),), where=where)


# ---- SSH -----------------------------------------------------------------------------------


def _ssh(current: SshServer | None, found: _Found, evidence: LineEvidence, dialect: Dialect) -> SshServer:
    if dialect == "nxos":
        if found.ssh_off is not None:
            return SshServer(("2",), None, "NX-OS supports SSH version 2 only", False, evidence(found.ssh_off))
        return SshServer(
            ("2",), None, "NX-OS supports SSH version 2 only", enabled_default="NX-OS default: feature ssh on"
        )
    if dialect == "eos":
        block = found.management.get("ssh")
        shutdown = block.child(r"^shutdown$") if block is not None else None
        if shutdown is not None:
            return SshServer(("2",), None, "EOS supports SSH version 2 only", False, evidence(shutdown))
        return SshServer(("2",), None, "EOS supports SSH version 2 only", enabled_default="EOS default: SSH server on")
    versions = current or SshServer(("1", "2"), None, "IOS default: SSH compatibility mode 1.99 (versions 1 and 2)")
    return _ios_ssh_enabled(versions, found, evidence)


def _ios_ssh_enabled(versions: SshServer, found: _Found, evidence: LineEvidence) -> SshServer:
    """IOS accepts SSH on a vty line whose ``transport input`` names ssh or all, or gives none (release default)."""
    refused: list[Line] = []
    for block in found.lines:
        if not block.text.startswith("line vty"):
            continue
        transport = block.child(_TRANSPORT)
        if transport is None:
            default = f"'{block.text}' has no 'transport input': the release default accepts SSH"
            return replace(versions, enabled=True, enabled_evidence=evidence(block), enabled_default=default)
        protocols = transport.text.split()[2:]
        if "ssh" in protocols or "all" in protocols:
            return replace(versions, enabled=True, enabled_evidence=evidence(transport))
        refused.append(transport)
    shown = evidence(refused[0]) if refused else None
    return replace(versions, enabled=False, enabled_evidence=shown)


# ---- helpers -------------------------------------------------------------------------------


def _after(words: list[str], keyword: str) -> str | None:
    if keyword in words and words.index(keyword) + 1 < len(words):
        return words[words.index(keyword) + 1]
    return None


def _int(word: str | None) -> int | None:
    return int(word) if word is not None and word.isdigit() else None
