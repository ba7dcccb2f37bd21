"""Check titles in Chinese: every check has one, and the Chinese audit form uses them."""

from __future__ import annotations

from dataclasses import replace

from checks import get_check, load_checks
from checks.i18n import _titles, message, messages, placeholders, remediation, title
from reports import render
from scanner.checkapi import COMMON_MESSAGES
from scanner.model import Status
from tests.conftest import LAB
from tests.scanhelpers import scan_folder


def test_every_check_has_a_chinese_title_and_no_stale_ids() -> None:
    ids = {spec.id for spec in load_checks()}
    zh = _titles("zh")
    assert ids - set(zh) == set(), "checks without a Chinese title"
    assert set(zh) - ids == set(), "titles of checks that do not exist"


def test_the_chinese_audit_form_names_checks_in_chinese() -> None:
    english = next(spec.title for spec in load_checks() if spec.id == "services.ftp")
    chinese = _titles("zh")["services.ftp"]
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese
    assert title("services.ftp", "zh", english) == chinese
    assert title("services.ftp", "en", english) == english
    result = scan_folder(LAB / "snapshots", inventory=LAB)
    page = render("audit-zh", result)
    assert isinstance(page, str)
    assert chinese in page
    assert english not in page
    assert english in str(render("audit-en", result))


def test_every_message_and_prose_fix_has_a_chinese_wording_with_the_same_placeholders() -> None:
    table = messages("zh")
    specs = {spec.id: spec for spec in load_checks()}
    missing, extra_params = [], []
    for spec in specs.values():
        own = (table.get(spec.id) or {}).get("messages") or {}
        for key, english in spec.messages.items():
            if key not in own:
                missing.append(f"{spec.id} {key}")
            elif not placeholders(own[key]) <= placeholders(english):
                extra_params.append(f"{spec.id} {key}: {placeholders(own[key]) - placeholders(english)}")
        if spec.remediation and not (table.get(spec.id) or {}).get("remediation"):
            missing.append(f"{spec.id} remediation")
    for key, english in COMMON_MESSAGES.items():
        if key not in table["_common"]:
            missing.append(f"_common {key}")
        elif not placeholders(table["_common"][key]) <= placeholders(english):
            extra_params.append(f"_common {key}")
    assert missing == [], "messages without a Chinese wording"
    assert extra_params == [], "a Chinese wording uses a parameter the check does not give"
    stale = {k for k in table if not k.startswith("_")} - set(specs)
    assert stale == set(), "wordings of checks that do not exist"


def test_a_finding_is_worded_in_chinese_from_its_key_with_device_text_verbatim() -> None:
    result = scan_folder(LAB / "snapshots", inventory=LAB)
    telnet = next(f for f in result.findings if f.check == "services.telnet" and f.host == "hq-acc1")
    assert telnet.key == "enabled" and telnet.message.startswith("telnet accepted: ")
    worded = message(telnet, "zh")
    assert worded == "接受Telnet登录：" + telnet.params["details"]
    assert "line vty 0 4" in worded, "device text stays as the device wrote it"
    assert message(telnet, "en") == telnet.message
    old = replace(telnet, key=None, params={})
    assert message(old, "zh") == telnet.message, "a run stored before message keys keeps its English message"
    core = next(f for f in result.findings if f.check == "topology.core_redundancy" and f.status is Status.FAIL)
    assert remediation(core, "zh", "x") == core.remediation, "only the check's own prose is replaced"
    spec = get_check("topology.core_redundancy")
    assert remediation(core, "zh", spec.remediation)[0].startswith("增加第二台核心设备")
    ftp = next(f for f in result.findings if f.check == "services.ftp" and f.status is Status.FAIL)
    assert remediation(ftp, "zh", get_check("services.ftp").remediation) == ftp.remediation, "commands verbatim"
