from __future__ import annotations

from checks._strength import weaknesses, words_for
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, MD5_CRYPT, Facts, LocalAccount, PasswordPolicy

_FIX_KEYS = {"user": "hash_user_password", "enable": "hash_enable_password", "line": "line_password"}
_STORAGE_PROBLEM = {
    "plaintext": "stored in clear text",
    "reversible": "stored with a reversible encoding ({scheme})",
    "none": "has no password",
}


@check(
    id="auth.local_password",
    title="Local passwords hashed and strong",
    severity="high",
    needs=(CONFIG,),
    fixes=("hash_user_password", "hash_enable_password", "line_password", "password_policy"),
    rationale=(
        "A password kept in clear text or a reversible encoding (Cisco type 7, which any tool "
        "decodes) is as good as published to everyone who sees a configuration backup. Local "
        "passwords must be one-way hashes, and strong: administrators more than 8 characters, "
        "other users more than 6, letters and digits mixed, no vendor default (form 5.1.5, 5.2.3). "
        "Login-line passwords (IOS line con/vty/aux password, Huawei/H3C user-interface and line "
        "set authentication password) and the super password count like any other. MD5-crypt "
        "($1$, Cisco type 5) is judged by one policy setting on every vendor (accept_md5_crypt). "
        "Where the device enforces its own password policy (H3C password-control, Huawei password "
        "expire, Junos minimum-length), it must not allow less: passwords changed within six months."
    ),
    messages={
        "none": "no local account or enable password is configured",
        "ok": "{count} local credential(s), all stored as one-way hashes{extra}",
        "weak": "{count} weak local credential(s): {details}",
        "policy": "the device's own password policy is weaker than required: {policy}",
        "weak_and_policy": (
            "{count} weak local credential(s): {details}; "
            "the device's own password policy is weaker than required: {policy}"
        ),
    },
)
def local_password(facts: Facts, ctx: Context) -> Result:
    accounts = facts.accounts
    if not accounts:
        return Result.ok("none")
    words = words_for(ctx.policy.weak_words, facts.platform.vendor, facts.hostname, ctx.host.name)
    problems = [(a, r) for a in accounts if (r := _problems(a, ctx, words))]
    policy_problems = _policy_problems(facts.password_policy, ctx)
    if not problems and not policy_problems:
        extra = ""
        policy = facts.password_policy
        if policy is not None and policy.min_length:
            extra = f"; the device itself requires at least {policy.min_length} characters"
        return Result.ok("ok", [a.evidence for a in accounts], count=len(accounts), extra=extra)
    fixes: list[str] = []
    for account, _ in problems:
        fixes.extend(
            facts.platform.fix(
                _FIX_KEYS[account.kind],
                user=account.name,
                privilege=15 if account.admin else 1,
                role="network-admin" if account.admin else "network-operator",
                context=account.context,
            )
        )
    details = "; ".join(f"{a.name} ({', '.join(r)})" for a, r in problems)
    evidence = [a.evidence for a, _ in problems]
    device_policy = facts.password_policy
    if not policy_problems or device_policy is None:
        return Result.fail("weak", evidence, fixes, count=len(problems), details=details)
    evidence.extend(device_policy.evidence)
    fixes.extend(facts.platform.fix("password_policy"))
    key = "weak_and_policy" if problems else "policy"
    return Result.fail(key, evidence, fixes, count=len(problems), details=details, policy=", ".join(policy_problems))


def _policy_problems(device: PasswordPolicy | None, ctx: Context) -> list[str]:
    """Where the device's own rules allow less than the policy: shorter passwords, no or late expiry."""
    if device is None:
        return []
    reasons = []
    required = ctx.policy.threshold("password_min_length_admin")
    if device.min_length is not None and device.min_length < required:
        reasons.append(f"it accepts passwords of {device.min_length} characters, at least {required} required")
    max_age = ctx.policy.threshold("password_max_age_days")
    if device.max_age_days is not None and max_age:
        if device.max_age_days == 0:
            reasons.append("passwords never expire")
        elif device.max_age_days > max_age:
            reasons.append(f"passwords expire after {device.max_age_days} days, at most {max_age} allowed")
    return reasons


def _problems(account: LocalAccount, ctx: Context, words: frozenset[str]) -> list[str]:
    reasons = []
    problem = _STORAGE_PROBLEM.get(account.storage)
    if problem:
        reasons.append(problem.format(scheme=account.scheme))
    md5_rejected = account.scheme == MD5_CRYPT and not ctx.policy.threshold("accept_md5_crypt")
    if account.weak_hash or (account.storage == "hash" and md5_rejected):
        reasons.append(f"weak hash scheme ({account.scheme})")
    if account.vendor_default:
        reasons.append("vendor default account or password")
    if account.recovered is not None:
        policy = ctx.policy
        minimum = policy.threshold("password_min_length_admin" if account.admin else "password_min_length_user")
        reasons.extend(
            weaknesses(
                account.recovered.reveal(),
                min_length=minimum,
                require_mix=policy.threshold("require_letters_and_digits"),
                min_classes=policy.threshold("password_min_classes"),
                words=words | {account.name.lower()},
            )
        )
    return reasons
