from pathlib import Path


def test_chromium_renders_a_local_page_and_reports_script_errors(browser_page, tmp_path: Path) -> None:
    page_file = tmp_path / "page.html"
    page_file.write_text("<html><body><p id='x'>ready</p><script>undefinedFunction()</script></body></html>")
    browser_page.goto(page_file.as_uri())
    assert browser_page.inner_text("#x") == "ready"
    assert any("undefinedFunction" in e for e in browser_page.errors)
