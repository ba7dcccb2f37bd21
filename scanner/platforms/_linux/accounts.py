"""Accounts: getent passwd/group, password aging (chage -l, passwd -S) and last logins (lastlog)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from scanner.hostfacts import HostAccount, PasswordState
from scanner.masking import Secret
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
        Secret(entry.password)
        fields = entry.raw.split(":")
        fields[1] = "***"
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


def _chage_date(value: str) -> tuple[date | None, bool]:
    value = value.strip()
    if value.lower().startswith("password must be changed"):
        return None, True
    if value.lower() in ("never", ""):
        return None, False
    for pattern in ("%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, pattern).date(), False
        except ValueError:
            continue
    return None, False


def chage(text: str, ev: EvidenceMaker) -> Aging:
    """``chage -l`` (C locale): last change, maximum age, account expiry."""
    last_change = expires = None
    must_change = False
    max_days: int | None = None
    evidence = []
    for number, line in enumerate(text.splitlines(), 1):
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip().lower()
        if key.startswith("last password change"):
            last_change, must_change = _chage_date(value)
            evidence.append(ev(number, line))
        elif key.startswith("maximum number of days"):
            days = value.strip()
            max_days = int(days) if days.lstrip("-").isdigit() and 0 <= int(days) < 99999 else None
            evidence.append(ev(number, line))
        elif key.startswith("account expires"):
            expires, _ = _chage_date(value)
    return Aging(last_change, must_change, max_days, expires, evidence=tuple(evidence))


_STATUS = {"P": "set", "PS": "set", "L": "locked", "LK": "locked", "NP": "empty"}


def passwd_status(text: str, ev: EvidenceMaker) -> Aging:
    """``passwd -S USER``: Debian ``alice P 01/15/2024 0 99999 7 -1``, RHEL ``alice PS 2024-01-15 ...``."""
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if len(fields) >= 2 and fields[1] in _STATUS:
            last_change = None
            must_change = False
            if len(fields) >= 3:
                last_change, _ = _chage_date(fields[2])
                must_change = fields[2] in ("01/01/1970", "1970-01-01")
            max_days = None
            if len(fields) >= 5 and fields[4].isdigit() and int(fields[4]) < 99999:
                max_days = int(fields[4])
            state: PasswordState = _STATUS[fields[1]]  # type: ignore[assignment]
            return Aging(last_change, must_change, max_days, None, state, (ev(number, line),))
    return Aging()


def merge_aging(from_chage: Aging | None, from_status: Aging | None) -> Aging:
    """chage -l is the authority on dates; passwd -S on the password's state (and dates when chage is missing)."""
    if from_chage is None and from_status is None:
        return Aging()
    if from_chage is None:
        return from_status  # type: ignore[return-value]
    if from_status is None:
        return from_chage
    return Aging(
        last_change=from_chage.last_change,
        must_change=from_chage.must_change,
        max_days=from_chage.max_days,
        expires=from_chage.expires,
        password=from_status.password,
        evidence=from_chage.evidence + from_status.evidence,
    )


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
