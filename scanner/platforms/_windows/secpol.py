"""The local security policy as ``secedit /export /areas SECURITYPOLICY`` writes it (an INF file).

Its ``[System Access]`` section holds the password and lockout rules the host enforces
(on a domain member, with the Group Policy applied to the computer merged in)::

    [System Access]
    MinimumPasswordAge = 0
    MaximumPasswordAge = 42          (-1: passwords never expire)
    MinimumPasswordLength = 0
    PasswordComplexity = 1
    LockoutBadCount = 0              (0: accounts are never locked out)
    LockoutDuration = 30             (minutes; -1: until an administrator unlocks; absent when never locked)
    ClearTextPassword = 0            (1: passwords kept with reversible encryption)
    EnableGuestAccount = 0
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.hostfacts import LockoutPolicy, PasswordRules
from scanner.platforms.base import EvidenceMaker

SYSTEM_ACCESS = "System Access"


@dataclass(frozen=True)
class Setting:
    value: str
    line: int
    raw: str

    @property
    def number(self) -> int | None:
        text = self.value.strip().strip('"')
        return int(text) if text.lstrip("-").isdigit() else None


def sections(text: str) -> dict[str, dict[str, Setting]]:
    """``{section: {key: Setting}}``; keys as written (secedit writes them in one case), the last one wins."""
    found: dict[str, dict[str, Setting]] = {}
    current: dict[str, Setting] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith(";"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = found.setdefault(stripped[1:-1].strip(), {})
            continue
        key, sep, value = stripped.partition("=")
        if sep and current is not None:
            current[key.strip()] = Setting(value.strip(), number, line)
    return found


def is_security_policy(parsed: dict[str, dict[str, Setting]]) -> bool:
    """A secedit export: it has the [System Access] section with at least the password length."""
    return "MinimumPasswordLength" in parsed.get(SYSTEM_ACCESS, {})


def is_whole(parsed: dict[str, dict[str, Setting]]) -> bool:
    """secedit ends every export with ``[Version]`` (``signature="$CHICAGO$"``): without it the file was cut short."""
    return "signature" in {key.lower() for key in parsed.get("Version", {})}


def password_rules(access: dict[str, Setting], ev: EvidenceMaker) -> PasswordRules:
    length = access["MinimumPasswordLength"]
    minimum = length.number
    evidence = (ev(length.line, length.raw),)
    max_age = access.get("MaximumPasswordAge")
    max_days = max_age.number if max_age is not None else None
    if max_days is not None and max_days <= 0:
        max_days = None  # -1 (and 0 in the GUI): passwords never expire
    clear = access.get("ClearTextPassword")
    complexity = access.get("PasswordComplexity")
    return PasswordRules(
        min_length=minimum if minimum else None,
        min_length_source="MinimumPasswordLength of the local security policy",
        min_length_evidence=evidence,
        max_days=max_days,
        max_days_evidence=ev(max_age.line, max_age.raw) if max_age is not None else None,
        max_days_setting="MaximumPasswordAge",
        max_days_applies="for every local account",
        module="secpol",
        file="secpol.inf",
        reversible=ev(clear.line, clear.raw) if clear is not None and clear.number == 1 else None,
        complexity=(complexity.number == 1) if complexity is not None and complexity.number is not None else None,
        complexity_evidence=ev(complexity.line, complexity.raw) if complexity is not None else None,
    )


def lockout(access: dict[str, Setting], ev: EvidenceMaker) -> LockoutPolicy:
    count = access.get("LockoutBadCount")
    duration = access.get("LockoutDuration")
    evidence = tuple(ev(s.line, s.raw) for s in (count, duration) if s is not None)
    threshold = count.number if count is not None else None
    if not threshold:
        defaults = () if count is not None else ("LockoutBadCount not in the export: Windows' default 0 (never)",)
        return LockoutPolicy("local security policy", None, None, evidence, defaults=defaults)
    minutes = duration.number if duration is not None else None
    if minutes is not None and minutes < 0:
        return LockoutPolicy("local security policy", threshold, None, evidence, until_unlocked=True)
    if minutes is None:
        return LockoutPolicy(
            "local security policy", threshold, None, evidence, gaps=("LockoutDuration is not in the export",)
        )
    if minutes == 0:
        # 0 minutes in the policy means "until an administrator unlocks the account".
        return LockoutPolicy("local security policy", threshold, None, evidence, until_unlocked=True)
    return LockoutPolicy("local security policy", threshold, float(minutes), evidence)
