"""Listening sockets (ss), pending updates (apt, dnf, yum, zypper), remote log targets, sshd settings."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable

from scanner.hostfacts import Listener, LogTarget, PatchState, PendingUpdate, SshdOption
from scanner.model import Evidence

EvidenceMaker = Callable[[int, str], Evidence]

_PROCESS = re.compile(r'users:\(\("([^"]+)"')


def listeners(text: str, ev: EvidenceMaker) -> list[Listener]:
    """``ss -tulpn``: every TCP socket in LISTEN and every bound UDP socket."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if len(fields) < 5 or fields[0] not in ("tcp", "udp"):
            continue
        if fields[0] == "tcp" and fields[1] != "LISTEN":
            continue
        address, _, port = fields[4].rpartition(":")
        if not port.isdigit():
            continue
        address = address.split("%", 1)[0]
        match = _PROCESS.search(line)
        found.append(Listener(fields[0], address, int(port), match.group(1) if match else "", ev(number, line)))  # type: ignore[arg-type]
    return found


def apt_updates(text: str, ev: EvidenceMaker) -> PatchState:
    """``apt-get -s dist-upgrade``: ``Inst pkg [old] (new Origin:release/suite [arch])``."""
    pending = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("Inst "):
            continue
        fields = line.split()
        paren = line[line.find("(") + 1 : line.rfind(")")] if "(" in line else ""
        version = paren.split()[0] if paren else ""
        security = "security" in paren.lower()
        pending.append(PendingUpdate(fields[1], version, security, ev(number, line)))
    return PatchState("apt", tuple(pending))


def _rpm_name(nevra: str) -> str:
    """``openssl-1:3.0.7-25.el9.x86_64`` -> ``openssl``."""
    base = nevra.rsplit(".", 1)[0] if "." in nevra else nevra
    parts = base.rsplit("-", 2)
    return parts[0] if len(parts) == 3 else base


def dnf_updates(
    manager: str, all_text: str | None, security_text: str | None, ev_all: EvidenceMaker, ev_security: EvidenceMaker
) -> PatchState:
    """``dnf check-update`` (``name.arch version repo``) and ``dnf updateinfo list --security``."""
    security_names: dict[str, Evidence] = {}
    if security_text is not None:
        for number, line in enumerate(security_text.splitlines(), 1):
            fields = line.split()
            if len(fields) >= 3 and ("/Sec" in fields[1] or fields[1].lower() == "security"):
                security_names.setdefault(_rpm_name(fields[2]), ev_security(number, line))
    pending = []
    seen = set()
    for number, line in enumerate((all_text or "").splitlines(), 1):
        fields = line.split()
        if len(fields) != 3 or "." not in fields[0] or line.startswith((" ", "Obsoleting", "Last metadata")):
            continue
        name = fields[0].rsplit(".", 1)[0]
        seen.add(name)
        evidence = security_names.get(name) or ev_all(number, line)
        pending.append(PendingUpdate(name, fields[1], name in security_names, evidence))
    for name, evidence in security_names.items():
        if name not in seen:
            pending.append(PendingUpdate(name, "", True, evidence))
    return PatchState(manager, tuple(pending), knows_security=security_text is not None)


def zypper_updates(text: str, ev: EvidenceMaker) -> PatchState:
    """``zypper list-patches --category security``: table rows whose status is ``needed``."""
    pending = []
    for number, line in enumerate(text.splitlines(), 1):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 6 and "needed" in (c.lower() for c in cells):
            pending.append(PendingUpdate(cells[1], "", True, ev(number, line)))
    return PatchState("zypper", tuple(pending))


_RSYSLOG_LEGACY = re.compile(r"^\s*[^\s#]\S*\s+(?:-)?@{1,2}(?:\([^)]*\))?(?P<target>\[[^\]]+\]|[^\s:;]+)")
_RSYSLOG_TARGET = re.compile(r"\btarget\s*=\s*\"(?P<target>[^\"]+)\"", re.I)
_SYSLOG_NG = re.compile(r"\b(?:network|tcp6?|udp6?|syslog)\s*\(\s*\"?(?P<target>[^\"\s()]+)")
_JOURNAL_URL = re.compile(r"^\s*URL\s*=\s*(?P<target>\S+)")


def log_targets(text: str, ev: EvidenceMaker) -> list[LogTarget]:
    """Remote destinations in rsyslog (``@``/``@@``, ``omfwd``), syslog-ng and systemd-journal-upload."""
    found = []
    in_omfwd = in_source = False
    for number, line in enumerate(text.splitlines(), 1):
        path, sep, content = line.partition(":")
        if not sep:
            continue
        body = content.split("#", 1)[0]
        if not body.strip():
            continue
        if "rsyslog" in path:
            if re.search(r"omfwd", body):
                in_omfwd = True
            match = _RSYSLOG_TARGET.search(body) if in_omfwd else None
            if match:
                found.append(LogTarget(match.group("target"), "rsyslog omfwd", ev(number, line)))
                in_omfwd = False
            elif ")" in body:
                in_omfwd = False
            legacy = _RSYSLOG_LEGACY.match(body)
            if legacy and not body.lstrip().startswith(("$", "module", "input", "action", "template")):
                found.append(LogTarget(legacy.group("target").strip("[]"), "rsyslog", ev(number, line)))
        elif "syslog-ng" in path:
            if re.match(r"\s*source\b", body):
                in_source = True
            match = None if in_source else _SYSLOG_NG.search(body)
            if match and match.group("target") not in ("localhost", "127.0.0.1", "::1"):
                found.append(LogTarget(match.group("target"), "syslog-ng", ev(number, line)))
            if "};" in body:
                in_source = False
        elif "journal-upload" in path:
            match = _JOURNAL_URL.match(body)
            if match:
                found.append(LogTarget(match.group("target"), "systemd-journal-upload", ev(number, line)))
    return found


def sshd_effective(text: str, ev: EvidenceMaker) -> dict[str, SshdOption]:
    """``sshd -T``: one ``keyword value`` per line, keywords in lower case."""
    options: dict[str, SshdOption] = {}
    for number, line in enumerate(text.splitlines(), 1):
        key, _, value = line.strip().partition(" ")
        if key and key.isalnum():
            options.setdefault(key.lower(), SshdOption(value.strip(), ev(number, line)))
    return options


def sshd_files(text: str, ev: EvidenceMaker) -> dict[str, SshdOption]:
    """sshd_config and its Include files as sshd reads them.

    The first value of a keyword wins; a Match block ends the global section.
    """
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        path, sep, content = line.partition(":")
        if sep and path.startswith("/"):
            by_file.setdefault(path, []).append((number, content, line))
    options: dict[str, SshdOption] = {}
    visited: set[str] = set()

    def walk(path: str) -> bool:
        """Apply a file's settings; False once a Match block starts (the rest is conditional)."""
        visited.add(path)
        for number, content, line in by_file.get(path, []):
            body = content.split("#", 1)[0].strip()
            if not body:
                continue
            key, _, value = body.replace("=", " ", 1).partition(" ")
            key = key.lower()
            value = value.strip()
            if key == "match":
                return False
            if key == "include":
                for pattern in value.split():
                    pattern = pattern if pattern.startswith("/") else f"/etc/ssh/{pattern}"
                    for included in sorted(p for p in by_file if fnmatch.fnmatch(p, pattern) and p not in visited):
                        if not walk(included):
                            return False
                continue
            options.setdefault(key, SshdOption(value, ev(number, line)))
        return True

    if "/etc/ssh/sshd_config" in by_file:
        walk("/etc/ssh/sshd_config")
    for path in by_file:
        if path not in visited:
            walk(path)
    return options
