"""A real Linux host for tests: real sshd, arranged state, inside namespaces the test creates.

The machine itself is never changed. ``unshare --mount --net`` gives a process its own
mount and network namespaces; there /etc and /var are overlaid (tmpfs upper layers)
so the host's accounts, password rules, apt lists, ClamAV database, crontabs and
lastlog can be written freely, /run is a fresh tmpfs (sshd's privilege-separation
folder, sudo's timestamps), loopback is brought up and arranged listeners (a
"telnet" on 23, an "ftp" on 2121...) are started. The test reaches the host on a free
127.0.0.1 port of the machine's own namespace: each connection there is handed, as
its stdin/stdout, to a new ``sshd -i`` (OpenSSH's inetd mode) entered into the
namespaces with ``nsenter``, so every session runs real sshd and real commands
against the arranged state. Everything stops with :meth:`LinuxTestHost.stop`.

Needs root, util-linux (unshare, nsenter), iproute2, openssh-server, sudo; the
``skip_reason()`` says what is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SSHD = "/usr/sbin/sshd"
LOGIN_USER = "auditor"
LOGIN_PASSWORD = "Aud1tor-Pass-7391"
_LASTLOG_RECORD = struct.Struct("=i32s256s")


def skip_reason() -> str | None:
    """Why a namespaced test host cannot run here, or None."""
    if sys.platform != "linux":
        return "needs Linux namespaces"
    if os.geteuid() != 0:
        return "needs root (mount and network namespaces, sshd -i)"
    for tool, package in (
        ("unshare", "util-linux"),
        ("nsenter", "util-linux"),
        ("ip", "iproute2"),
        (SSHD, "openssh-server"),
        ("ssh-keygen", "openssh-client"),
        ("openssl", "openssl"),
        ("sudo", "sudo"),
        ("clamscan", "clamav"),
        ("nft", "nftables"),
        ("apt-get", "apt"),
        ("dpkg-query", "dpkg"),
    ):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian package {package}; see tools/system-packages.txt)"
    probe = subprocess.run(["unshare", "--mount", "--net", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"cannot create mount and network namespaces here: {probe.stderr.strip()}"
    return None


def _days(when: datetime) -> int:
    return (when - datetime(1970, 1, 1, tzinfo=UTC)).days


def _hash(password: str) -> str:
    """A SHA-512 crypt hash, as passwd writes it (openssl: the crypt module leaves Python in 3.13)."""
    result = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@dataclass
class Account:
    name: str
    uid: int
    shell: str = "/bin/bash"
    groups: tuple[str, ...] = ()
    # "hash" (a real SHA-512 hash of ``password``), "" (empty), "!" or "*" (locked).
    password: str = "hash"
    clear_password: str = "Unused-Passw0rd-1"
    changed_days_ago: int = 10
    max_days: int = 180
    last_login_days_ago: int | None = 1
    expired: bool = False


@dataclass
class Listener:
    protocol: str
    address: str
    port: int
    process: str


@dataclass
class HostProfile:
    """Everything arranged on a test host; dates are relative to now, so tests never age."""

    name: str
    accounts: list[Account]
    login_defs: str
    common_password: str
    pwquality: str | None = None
    sshd_config: str = ""
    rsyslog: str | None = None
    clamav_days_old: int | None = 1
    cron_d: dict[str, str] = field(default_factory=dict)
    listeners: list[Listener] = field(default_factory=list)
    # Packages for which the arranged security archive offers a newer version.
    security_updates: tuple[str, ...] = ()
    # A hash left in /etc/passwd's password field of this account (a secret to mask).
    passwd_field_hash: str | None = None
    # /etc/pam.d/common-auth (account lockout: pam_faillock or not) and faillock.conf's settings.
    common_auth: str = ""
    faillock_conf: str | None = None
    # An nftables ruleset loaded in the host's network namespace (None: no firewall rules at all).
    nft_ruleset: str | None = None


def _system_accounts() -> list[str]:
    return [
        "root:x:0:0:root:/root:/bin/bash",
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
        "bin:x:2:2:bin:/bin:/usr/sbin/nologin",
        "sys:x:3:3:sys:/dev:/usr/sbin/nologin",
        "sync:x:4:65534:sync:/bin:/bin/sync",
        "sshd:x:102:65534::/run/sshd:/usr/sbin/nologin",
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
    ]


class LinuxTestHost:
    """One arranged host; ``port`` is where its sshd answers on 127.0.0.1 (more ports with ``extra_ports``)."""

    def __init__(self, profile: HostProfile, workdir: Path, extra_ports: int = 0) -> None:
        self.profile = profile
        self.dir = workdir
        self.extra_ports = extra_ports
        self.ports: list[int] = []
        self.client_key = workdir / "client_key"
        self.host_key = workdir / "ssh_host_ed25519_key"
        self._holder: subprocess.Popen[bytes] | None = None
        self._servers: list[socket.socket] = []
        self._children: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return self.ports[0]

    def known_hosts_line(self, port: int | None = None) -> str:
        key = (self.dir / "ssh_host_ed25519_key.pub").read_text().split()
        return f"[127.0.0.1]:{port or self.port} {key[0]} {key[1]}\n"

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> LinuxTestHost:
        self.dir.mkdir(parents=True, exist_ok=True)
        for key in (self.host_key, self.client_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        stage = self.dir / "stage"
        self._stage(stage)
        (self.dir / "ovl").mkdir()
        ready = self.dir / "ready"
        script = self.dir / "setup.sh"
        script.write_text(self._setup_script(stage, ready))
        log = (self.dir / "setup.log").open("wb")
        self._holder = subprocess.Popen(
            ["unshare", "--mount", "--net", "--uts", "--propagation", "private", "sh", str(script)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not ready.exists():
            if self._holder.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"test host setup failed:\n{(self.dir / 'setup.log').read_text()}")
            time.sleep(0.05)
        for _ in range(1 + self.extra_ports):
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", 0))
            server.listen(64)
            self._servers.append(server)
            self.ports.append(server.getsockname()[1])
            thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()
        for server in self._servers:
            # close() alone does not wake a thread blocked in accept(); shutdown() does (EINVAL).
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                server.close()
        with self._lock:
            children = list(self._children)
        for child in children:
            if child.poll() is None:
                child.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=5)
        if self._holder is not None and self._holder.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._holder.pid, 9)
            self._holder.wait(timeout=10)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> LinuxTestHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, server: socket.socket) -> None:
        assert self._holder is not None
        command = [
            "nsenter", "-t", str(self._holder.pid), "-m", "-n", "-u",
            SSHD, "-i", "-f", str(self.dir / "sshd_serve.conf"), "-E", str(self.dir / "sshd.log"),
        ]  # fmt: skip
        while not self._stopping.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                child = subprocess.Popen(command, stdin=conn.fileno(), stdout=conn.fileno(), stderr=subprocess.DEVNULL)
            with self._lock:
                self._children = [c for c in self._children if c.poll() is None]
                self._children.append(child)

    def reap(self) -> None:
        """Wait for every finished sshd session (their CPU time then counts as this process's children's)."""
        time.sleep(0.3)
        with self._lock:
            children = list(self._children)
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=10)

    def popen_inside(self, *argv: str) -> subprocess.Popen[bytes]:
        """Start a long-running process on the arranged host (a daemon for a tool to find); the caller stops it."""
        assert self._holder is not None
        return subprocess.Popen(
            ["nsenter", "-t", str(self._holder.pid), "-m", "-n", "-u", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def run_inside(self, *argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a command on the arranged host (its namespaces), as root; for tools like Lynis."""
        assert self._holder is not None
        return subprocess.run(
            ["nsenter", "-t", str(self._holder.pid), "-m", "-n", "-u", *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    # ---- the arranged state -----------------------------------------------------------

    def _stage(self, stage: Path) -> None:
        """The files to write over /etc and /var inside the namespace, as a tree under ``stage``."""
        p = self.profile
        now = datetime.now(UTC)
        files: dict[str, str | bytes] = {}
        passwd = _system_accounts()
        shadow = [
            f"root:{_hash('Root-Passw0rd-93') if p.name.endswith('violating') else '!'}:{_days(now) - 30}:0:99999:7:::",
            "daemon:*:19000:0:99999:7:::",
            "bin:*:19000:0:99999:7:::",
            "sys:*:19000:0:99999:7:::",
            "sync:*:19000:0:99999:7:::",
            "sshd:*:19000:0:99999:7:::",
            "nobody:*:19000:0:99999:7:::",
        ]
        groups: dict[str, list[str]] = {"root": [], "sudo": [], "users": [], "nogroup": []}
        gids = {"root": 0, "sudo": 27, "users": 100, "nogroup": 65534}
        homes: list[tuple[str, int]] = []
        for account in [Account(LOGIN_USER, 1000, "/bin/sh", max_days=180), *p.accounts]:
            homes.append((account.name, account.uid))
            field2 = "x"
            if account.name == LOGIN_USER:
                secret = _hash(LOGIN_PASSWORD)
            elif account.password == "hash":
                secret = _hash(account.clear_password)
            else:
                secret = account.password
            if p.passwd_field_hash and account.name == "legacy":
                field2 = p.passwd_field_hash
            passwd.append(f"{account.name}:{field2}:{account.uid}:{account.uid}::/home/{account.name}:{account.shell}")
            expire = str(_days(now) - 1) if account.expired else ""
            changed = _days(now - timedelta(days=account.changed_days_ago))
            shadow.append(f"{account.name}:{secret}:{changed}:0:{account.max_days}:7::{expire}:")
            groups[account.name] = []
            gids[account.name] = account.uid
            for group in account.groups:
                groups[group].append(account.name)
        files["etc/passwd"] = "\n".join(passwd) + "\n"
        files["etc/shadow"] = "\n".join(shadow) + "\n"
        files["etc/group"] = "".join(f"{g}:x:{gids[g]}:{','.join(m)}\n" for g, m in groups.items())
        files["etc/hosts"] = f"127.0.0.1\tlocalhost\n127.0.1.1\t{p.name}\n"
        files["etc/login.defs"] = p.login_defs
        files["etc/pam.d/common-password"] = p.common_password
        files["etc/pam.d/common-auth"] = p.common_auth or DEBIAN_COMMON_AUTH
        if p.faillock_conf is not None:
            files["etc/security/faillock.conf"] = p.faillock_conf
        if p.pwquality is not None:
            files["etc/security/pwquality.conf"] = p.pwquality
        files["etc/ssh/sshd_config"] = p.sshd_config + f"HostKey {self.host_key}\n"
        files[f"etc/sudoers.d/{LOGIN_USER}"] = f"{LOGIN_USER} ALL=(root) NOPASSWD: ALL\n"
        if p.rsyslog is not None:
            files["etc/rsyslog.d/90-remote.conf"] = p.rsyslog
        for name, text in p.cron_d.items():
            files[f"etc/cron.d/{name}"] = text
        files["etc/crontab"] = (
            "SHELL=/bin/sh\n"
            "17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n"
            "25 6\t* * *\troot\ttest -x /usr/sbin/anacron || run-parts --report /etc/cron.daily\n"
        )
        files["var/log/lastlog"] = self._lastlog(now)
        if p.clamav_days_old is not None:
            built = now - timedelta(days=p.clamav_days_old)
            stamp = built.strftime("%d %b %Y %H-%M +0000")
            header = f"ClamAV-VDB:{stamp}:27154:2063954:90:{'0' * 32}:X:netcomply-test:{int(built.timestamp())}"
            files["var/lib/clamav/daily.cvd"] = header.encode().ljust(512, b" ")
        self._apt(files)
        for relative, content in files.items():
            target = stage / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
        (stage / "etc/shadow").chmod(0o640)
        (stage / f"etc/sudoers.d/{LOGIN_USER}").chmod(0o440)
        for name, uid in homes:
            (stage / "home" / name).mkdir(parents=True)
            os.chown(stage / "home" / name, uid, uid)
        keys = stage / "etc/ssh/authorized_keys"
        keys.mkdir(parents=True)
        (keys / LOGIN_USER).write_text((self.dir / "client_key.pub").read_text())
        keys = Path("/etc/ssh/authorized_keys")
        (self.dir / "sshd_serve.conf").write_text(
            textwrap.dedent(f"""\
                HostKey {self.host_key}
                AuthorizedKeysFile {keys}/%u
                PubkeyAuthentication yes
                PasswordAuthentication yes
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                PermitRootLogin no
                LogLevel ERROR
                """)
        )

    def _lastlog(self, now: datetime) -> bytes:
        records: dict[int, bytes] = {}
        for account in self.profile.accounts:
            if account.last_login_days_ago is not None:
                when = int((now - timedelta(days=account.last_login_days_ago)).timestamp())
                records[account.uid] = _LASTLOG_RECORD.pack(when, b"pts/0", b"10.10.99.200")
        if not records:
            return b""
        size = _LASTLOG_RECORD.size
        data = bytearray(size * (max(records) + 1))
        for uid, record in records.items():
            data[uid * size : (uid + 1) * size] = record
        return bytes(data)

    def _apt(self, files: dict[str, str | bytes]) -> None:
        """One trusted security archive in the apt lists, offering newer versions of ``security_updates``."""
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout
        arch = arch.strip()
        files["etc/apt/sources.list.d/security.list"] = (
            "deb [trusted=yes] http://security.invalid/debian-security bookworm-security main\n"
        )
        prefix = "var/lib/apt/lists/security.invalid_debian-security_dists_bookworm-security"
        files[f"{prefix}_Release"] = textwrap.dedent(f"""\
            Origin: Debian
            Label: Debian-Security
            Suite: stable-security
            Version: 12
            Codename: bookworm-security
            Date: Mon, 15 Jan 2024 00:00:00 UTC
            Architectures: {arch}
            Components: main
            """)
        stanzas = []
        for package in self.profile.security_updates:
            version = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Version} ${Architecture}", package], capture_output=True, text=True
            ).stdout.split()
            if len(version) != 2:
                continue
            stanzas.append(
                f"Package: {package}\nVersion: {version[0]}+netcomply1\nArchitecture: {version[1]}\n"
                f"Maintainer: netcomply tests <tests@invalid>\nInstalled-Size: 1\n"
                f"Filename: pool/{package}_{version[0]}+netcomply1_{version[1]}.deb\nSize: 1\nDescription: test\n"
            )
        files[f"{prefix}_main_binary-{arch}_Packages"] = "\n".join(stanzas)

    def _setup_script(self, stage: Path, ready: Path) -> str:
        ovl = self.dir / "ovl"
        starts = []
        for listener in self.profile.listeners:
            kind = "SOCK_STREAM" if listener.protocol == "tcp" else "SOCK_DGRAM"
            code = (
                "import ctypes,socket,time;"
                f"ctypes.CDLL(None).prctl(15, {listener.process.encode()!r}, 0, 0, 0);"
                f"s=socket.socket(socket.AF_INET, socket.{kind});"
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);"
                f"s.bind(({listener.address!r}, {listener.port}));"
                + ("s.listen(8);" if listener.protocol == "tcp" else "")
                + "time.sleep(86400)"
            )
            starts.append(f"{sys.executable} -c {_quote(code)} &")
        firewall = ""
        if self.profile.nft_ruleset is not None:
            (self.dir / "ruleset.nft").write_text(self.profile.nft_ruleset)
            firewall = f"nft -f {self.dir / 'ruleset.nft'}"
        listen_wait = " && ".join(
            f"ss -H -ln{'t' if x.protocol == 'tcp' else 'u'} 'sport = :{x.port}' | grep -q ."
            for x in self.profile.listeners
        )
        return textwrap.dedent(f"""\
            set -e
            mount -t tmpfs tmpfs {ovl}
            for d in etc var home; do
                mkdir -p {ovl}/$d-upper {ovl}/$d-work
                mount -t overlay overlay -o lowerdir=/$d,upperdir={ovl}/$d-upper,workdir={ovl}/$d-work /$d
            done
            mount -t tmpfs -o mode=755 tmpfs /run
            # Some containers have a plain file at /dev/null; a real host has the device.
            if [ ! -c /dev/null ]; then mknod -m 666 {ovl}/null c 1 3 && mount --bind {ovl}/null /dev/null; fi
            mkdir -p /run/sshd
            rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*
            rm -rf /var/lib/apt/lists/* /etc/cron.d/* /etc/rsyslog.d/* /var/spool/cron/crontabs/* /var/lib/clamav/*
            rm -rf /etc/ssh/sshd_config.d/*
            cp -a {stage}/. /
            chown root:shadow /etc/shadow 2>/dev/null || true
            ip link set lo up
            {firewall}
            hostname {self.profile.name}
            # The PAM module files a host with libpam-pwquality has (Lynis looks for them).
            for lib in /usr/lib/*-linux-gnu/security; do
                [ -d "$lib" ] || continue
                mkdir -p {ovl}/pamlib && cp -a "$lib"/. {ovl}/pamlib/ && touch {ovl}/pamlib/pam_pwquality.so
                mount --bind {ovl}/pamlib "$lib"
            done
            # Products are detected by their folders: the machine's own /opt is hidden.
            if [ -d /opt ]; then mount -t tmpfs tmpfs /opt; fi
            {chr(10).join(starts)}
            for i in $(seq 100); do {listen_wait or "true"} && break; sleep 0.05; done
            touch {ready}
            exec sleep 86400
            """)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def write_inventory(folder: Path, entries: list[tuple[str, int]], zone: str = "internal") -> Path:
    """A Nornir inventory of Linux servers on 127.0.0.1 (name, port), the collection user set; no password in it."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    hosts = {
        name: {
            "hostname": "127.0.0.1",
            "port": port,
            "username": LOGIN_USER,
            "platform": "linux",
            "data": {"role": "server", "zone": zone, "site": "hq"},
        }
        for name, port in entries
    }
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    return folder


# ---- the two hosts the tests use ------------------------------------------------------

DEBIAN_COMMON_AUTH = (
    "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
    "auth\trequisite\t\t\tpam_deny.so\n"
    "auth\trequired\t\t\tpam_permit.so\n"
)
# pam_faillock as faillock(8) lays it out on Debian: preauth before pam_unix, authfail and authsucc after.
FAILLOCK_COMMON_AUTH = (
    "auth\trequired\t\t\tpam_faillock.so preauth\n"
    "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
    "auth\t[default=die]\t\t\tpam_faillock.so authfail\n"
    "auth\tsufficient\t\t\tpam_faillock.so authsucc\n"
    "auth\trequisite\t\t\tpam_deny.so\n"
    "auth\trequired\t\t\tpam_permit.so\n"
)
DROP_INBOUND_RULESET = textwrap.dedent("""\
    table inet filter {
        chain input {
            type filter hook input priority filter; policy drop;
            ct state established,related accept
            iif "lo" accept
            tcp dport 22 accept
            tcp dport 8443 accept
        }
    }
    """)

DEBIAN_LOGIN_DEFS = textwrap.dedent("""\
    MAIL_DIR        /var/mail
    FAILLOG_ENAB    yes
    PASS_MAX_DAYS   {max_days}
    PASS_MIN_DAYS   0
    PASS_WARN_AGE   7
    {min_len}UID_MIN   1000
    UID_MAX   60000
    GID_MIN   1000
    GID_MAX   60000
    ENCRYPT_METHOD SHA512
    """)


def compliant_profile() -> HostProfile:
    return HostProfile(
        name="linux-compliant",
        accounts=[
            Account("alice", 1001, groups=("sudo",), changed_days_ago=20, last_login_days_ago=2),
            Account("bob", 1002, changed_days_ago=60, last_login_days_ago=10),
            Account("svc-backup", 1003, shell="/usr/sbin/nologin", password="!", last_login_days_ago=None),
        ],
        login_defs=DEBIAN_LOGIN_DEFS.format(max_days=180, min_len=""),
        common_password=(
            "password\trequisite\t\t\tpam_pwquality.so retry=3\n"
            "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n"
            "password\trequisite\t\t\tpam_deny.so\n"
            "password\trequired\t\t\tpam_permit.so\n"
        ),
        pwquality="# netcomply test host\nminlen = 12\ndcredit = -1\nucredit = 0\n",
        sshd_config="Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication yes\n",
        rsyslog="*.* @@10.20.99.50:514\n",
        clamav_days_old=1,
        cron_d={"clamscan-weekly": "30 2 * * 0 root clamscan -r -i --exclude-dir=^/proc /\n"},
        listeners=[Listener("tcp", "0.0.0.0", 8443, "nginx"), Listener("tcp", "127.0.0.1", 80, "gunicorn")],
        common_auth=FAILLOCK_COMMON_AUTH,
        faillock_conf="# netcomply test host\ndeny = 5\nunlock_time = 900\n",
        nft_ruleset=DROP_INBOUND_RULESET,
    )


def violating_profile() -> HostProfile:
    return HostProfile(
        name="linux-violating",
        accounts=[
            Account("alice", 1001, groups=("sudo",), changed_days_ago=400, max_days=99999, last_login_days_ago=3),
            Account("carol", 1002, changed_days_ago=500, last_login_days_ago=400),
            Account("dave", 1003, password="", changed_days_ago=5, last_login_days_ago=1),
            Account("legacy", 1004, changed_days_ago=30, last_login_days_ago=5),
        ],
        login_defs=DEBIAN_LOGIN_DEFS.format(max_days=99999, min_len="PASS_MIN_LEN    12\n"),
        common_password=(
            "password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=6\n"
            "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt\n"
            "password\trequisite\t\t\tpam_deny.so\n"
            "password\trequired\t\t\tpam_permit.so\n"
        ),
        sshd_config="PermitRootLogin yes\nPermitEmptyPasswords yes\n",
        rsyslog=None,
        clamav_days_old=30,
        listeners=[Listener("tcp", "0.0.0.0", 23, "inetd"), Listener("tcp", "0.0.0.0", 2121, "vsftpd")],
        security_updates=("bash", "sudo"),
        common_auth=DEBIAN_COMMON_AUTH,
        faillock_conf="# netcomply test host: a lockout too lax to stop guessing\ndeny = 20\n",
        passwd_field_hash="$6$legacysalt$Q9vXw1e0T2s3LegacyHashValue4u5v6w7x8y9z0AbCdEfGhIjKlMnOpQrStUv",
    )
