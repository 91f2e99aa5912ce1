"""report.html in a real browser: Debian's headless Chromium driven by Playwright over CDP.

Checks what only a browser can: no console errors, no network requests, every chart draws
marks, Chinese text is drawn with real glyphs (not boxes), hostile text stays text, in-page links
resolve. Saves a full-page screenshot per language. No browser is ever downloaded: Chromium
comes from apt (``.ci/install-browser``). A missing browser is a failure, never a skip, so CI
cannot pass without running this.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from auditor.report import html
from tests.report.html_fixtures import EVIL, large_result, sample_result

CHROMIUM = os.environ.get("AUDITOR_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
INSTALL_HINT = "run .ci/install-browser (apt-get install chromium fonts-noto-cjk)"

# Draw two different CJK characters and a character no font has (U+E000, private use, so it
# can only ever be a missing-glyph box) with the element's own font, and compare pixels. If
# the CJK font is missing, both CJK characters are drawn as the same box and equal the
# private-use one; with real glyphs all three differ.
TOFU_PROBE = """(el) => {
  const font = getComputedStyle(el).font;
  const draw = (ch) => {
    const c = document.createElement('canvas');
    c.width = 64; c.height = 64;
    const g = c.getContext('2d');
    g.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
    g.fillStyle = '#000';
    g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    return {data: Array.from(g.getImageData(0, 0, 64, 64).data).join(','),
            width: g.measureText(ch).width};
  };
  const a = draw('售'), b = draw('后'), box = draw('\\uE000');
  return {distinct: a.data !== b.data, not_box: a.data !== box.data && b.data !== box.data,
          inked: a.data.split(',').some((v) => v !== '0'), width: a.width};
}"""

MARKS_PER_CHART = """() => Array.from(document.querySelectorAll('svg.chart')).map((svg) =>
  Array.from(svg.querySelectorAll('.mark')).filter((m) => {
    const b = m.getBBox();
    return b.width > 0 || b.height > 0;
  }).length)"""

BROKEN_LINKS = """() => Array.from(document.querySelectorAll('a[href^="#"]'))
  .map((a) => a.getAttribute('href').slice(1))
  .filter((id) => !document.getElementById(id))"""


def _executable() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if not found:
        pytest.fail(f"Chromium not found at {CHROMIUM}: {INSTALL_HINT}")
    return found


@pytest.fixture(scope="module")
def playwright_driver():
    executable = _executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        yield pw, executable


@pytest.fixture(scope="module")
def browser(playwright_driver):
    pw, executable = playwright_driver
    chromium = pw.chromium.launch(executable_path=executable, args=FLAGS)
    yield chromium
    chromium.close()


class PageRun:
    """A page opened on a local report, with what it logged and asked the network for."""

    def __init__(self, browser, report: Path):
        self.url = report.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        # Anything but the report itself is refused, so a stray fetch also shows as an error.
        self.page.route("**/*", self._route)
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def platform_fonts(self, selector: str) -> list[dict]:
        """The fonts Chromium actually used to draw an element's text (CDP CSS domain)."""
        cdp = self.page.context.new_cdp_session(self.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector}"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def _screenshot_dir(tmp_path: Path) -> Path:
    # AUDITOR_SCREENSHOTS keeps the pictures for a person to look at; by default a tmp dir.
    keep = os.environ.get("AUDITOR_SCREENSHOTS")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_cleanly_in_chromium(browser, tmp_path, lang):
    report = tmp_path / "report.html"
    html.write(sample_result(), report, lang)
    run = PageRun(browser, report)
    page = run.page
    try:
        assert run.console_errors == []
        assert [u for u in run.requests if u != run.url] == []
        assert run.dialogs == []  # the hostile shop name did not run

        marks = page.evaluate(MARKS_PER_CHART)
        assert len(marks) >= 5  # rules, shops, shop KPIs, findings per month, KPI per month
        assert all(n > 0 for n in marks), marks

        assert page.evaluate(BROKEN_LINKS) == []
        assert page.locator("#by-shop").get_by_text(EVIL).first.is_visible()
        assert page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "zh-CN")

        page.evaluate(
            "() => { const td = Array.from(document.querySelectorAll('#shop-table td'))"
            ".find((c) => c.textContent.trim() === '店铺A'); td.id = 'cjk-probe'; }"
        )
        probe = page.evaluate(TOFU_PROBE, page.locator("#cjk-probe").element_handle())
        assert probe["inked"] and probe["distinct"] and probe["not_box"], probe
        fonts = page.locator("#cjk-probe").evaluate("(e) => getComputedStyle(e).fontFamily")
        assert fonts.startswith('"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"')
        used = run.platform_fonts("#cjk-probe")
        assert any(
            any(k in f["familyName"] for k in ("CJK", "PingFang", "YaHei", "Han Sans"))
            and f["glyphCount"] >= 3
            for f in used
        ), used

        shot = _screenshot_dir(tmp_path) / f"report-{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000
    finally:
        page.close()


def test_large_report_opens_quickly_and_stays_small(browser, tmp_path):
    report = tmp_path / "report.html"
    html.write(large_result(100_000), report, "zh")
    assert report.stat().st_size < 500_000
    run = PageRun(browser, report)
    try:
        assert run.console_errors == []
        rows = run.page.locator("#top-cases-table tbody tr").count()
        assert rows == 20
        marks = run.page.evaluate(MARKS_PER_CHART)
        assert marks and all(n > 0 for n in marks)
        run.page.screenshot(path=str(_screenshot_dir(tmp_path) / "report-large.png"))
    finally:
        run.page.close()


ROOT = Path(__file__).resolve().parents[2]


def test_bundled_sample_report_matches_findings_json_in_chromium(browser, tmp_path):
    """The real pipeline on the bundled sample: what the browser shows equals findings.json."""
    import json

    from auditor.engine.request import AuditRequest
    from auditor.engine.run import run_audit
    from auditor.report.findings_json import write_findings_json

    result = run_audit(
        AuditRequest(
            cases=[ROOT / "samples" / "cases" / "2026-03.xlsx"],
            orders=[ROOT / "samples" / "orders" / "orders.xlsx"],
        )
    )
    write_findings_json(result, tmp_path / "findings.json", "zh")
    summary = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))["summary"]
    assert summary["findings"] > 0  # the sample plants violations: the check below means something
    report = tmp_path / "report.html"
    html.write(result, report, "zh")
    run = PageRun(browser, report)
    page = run.page
    try:
        assert run.console_errors == []
        assert [u for u in run.requests if u != run.url] == []

        def big(card: str) -> str:
            return page.locator(f"#headline-{card} .big").inner_text().replace(",", "")

        assert big("cases") == str(summary["cases"])
        assert big("cases-with-findings") == str(summary["cases_with_findings"])
        assert big("findings") == str(summary["findings"])
        for severity, count in summary["by_severity"].items():
            assert big(severity) == str(count)
        shown = page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll("
            "'#by-rule-table tbody tr')).map((tr) => [tr.dataset.rule, "
            "Number(tr.children[4].textContent.replace(/,/g, ''))]))"
        )
        assert shown == summary["by_rule"]
        marks = page.evaluate(MARKS_PER_CHART)
        assert marks and all(n > 0 for n in marks)
        page.screenshot(path=str(_screenshot_dir(tmp_path) / "report-sample.png"), full_page=True)
    finally:
        page.close()


def test_the_glyph_probe_catches_boxes_when_no_cjk_font_is_installed(playwright_driver, tmp_path):
    """Negative control: the same probe, in a Chromium that sees no fonts, reports the boxes
    (so the check in the tests above could really fail)."""
    pw, executable = playwright_driver
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    report = tmp_path / "report.html"
    html.write(sample_result(), report, "zh")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    chromium = pw.chromium.launch(executable_path=executable, args=FLAGS, env=env)
    try:
        page = chromium.new_page()
        page.goto(report.resolve().as_uri())
        probe = page.evaluate(TOFU_PROBE, page.locator("h1").element_handle())
    finally:
        chromium.close()
    assert not (probe["inked"] and probe["distinct"] and probe["not_box"]), probe
