"""The HTML reports in a real headless Chromium: they render, log no error, and the filter works offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports import RenderOptions, render
from scanner.model import ScanResult, Status
from scanner.policy import Policy
from tests.conftest import LAB
from tests.scanhelpers import scan_folder

POLICY = """
waivers:
  - host: plant-rtr1
    check: services.ftp
    reason: vendor tool needs FTP until migration
    expires: 2099-06-30
"""


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan_folder(LAB / "snapshots", LAB, policy=Policy.from_text(POLICY, "test policy"))


def _page(tmp_path: Path, name: str, result: ScanResult, options: RenderOptions) -> str:
    path = tmp_path / f"{name}.html"
    text = render(name, result, options)
    assert isinstance(text, str)
    path.write_text(text, encoding="utf-8")
    return path.as_uri()


def _visible(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.offsetParent !== null).map(e => e.getAttribute('data-search'))"
    )


def test_html_report_renders_and_the_search_box_filters_rows(browser_page, tmp_path: Path, result: ScanResult) -> None:
    failing = sorted({(f.host, f.check) for f in result.findings if f.status is Status.FAIL})
    new = frozenset(failing[:1])
    browser_page.goto(_page(tmp_path, "html", result, RenderOptions(new_since_last=new, previous_run="r0")))
    assert browser_page.title().startswith("netcomply report")
    assert browser_page.locator("#status-chart path").count() >= 2, "the status chart is drawn"
    rows = _visible(browser_page, "#failures-by-check tr.finding")
    hosts = {f.host for f in result.findings if f.status is Status.FAIL}
    assert len(rows) == sum(1 for f in result.findings if f.status is Status.FAIL)

    browser_page.fill("#filter", "plant-rtr1")
    shown = _visible(browser_page, "#failures-by-check tr.finding")
    assert shown and len(shown) < len(rows)
    assert all("plant-rtr1" in s for s in shown)
    assert len(hosts) > 1, "other hosts' rows exist and were hidden"
    assert "rows match" in browser_page.inner_text("#shown")

    browser_page.fill("#filter", "")
    browser_page.select_option("#status-filter", "waived")
    waived = _visible(browser_page, "tr.finding")
    assert waived and all("plant-rtr1" in s and "services.ftp" in s for s in waived)

    browser_page.select_option("#status-filter", "")
    browser_page.check("#new-only")
    only_new = _visible(browser_page, "#failures-by-check tr.finding")
    host, check = next(iter(new))
    assert only_new and all(host in s and check in s for s in only_new)
    assert browser_page.locator("span.new").count() >= 1
    assert browser_page.errors == []


@pytest.mark.parametrize("name", ["audit-zh", "audit-en"])
def test_audit_form_renders_without_errors(browser_page, tmp_path: Path, result: ScanResult, name: str) -> None:
    browser_page.goto(_page(tmp_path, name, result, RenderOptions()))
    assert browser_page.locator("#audit-form tbody tr").count() >= 7
    assert browser_page.locator("#audit-form td.c-manual").count() >= 1
    assert browser_page.errors == []
