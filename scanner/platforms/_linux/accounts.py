"""Accounts: getent passwd/group, password aging (chage -l, passwd -S) and last logins (lastlog)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from scanner.hostfacts import HostAccount, PasswordState
from scanner.masking import MASK, REDACTOR
from scanner.model import Evidence
from scanner.platforms._linux.commands import PasswdEntry, is_human, passwd_entries

EvidenceMaker = Callable[[int, str], Evidence]

# Values of the passwd password field that mean "look in /etc/shadow" or "no password login".
_NOT_A_PASSWORD = frozenset({"x", "*", "!", "!!", "*NP*"})
_LASTLOG_DATE = re.compile(r"(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d [+-]\d{4} \d{4})\s*$")


@dataclass(frozen=True)
class Aging:
    last_change: date | None = None
    must_change: bool = False
    max_days: int | None = None
    expires: date | None = None
    password: PasswordState = "unknown"
    evidence: tuple[Evidence, ...] = ()


def passwd_line_evidence(entry: PasswdEntry, ev: EvidenceMaker) -> Evidence:
    """The passwd line with its password field masked when it holds one (a hash in /etc/passwd)."""
    if entry.password and entry.password not in _NOT_A_PASSWORD:
        REDACTOR.add(entry.password)  # also scrubbed wherever else it shows up
        fields = entry.raw.split(":")
        fields[1] = MASK
        return ev(entry.line, ":".join(fields))
    return ev(entry.line, entry.raw)


def groups(text: str | None) -> dict[str, tuple[int, tuple[str, ...]]]:
    """``{group: (gid, members)}`` of ``getent group``."""
    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    for line in (text or "").splitlines():
        fields = line.split(":")
        if len(fields) < 4:
            continue
        try:
            gid = int(fields[2])
        except ValueError:
            continue
        found[fields[0]] = (gid, tuple(m for m in fields[3].strip().split(",") if m))
    return found


def memberships(entry: PasswdEntry, group_table: Mapping[str, tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    """The groups an account is in: its primary group and every group listing it as a member."""
    return tuple(name for name, (gid, members) in group_table.items() if gid == entry.gid or entry.name in members)


_EPOCH = date(1970, 1, 1)
_STATES: dict[str, PasswordState] = {"P": "set", "L": "locked", "NP": "empty"}


def _day(value: str) -> date | None:
    return _EPOCH + timedelta(days=int(value)) if value.strip().isdigit() else None


def shadow_status(text: str, ev: EvidenceMaker) -> dict[str, Aging]:
    """/etc/shadow with the password field replaced by its state: ``alice:P:20385:0:180:7:::``.

    Fields: name, state (P/L/NP), last change (days since 1970; 0 = must change at next
    login), min, max (99999 or empty = none), warn, inactive, expire (days since 1970).
    """
    found: dict[str, Aging] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split(":")
        if len(fields) < 8 or fields[1] not in _STATES:
            continue
        last = fields[2].strip()
        max_days = fields[4].strip()
        found[fields[0]] = Aging(
            last_change=_day(last) if last != "0" else None,
            must_change=last == "0",
            max_days=int(max_days) if max_days.isdigit() and int(max_days) < 99999 else None,
            expires=_day(fields[7]),
            password=_STATES[fields[1]],
            evidence=(ev(number, line),),
        )
    return found


@dataclass(frozen=True)
class LastLogin:
    when: datetime | None
    evidence: Evidence


def lastlog(text: str, ev: EvidenceMaker) -> dict[str, LastLogin]:
    """``lastlog``: the latest login of each account, None for "**Never logged in**"."""
    logins: dict[str, LastLogin] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("Username"):
            continue
        name = line.split(None, 1)[0]
        if "**Never logged in**" in line:
            logins[name] = LastLogin(None, ev(number, line))
            continue
        match = _LASTLOG_DATE.search(line)
        if match:
            try:
                when = datetime.strptime(match.group(1).replace("  ", " 0"), "%a %b %d %H:%M:%S %z %Y")
            except ValueError:
                continue
            logins[name] = LastLogin(when.astimezone(UTC), ev(number, line))
    return logins


def build_accounts(
    passwd_text: str,
    passwd_ev: EvidenceMaker,
    uids: tuple[int, int],
    group_table: Mapping[str, tuple[int, tuple[str, ...]]],
    aging: Mapping[str, Aging],
    logins: Mapping[str, LastLogin] | None,
) -> list[HostAccount]:
    accounts = []
    for entry in passwd_entries(passwd_text):
        info = aging.get(entry.name, Aging())
        in_passwd = entry.password not in _NOT_A_PASSWORD
        state = info.password
        if entry.password == "":
            state = "empty"
        elif state == "unknown" and entry.password in ("*", "!", "!!"):
            state = "locked"
        elif state == "unknown" and in_passwd:
            state = "set"
        login = logins.get(entry.name) if logins is not None else None
        accounts.append(
            HostAccount(
                name=entry.name,
                uid=entry.uid,
                gid=entry.gid,
                home=entry.home,
                shell=entry.shell,
                human=is_human(entry, uids),
                groups=memberships(entry, group_table),
                evidence=passwd_line_evidence(entry, passwd_ev),
                password=state,
                passwd_field_password=in_passwd,
                last_change=info.last_change,
                must_change=info.must_change,
                max_days=info.max_days,
                expires=info.expires,
                last_login=login.when if login else None,
                never_logged_in=login is not None and login.when is None,
                aging_evidence=info.evidence,
                login_evidence=login.evidence if login else None,
            )
        )
    return accounts
