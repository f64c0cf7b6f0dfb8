"""A real browser for the page tests: Debian's Chromium driven by Playwright, an axe-core scan of every page, and
screenshots at a phone's and a desktop's width (saved under test-results/pages, not committed)."""

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts on a machine with a closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "pages"
WIDTHS = {"phone": 375, "desktop": 1280}
ASCII_DIGIT = re.compile(r"[0-9]")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium from Debian's package."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: apt-get install -y chromium (.ci/run does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def accessibility_problems(page: Page) -> list[str]:
    """Serious and critical violations axe-core finds on the page (WCAG 2.x A and AA rules)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    return list(result)


def ascii_digits_people_read(page: Page) -> list[str]:
    """Visible text with ASCII digits, outside what is deliberately Latin (codes marked .ltr, inputs)."""
    texts = page.evaluate("""() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode, element = node.parentElement;
          if (!element || element.closest('.ltr, script, style, [hidden], .visually-hidden')) continue;
          if (element.offsetParent === null && getComputedStyle(element).position !== 'fixed') continue;
          if (/[0-9]/.test(node.textContent)) out.push(node.textContent.trim());
        }
        return out;
    }""")
    return [text for text in texts if ASCII_DIGIT.search(text)]


def check_page(page: Page, name: str) -> None:
    """The page as people see it, at both widths: right to left, Persian, no sideways scrolling, Persian digits,
    no serious accessibility problem; a screenshot of each width under test-results/pages."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dir") == "rtl", f"{name}: not right to left"
        assert page.evaluate("document.documentElement.lang") == "fa", f"{name}: not marked Persian"
        page.screenshot(path=str(RESULTS / f"{name}-{label}.png"), full_page=True)  # first: to see what failed
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
        assert not (digits := ascii_digits_people_read(page)), f"{name}: ASCII digits in {digits[:5]}"
    assert not (problems := accessibility_problems(page)), f"{name}: {problems}"


def field(page: Page, name: str) -> Locator:
    """A form field by its name (ids hold dots, which CSS selectors would read as classes)."""
    return page.locator(f"[id='field-{name}']")


def field_error(page: Page, name: str) -> Locator:
    """The error shown under a form field."""
    return page.locator(f"[id='error-{name}']")


def beside_the_browser(function: Callable[..., Any], *args: Any) -> Any:
    """Run a helper that runs its own event loop (database checks, asyncio.run): Playwright's sync API runs one in
    this thread, so the helper gets a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()
