"""Password rules: the minimum length PAM enforces, and login.defs' maximum password age.

Under PAM (every current distribution), ``PASS_MIN_LEN`` in login.defs is ignored:
the minimum is what the password stack enforces. pam_unix enforces ``minlen=`` (6
when not given); pam_pwquality and pam_cracklib add their own ``minlen``, lowered by
positive "credits" (a password earns one length credit per character class), and
never below 6; pam_passwdqc's ``min=`` gives the shortest accepted length. The
strictest module decides. Only when no PAM stack could be read does PASS_MIN_LEN
count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from scanner.hostfacts import PasswordRules
from scanner.model import Evidence

EvidenceMaker = Callable[[int, str], Evidence]

_PAM_STACKS = ("/etc/pam.d/common-password", "/etc/pam.d/system-auth", "/etc/pam.d/password-auth")
_PWQUALITY_CONF = "/etc/security/pwquality.conf"
_PWQUALITY_DIR = "/etc/security/pwquality.conf.d/"
PAM_UNIX_DEFAULT_MINLEN = 6
PWQUALITY_DEFAULT_MINLEN = 8
CRACKLIB_DEFAULT_MINLEN = 9
QUALITY_FLOOR = 6
_CREDITS = ("dcredit", "ucredit", "lcredit", "ocredit")


@dataclass
class _Setting:
    value: str
    evidence: Evidence


@dataclass
class _Module:
    name: str
    args: dict[str, str]
    evidence: Evidence


@dataclass
class _Files:
    stacks: dict[str, list[_Module]] = field(default_factory=dict)
    pwquality: dict[str, _Setting] = field(default_factory=dict)


def _split_grep(line: str) -> tuple[str, str] | None:
    path, sep, content = line.partition(":")
    return (path, content) if sep and path.startswith("/") else None


def _read(text: str, ev: EvidenceMaker) -> _Files:
    files = _Files()
    conf_lines: list[tuple[str, str, Evidence]] = []
    for number, line in enumerate(text.splitlines(), 1):
        split = _split_grep(line)
        if split is None:
            continue
        path, content = split
        body = content.split("#", 1)[0].strip()
        if path in _PAM_STACKS:
            files.stacks.setdefault(path, [])
            words = body.split()
            if len(words) >= 3 and words[0].lstrip("-") == "password":
                module_at = 2
                if words[1].startswith("["):
                    module_at = next((i + 1 for i, w in enumerate(words) if w.endswith("]")), 2)
                if module_at < len(words):
                    module = words[module_at].rsplit("/", 1)[-1].removesuffix(".so")
                    args = dict(_arg(w) for w in words[module_at + 1 :])
                    files.stacks[path].append(_Module(module, args, ev(number, line)))
        elif path == _PWQUALITY_CONF or path.startswith(_PWQUALITY_DIR):
            key, sep, value = body.partition("=")
            if sep:
                conf_lines.append((value.strip(), key.strip(), ev(number, line)))
    # pwquality.conf first, then pwquality.conf.d/*.conf in order: later settings win.
    for value, key, evidence in conf_lines:
        files.pwquality[key] = _Setting(value, evidence)
    return files


def _arg(word: str) -> tuple[str, str]:
    key, _, value = word.partition("=")
    return key, value


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _quality_minimum(module: _Module, conf: Mapping[str, _Setting], default_minlen: int, default_credit: int):
    """(minimum length, evidence) of pam_pwquality/pam_cracklib: minlen less the positive credits."""
    evidence = [module.evidence]

    def setting(key: str) -> int | None:
        if key in module.args:
            return _int(module.args[key])
        if module.name == "pam_pwquality" and key in conf:
            evidence.append(conf[key].evidence)
            return _int(conf[key].value)
        return None

    minlen = setting("minlen")
    minlen = default_minlen if minlen is None else minlen
    credits = 0
    for key in _CREDITS:
        credit = setting(key)
        credits += max(credit if credit is not None else default_credit, 0)
    return max(QUALITY_FLOOR, minlen - credits), tuple(dict.fromkeys(evidence))


def _passwdqc_minimum(module: _Module) -> int | None:
    values = module.args.get("min", "disabled,24,11,8,7").split(",")
    lengths = [_int(v) for v in values if v != "disabled"]
    known = [v for v in lengths if v is not None]
    return min(known) if known else None


def password_rules(
    pam_text: str | None,
    pam_ev: EvidenceMaker,
    defs: Mapping[str, tuple[str, int, str]],
    defs_ev: EvidenceMaker,
) -> PasswordRules:
    files = _read(pam_text or "", pam_ev)
    pass_min = defs.get("PASS_MIN_LEN")
    pass_max = defs.get("PASS_MAX_DAYS")
    max_days = _int(pass_max[0]) if pass_max else None
    max_days_evidence = defs_ev(pass_max[1], pass_max[2]) if pass_max else None
    if max_days is not None and max_days >= 99999:
        max_days = None
    if not files.stacks:
        if pass_min and _int(pass_min[0]) is not None:
            return PasswordRules(
                min_length=_int(pass_min[0]),
                min_length_source="PASS_MIN_LEN in /etc/login.defs",
                min_length_evidence=(defs_ev(pass_min[1], pass_min[2]),),
                max_days=max_days,
                max_days_evidence=max_days_evidence,
                module="login.defs",
                file="/etc/login.defs",
            )
        return PasswordRules(
            min_length=None,
            min_length_source="no PAM password stack and no PASS_MIN_LEN",
            max_days=max_days,
            max_days_evidence=max_days_evidence,
        )
    best: tuple[int, str, tuple[Evidence, ...], str, str] | None = None
    for path, modules in files.stacks.items():
        for module in modules:
            found: tuple[int, str, tuple[Evidence, ...], str, str] | None = None
            if module.name == "pam_unix":
                minlen = _int(module.args.get("minlen"))
                found = (
                    minlen if minlen is not None else PAM_UNIX_DEFAULT_MINLEN,
                    f"pam_unix in {path}" + ("" if minlen is not None else " (its default)"),
                    (module.evidence,),
                    "pam_unix",
                    path,
                )
            elif module.name in ("pam_pwquality", "pam_cracklib"):
                default = PWQUALITY_DEFAULT_MINLEN if module.name == "pam_pwquality" else CRACKLIB_DEFAULT_MINLEN
                credit = 0 if module.name == "pam_pwquality" else 1
                length, evidence = _quality_minimum(module, files.pwquality, default, credit)
                name = module.name.removeprefix("pam_")
                if "minlen" in module.args:
                    name += "-line"
                found = (length, f"{module.name} in {path}", evidence, name, path)
            elif module.name == "pam_passwdqc":
                length = _passwdqc_minimum(module)
                if length is not None:
                    found = (length, f"pam_passwdqc in {path}", (module.evidence,), "passwdqc", path)
            if found and (best is None or found[0] > best[0]):
                best = found
    ignored = (defs_ev(pass_min[1], pass_min[2]),) if pass_min else ()
    if best is None:
        return PasswordRules(
            min_length=None,
            min_length_source="the PAM password stack has no module that checks length",
            max_days=max_days,
            max_days_evidence=max_days_evidence,
            ignored=ignored,
        )
    return PasswordRules(
        min_length=best[0],
        min_length_source=best[1],
        min_length_evidence=best[2],
        max_days=max_days,
        max_days_evidence=max_days_evidence,
        ignored=ignored,
        module=best[3].removesuffix("-line"),
        file=best[4],
        in_module_line=best[3].endswith("-line") or best[3] == "pam_unix",
    )
