from __future__ import annotations

from checks._baseline import decided, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="services.ssh_version",
    title="SSH server accepts protocol version 2 only",
    severity="high",
    needs=(CONFIG,),
    fixes=("ssh_v2_only",),
    rationale=(
        "SSH protocol version 1 has known design flaws (session hijacking, weak integrity checks) and "
        "must not be accepted; remote management must protect what it carries (GB/T 22239-2019 "
        "8.1.4.1 c; CIS Cisco IOS 2.1.1.2 'ip ssh version 2'). IOS without ip ssh version 2 runs "
        "compatibility mode 1.99 (both versions) wherever SSH is accepted; Huawei/H3C ssh server "
        "compatible-ssh1x enable fails, and so does the default of Comware 5 and of VRP before V200R; "
        "Junos protocol-version v1 fails; NX-OS and EOS speak version 2 only. A device with no SSH "
        "server is not judged."
    ),
    messages={
        "ok": "the SSH server accepts SSH version 2 only{decided}",
        "v1": "the SSH server accepts SSH version 1 ({why})",
        "off": "no SSH server is enabled{why}",
        "unread": "the platform read no SSH server settings",
    },
)
def ssh_version(facts: Facts, ctx: Context) -> Result:
    ssh = facts.ssh
    if ssh is None:
        return Result.error("unread")
    if not ssh.enabled:
        why = ssh.enabled_default or (ssh.enabled_evidence.text.strip() if ssh.enabled_evidence else "")
        return Result.not_applicable("off", why=f" ({why})" if why else "")
    evidence = [ssh.evidence, ssh.enabled_evidence]
    if "1" in ssh.versions:
        why = ssh.default or (ssh.evidence.text.strip() if ssh.evidence else "")
        evidence = shown(facts, evidence, absent=bool(ssh.default) or ssh.evidence is None)
        return Result.fail("v1", evidence, facts.platform.fix("ssh_v2_only", version=facts.version or ""), why=why)
    return Result.ok("ok", evidence, decided=decided([ssh.default, ssh.enabled_default]))
