"""The drafting page in a real headless Chromium, against the real server, keyboard only."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from postlint.registry import load_registry

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``postlint serve`` on a free loopback port, in its own process."""
    folder = tmp_path_factory.mktemp("serve")
    # LanguageTool has its own tests; here it would only make the page test slow.
    (folder / "postlint.toml").write_text('ignore = ["L001", "L002", "L003"]\n', encoding="utf-8")
    port = free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "postlint.server", "--port", str(port), "--config",
         str(folder / "postlint.toml")],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail("the server did not start:\n" + (folder / "server.log").read_text())
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    tab.goto("/")
    tab.problems = problems
    yield tab
    context.close()


def hashtag_case():
    """(draft, rule, bad text, fixed text): the hashtag rule once it is installed."""
    if "A001" in load_registry().checks:
        return (
            "Get your free #flujab at a pharmacy in Basildon this winter.",
            "A001",
            "#flujab",
            "#FluJab",
        )
    return (  # until then, another rule with a fix
        "For a flu jab in Basildon, email jane.smith@gmail.com today.",
        "S003",
        "jane.smith@gmail.com",
        "[e-mail address removed]",
    )


def press(page, selector: str, key: str = "Enter") -> None:
    page.focus(selector)
    page.keyboard.press(key)


def run_check(page) -> None:
    before = page.text_content("#status")
    press(page, "#check")
    page.wait_for_function(
        "before => { const s = document.querySelector('#status').textContent;"
        " return s !== before && !s.includes('Checking'); }",
        arg=before,
        timeout=60_000,
    )


def finding_codes(page) -> list[str]:
    return page.eval_on_selector_all("#findings .code", "nodes => nodes.map(n => n.textContent)")


def test_find_fix_and_pass_with_the_keyboard(page):
    draft, rule, bad, fixed = hashtag_case()
    page.focus("#draft")
    page.keyboard.type(draft)
    run_check(page)
    assert "Checked" in page.text_content("#status")
    assert rule in finding_codes(page)
    marks = page.eval_on_selector_all("#highlighted mark", "nodes => nodes.map(n => n.textContent)")
    assert bad in marks
    item = page.locator("#findings li", has=page.locator(".code", has_text=rule))
    assert "Policy:" in item.inner_text()
    fix_button = item.locator("button.fix").first
    fix_button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#status').textContent.includes('Fix applied')",
        timeout=60_000,
    )
    assert fixed in page.input_value("#draft")
    assert bad not in page.input_value("#draft")
    assert rule not in finding_codes(page)
    assert "Pass" in page.text_content("#verdict")
    assert page.evaluate("document.activeElement.id") == "results"
    assert page.problems == []


def test_draft_markup_is_shown_as_text(page):
    hostile = (
        '<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> '
        "<b>bold</b> Flu clinic in #Basildon"
    )
    page.fill("#draft", hostile)
    run_check(page)
    shown = page.text_content("#highlighted")
    assert shown == hostile
    assert page.evaluate("window.__xss") is None
    assert (
        page.eval_on_selector_all("#results img, #results script, #results b", "n => n.length") == 0
    )
    assert page.problems == []


def test_images_with_alt_text(page, tmp_path):
    picture = tmp_path / "clinic.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), (0, 94, 184)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    page.fill("#draft", "Our new clinic in Thurrock opens on Monday. #Thurrock")
    press(page, "#add-image")
    assert page.evaluate("document.activeElement.id") == "image-file-1"
    page.set_input_files("#image-file-1", str(picture))
    run_check(page)
    assert "A040" in finding_codes(page)  # no alt text
    item = page.locator("#findings li", has=page.locator(".code", has_text="A040"))
    assert "About: Image 1" in item.inner_text()
    page.focus("#image-alt-1")
    page.keyboard.type("The entrance of the new Thurrock clinic, with its opening hours.")
    run_check(page)
    assert "A040" not in finding_codes(page)
    press(page, "#image-1 button")
    assert page.locator("#image-list .image").count() == 0
    assert page.problems == []


def test_every_control_is_labelled_and_reachable_by_tab(page):
    page.click("#add-image")
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
             .filter(e => !e.closest('[hidden]'))
             .filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label')
                            || (e.tagName === 'BUTTON' && e.textContent.trim())))
             .map(e => e.id || e.outerHTML)"""
    )
    assert unlabelled == []
    assert page.get_attribute("#status", "aria-live") == "polite"
    page.focus("body")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    expected = {"draft", "platform-x", "platform-mastodon", "account", "add-image", "image-file-1"}
    expected |= {"image-alt-1", "video-file", "captions-file", "burned-in", "check"}
    assert expected <= reached
    page.focus("#check")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_text_contrast_meets_wcag_aa(page):
    _draft, _rule, _bad, _fixed = hashtag_case()
    page.fill("#draft", "Free #flujab for over-65s in Southend-on-Sea. Email jane.smith@gmail.com")
    run_check(page)
    failures = page.evaluate(
        """() => {
          const rgb = s => s.match(/[\\d.]+/g).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
              return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = el => { for (; el; el = el.parentElement) {
              const c = rgb(getComputedStyle(el).backgroundColor);
              if (c.length < 4 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const own = Array.from(el.childNodes)
              .some(n => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.offsetParent) continue;
            const style = getComputedStyle(el);
            const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            const large = parseFloat(style.fontSize) >= 24 ||
              (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName}#${el.id} ${ratio.toFixed(2)}`);
          }
          return out; }"""
    )
    assert failures == []


def test_the_page_loads_nothing_from_elsewhere(page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(server) for url in requests)
    assert os.environ.get("NO_SUCH") is None
