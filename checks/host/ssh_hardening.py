from __future__ import annotations

from checks.host._common import host_state
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_SSHD
from scanner.model import Evidence

# sshd's own defaults (OpenSSH 7.0 and later), for settings a config file leaves out.
_DEFAULTS = {"permitrootlogin": "prohibit-password", "permitemptypasswords": "no", "protocol": "2"}
_SAFE_ROOT = {"no", "prohibit-password", "without-password", "forced-commands-only"}


@check(
    id="host.ssh_hardening",
    kind="host",
    platforms=("linux",),
    title="SSH server: no root password login, no empty passwords, protocol 2",
    severity="high",
    needs=(HOST, HOST_SSHD),
    fixes=("sshd_setting",),
    rationale=(
        "Remote access must be reviewed (form: other clauses). Root logging in with a password over "
        "SSH is the first target of every password-guessing attack; empty passwords must never be "
        "accepted; SSH protocol 1 is broken. Read from `sshd -T` (the effective settings) when it "
        "can run, else from sshd_config and its Include files."
    ),
    messages={
        "ok": "sshd: PermitRootLogin {root}, PermitEmptyPasswords {empty}, protocol {protocol} ({source})",
        "weak": "sshd: {details} ({source})",
    },
)
def ssh_hardening(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    values = {k: (state.sshd[k].value if k in state.sshd else v) for k, v in _DEFAULTS.items()}
    evidence: list[Evidence] = [state.sshd[k].evidence for k in _DEFAULTS if k in state.sshd and state.sshd[k].evidence]
    problems: list[str] = []
    fixes: list[str] = []
    root = values["permitrootlogin"].lower()
    if root not in _SAFE_ROOT:
        problems.append(f"PermitRootLogin {root} (root may log in with a password)")
        fixes += facts.platform.fix("sshd_setting", keyword="PermitRootLogin", value="prohibit-password")
    if values["permitemptypasswords"].lower() != "no":
        problems.append("PermitEmptyPasswords yes")
        fixes += facts.platform.fix("sshd_setting", keyword="PermitEmptyPasswords", value="no")
    if "1" in values["protocol"].split(","):
        problems.append(f"Protocol {values['protocol']} (SSH-1 allowed)")
        fixes += facts.platform.fix("sshd_setting", keyword="Protocol", value="2")
    source = state.sshd_source
    if problems:
        return Result.fail("weak", evidence, list(dict.fromkeys(fixes)), details="; ".join(problems), source=source)
    return Result.ok(
        "ok", evidence, root=root, empty=values["permitemptypasswords"], protocol=values["protocol"], source=source
    )
