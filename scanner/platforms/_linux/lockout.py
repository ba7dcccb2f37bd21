"""Account lockout on Linux: pam_faillock (with /etc/security/faillock.conf) or pam_tally2 in the PAM auth stacks.

pam_faillock locks an account after ``deny`` failures (default 3) for ``unlock_time``
seconds (default 600; 0 or "never": until an administrator unlocks it), each set on the
module's lines or in faillock.conf (the lines win). It works only with both of its auth
lines: ``preauth`` (refuses a locked account before the password is asked) and
``authfail`` (counts the failure); without ``preauth`` a locked account still logs in
with its password. Every auth stack a login can go through must carry them: Debian's
common-auth, or Red Hat's system-auth and password-auth (ssh uses the latter).

pam_tally2 (older distributions) locks only when ``deny`` is given, and then until an
administrator resets the tally unless ``unlock_time`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.hostfacts import LockoutPolicy
from scanner.model import Evidence
from scanner.platforms._linux.pam import EvidenceMaker

AUTH_STACKS = ("/etc/pam.d/common-auth", "/etc/pam.d/system-auth", "/etc/pam.d/password-auth")
FAILLOCK_CONF = "/etc/security/faillock.conf"
FAILLOCK_DENY = 3
FAILLOCK_UNLOCK_SECONDS = 600


@dataclass
class _Line:
    module: str
    args: dict[str, str]
    flags: frozenset[str]
    evidence: Evidence


def _arg(word: str) -> tuple[str, str]:
    key, _, value = word.partition("=")
    return key, value


def _auth_lines(text: str, ev: EvidenceMaker) -> tuple[dict[str, list[_Line]], dict[str, tuple[str, Evidence]]]:
    stacks: dict[str, list[_Line]] = {}
    conf: dict[str, tuple[str, Evidence]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        path, sep, content = line.partition(":")
        if not sep or not path.startswith("/"):
            continue
        body = content.split("#", 1)[0].strip()
        if path == FAILLOCK_CONF:
            key, eq, value = body.partition("=")
            if body:
                conf[key.strip()] = (value.strip() if eq else "", ev(number, line))
            continue
        if path not in AUTH_STACKS:
            continue
        stacks.setdefault(path, [])
        words = body.split()
        if len(words) < 3 or words[0].lstrip("-") != "auth":
            continue
        at = 2
        if words[1].startswith("["):
            at = next((i + 1 for i, w in enumerate(words) if w.endswith("]")), 2)
        if at >= len(words):
            continue
        module = words[at].rsplit("/", 1)[-1].removesuffix(".so")
        rest = words[at + 1 :]
        args = dict(_arg(w) for w in rest if "=" in w)
        stacks[path].append(_Line(module, args, frozenset(w for w in rest if "=" not in w), ev(number, line)))
    return stacks, conf


def lockout(text: str, ev: EvidenceMaker) -> LockoutPolicy | None:
    """The lockout the auth stacks enforce; None when no auth stack file could be read."""
    stacks, conf = _auth_lines(text, ev)
    if not stacks:
        return None
    faillock = {path: [x for x in lines if x.module == "pam_faillock"] for path, lines in stacks.items()}
    tally = [x for lines in stacks.values() for x in lines if x.module == "pam_tally2"]
    if any(faillock.values()):
        return _faillock(faillock, conf)
    if tally:
        return _tally2(tally)
    evidence = tuple(lines[0].evidence for lines in stacks.values() if lines)
    return LockoutPolicy(f"no pam_faillock or pam_tally2 in {', '.join(stacks)}", None, None, evidence)


def _faillock(stacks: dict[str, list[_Line]], conf: dict[str, tuple[str, Evidence]]) -> LockoutPolicy:
    gaps = []
    evidence: list[Evidence] = []
    lines = [x for found in stacks.values() for x in found]
    for path, found in stacks.items():
        modes = {mode for x in found for mode in x.flags & {"preauth", "authfail"}}
        if not found:
            gaps.append(f"{path} has no pam_faillock line (logins through it are never locked)")
        elif "preauth" not in modes:
            gaps.append(f"{path} has no pam_faillock preauth line (a locked account still logs in with its password)")
        elif "authfail" not in modes:
            gaps.append(f"{path} has no pam_faillock authfail line (failures are not counted)")
        evidence += [x.evidence for x in found]
    defaults = []
    deny_text, deny_ev = _setting("deny", lines, conf)
    unlock_text, unlock_ev = _setting("unlock_time", lines, conf)
    evidence += [e for e in (deny_ev, unlock_ev) if e is not None and e not in evidence]
    deny = int(deny_text) if deny_text and deny_text.isdigit() else None
    if deny is None:
        deny = FAILLOCK_DENY
        defaults.append(f"deny not set: pam_faillock's default {FAILLOCK_DENY}")
    if unlock_text is None:
        seconds: int | None = FAILLOCK_UNLOCK_SECONDS
        defaults.append(f"unlock_time not set: pam_faillock's default {FAILLOCK_UNLOCK_SECONDS} s")
    elif unlock_text.lower() == "never":
        seconds = 0
    else:
        seconds = int(unlock_text) if unlock_text.isdigit() else None
        if seconds is None:
            gaps.append(f"unlock_time {unlock_text!r} is not a number of seconds")
    common = {"evidence": tuple(evidence), "defaults": tuple(defaults), "gaps": tuple(gaps)}
    if deny == 0:
        return LockoutPolicy("pam_faillock", None, None, **common)  # type: ignore[arg-type]
    if seconds == 0:
        return LockoutPolicy("pam_faillock", deny, None, until_unlocked=True, **common)  # type: ignore[arg-type]
    minutes = seconds / 60 if seconds is not None else None
    return LockoutPolicy("pam_faillock", deny, minutes, **common)  # type: ignore[arg-type]


def _setting(key: str, lines: list[_Line], conf: dict[str, tuple[str, Evidence]]) -> tuple[str | None, Evidence | None]:
    """The value on a module line (authfail first), else in faillock.conf, else None."""
    ordered = sorted(lines, key=lambda x: "authfail" not in x.flags)
    for line in ordered:
        if key in line.args:
            return line.args[key], line.evidence
    if key in conf:
        return conf[key]
    return None, None


def _tally2(lines: list[_Line]) -> LockoutPolicy:
    evidence = tuple(x.evidence for x in lines)
    deny = next((x.args["deny"] for x in lines if "deny" in x.args), None)
    if deny is None or not deny.isdigit() or int(deny) == 0:
        return LockoutPolicy("pam_tally2", None, None, evidence, defaults=("deny not set: pam_tally2 only counts",))
    unlock = next((x.args["unlock_time"] for x in lines if "unlock_time" in x.args), None)
    if unlock is None or unlock == "0":
        return LockoutPolicy("pam_tally2", int(deny), None, evidence, until_unlocked=True)
    minutes = int(unlock) / 60 if unlock.isdigit() else None
    gaps = () if minutes is not None else (f"unlock_time {unlock!r} is not a number of seconds",)
    return LockoutPolicy("pam_tally2", int(deny), minutes, evidence, gaps=gaps)


def enable_command(manager: str, has_faillock: bool) -> str:
    """How to put pam_faillock into the auth stacks, in the distribution's own way ("" when it is there)."""
    if has_faillock:
        return ""
    if manager in ("dnf", "yum"):
        return "authselect enable-feature with-faillock"
    if manager == "zypper":
        return "pam-config --add --faillock"
    return (
        "cp /etc/pam.d/common-auth /etc/pam.d/common-auth.netcomply-backup"
        " && sed -i '/^auth.*pam_unix\\.so/i auth\\trequired\\t\\t\\tpam_faillock.so preauth' /etc/pam.d/common-auth"
        " && sed -i '/^auth.*pam_unix\\.so/a auth\\t[default=die]\\t\\t\\tpam_faillock.so authfail\\n"
        "auth\\tsufficient\\t\\t\\tpam_faillock.so authsucc' /etc/pam.d/common-auth"
    )
