"""Output that is not what it claims to be is an error, never a pass (issue 13, section 1).

Each case starts from a configuration a device really prints (the platform fixtures,
the bundled lab) and damages it the way collection and backup tools do: binary noise,
a web server's error page, a refused command, a login banner, an encoding other than
UTF-8, a session cut short.
"""

from __future__ import annotations

import codecs
import gzip
import random
import shutil
from pathlib import Path

import pytest

from scanner.decoding import UndecodableError, decode
from scanner.model import Status
from tests.scanhelpers import PLATFORM_FIXTURES, by_check, flat_snapshot, load_snapshot, scan, scan_folder

# Checks that read the configuration (needs CONFIG); backup.current is not_applicable without a store.
CONFIG_CHECKS = (
    "services.http",
    "services.ftp",
    "services.tftp",
    "services.telnet",
    "snmp.community_strength",
    "snmp.community_write",
    "auth.local_password",
    "logging.remote",
    "backup.device_archive",
)
IOS_PASS = PLATFORM_FIXTURES / "cisco_ios" / "pass"
IOS_FAIL = PLATFORM_FIXTURES / "cisco_ios" / "fail"
HUAWEI_PASS = PLATFORM_FIXTURES / "huawei" / "pass"
CONFIG = "show_running-config.txt"


def _host(tmp_path: Path, source: Path, config: bytes | None, name: str = "br-sw1") -> Path:
    """A copy of a fixture host folder whose configuration file holds ``config`` (None: left as it is)."""
    host = tmp_path / name
    shutil.copytree(source, host)
    if config is not None:
        target = next(p for p in host.iterdir() if "config" in p.name)
        target.write_bytes(config)
    return host


def _config_verdicts(host: Path) -> dict[str, object]:
    found = scan_snapshot(host)
    return {check: found[check] for check in CONFIG_CHECKS}


def scan_snapshot(host: Path):
    return by_check(scan(load_snapshot(host)))


def _assert_every_config_check_errors_naming(host: Path, named: str) -> None:
    for check, finding in _config_verdicts(host).items():
        assert finding.status is Status.ERROR, (check, finding.status, finding.message)
        assert named in finding.message, (check, finding.message)


# ---- decoding ------------------------------------------------------------------------


def test_random_bytes_with_a_known_platform_pass_nothing(tmp_path: Path) -> None:
    """Today's bug: random bytes decoded as Latin-1 passed seven checks with no evidence."""
    noise = random.Random(13).randbytes(6000)
    host = _host(tmp_path, IOS_PASS, noise)
    _assert_every_config_check_errors_naming(host, str(host / CONFIG))
    assert "binary data" in scan_snapshot(host)["services.http"].message


def test_a_gzipped_backup_in_place_of_the_config_is_refused(tmp_path: Path) -> None:
    packed = gzip.compress((IOS_PASS / CONFIG).read_bytes())
    host = _host(tmp_path, IOS_PASS, packed)
    _assert_every_config_check_errors_naming(host, CONFIG)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),  # saved by a Windows tool without a byte-order mark: told by its NULs
        ("utf-16-be", b""),
    ],
)
def test_configs_saved_in_utf8_or_utf16_are_read_as_the_device_printed_them(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    text = (IOS_PASS / CONFIG).read_text()
    host = _host(tmp_path, IOS_PASS, bom + text.encode(encoding))
    assert decode((host / CONFIG).read_bytes()) == text
    verdicts = _config_verdicts(host)
    assert verdicts["services.http"].status is Status.PASS
    assert verdicts["snmp.community_strength"].status is Status.PASS


def test_a_huawei_config_in_gbk_keeps_its_chinese_descriptions(tmp_path: Path) -> None:
    text = (HUAWEI_PASS / "display_current-configuration.txt").read_text()
    chinese = text.replace("#\nvlan batch", "#\ninterface Vlanif99\n description 生产控制区管理网段\n#\nvlan batch", 1)
    assert chinese != text
    host = _host(tmp_path, HUAWEI_PASS, chinese.encode("gbk"))
    assert "生产控制区管理网段" in decode((host / "display_current-configuration.txt").read_bytes())
    verdicts = _config_verdicts(host)
    assert verdicts["services.telnet"].status is Status.PASS
    assert verdicts["services.http"].status is Status.PASS


def test_an_ensp_export_ending_in_a_nul_byte_is_whole(tmp_path: Path) -> None:
    """eNSP saves ``return`` followed by one NUL: padding, not a sign of binary data."""
    text = (HUAWEI_PASS / "display_current-configuration.txt").read_bytes()
    host = _host(tmp_path, HUAWEI_PASS, text.rstrip(b"\n") + b"\x00")
    assert _config_verdicts(host)["services.telnet"].status is Status.PASS


def test_text_with_the_control_bytes_of_a_binary_file_is_not_text() -> None:
    config = (IOS_PASS / CONFIG).read_bytes()
    damaged = bytearray(config)
    for position in range(0, len(damaged), 40):
        damaged[position] = 0x01
    with pytest.raises(UndecodableError, match="control characters"):
        decode(bytes(damaged))


# ---- outputs that are not the platform's configuration -----------------------------

NGINX_502 = """<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.18.0 (Ubuntu)</center>
</body>
</html>
"""
IOS_REFUSAL = """show running-config
     ^
% Invalid input detected at '^' marker.
"""
LOGIN_BANNER = """
******************************************************************
*  WARNING: Authorised access only. All activity is monitored   *
*  and logged. Disconnect now if you are not an authorised user. *
******************************************************************
"""


@pytest.mark.parametrize(
    ("output", "why"),
    [
        (NGINX_502, "HTML page"),
        (IOS_REFUSAL, "rejected by the device"),
        ("", "empty output"),
        ("\n\n   \n", "empty output"),
        (LOGIN_BANNER, "no Cisco IOS configuration statement"),
    ],
)
def test_an_output_that_is_not_a_configuration_is_an_error_on_every_check_reading_it(
    tmp_path: Path, output: str, why: str
) -> None:
    host = _host(tmp_path, IOS_PASS, output.encode())
    verdicts = _config_verdicts(host)
    for check, finding in verdicts.items():
        assert finding.status is Status.ERROR, (check, finding.message)
        assert why in finding.message, (check, finding.message)
        assert "show running-config" in finding.message


def test_an_html_page_in_a_flat_folder_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "core-sw9.cfg").write_text(NGINX_502)
    result = scan_folder(tmp_path)
    findings = [f for f in result.findings if f.host == "core-sw9" and f.check in CONFIG_CHECKS]
    assert findings and all(f.status is Status.ERROR for f in findings)
    assert all("core-sw9.cfg" in f.message and "HTML page" in f.message for f in findings)


def test_a_banner_closing_with_a_lone_caret_is_no_refusal(tmp_path: Path) -> None:
    """IOS banners may be delimited by ``^``: a line holding only ``^`` near the top is not the
    marker under a rejected command (one public config was refused for it)."""
    text = (IOS_PASS / CONFIG).read_text()
    text = text.replace("version 15.2\n", "version 15.2\nbanner exec ^\nAuthorised staff only\n^\n", 1)
    host = _host(tmp_path, IOS_PASS, text.encode())
    assert _config_verdicts(host)["services.http"].status is Status.PASS


# ---- verdicts resting on absence need the whole configuration ------------------------


def _cut(text: str, before: str) -> str:
    """``text`` up to (not including) the first line starting with ``before``: a session cut short."""
    return text[: text.index(f"\n{before}") + 1]


def test_a_truncated_ios_config_gives_no_pass(tmp_path: Path) -> None:
    """Cut before `no ip http server`, the pass fixture would pass services.* on nothing."""
    text = (IOS_PASS / CONFIG).read_text()
    host = _host(tmp_path, IOS_PASS, _cut(text, "ip default-gateway").encode())
    verdicts = _config_verdicts(host)
    assert {v.status for v in verdicts.values()} == {Status.ERROR}
    assert "does not end with 'end'" in verdicts["services.http"].message


def test_a_failure_shown_by_a_line_present_survives_truncation(tmp_path: Path) -> None:
    """More configuration cannot remove `ip http server`; absence-based verdicts still become errors."""
    text = (IOS_FAIL / CONFIG).read_text()
    host = _host(tmp_path, IOS_FAIL, _cut(text, "line ").encode())
    verdicts = _config_verdicts(host)
    assert verdicts["services.http"].status is Status.FAIL
    assert verdicts["services.http"].evidence[0].text == "ip http server"
    assert verdicts["snmp.community_write"].status is Status.FAIL
    # Telnet is enabled on the vty lines that were cut off: no verdict, not a pass.
    assert verdicts["services.telnet"].status is Status.ERROR
    whole = _config_verdicts(_host(tmp_path / "whole", IOS_FAIL, None))
    assert whole["services.telnet"].status is Status.FAIL


def test_a_hostile_config_hiding_its_http_server_after_the_cut_is_not_passed(tmp_path: Path) -> None:
    """An admin who moves `ip http server` to the end of the file and hands over the head."""
    text = (IOS_PASS / CONFIG).read_text()
    hostile = text.replace("no ip http server\n", "")
    hostile = hostile.replace("ntp server 10.10.99.5\nend", "ntp server 10.10.99.5\nip http server\nend")
    whole = _host(tmp_path / "whole", IOS_PASS, hostile.encode())
    assert _config_verdicts(whole)["services.http"].status is Status.FAIL
    head = _host(tmp_path / "head", IOS_PASS, _cut(hostile, "ntp server").encode())
    assert _config_verdicts(head)["services.http"].status is Status.ERROR


def test_a_prompt_after_end_in_a_terminal_capture_still_reads_as_whole(tmp_path: Path) -> None:
    text = (IOS_PASS / CONFIG).read_text() + "br-sw1#\n"
    host = _host(tmp_path, IOS_PASS, text.encode())
    assert _config_verdicts(host)["services.http"].status is Status.PASS


@pytest.mark.parametrize(
    ("platform", "cut_before", "reason"),
    [
        ("huawei", "return", "does not end with 'return'"),
        ("hp_comware", "return", "does not end with 'return'"),
        ("arista_eos", "end", "does not end with 'end'"),
        ("cisco_nxos", "line vty", "line vty"),
    ],
)
def test_each_platform_without_its_closing_lines_gives_no_pass(
    tmp_path: Path, platform: str, cut_before: str, reason: str
) -> None:
    source = PLATFORM_FIXTURES / platform / "pass"
    config = next(p for p in source.iterdir() if "config" in p.name)
    whole = _config_verdicts(_host(tmp_path / "whole", source, None))
    assert Status.PASS in {v.status for v in whole.values()}
    host = _host(tmp_path / "cut", source, _cut(config.read_text(), cut_before).encode())
    verdicts = _config_verdicts(host)
    assert Status.PASS not in {v.status for v in verdicts.values()}, platform
    assert reason in verdicts["services.telnet"].message


def test_junos_braces_that_never_close_give_no_pass(tmp_path: Path) -> None:
    source = PLATFORM_FIXTURES / "juniper_junos" / "braces" / "old-fw9.conf"
    text = source.read_text()
    (tmp_path / "old-fw9.conf").write_text(text)
    assert by_check(scan(flat_snapshot(tmp_path / "old-fw9.conf")))["services.telnet"].status is not Status.ERROR
    lines = text.splitlines(keepends=True)
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "old-fw9.conf").write_text("".join(lines[: len(lines) // 2]))
    verdicts = by_check(scan(flat_snapshot(cut / "old-fw9.conf")))
    assert Status.PASS not in {verdicts[c].status for c in CONFIG_CHECKS}
    assert "never closed" in verdicts["services.http"].message


def test_an_nxos_backup_cut_before_its_closing_sections_is_refused(tmp_path: Path) -> None:
    from scanner.backup.safety import refusal
    from scanner.platforms import get_platform

    config = (PLATFORM_FIXTURES / "cisco_nxos" / "pass" / CONFIG).read_text()
    nxos = get_platform("cisco_nxos")
    assert refusal(nxos, config, config, None, 0.5) is None
    cut = _cut(config, "line console")
    assert "truncated" in (refusal(nxos, cut, cut, None, 0.5) or "")
    assert "HTML page" in (refusal(nxos, NGINX_502, NGINX_502, None, 0.5) or "")
