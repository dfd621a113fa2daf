"""A real dashboard (``streamlit run app.py``) on a seeded SQLite store, driven by Debian's Chromium.

Screenshots go to ``test-artifacts/screenshots`` (or ``CONNECTOR_GRAPH_ARTIFACTS``).
Without Chromium the browser tests are skipped with the reason, except under
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from server import PATIENCE_MS, ROOT, chromium_path, running_app  # noqa: E402

from connector_graph import service  # noqa: E402
from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Names that would run script if any page put them into HTML unescaped.
HOSTILE = {
    "p-xss-img": "<img src=x onerror=alert(1)>",
    "p-xss-script": "<script>alert(1)</script>",
    "o-xss-svg": '"><svg onload=alert(1)>',
}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("CONNECTOR_GRAPH_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def seed_browser_store(path: Path) -> str:
    """The demo network plus people and an organisation with script in their names."""
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        with acting_as("test-setup", "admin"):
            service.load_batch(store, generate("demo"))
            img = service.add_person(store, HOSTILE["p-xss-img"], ward="Armley", interests=["gardening"],
                                     person_id="p-xss-img")
            script = service.add_person(store, HOSTILE["p-xss-script"], ward="Armley", roles=["connector"],
                                        gifts=["<b>cooking</b>"], person_id="p-xss-script")
            svg = service.add_organisation(store, HOSTILE["o-xss-svg"], sector="voluntary_community",
                                           ward="Armley", offers=["<i>lunch</i>"], organisation_id="o-xss-svg")
            service.add_tie(store, img.id, "p-000737")
            service.add_tie(store, script.id, img.id)
            service.add_tie(store, svg.id, script.id, kind="works_at")
            service.log_introduction(store, introducer_id=script.id, subject_id=img.id, target_id=svg.id,
                                     purposes=["<u>company</u>"], outcome="<script>alert(2)</script>")
    finally:
        store.close()
    return url


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "browser tests need Debian's chromium (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + " (CI=true: a skipped browser test is a failure)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory) -> str:
    return seed_browser_store(tmp_path_factory.mktemp("browser") / "browser.db")


@pytest.fixture(scope="session")
def app_url(browser_store, artifacts) -> Iterator[str]:
    with running_app(browser_store, log=artifacts.parent / "streamlit.log") as base:
        yield base




class PatientBrowser:
    """A Chromium whose every new context waits up to PATIENCE_MS for what a test asks for."""

    def __init__(self, instance) -> None:
        self._instance = instance

    def new_context(self, **options):
        context = self._instance.new_context(**options)
        context.set_default_timeout(PATIENCE_MS)
        context.set_default_navigation_timeout(PATIENCE_MS)
        return context

    def close(self) -> None:
        self._instance.close()


@pytest.fixture(scope="session")
def browser(chromium) -> Iterator[PatientBrowser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = PatientBrowser(pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"]))
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Every JavaScript dialog (alert, confirm, prompt) a page opened: must stay empty."""
    return []


@pytest.fixture
def page(browser, dialogs) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 1800})

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("dialog", on_dialog)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
