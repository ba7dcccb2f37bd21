"""Local accounts of a Windows host (local_users.json) as the host checks see accounts.

Windows has no UIDs; the relative identifier (the last part of the SID) stands in for
one. The built-in Administrator (RID 500) is the host's superuser, like root; Guest
(501), DefaultAccount (503) and WDAGUtilityAccount (504) are nobody's own login. A
disabled account cannot log in at all. ``PasswordRequired`` false means the account may
have an empty password (Windows does not say whether it has one).
"""

from __future__ import annotations

from scanner.hostfacts import HostAccount, PasswordState
from scanner.model import Evidence
from scanner.platforms._windows import psjson
from scanner.platforms.base import EvidenceMaker

ADMINISTRATOR_RID = 500
GUEST_RID = 501
# Guest, DefaultAccount, WDAGUtilityAccount: built in, nobody's own login.
SYSTEM_RIDS = frozenset({GUEST_RID, 503, 504})
ADMINISTRATORS = "Administrators"
_SHOWN = ("Name", "Enabled", "PasswordRequired", "PasswordLastSet", "PasswordExpires", "LastLogon", "Administrator")


def rid(sid: str) -> int | None:
    tail = sid.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def accounts(
    text: str, ev: EvidenceMaker, max_days: int | None, guest_policy: Evidence | None = None
) -> tuple[list[HostAccount], bool]:
    """The accounts, and whether membership of Administrators was known (False: every enabled
    account is counted as an administrator, so the stricter password length applies).

    ``guest_policy``: the security policy's ``EnableGuestAccount = 1`` line, when it says so.
    Either source saying Guest is enabled counts: they disagree only when one is stale.
    """
    found = []
    admins_known = True
    for record in psjson.records(text):
        data = record.data
        name = psjson.text_value(data.get("Name")).strip()
        if not name:
            continue
        sid = psjson.text_value(data.get("SID"))
        number = rid(sid) if sid else None
        enabled = psjson.bool_value(data.get("Enabled"))
        required = psjson.bool_value(data.get("PasswordRequired"))
        administrator = psjson.bool_value(data.get("Administrator"))
        if administrator is None:
            admins_known = False
        disabled = enabled is False
        password: PasswordState = "locked" if disabled else ("not_required" if required is False else "set")
        note = "PasswordRequired false" if password == "not_required" else ""
        extra: tuple[Evidence, ...] = ()
        if number == GUEST_RID and disabled and guest_policy is not None:
            password, note, extra = "not_required", "the Guest account, EnableGuestAccount = 1", (guest_policy,)
        elif number == GUEST_RID and not disabled:
            password, note = "not_required", "the Guest account, enabled" + (f"; {note}" if note else "")
        last_set = psjson.date_value(data.get("PasswordLastSet"))
        expires = data.get("PasswordExpires")
        own_max = max_days
        if psjson.date_value(expires) is None:
            own_max = None  # "password never expires" on the account (or no maximum at all)
        elif own_max is None and last_set is not None:
            own_max = max(0, (psjson.date_value(expires) - last_set).days)  # type: ignore[operator]
        last_logon = psjson.date_value(data.get("LastLogon"))
        line_ev = ev(psjson.key_line(text, record, "Name"), psjson.summary(data, _SHOWN))
        admin = bool(administrator) or (administrator is None and not disabled) or number == ADMINISTRATOR_RID
        found.append(
            HostAccount(
                name=name,
                uid=number if number is not None else -1,
                gid=-1,
                home="",
                shell="",
                human=number not in SYSTEM_RIDS,
                evidence=line_ev,
                groups=(ADMINISTRATORS,) if admin else (),
                password=password,
                last_change=last_set.date() if last_set else None,
                max_days=own_max,
                last_login=last_logon,
                never_logged_in=last_logon is None,
                aging_evidence=(line_ev, *extra),
                login_evidence=line_ev,
                admin=admin,
                builtin_admin=number == ADMINISTRATOR_RID,
                disabled=disabled,
                password_note=note,
            )
        )
    return found, admins_known


def is_guest(account: HostAccount) -> bool:
    return account.uid == GUEST_RID
