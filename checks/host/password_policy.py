from __future__ import annotations

from checks.host._common import host_state, is_admin
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_PASSWORD_RULES

_FIX_KEY = {
    "secpol": "set_min_length_secpol",
    "pwquality": "set_min_length_pwquality",
    "cracklib": "set_min_length_pam_argument",
    "pam_unix": "set_min_length_pam_unix",
    "login.defs": "set_min_length_login_defs",
}


@check(
    id="host.password_policy",
    kind="host",
    title="Password minimum length enforced on the server",
    severity="high",
    needs=(HOST, HOST_PASSWORD_RULES),
    fixes=(*_FIX_KEY.values(), "set_min_length_pam_argument", "move_hashes_to_shadow", "disable_reversible_encryption"),
    rationale=(
        "The form (5.1.5) requires ordinary passwords longer than 6 characters and administrator "
        "passwords longer than 8. On Linux the minimum is whatever the PAM password stack enforces "
        "(pam_pwquality/pam_cracklib minlen less their credits, pam_unix minlen); PASS_MIN_LEN in "
        "/etc/login.defs is ignored under PAM. On Windows it is MinimumPasswordLength of the local "
        "security policy (with the Group Policy applied to the computer). One minimum applies to "
        "every account, so a server with administrator accounts must enforce the administrator "
        "length. Passwords must be kept so that no one can read them back: hashes in /etc/shadow, "
        "not in /etc/passwd where every user can read them; on Windows never with reversible "
        "encryption (ClearTextPassword). Windows' PasswordComplexity is reported, not required."
    ),
    messages={
        "ok": "passwords of at least {length} characters are enforced ({source}); {required} required ({why}){ignored}",
        "short": (
            "passwords of {length} characters are accepted ({source}); {required} required ({why}){ignored}{exposed}"
        ),
        "none": "no minimum password length is enforced ({source}); {required} required ({why}){exposed}",
        "exposed": "password hash(es) readable by every user in /etc/passwd: {names}",
        "reversible": "passwords are stored with reversible encryption ({setting}), readable back as clear text",
    },
)
def password_policy(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    rules = state.password_rules
    assert rules is not None
    thresholds = ctx.policy
    admins = [a.name for a in state.accounts if is_admin(a, ctx) and a.password != "locked"]
    if admins:
        required = thresholds.threshold("password_min_length_admin")
        why = f"administrator accounts: {', '.join(admins)}"
    else:
        required = thresholds.threshold("password_min_length_user")
        why = "no administrator account has a usable password"
    ignored = ""
    if rules.ignored and rules.module != "login.defs":
        ignored = f"; {' '.join(rules.ignored[0].text.split())} in /etc/login.defs is ignored under PAM"
    if rules.complexity is not None:
        ignored += (
            "; complexity required (PasswordComplexity 1)"
            if rules.complexity
            else ("; complexity not required (PasswordComplexity 0)")
        )
    exposed = [a for a in state.accounts if a.passwd_field_password]
    exposed_text = f"; hashes in /etc/passwd: {', '.join(a.name for a in exposed)}" if exposed else ""
    evidence = [*rules.min_length_evidence, *rules.ignored, *(a.evidence for a in exposed)]
    if rules.complexity_evidence is not None:
        evidence.append(rules.complexity_evidence)
    exposed_fix = list(facts.platform.fix("move_hashes_to_shadow")) if exposed else []
    if rules.reversible is not None:
        exposed_text += f"; reversible encryption ({rules.reversible.text.strip()})"
        evidence.append(rules.reversible)
        exposed_fix += facts.platform.fix("disable_reversible_encryption")
    if rules.min_length is None:
        key = "set_min_length_secpol" if rules.module == "secpol" else "set_min_length_pwquality"
        fix = [*facts.platform.fix(key, length=required), *exposed_fix]
        return Result.fail(
            "none", evidence, fix, source=rules.min_length_source, required=required, why=why, exposed=exposed_text
        )
    params = {"length": rules.min_length, "source": rules.min_length_source, "required": required, "why": why}
    if rules.min_length >= required:
        if exposed:
            return Result.fail("exposed", evidence, exposed_fix, names=", ".join(a.name for a in exposed))
        if rules.reversible is not None:
            return Result.fail("reversible", evidence, exposed_fix, setting=rules.reversible.text.strip())
        return Result.ok("ok", evidence, ignored=ignored, **params)
    key = _FIX_KEY.get(rules.module, "set_min_length_pwquality")
    if rules.in_module_line and rules.module in ("pwquality", "cracklib"):
        key = "set_min_length_pam_argument"
    fix = list(facts.platform.fix(key, length=required, file=rules.file, module=f"pam_{rules.module}"))
    if rules.ignored and rules.module != "login.defs":
        fix += facts.platform.fix("set_min_length_login_defs", length=required)
    return Result.fail("short", evidence, fix + exposed_fix, ignored=ignored, exposed=exposed_text, **params)
