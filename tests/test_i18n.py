"""Check titles in Chinese: every check has one, and the Chinese audit form uses them."""

from __future__ import annotations

from checks import load_checks
from checks.i18n import _titles, title
from reports import render
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
