"""Start the dashboard with ``streamlit run app.py`` on a free local port, for browser tests and benchmarks."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Every page of the dashboard: path -> its heading.
PAGES = {
    "": "Overview",
    "log": "Log an introduction",
    "directory": "People and organisations",
    "explorer": "Network explorer",
    "suggestions": "Suggested introductions",
    "connectors": "Key connectors",
    "gaps": "Gaps",
    "activity": "Activity",
    "data": "Import and export",
    "privacy": "Privacy and admin",
}
#: How long to wait for something a page should show: generous, since a busy machine is slow, not broken.
PATIENCE_MS = 180_000
#: One attempt at an action that is tried again when a rerun gets in its way.
ATTEMPT_MS = 20_000


def chromium_path() -> str | None:
    """Debian's Chromium (or ``CONNECTOR_GRAPH_CHROMIUM``), or None when it is not installed."""
    configured = os.environ.get("CONNECTOR_GRAPH_CHROMIUM")
    for candidate in ([configured] if configured else []) + list(CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(script: Path) -> list[str]:
    """How a server for ``script`` starts: the dashboard as ``bash scripts/run-app.sh`` starts it
    (``python -m dashboard.serve``, which loads the pages' modules first), anything else with ``streamlit run``."""
    if script.resolve() == (ROOT / "app.py").resolve():
        return [sys.executable, "-m", "dashboard.serve"]
    return [sys.executable, "-m", "streamlit", "run", str(script)]


@contextmanager
def serving(script: Path, *, env: dict[str, str] | None = None, log: Path | None = None,
            timeout: float = 600.0, cwd: Path | None = None) -> Iterator[str]:
    """Serve one Streamlit ``script`` on a free local port and yield its base URL; stop it afterwards.

    The server starts in ``cwd`` (default: the script's folder).
    """
    port = free_port()
    command = [
        *serve_command(script),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    out = open(log, "w") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=cwd or script.parent, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                               stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{script.name} exited with code {process.returncode} (see {log})")
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{script.name} did not start within {timeout:.0f} s (see {log})")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()


@contextmanager
def running_app(store_url: str, *, log: Path | None = None, timeout: float = 600.0) -> Iterator[str]:
    """Serve the dashboard (``app.py``) on ``store_url`` and yield its base URL."""
    with serving(ROOT / "app.py", env={"CONNECTOR_GRAPH_STORE": store_url}, log=log, timeout=timeout) as base:
        yield base


def wait_until_idle(page, timeout: float = PATIENCE_MS) -> None:
    """Wait until Streamlit has finished running the page's script (no 'Running…' status)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') !== 'running'
                && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
        }""",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def explorer_frame(page, timeout: float = PATIENCE_MS):
    """The network explorer's drawing frame, once it exists and has its network (waits for it)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if frame.evaluate("typeof network") == "object":
                    return frame
            except Exception:  # a frame being replaced while we look: look again
                continue
        if time.monotonic() > deadline:
            raise AssertionError(f"the explorer's drawing did not appear within {timeout / 1000:.0f} s")
        page.wait_for_timeout(250)


def open_page(page, base: str, path: str = "", *, query: str = "") -> None:
    """Go to one dashboard page and wait until it has finished drawing."""
    page.goto(f"{base}/{path}" + (f"?{query}" if query else ""))
    page.wait_for_selector("h1", timeout=PATIENCE_MS)
    wait_until_idle(page)


def choose(page, label: str, text: str, option: str | None = None) -> None:
    """Pick from a searchable Streamlit select box: type ``text``, click the option containing ``option``.

    A rerun the page had not begun when it last looked idle (a field just left,
    a click just made) closes an open list and redraws the box; then the list
    is opened again and the choice made again, until the box shows it.
    """
    from playwright.sync_api import Error as PlaywrightError

    wanted = option or text
    box = page.get_by_role("combobox", name=label, exact=True)
    deadline = time.monotonic() + PATIENCE_MS / 1000
    while True:
        wait_until_idle(page)
        try:
            box.click(timeout=ATTEMPT_MS)
            box.fill(text, timeout=ATTEMPT_MS)
            page.get_by_role("option").filter(has_text=wanted).first.click(timeout=ATTEMPT_MS)
            page.wait_for_timeout(300)
            wait_until_idle(page)
            if wanted in box.input_value(timeout=ATTEMPT_MS):  # the box shows the option chosen
                return
        except PlaywrightError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"could not choose {wanted!r} in {label!r} within {PATIENCE_MS / 1000:.0f} s")
        page.keyboard.press("Escape")


def follow(page, act: Callable[[], None], url: re.Pattern) -> None:
    """Do ``act`` (the clicks that open a link) until the page's address matches ``url``.

    A click that lands while Streamlit redraws the link's frame goes nowhere,
    and the redraw can take away what the first clicks opened; so the whole
    act is done again until the page moves (within the usual patience).
    An ``act`` may raise AssertionError to say "that click did not take": it
    is done again too. A page that moved to another page fails at once.
    """
    from playwright.sync_api import Error as PlaywrightError

    started = urlsplit(page.url).path
    deadline = time.monotonic() + PATIENCE_MS / 1000
    while True:
        try:
            act()
            page.wait_for_url(url, timeout=ATTEMPT_MS)
            return
        except (PlaywrightError, AssertionError) as failed:
            if url.search(page.url):
                return
            if urlsplit(page.url).path != started:  # it went somewhere, but not there: no retry can mend that
                raise AssertionError(f"the page went to {page.url}, not to {url.pattern}") from failed
        if time.monotonic() > deadline:
            raise AssertionError(f"the page did not move to {url.pattern} within {PATIENCE_MS / 1000:.0f} s")
        wait_until_idle(page)


def no_script_ran(page) -> list[str]:
    """Elements in the page or any of its frames that hostile markup would have made."""
    found = []
    for frame in page.frames:
        found += frame.evaluate(
            """() => Array.from(document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], b, i, u'))
                 .filter(e => !e.closest('[data-testid="stMarkdownContainer"] strong'))
                 .map(e => e.outerHTML.slice(0, 80))"""
        )
    return found


def _search(page, label: str, text: str):
    """Type ``text`` into the search picker called ``label``, press Enter; its list of results."""
    box = page.get_by_role("textbox", name=label, exact=True)
    box.click()
    box.fill(text)
    box.press("Enter")
    wait_until_idle(page)
    return page.get_by_test_id("stRadio").filter(has=page.get_by_text(f"Matches for {label}", exact=True))


def pick(page, label: str, text: str, option: str | None = None) -> None:
    """Choose from a search picker: type ``text``, press Enter, tap the result containing ``option``."""
    _search(page, label, text).get_by_text(option or text).first.click()
    page.wait_for_timeout(300)
    wait_until_idle(page)


def results_of(page, label: str, text: str) -> list[str]:
    """The options a search picker offers for ``text`` (typed, Enter pressed), as shown.

    Waits for the list, or for the page to say no one matches: the rerun that
    draws the list may not have begun when the page last looked idle.
    """
    results = _search(page, label, text)
    options = results.locator("label").filter(has=page.get_by_role("radio"))
    options.first.or_(page.get_by_text(f"No one matches “{text.strip()}”")).first.wait_for(timeout=PATIENCE_MS)
    wait_until_idle(page)
    return [o.inner_text().strip() for o in options.all()]


def visit(page, title: str) -> None:
    """Go to another page of the app through its menu (the same session), opening the menu on a phone."""
    link = page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first
    box = link.bounding_box() if link.is_visible() else None
    if box is None or box["x"] + box["width"] <= 0 or box["x"] >= page.viewport_size["width"]:
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_timeout(500)  # the menu slides in
    link.click()
    page.get_by_role("heading", name=title).first.wait_for()
    wait_until_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    if page.viewport_size["width"] < 640 and sidebar.get_attribute("aria-expanded") != "false" \
            and sidebar.get_attribute("data-collapsed") == "false":
        page.get_by_test_id("stSidebarCollapseButton").locator("button").first.click(force=True)
        page.wait_for_timeout(500)  # the menu slides away
