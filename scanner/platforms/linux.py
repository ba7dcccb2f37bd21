"""Linux servers (platform ``linux``): a host read from its state, not a device read from its configuration.

The commands are in :mod:`scanner.platforms._linux.commands` (two phases); the readers
of each output in the other ``_linux`` modules. This module ties them together into
:class:`~scanner.hostfacts.HostState` and holds the fixes, in the host's own terms.
"""

from __future__ import annotations

from typing import Any

from scanner.configtree import Backend
from scanner.facts import HOST, Facts
from scanner.hostfacts import (
    HOST_ACCOUNTS,
    HOST_AGING,
    HOST_ANTIVIRUS,
    HOST_FIREWALL,
    HOST_LISTENERS,
    HOST_LOCKOUT,
    HOST_LOGINS,
    HOST_PACKAGES,
    HOST_PASSWORD_RULES,
    HOST_SCHEDULE,
    HOST_SSHD,
    HOST_SYSLOG,
    HostState,
)
from scanner.platforms import register
from scanner.platforms._linux import accounts as acc
from scanner.platforms._linux import antivirus as av
from scanner.platforms._linux import commands as cmd
from scanner.platforms._linux import firewall as fw
from scanner.platforms._linux import lockout as lock
from scanner.platforms._linux import pam, system
from scanner.platforms.base import EvidenceMaker, Platform
from scanner.snapshot import Snapshot

# The exit statuses that mean the command itself could not run (not "ran and found nothing").
_NOT_RUN = {126: "not executable", 127: "command not found"}


_INSTALL = {
    "apt": "apt-get install -y",
    "dnf": "dnf install -y",
    "yum": "yum install -y",
    "zypper": "zypper install -y",
}
_SECURITY_UPGRADE = {
    "apt": "apt-get update && apt-get install --only-upgrade -y {packages}",
    "dnf": "dnf upgrade --security -y",
    "yum": "yum update --security -y",
    "zypper": "zypper patch --category security -y",
}


# Shorter names in messages for commands whose text says little to a reader.
_LABELS = {cmd.SHADOW: "/etc/shadow (password aging)"}


class _Reader:
    """One snapshot's outputs as the Linux parser needs them: text, evidence, and why a command is unusable."""

    def __init__(self, platform: Platform, snapshot: Snapshot, facts: Facts) -> None:
        self.platform = platform
        self.snapshot = snapshot
        self.facts = facts
        self.status: dict[str, Any] = snapshot.meta.get("exit_status") or {}
        self.stderr: dict[str, Any] = snapshot.meta.get("stderr") or {}

    def text(self, command: str, family: str | None = None, *, required: bool = False) -> str | None:
        """The output, or None (and ``family`` marked unavailable) when it was not collected or could not run.

        ``required``: an empty output means the command failed (a file that must exist);
        otherwise empty is an answer ("no such file", "no match").
        """
        text = self.snapshot.output(command)
        recorded = self.snapshot.error_for(command)
        reason = None
        label = _LABELS.get(command, command)
        if text is None or recorded:
            reason = f"{label}: {recorded or 'not in the snapshot'}"
        elif required and not text.strip():
            reason = f"{label}: {self._failure(command) or 'empty output'}"
        if reason is not None:
            if family is not None:
                self.facts.missing(family, reason)
            return None
        return text

    def _failed(self, command: str) -> bool:
        status = self.status.get(command)
        return isinstance(status, int) and status != 0

    def _failure(self, command: str) -> str:
        status = self.status.get(command)
        if not isinstance(status, int) or status == 0:
            return ""
        detail = str(self.stderr.get(command) or "").strip().splitlines()
        why = _NOT_RUN.get(status) or (detail[0] if detail else "")
        return f"exit status {status}" + (f" ({why})" if why else "")

    def ev(self, command: str) -> EvidenceMaker:
        return self.platform.evidence_maker(self.snapshot, command)


@register
class Linux(Platform):
    name = "linux"
    kind = "host"
    display_name = "Linux"
    vendor = "linux"
    aliases = ("linux_ssh",)
    ntc_platform = "linux"
    commands = cmd.host_commands()
    comment = "#"
    fixes = {
        "set_min_length_pwquality": (
            "sed -i -E 's/^#? *minlen *=.*/minlen = {length}/' /etc/security/pwquality.conf",
            "grep -q '^minlen' /etc/security/pwquality.conf"
            " || echo 'minlen = {length}' >> /etc/security/pwquality.conf",
        ),
        "set_min_length_pam_argument": ("sed -i -E 's/({module}\\.so.*)minlen=[0-9]+/\\1minlen={length}/' {file}",),
        "set_min_length_pam_unix": (
            "sed -i -E '/pam_unix\\.so/ {{ s/ minlen=[0-9]+//; s/$/ minlen={length}/ }}' {file}",
        ),
        "set_min_length_login_defs": ("sed -i 's/^PASS_MIN_LEN.*/PASS_MIN_LEN {length}/' /etc/login.defs",),
        "move_hashes_to_shadow": ("pwconv",),
        "set_max_password_age": ("sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS {days}/' /etc/login.defs",),
        "set_account_max_days": ("chage -M {days} {user}",),
        "force_password_change": ("chage -d 0 {user}",),
        "lock_empty_password": ("passwd -l {user}",),
        "lock_stale_account": ("usermod --lock --expiredate 1 {user}",),
        "install_antivirus": ("{install} clamav clamav-freshclam", "systemctl enable --now clamav-freshclam"),
        "update_signatures": ("systemctl stop clamav-freshclam; freshclam; systemctl start clamav-freshclam",),
        "schedule_scan": (
            "echo '30 2 * * 0 root clamscan -r -i --exclude-dir=^/proc --exclude-dir=^/sys --exclude-dir=^/dev "
            "--log=/var/log/clamav/weekly-scan.log /' > /etc/cron.d/clamscan-weekly",
        ),
        "apply_security_updates": ("{upgrade}",),
        "disable_service": ("systemctl disable --now {unit}",),
        "add_syslog_host": (
            "echo '*.* @@<syslog-server>:514' > /etc/rsyslog.d/90-remote.conf",
            "systemctl restart rsyslog",
        ),
        "set_lockout": (
            "grep -q '^ *deny *=' /etc/security/faillock.conf"
            " && sed -i -E 's/^ *deny *=.*/deny = {tries}/' /etc/security/faillock.conf"
            " || echo 'deny = {tries}' >> /etc/security/faillock.conf",
            "grep -q '^ *unlock_time *=' /etc/security/faillock.conf"
            " && sed -i -E 's/^ *unlock_time *=.*/unlock_time = {seconds}/' /etc/security/faillock.conf"
            " || echo 'unlock_time = {seconds}' >> /etc/security/faillock.conf",
            "{enable}",
        ),
        "enable_firewall": (
            "nft add table inet filter",
            "nft 'add chain inet filter input {{ type filter hook input priority 0; policy accept; }}'",
            "nft add rule inet filter input ct state established,related accept",
            "nft add rule inet filter input iif lo accept",
            "nft add rule inet filter input tcp dport 22 accept",
            "nft 'chain inet filter input {{ policy drop; }}'",
            "nft list ruleset > /etc/nftables.conf && systemctl enable nftables",
        ),
        "enable_antivirus": ("systemctl enable --now clamav-daemon clamav-freshclam",),
        "sshd_setting": (
            "sed -i -E 's/^#? *{keyword} .*/{keyword} {value}/I' /etc/ssh/sshd_config",
            "grep -qi '^{keyword} ' /etc/ssh/sshd_config || echo '{keyword} {value}' >> /etc/ssh/sshd_config",
            "sshd -t && systemctl reload ssh",
        ),
    }

    def parse(self, snapshot: Snapshot, backend: Backend = "native") -> Facts:
        facts = Facts(host=snapshot.host, platform=self)
        state = HostState()
        facts.host_state = state
        read = _Reader(self, snapshot, facts)
        self._os(read, facts, state)
        defs_text = read.text(cmd.LOGIN_DEFS, HOST_PASSWORD_RULES, required=True)
        defs = cmd.login_defs(defs_text)
        self._accounts(read, state, defs, defs_text)
        if defs_text is not None:
            pam_text = read.text(cmd.PAM, None)
            state.password_rules = pam.password_rules(pam_text, read.ev(cmd.PAM), defs, read.ev(cmd.LOGIN_DEFS))
        self._listeners(read, state)
        self._patches(read, state, snapshot)
        self._antivirus(read, state)
        self._schedule(read, state, snapshot)
        syslog = read.text(cmd.SYSLOG, HOST_SYSLOG)
        if syslog is not None:
            state.log_targets = system.log_targets(syslog, read.ev(cmd.SYSLOG))
        self._sshd(read, state)
        self._lockout(read, state, snapshot)
        self._firewall(read, state)
        if snapshot.output(cmd.OS_RELEASE) is None and snapshot.output(cmd.PASSWD) is None:
            facts.missing(HOST, "the snapshot holds no host state (no /etc/os-release, no getent passwd)")
        return facts

    # ---- steps ------------------------------------------------------------------------

    def _os(self, read: _Reader, facts: Facts, state: HostState) -> None:
        release = cmd.os_release(read.text(cmd.OS_RELEASE, None))
        state.os_id = release.get("ID", "")
        state.os_like = tuple(release.get("ID_LIKE", "").split())
        state.os_name = release.get("PRETTY_NAME") or release.get("NAME", "")
        state.os_version = release.get("VERSION_ID", "")
        facts.version = state.os_name or None
        hostname = read.text(cmd.HOSTNAME, None)
        if hostname and hostname.strip():
            facts.hostname = hostname.strip().splitlines()[0]

    def _accounts(self, read: _Reader, state: HostState, defs: dict, defs_text: str | None) -> None:
        passwd_text = read.text(cmd.PASSWD, HOST_ACCOUNTS, required=True)
        if passwd_text is not None and not cmd.passwd_entries(passwd_text):
            read.facts.missing(HOST_ACCOUNTS, f"{cmd.PASSWD}: no account line could be read")
            passwd_text = None
        if passwd_text is None:
            for family in (HOST_AGING, HOST_LOGINS):
                read.facts.missing(family, read.facts.unavailable[HOST_ACCOUNTS])
            return
        group_text = read.text(cmd.GROUP, None)
        shadow_text = read.text(cmd.SHADOW, HOST_AGING, required=True)
        aging = acc.shadow_status(shadow_text, read.ev(cmd.SHADOW)) if shadow_text is not None else {}
        if shadow_text is not None and not aging:
            read.facts.missing(HOST_AGING, "/etc/shadow: no account line could be read")
        if HOST_AGING in read.facts.unavailable and read.snapshot.meta.get("privilege") == "user":
            read.facts.unavailable[HOST_AGING] += (
                "; collected as an ordinary user without sudo: collect as root or allow `sudo -n` for this account"
            )
        lastlog_text = read.text(cmd.LASTLOG, HOST_LOGINS, required=True)
        logins = acc.lastlog(lastlog_text, read.ev(cmd.LASTLOG)) if lastlog_text is not None else None
        state.accounts = acc.build_accounts(
            passwd_text,
            read.ev(cmd.PASSWD),
            cmd.uid_range(defs),
            acc.groups(group_text),
            aging,
            logins,
        )

    def _listeners(self, read: _Reader, state: HostState) -> None:
        text = read.text(cmd.SOCKETS, HOST_LISTENERS, required=True)
        if text is not None:
            state.listeners = system.listeners(text, read.ev(cmd.SOCKETS))

    def _patches(self, read: _Reader, state: HostState, snapshot: Snapshot) -> None:
        manager = cmd.package_manager(cmd.os_release(snapshot.output(cmd.OS_RELEASE)))
        state.install_command = _INSTALL.get(manager, state.install_command)
        state.security_upgrade_command = _SECURITY_UPGRADE.get(manager, "")
        if not manager:
            read.facts.missing(HOST_PACKAGES, f"no package manager known for {state.os_name or 'this distribution'}")
            return
        if manager == "apt":
            text = read.text(cmd.APT, HOST_PACKAGES, required=True)
            if text is not None:
                state.patches = system.apt_updates(text, read.ev(cmd.APT))
        elif manager in ("dnf", "yum"):
            all_cmd, security_cmd = cmd.PACKAGE_COMMANDS[manager]
            all_text = read.text(all_cmd, None)
            if all_text is None or (read._failed(all_cmd) and read.status.get(all_cmd) != 100):
                read.facts.missing(HOST_PACKAGES, f"{all_cmd}: {read._failure(all_cmd) or 'not collected'}")
                return
            security_text = read.text(security_cmd, None)
            if security_text is not None and read._failed(security_cmd):
                security_text = None
            state.patches = system.dnf_updates(
                manager, all_text, security_text, read.ev(all_cmd), read.ev(security_cmd)
            )
        else:
            text = read.text(cmd.ZYPPER_SECURITY, HOST_PACKAGES)
            if text is not None:
                state.patches = system.zypper_updates(text, read.ev(cmd.ZYPPER_SECURITY))

    def _antivirus(self, read: _Reader, state: HostState) -> None:
        clam_text = read.text(cmd.CLAMSCAN, None)
        clamscan = av.clamav_version(clam_text, read.ev(cmd.CLAMSCAN)) if clam_text else None
        processes_text = read.text(cmd.PROCESSES, HOST_ANTIVIRUS, required=True)
        paths_cmd = cmd.antivirus_paths_command()
        paths_text = read.text(paths_cmd, None)
        if processes_text is None:
            return
        state.antivirus_searched = tuple(
            spec.name.split(" (")[0] for spec in cmd.antivirus_products() if spec.processes or spec.paths
        )
        state.antivirus = av.products(
            clamscan,
            av.process_names(processes_text, read.ev(cmd.PROCESSES)),
            av.existing_paths(paths_text or "", read.ev(paths_cmd)),
        )

    def _schedule(self, read: _Reader, state: HostState, snapshot: Snapshot) -> None:
        crontab = read.text(cmd.CRONTAB, None)
        cron_files = read.text(cmd.CRON_FILES, None)
        if crontab is None and cron_files is None:
            read.facts.missing(HOST_SCHEDULE, f"{cmd.CRONTAB}: {snapshot.error_for(cmd.CRONTAB) or 'not readable'}")
        jobs = []
        if crontab:
            jobs += av.cron_jobs("/etc/crontab", crontab, read.ev(cmd.CRONTAB), with_user=True, path_prefixed=False)
        if cron_files:
            jobs += av.cron_jobs("", cron_files, read.ev(cmd.CRON_FILES), with_user=True, path_prefixed=True)
        for timer, unit in cmd.timer_units(read.text(cmd.TIMERS, None)):
            command = cmd.timer_command(timer, unit)
            text = read.text(command, None)
            if text:
                jobs += av.timer_jobs(text, read.ev(command))
        state.jobs = jobs

    def _sshd(self, read: _Reader, state: HostState) -> None:
        effective = read.text(cmd.SSHD_EFFECTIVE, None, required=True)
        if effective is not None and not read._failed(cmd.SSHD_EFFECTIVE):
            state.sshd = system.sshd_effective(effective, read.ev(cmd.SSHD_EFFECTIVE))
            state.sshd_source = cmd.SSHD_EFFECTIVE
            return
        files = read.text(cmd.SSHD_FILES, None, required=True)
        if files is None:
            why = read.snapshot.error_for(cmd.SSHD_EFFECTIVE) or read._failure(cmd.SSHD_EFFECTIVE)
            if not why:
                why = "not in the snapshot" if read.snapshot.output(cmd.SSHD_EFFECTIVE) is None else "empty output"
            read.facts.missing(HOST_SSHD, f"{cmd.SSHD_EFFECTIVE}: {why}; and no sshd_config could be read")
            return
        state.sshd = system.sshd_files(files, read.ev(cmd.SSHD_FILES))
        state.sshd_source = "/etc/ssh/sshd_config"

    def _lockout(self, read: _Reader, state: HostState, snapshot: Snapshot) -> None:
        text = read.text(cmd.AUTH_PAM, HOST_LOCKOUT)
        if text is None:
            return
        policy = lock.lockout(text, read.ev(cmd.AUTH_PAM))
        if policy is None:
            read.facts.missing(HOST_LOCKOUT, f"no PAM auth stack could be read ({', '.join(lock.AUTH_STACKS)})")
            return
        state.lockout = policy
        manager = cmd.package_manager(cmd.os_release(snapshot.output(cmd.OS_RELEASE)))
        state.lockout_enable_command = lock.enable_command(manager, policy.mechanism == "pam_faillock")

    def _firewall(self, read: _Reader, state: HostState) -> None:
        """Every firewall layer the host shows; no verdict when one that exists could not be read."""
        layers: list[fw.Layer] = []
        tools: list[str] = []
        unread: list[str] = []

        def output(command: str) -> str | None:
            text = read.snapshot.output(command)
            status = read.status.get(command)
            if status == 127:
                return None  # not installed
            if text is None or read.snapshot.error_for(command) or (status and command != cmd.FIREWALLD_STATE):
                why = read.snapshot.error_for(command) or read._failure(command) or "not in the snapshot"
                unread.append(f"{command}: {why}")
                return None
            return text

        shown = []
        nft = output(cmd.NFT)
        if nft is not None:
            tools.append("nftables")
            layers += fw.nft_layers(nft, read.ev(cmd.NFT))
            shown.append(fw.empty_output(nft, read.ev(cmd.NFT)))
        for command, family in ((cmd.IPTABLES, "IPv4"), (cmd.IP6TABLES, "IPv6")):
            text = output(command)
            if text is not None:
                if "iptables" not in tools:
                    tools.append("iptables")
                layer = fw.iptables_layer(text, read.ev(command), family)
                if layer is not None:
                    layers.append(layer)
                shown.append(fw.empty_output(text, read.ev(command)))
        firewalld = output(cmd.FIREWALLD_STATE)
        if firewalld is not None:
            tools.append("firewalld")
            zone = read.snapshot.output(cmd.FIREWALLD_ZONE)
            layer = fw.firewalld_layer(firewalld, zone, read.ev(cmd.FIREWALLD_STATE), read.ev(cmd.FIREWALLD_ZONE))
            if layer is not None:
                layers.append(layer)
        found = fw.state(layers, tuple(tools), tuple(shown))
        if unread and not all(s.enabled and s.inbound_blocked for s in found.scopes):
            read.facts.missing(HOST_FIREWALL, "; ".join(unread))
            return
        state.firewall = found
