"""The Windows collection PowerShell: the offline script and the live command lines, checked for syntax and structure.

PowerShell itself cannot be installed here: Debian's repositories and PyPI do not carry
it, and Microsoft's package repository is outside the network this project may use. So
the syntax is checked two ways: by PowerShell's own parser where a ``pwsh`` is on the
PATH (a developer's machine with PowerShell 7; the test skips and says so otherwise),
and always by the tree-sitter PowerShell grammar (tree-sitter-powershell, a test
dependency): a grammar, not PowerShell's parser, but it finds an unclosed brace, a broken
string or a stray token. The structure is checked directly: every source is written by
its own body, the script is ASCII, and it does nothing but read (its only writes are its
own output files and secedit's temporary export, which it deletes).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.platforms._windows import script as offline
from scanner.platforms._windows.sources import (
    MAX_COMMAND_LINE,
    POWERSHELL,
    SOURCES,
    compact,
    decode_command,
    live_command,
    live_script,
    source_of_script,
)
from scanner.snapshot import discover
from tests.ci_skips import allow_skip_in_ci
from tests.conftest import ROOT, run_cli

PWSH = shutil.which("pwsh") or shutil.which("powershell")
NO_PWSH = (
    "PowerShell (pwsh) is not installed: it is in neither Debian's repositories nor PyPI, and Microsoft's "
    "package repository is outside this project's network; the tree-sitter grammar check stands in"
)


@pytest.fixture(scope="module")
def text() -> str:
    """What `netcomply hosts windows-script` prints, byte for byte."""
    result = subprocess.run(
        [sys.executable, "-m", "scanner", "hosts", "windows-script"], cwd=ROOT, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("ascii")


def grammar_errors(source: str) -> list[str]:
    tsp = pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell is a test dependency ([test])")
    from tree_sitter import Language, Parser

    tree = Parser(Language(tsp.language())).parse(source.encode("utf-8"))
    found: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if node.type == "ERROR" or node.is_missing:
            found.append(f"line {node.start_point[0] + 1}: {node.text[:80]!r}")
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return found


def test_the_grammar_check_can_fail() -> None:
    assert grammar_errors("function Save-Source { param([string]$File) if ($File { 'x' }\n")
    assert grammar_errors("$x = @('a', 'b'\n")


def test_the_script_parses_under_the_powershell_grammar(text: str) -> None:
    assert grammar_errors(text) == []


@pytest.mark.parametrize("item", SOURCES, ids=lambda s: s.file)
def test_each_live_script_parses_under_the_powershell_grammar(item) -> None:  # type: ignore[no-untyped-def]
    assert grammar_errors(live_script(item, {"update_cab": "D:\\it's here\\wsusscn2.cab"})) == []


def test_the_script_parses_under_powershell_itself(text: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if PWSH is None:
        # No registry CI may use carries PowerShell, so CI cannot install it: an expected skip there too.
        allow_skip_in_ci(request.node, "PowerShell is in no registry this project may install from")
        pytest.skip(NO_PWSH)
    path = tmp_path / "netcomply-windows.ps1"
    path.write_text(text, encoding="ascii")
    check = (
        "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile("
        f"'{path}', [ref]$null, [ref]$e); $e | ForEach-Object {{ $_.ToString() }}; exit $e.Count"
    )
    result = subprocess.run([PWSH, "-NoProfile", "-NonInteractive", "-Command", check], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_script_is_ascii_with_windows_line_ends(text: str) -> None:
    assert text.isascii()
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")


def test_every_source_is_saved_by_its_own_body(text: str) -> None:
    saved = re.findall(r"^Save-Source '([a-z_]+\.(?:json|inf))' \{", text, re.M)
    assert saved == [s.file for s in SOURCES]
    flat = compact(text.replace("\r\n", "\n"))
    for item in SOURCES:
        assert compact(item.body) in flat, item.file


def test_the_script_takes_the_documented_parameters(text: str) -> None:
    param = text[text.index("param(") : text.index(")\r\n\r\n$ErrorActionPreference")]
    for name in ("$OutputFolder", "$HostName", "$UpdateCab", "[switch]$SkipUpdateSearch", "[switch]$Force"):
        assert name in param
    for name in ("OutputFolder", "HostName", "UpdateCab", "SkipUpdateSearch", "Force"):
        assert f".PARAMETER {name}" in text


# Cmdlets and programs that change a host; the script may use none of them except as listed.
_CHANGES = re.compile(
    r"\b(Set-(?!StrictMode)\w+|Remove-\w+|New-Item|Stop-\w+|Start-\w+|Restart-\w+|Install-\w+|Uninstall-\w+"
    r"|Enable-\w+|Disable-\w+|Add-\w+|Clear-\w+|Update-\w+|Invoke-(?:WebRequest|RestMethod|Expression)"
    r"|reg(?:\.exe)? (?:add|delete)|net(?:\.exe)? (?:user|accounts|localgroup) \S+ /|Out-File|WriteAllText"
    r"|/configure|AddScanPackageService|RemoveService)\b",
    re.I,
)
_ALLOWED = {
    "New-Item -ItemType Directory -Path $HostFolder -Force | Out-Null",  # the output folder
    "Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue",  # its own output file, before rewriting
    "[IO.File]::WriteAllText($path, $text, $Unicode)",  # its own output files
    '[IO.File]::WriteAllText((Join-Path $HostFolder \'meta.yaml\'), (($lines -join "`n") + "`n"), $utf8)',
    "Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue",  # secedit's temporary export
    "$service = $manager.AddScanPackageService('netcomply offline catalogue', $cab, 1)",  # undone below
    "if ($service) { $manager.RemoveService($service.ServiceID) }",
}


def test_the_script_only_reads(text: str) -> None:
    body = text[text.index("#>") :]
    changing = [line.strip() for line in body.splitlines() if _CHANGES.search(line)]
    assert changing and set(changing) <= _ALLOWED, set(changing) - _ALLOWED


def test_the_only_native_program_is_secedit_export(text: str) -> None:
    assert "secedit.exe /export /cfg $file /areas SECURITYPOLICY /quiet" in text
    assert "/configure" not in text and "/import" not in text


def test_output_file_option_writes_the_same_script(text: str, tmp_path: Path) -> None:
    target = tmp_path / "netcomply-windows.ps1"
    result = run_cli("hosts", "windows-script", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == text.encode("ascii")
    assert offline.render() == text


@pytest.mark.parametrize("item", SOURCES, ids=lambda s: s.file)
def test_live_command_lines_fit_cmd_exe_and_carry_the_body(item) -> None:  # type: ignore[no-untyped-def]
    command = live_command(item, {"update_cab": "D:\\updates\\wsusscn2.cab", "skip_update_search": False})
    assert len(command) < MAX_COMMAND_LINE
    assert command.startswith(POWERSHELL + " ")
    assert POWERSHELL == "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand"
    assert re.fullmatch(r"[A-Za-z0-9 ./=+-]+", command), "nothing a shell could reinterpret"
    script = decode_command(command)
    assert script is not None and source_of_script(script) is item
    assert "$UpdateCab = 'D:\\updates\\wsusscn2.cab'" in script
    assert "[Console]::OpenStandardOutput()" in script and "exit 1" in script


def test_settings_are_quoted_for_powershell() -> None:
    pending = next(s for s in SOURCES if s.file == "pending_updates.json")
    script = live_script(pending, {"update_cab": "D:\\it's\\wsusscn2.cab", "skip_update_search": True})
    assert "$UpdateCab = 'D:\\it''s\\wsusscn2.cab'" in script
    assert "$SkipUpdateSearch = $true" in script


def _yaml_text(value: str) -> str:
    """The script's ConvertTo-YamlText, step for step (the test below holds the script to it)."""
    return "'" + re.sub(r"[\r\n\t]+", " ", value).replace("'", "''") + "'"


def test_the_meta_yaml_the_script_writes_is_what_the_scan_reads(text: str, tmp_path: Path) -> None:
    assert "function ConvertTo-YamlText([string]$Text) {" in text
    assert """"'" + (($Text -replace '[\\r\\n\\t]+', ' ') -replace "'", "''") + "'\"""" in text
    identity = "CORP\\o'brien: audit"
    error = "Get-MpComputerStatus: 0x800106ba: the service 'WinDefend'\r\nis not running"
    # The lines the script joins with "`n" (its meta block), with values a host may well give.
    lines = [
        "platform: windows",
        "collected_at: " + _yaml_text("2026-11-20T03:00:00+00:00"),
        "source: " + _yaml_text(f"netcomply windows-script 1 (PowerShell 5.1.17763.5830) as {identity}"),
        "privilege: administrator",
        "script_version: 1",
        "commands:",
        "- " + _yaml_text("os.json"),
        "errors:",
        "  " + _yaml_text("defender.json") + ": " + _yaml_text(error),
    ]
    host = tmp_path / "snaps" / "win-odd"
    host.mkdir(parents=True)
    (host / "meta.yaml").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    (host / "os.json").write_bytes(b"\xff\xfe" + '{"Caption": "Windows Server"}'.encode("utf-16-le"))
    [source] = discover(tmp_path / "snaps")
    snapshot = source.load()
    assert snapshot.platform == "windows"
    assert identity in snapshot.meta["source"]
    assert snapshot.meta["errors"] == {"defender.json": error.replace("\r\n", " ")}
    assert snapshot.document("os.json") == '{"Caption": "Windows Server"}'
