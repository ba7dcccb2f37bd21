"""The README's crontab line and systemd service+timer: valid syntax, and a netcomply command line that parses."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from scanner.cli import main
from tests.conftest import ROOT

README = ROOT / "README.md"
_EXAMPLE = re.compile(r"<!-- example: (?P<name>[\w.-]+) -->\n```\w*\n(?P<body>.*?)```", re.S)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_CRON_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(_MONTHS)}),
    ("day of week", 0, 7, {d: i for i, d in enumerate(_DAYS)}),
)


def examples() -> dict[str, str]:
    return {m["name"]: m["body"] for m in _EXAMPLE.finditer(README.read_text(encoding="utf-8"))}


def _cron_value(text: str, low: int, high: int, names: dict[str, int], what: str) -> int:
    value = names.get(text.lower()) if not text.isdigit() else int(text)
    if value is None or not low <= value <= high:
        raise ValueError(f"{what}: {text!r} is not in {low}-{high}")
    return value


def parse_crontab_line(line: str) -> tuple[list[str], str]:
    """A crontab(5) entry: five time fields (lists, ranges, steps, names) and a command; raises ValueError."""
    parts = line.split(None, 5)
    if len(parts) < 6:
        raise ValueError("a crontab entry needs five time fields and a command")
    for field, (what, low, high, names) in zip(parts[:5], _CRON_FIELDS, strict=True):
        for item in field.split(","):
            spec, _, step = item.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                raise ValueError(f"{what}: bad step {step!r}")
            if spec == "*":
                continue
            first, _, last = spec.partition("-")
            start = _cron_value(first, low, high, names, what)
            if last and _cron_value(last, low, high, names, what) < start:
                raise ValueError(f"{what}: range {spec!r} runs backwards")
    if "%" in parts[5].replace("\\%", ""):
        raise ValueError("an unescaped % in a crontab command starts its standard input")
    return parts[:5], parts[5]


def netcomply_args(command: str) -> list[str]:
    """The arguments after `netcomply` in a shell command line."""
    for segment in re.split(r"&&|;", command):
        words = shlex.split(segment)
        for i, word in enumerate(words):
            if word == "netcomply" or word.endswith("/bin/netcomply"):
                return words[i + 1 :]
    raise AssertionError(f"no netcomply command in {command!r}")


def assert_netcomply_parses(args: list[str]) -> None:
    name, *rest = args
    with click.Context(main) as parent:
        command = main.get_command(parent, name)
        assert command is not None, f"netcomply has no subcommand {name!r}"
        command.make_context(name, list(rest), parent=parent)  # raises on an unknown option or a bad value


def test_the_parser_rejects_bad_crontab_lines() -> None:
    for bad in ("61 2 * * * true", "15 2 * * true", "15 2 * 13 * true", "*/0 * * * * true", "5 4 * * * date +%d"):
        with pytest.raises(ValueError):
            parse_crontab_line(bad)
    assert parse_crontab_line("*/15 1-5 * jan-mar mon,fri echo ok")[1] == "echo ok"


def test_the_readme_crontab_line_is_valid_and_its_scan_command_parses() -> None:
    lines = [ln for ln in examples()["crontab"].splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 1
    _fields, command = parse_crontab_line(lines[0])
    args = netcomply_args(command)
    assert args[0] == "scan" and "-q" in args and "--on-change" in args
    assert_netcomply_parses(args)


INSTALLED = "/opt/netcomply/bin/netcomply"


def test_the_scheduled_examples_use_the_path_the_readme_installs_to() -> None:
    """The README installs netcomply into /opt/netcomply; cron and systemd run that program, not a guess."""
    text = README.read_text(encoding="utf-8")
    assert "python3 -m venv /opt/netcomply && /opt/netcomply/bin/pip install ." in text
    found = examples()
    cron = next(ln for ln in found["crontab"].splitlines() if ln.strip() and not ln.startswith("#"))
    assert f" {INSTALLED} scan " in cron
    exec_start = next(ln for ln in found["netcomply-scan.service"].splitlines() if ln.startswith("ExecStart="))
    assert exec_start.startswith(f"ExecStart={INSTALLED} scan ")


def _commands_named(text: str) -> set[tuple[str, ...]]:
    """Every `netcomply WORD [WORD]` in the README's code: fenced blocks and inline code spans."""
    code = re.findall(r"```[^\n]*\n(.*?)```", text, re.S)
    code += re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    named = set()
    for block in code:
        block = re.sub(r"^Description=.*$", "", block, flags=re.M)  # unit descriptions are prose
        for words in re.findall(r"(?:^|[\s/])netcomply((?: [a-z][a-z-]*){1,2})", block, re.M):
            named.add(tuple(words.split()))
    return named


def test_every_netcomply_command_the_readme_names_exists() -> None:
    """No `netcomply snmp probe`: each subcommand (and sub-subcommand of a group) the README names is real."""
    missing = []
    named = _commands_named(README.read_text(encoding="utf-8"))
    assert ("scan",) in named or any(w[0] == "scan" for w in named)
    with click.Context(main) as parent:
        for words in sorted(named):
            command = main.get_command(parent, words[0])
            unknown_sub = isinstance(command, click.Group) and len(words) > 1 and words[1] not in command.commands
            if command is None or unknown_sub:
                missing.append(" ".join(words))
    assert missing == []
    assert _commands_named("`netcomply snmp probe`") == {("snmp", "probe")}, "the finder finds inline code"


def test_the_readme_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd; tools/system-packages.txt)")
    found = examples()
    netcomply = Path(sys.executable).with_name("netcomply")
    assert netcomply.exists(), "the venv's netcomply entry point"
    service = found["netcomply-scan.service"]
    exec_start = next(ln for ln in service.splitlines() if ln.startswith("ExecStart="))
    args = netcomply_args(exec_start.removeprefix("ExecStart="))
    assert_netcomply_parses(args)
    (tmp_path / "netcomply-scan.service").write_text(service.replace(INSTALLED, str(netcomply)))
    (tmp_path / "netcomply-scan.timer").write_text(found["netcomply-scan.timer"])
    proc = subprocess.run(
        [analyze, "verify", "--man=no", "netcomply-scan.service", "netcomply-scan.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    ours = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "netcomply-scan" in ln]
    assert ours == [], ours


def test_systemd_analyze_catches_a_broken_timer(tmp_path: Path) -> None:
    """The verification above can fail: a bad calendar spec is refused."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd; tools/system-packages.txt)")
    timer = examples()["netcomply-scan.timer"].replace("02:15:00", "25:15:00")
    (tmp_path / "netcomply-scan.timer").write_text(timer)
    proc = subprocess.run(
        [analyze, "verify", "--man=no", "netcomply-scan.timer"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode != 0 or "Failed to parse" in proc.stderr


def test_the_readme_images_exist() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert "docs/audit-form-zh.png" in images
    for image in images:
        assert (ROOT / image).is_file(), image
        assert (ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
