"""The device baseline (issue 16) as Huawei VRP and H3C Comware configure it.

Both vendors time out login lines with ``idle-timeout M [S]`` (default 10 minutes; ``0 0``
never), stamp logs with the date unless told ``boot`` or ``none``, point NTP at
``ntp-service unicast-server`` with ``authentication-keyid``, and record every command with
its user in the information center (Huawei ``SHELL/5/CMDRECORD``, H3C ``SHELL/6/SHELL_CMD``).
They differ where :class:`VrpDialect` says:

- lockout: Huawei locks a local account for 5 minutes after 3 wrong passwords by default
  (``local-aaa-user wrong-password``); H3C has none until ``password-control enable``, then
  3 attempts and a 1-minute wait (``password-control login-attempt``).
- NTP: Comware 7 runs no NTP client until ``ntp-service enable``; VRP and Comware 5 run it.
- SSH version 1: accepted by default on Comware 5 and on VRP before V200R; not on Comware 7
  and later VRP (``ssh server compatible-ssh1x``).
- Comware 7 ``line class`` settings apply to every line of the class that sets none itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from scanner.configtree import Line
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
from scanner.platforms._mgmt_access import vrp_access
from scanner.platforms._vrp_login import LoginLine

LineEvidence = Callable[[Line], Evidence]

_IDLE_DEFAULT = 600
_LOCAL_CLOCK = re.compile(r"^127\.")
# "ssh server acl 2000", "http acl 2001", "ip https acl 2002", "snmp-agent acl 2003", "telnet server acl 2004".
_SERVICE_ACL = re.compile(r"^(?:ssh server|stelnet server|telnet server|http|ip https?|snmp-agent) acl \S+$")
_SSH_SERVERS = ("stelnet server enable", "ssh server enable", "sftp server enable", "scp server enable")
# Information-center destinations that keep or ship records (console and monitor only show them).
_KEEPING = frozenset({"logbuffer", "logfile", "loghost"})
# Huawei information-center channels by number (2 log host, 4 log buffer, 9 log file).
_HUAWEI_CHANNELS = {"2": "loghost", "4": "logbuffer", "9": "logfile"}
# Severities that leave out the command records (Huawei CMDRECORD is level 5, H3C SHELL_CMD level 6).
_ABOVE_NOTIFICATION = frozenset(
    {"emergencies", "emergency", "alert", "critical", "error", "errors", "warning", "warnings"}
)
_ABOVE_INFORMATIONAL = _ABOVE_NOTIFICATION | {"notification", "notifications"}


@dataclass(frozen=True)
class VrpDialect:
    """Whose defaults apply: ``vendor`` ("huawei" / "h3c"), and what the release read from the device says.

    ``source`` names the platform and release in messages ("Comware 7", "Huawei VRP V200R019").
    ``ssh1_default``: the SSH server accepts version 1 without a ``compatible-ssh1x`` statement.
    ``ntp_needs_enable``: the NTP client runs only after ``ntp-service enable`` (Comware 7).
    """

    vendor: str
    source: str
    ssh1_default: bool
    ntp_needs_enable: bool = False
    anchor: Evidence | None = None


@dataclass
class _Found:
    lines: list[LoginLine] = field(default_factory=list)
    user_timeouts: list[tuple[str, Line]] = field(default_factory=list)
    wrong_password: Line | None = None
    wrong_password_off: Line | None = None
    password_control: dict[str, Line] = field(default_factory=dict)
    timestamps: dict[str, Line] = field(default_factory=dict)
    ntp_servers: list[Line] = field(default_factory=list)
    ntp_auth: Line | None = None
    reliable_keys: set[str] = field(default_factory=set)
    ntp_enable: Line | None = None
    ntp_off: Line | None = None
    sntp_enable: Line | None = None
    shell_filtered: list[Line] = field(default_factory=list)
    ssh_servers: list[Line] = field(default_factory=list)
    ssh1: Line | None = None
    ssh1_off: Line | None = None
    service_acls: dict[str, Line] = field(default_factory=dict)


def read_vrp_baseline(roots: Iterable[Line], facts: Facts, evidence: LineEvidence, dialect: VrpDialect) -> None:
    """Fill the baseline facts of a VRP or Comware configuration from its top-level statements."""
    found = _Found()
    for line in roots:
        _statement(line, found)
    facts.login_lockouts.extend(_lockouts(found, evidence, dialect))
    facts.idle_timeouts.extend(_idle_timeouts(found, evidence, dialect))
    facts.log_timestamps.extend(_timestamps(found, evidence, dialect))
    facts.time_sync = _time_sync(found, evidence, dialect)
    facts.change_logs.append(_change_log(facts, found, evidence, dialect))
    facts.ssh = _ssh(found, evidence, dialect)
    vty = [login.block for login in found.lines if login.kind == "vty" and not login.is_class]
    facts.management_access.extend(vrp_access(facts, vty, found.service_acls, evidence, dialect.vendor))


def _statement(line: Line, found: _Found) -> None:
    text = line.text
    words = text.split()
    first = words[0]
    if first in ("user-interface", "line"):
        login = LoginLine.of(line)
        if login is not None:
            found.lines.append(login)
    elif _SERVICE_ACL.match(text):
        found.service_acls[" ".join(words[:-1])] = line
    elif first == "aaa":
        for child in line.children:
            child_words = child.text.split()
            if child.text.startswith("local-aaa-user wrong-password "):
                found.wrong_password = child
            elif child.text == "undo local-aaa-user wrong-password":
                found.wrong_password_off = child
            elif len(child_words) >= 4 and child_words[0] == "local-user" and child_words[2] == "idle-timeout":
                found.user_timeouts.append((child_words[1], child))
    elif first == "password-control" or text.startswith("undo password-control "):
        found.password_control[text] = line
    elif text.startswith("info-center timestamp "):
        # H3C "info-center timestamp loghost date", Comware 7 "info-center timestamp boot",
        # Huawei / Comware 5 "info-center timestamp log date".
        kind = words[2] if len(words) > 3 else "log"
        found.timestamps[kind] = line
    elif text.startswith(("ntp-service unicast-server ", "sntp unicast-server ")):
        found.ntp_servers.append(line)
    elif text in ("ntp-service authentication enable", "sntp authentication enable"):
        found.ntp_auth = line
    elif text.startswith(("ntp-service reliable authentication-keyid ", "sntp reliable authentication-keyid ")):
        found.reliable_keys.add(words[-1])
    elif text == "ntp-service enable":
        found.ntp_enable = line
    elif text == "sntp enable":
        found.sntp_enable = line
    elif text == "undo ntp-service enable":
        found.ntp_off = line
    elif text.startswith(("info-center filter-id bymodule-alias SHELL CMDRECORD", "info-center source SHELL ")):
        found.shell_filtered.append(line)
    elif text in _SSH_SERVERS:
        found.ssh_servers.append(line)
    elif text.startswith("ssh server compatible-ssh1x"):
        found.ssh1 = line
    elif text.startswith("undo ssh server compatible-ssh1x"):
        found.ssh1_off = line


# ---- login lockout -------------------------------------------------------------------------


def _lockouts(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> list[LoginLockout]:
    if dialect.vendor == "huawei":
        return [_huawei_lockout(found, evidence)]
    return [_comware_lockout(found, evidence, dialect)]


def _huawei_lockout(found: _Found, evidence: LineEvidence) -> LoginLockout:
    """``local-aaa-user wrong-password retry-interval I retry-time N block-time M`` (minutes); on by default."""
    mechanism = "local-aaa-user wrong-password"
    if found.wrong_password_off is not None:
        return LoginLockout(mechanism, None, None, (evidence(found.wrong_password_off),), enabled=False)
    line = found.wrong_password
    if line is None:
        default = (
            "Huawei default: a local account is locked for 5 minutes after 3 wrong passwords within 5 minutes "
            "(no 'local-aaa-user wrong-password' statement)"
        )
        return LoginLockout(mechanism, 3, 300, (), default)
    words = line.text.split()
    block = _int(_after(words, "block-time"))
    return LoginLockout(
        mechanism, _int(_after(words, "retry-time")), block * 60 if block is not None else None, (evidence(line),)
    )


def _comware_lockout(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> LoginLockout:
    """``password-control enable`` + ``password-control login-attempt N [exceed lock | lock-time M | unlock]``."""
    mechanism = "password-control login-attempt"
    control = found.password_control
    enabled = control.get("password-control enable")
    attempt = next((line for text, line in control.items() if text.startswith(mechanism + " ")), None)
    if enabled is None:
        shown = (evidence(attempt),) if attempt is not None else ()
        default = f"{dialect.source} default: no login lockout until 'password-control enable'"
        return LoginLockout(mechanism, None, None, shown, default, enabled=False)
    if attempt is None:
        default = (
            f"{dialect.source} default with password control on: 3 attempts, then a 1-minute wait "
            "(no 'password-control login-attempt' statement)"
        )
        return LoginLockout(mechanism, 3, 60, (evidence(enabled),), default)
    words = attempt.text.split()
    attempts = _int(words[2]) if len(words) > 2 else None
    lock: int | None = 60
    default = ""
    if "lock" in words:
        lock = None
    elif "unlock" in words:
        lock = 0
    elif "lock-time" in words or "locktime" in words:
        minutes = _int(_after(words, "lock-time") or _after(words, "locktime"))
        lock = minutes * 60 if minutes is not None else 60
    else:
        default = f"{dialect.source} default: a 1-minute wait after the attempts (no 'exceed' action given)"
    return LoginLockout(mechanism, attempts, lock, (evidence(enabled), evidence(attempt)), default)


# ---- idle timeouts -------------------------------------------------------------------------


def _idle_timeouts(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> list[IdleTimeout]:
    classes = {login.kind: login for login in found.lines if login.is_class}
    timeouts = []
    for login in found.lines:
        if login.is_class or login.kind not in ("console", "vty", "aux"):
            continue
        timeouts.append(_line_timeout(login, classes.get(login.kind), evidence, dialect))
    for user, line in found.user_timeouts:
        # Huawei "local-user U idle-timeout M [S]": the account's own timeout, whatever line it uses.
        words = line.text.split()
        seconds = _minutes_seconds(words[3:])
        timeouts.append(IdleTimeout(f"local-user {user}", seconds, evidence(line), context="aaa", users=(user,)))
    return timeouts


def _line_timeout(
    login: LoginLine, line_class: LoginLine | None, evidence: LineEvidence, dialect: VrpDialect
) -> IdleTimeout:
    name = login.block.text
    statement = login.child(r"^idle-timeout\b")
    if statement is None and line_class is not None:
        inherited = line_class.child(r"^idle-timeout\b")
        if inherited is not None:
            seconds = _minutes_seconds(inherited.text.split()[1:])
            default = f"no 'idle-timeout' under '{name}': '{line_class.block.text}' sets it"
            return IdleTimeout(name, seconds, evidence(inherited), default, name)
    if statement is None:
        default = f"no 'idle-timeout' under '{name}': {dialect.source} default 10 minutes applies"
        return IdleTimeout(name, _IDLE_DEFAULT, evidence(login.block), default, name)
    return IdleTimeout(name, _minutes_seconds(statement.text.split()[1:]), evidence(statement), context=name)


def _minutes_seconds(words: list[str]) -> int | None:
    """``10`` / ``10 30`` / ``0 0`` -> seconds (None: never times out)."""
    minutes = _int(words[0]) if words else None
    seconds = _int(words[1]) if len(words) > 1 else 0
    total = (minutes or 0) * 60 + (seconds or 0)
    return total or None


# ---- log time stamps -----------------------------------------------------------------------


def _timestamps(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> list[LogTimestamps]:
    """Huawei: ``log`` and ``trap`` (both reach log hosts); H3C: ``loghost`` and the other destinations."""
    kinds = ("log", "trap") if dialect.vendor == "huawei" else ("loghost", "log")
    stamps = []
    for kind in kinds:
        line = found.timestamps.get(kind)
        if line is None:
            default = f"{dialect.source} default: {kind} messages carry the date and time"
            stamps.append(LogTimestamps(kind, True, default, None, default))
            continue
        words = line.text.split()
        dated = not ({"boot", "none"} & set(words[2:]))
        # The statement a fix rewrites: Comware 7 writes "info-center timestamp boot" with no message kind.
        prefix = " ".join(words[:3]) if words[2] in ("log", "trap", "loghost") else "info-center timestamp"
        stamps.append(LogTimestamps(kind, dated, line.text, evidence(line), context=prefix))
    return stamps


# ---- NTP -----------------------------------------------------------------------------------


def _time_sync(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> TimeSync:
    notes: list[str] = []
    servers = []
    for line in found.ntp_servers:
        server = _ntp_server(line, found, evidence)
        if server is None:
            continue
        if _LOCAL_CLOCK.match(server.address):
            notes.append(f"line {line.lineno}: {server.address} is the device's own clock, not a time server")
            continue
        servers.append(server)
    if found.ntp_off is not None:
        return TimeSync(tuple(servers), False, evidence(found.ntp_off), notes=tuple(notes))
    sntp_only = bool(servers) and all(s.evidence.text.lstrip().startswith("sntp ") for s in servers)
    if dialect.ntp_needs_enable:
        switch = found.sntp_enable if sntp_only else found.ntp_enable
        if switch is None:
            command = "sntp enable" if sntp_only else "ntp-service enable"
            default = f"{dialect.source} default: the {'SNTP' if sntp_only else 'NTP'} service is off until '{command}'"
            return TimeSync(tuple(servers), False, dialect.anchor, default, tuple(notes))
    return TimeSync(tuple(servers), notes=tuple(notes))


def _ntp_server(line: Line, found: _Found, evidence: LineEvidence) -> NtpServer | None:
    """``ntp-service unicast-server [ipv6] ADDRESS [authentication-keyid N] [vpn-instance V] ...``."""
    words = line.text.split()[2:]
    if words[:1] == ["ipv6"]:
        words = words[1:]
    if not words:
        return None
    address = words[0]
    vrf = _after(words, "vpn-instance")
    key = _after(words, "authentication-keyid")
    if key is None:
        detail = "no authentication-keyid on the server"
    elif found.ntp_auth is None:
        detail = f"authentication-keyid {key} given, but NTP authentication is not enabled"
    elif key not in found.reliable_keys:
        detail = f"key {key} is not a reliable key"
    else:
        return NtpServer(address, evidence(line), True, f"authentication-keyid {key}, reliable", vrf)
    return NtpServer(address, evidence(line), False, detail, vrf)


# ---- configuration change log --------------------------------------------------------------


def _change_log(facts: Facts, found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> ChangeLog:
    record = "SHELL/5/CMDRECORD" if dialect.vendor == "huawei" else "SHELL/6/SHELL_CMD"
    mechanism = f"information center command records ({record})"
    if facts.logging_off is not None:
        return ChangeLog(mechanism, False, True, (facts.logging_off,))
    blocked = _blocked(found.shell_filtered, dialect)
    if blocked:
        return ChangeLog(mechanism, False, True, tuple(evidence(line) for line in blocked))
    default = f"{dialect.source} default: the information center records every command with its user ({record})"
    return ChangeLog(mechanism, True, True, (), default, "kept on the device and sent to the log hosts")


def _blocked(filters: Iterable[Line], dialect: VrpDialect) -> list[Line]:
    """The statements that keep command records from every destination that stores or ships them.

    Huawei: ``info-center filter-id bymodule-alias SHELL CMDRECORD`` drops them everywhere;
    ``info-center source SHELL channel C log state off`` or a ``log level`` above notification
    (CMDRECORD's level) drops them from channel C. H3C: ``info-center source SHELL DEST deny`` or a
    ``level`` above informational (SHELL_CMD's level) drops them from DEST. Console and monitor do
    not keep records, so only the log buffer, log file and log host count.
    """
    blocking: dict[str, Line] = {}
    for line in filters:
        words = line.text.split()
        if words[1] == "filter-id":
            return [line]
        if dialect.vendor == "huawei":
            if len(words) < 6 or words[3] != "channel":
                continue
            destination = _HUAWEI_CHANNELS.get(words[4], words[4])
            dropped = words[5:8] == ["log", "state", "off"] or (
                words[5:7] == ["log", "level"] and len(words) > 7 and words[7] in _ABOVE_NOTIFICATION
            )
        else:
            destination = words[3] if len(words) > 3 else ""
            dropped = words[-1] == "deny" or (
                "level" in words[4:-1] and words[words.index("level") + 1] in _ABOVE_INFORMATIONAL
            )
        if dropped and destination in _KEEPING:
            blocking[destination] = line
    return list(blocking.values()) if set(blocking) >= _KEEPING else []


# ---- SSH -----------------------------------------------------------------------------------


def _ssh(found: _Found, evidence: LineEvidence, dialect: VrpDialect) -> SshServer:
    if found.ssh1 is not None:
        versions, shown, default = ("1", "2"), evidence(found.ssh1), ""
    elif found.ssh1_off is not None:
        versions, shown, default = ("2",), evidence(found.ssh1_off), ""
    elif dialect.ssh1_default:
        versions, shown = ("1", "2"), None
        default = f"{dialect.source} default: the SSH server also accepts SSH version 1 (compatible-ssh1x)"
    else:
        versions, shown = ("2",), None
        default = f"{dialect.source} default: the SSH server accepts SSH version 2 only"
    if found.ssh_servers:
        return SshServer(versions, shown, default, True, evidence(found.ssh_servers[0]))
    off = f"{dialect.source} default: no SSH server until '{_SSH_SERVERS[0 if dialect.vendor == 'huawei' else 1]}'"
    return SshServer(versions, shown, default, False, dialect.anchor, off)


# ---- helpers -------------------------------------------------------------------------------


def _after(words: list[str], keyword: str) -> str | None:
    if keyword in words and words.index(keyword) + 1 < len(words):
        return words[words.index(keyword) + 1]
    return None


def _int(word: str | None) -> int | None:
    return int(word) if word is not None and word.isdigit() else None
