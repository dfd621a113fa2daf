"""Logging as a connector would, in Chromium at 390×844 and at desktop width: try to make it go wrong.

Every answer is checked in the store, worked out here from the store's own
records (names, dates, ids), not from what the page says.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError
from server import (
    ATTEMPT_MS, PATIENCE_MS, ROOT, _search, choose, free_port, open_page, pick, results_of, serve_command, visit,
    wait_until_idle,
)

from connector_graph import service
from connector_graph.audit import AuditAction
from connector_graph.auth import acting_as
from connector_graph.errors import NotFound
from connector_graph.store import IntroductionFilter, open_store
from connector_graph.submissions import uk_time
from dashboard.widgets import FAULT_SETTING
from worked import waiting_by_label

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 1000}},
}
ME = "Elena Petrova"  # p-000737, a connector in the demo network
ME_ID = "p-000737"
TO = "Introduced to (person or organisation)"


@pytest.fixture(params=list(VIEWPORTS))
def tab(request, browser, dialogs, artifacts):
    context = browser.new_context(**VIEWPORTS[request.param])
    context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page = context.new_page()
    page.viewport_name = request.param
    try:
        yield page
    finally:
        page.screenshot(path=str(artifacts / f"logging-{request.node.name}.png"))
        context.close()


def _store(url: str):
    return open_store(url)


def _open_log(page, base: str) -> None:
    """The logging page, answering the once-only "who are you?" if this store has not been told yet."""
    open_page(page, base, "log")
    who = page.get_by_role("textbox", name="Who are you?", exact=True)
    chosen = page.get_by_text("Introduced by:").first
    who.or_(chosen).first.wait_for()
    if who.count():
        pick(page, "Who are you?", ME)
    chosen.wait_for()


def _alerts(page) -> list[str]:
    """The texts of the messages the page shows (errors, warnings, confirmations), for a failure's report."""
    return [a.inner_text().strip() for a in page.get_by_test_id("stAlert").all()]


def _fits(page) -> None:
    widths = page.evaluate("() => ({page: document.documentElement.scrollWidth, view: window.innerWidth})")
    assert widths["page"] <= widths["view"], widths


def _outcomes(url: str, ids) -> dict[str, str | None]:
    store = _store(url)
    try:
        return {i: store.get_introduction(i).outcome for i in ids}
    finally:
        store.close()


def test_the_outcome_goes_to_the_chosen_introduction_after_reruns_and_navigation(app_url, browser_store, tab):
    _open_log(tab, app_url)
    before = waiting_by_label(browser_store, ME_ID)
    follow_ups = tab.get_by_test_id("stRadio").filter(has=tab.get_by_text("Record the outcome of", exact=True))
    follow_ups.get_by_role("radio").first.wait_for()
    options = [o.inner_text().strip() for o in follow_ups.locator("label").filter(has=tab.get_by_role("radio")).all()]
    assert len(options) >= 3
    target_label = options[1]
    chosen = [i for label, i in before.items() if target_label.startswith(label)]
    assert len(chosen) == 1, (target_label, list(before)[:5])
    follow_ups.get_by_text(target_label).click()
    wait_until_idle(tab)
    tab.get_by_label("Outcome", exact=True).fill(f"joined the walking group ({tab.viewport_name})")
    tab.get_by_label("Outcome", exact=True).blur()
    wait_until_idle(tab)
    # go somewhere else and come back: the choice and the text are still there
    visit(tab, "People and organisations")
    visit(tab, "Log an introduction")
    assert tab.get_by_label("Outcome", exact=True).input_value() == f"joined the walking group ({tab.viewport_name})"
    assert tab.get_by_text(re.compile("^Saving for: ")).inner_text().replace("Saving for: ", "").startswith(
        target_label.split(" (introduced")[0])
    tab.get_by_role("button", name="Save outcome").click()
    tab.get_by_text(re.compile(r"^Outcome saved for: ")).wait_for()
    wait_until_idle(tab)
    after = _outcomes(browser_store, before.values())
    assert after[chosen[0]] == f"joined the walking group ({tab.viewport_name})"
    assert [i for i, outcome in after.items() if outcome and i != chosen[0]] == []
    # the box is empty, nothing is chosen, and pressing Save again cannot write anywhere
    assert tab.get_by_label("Outcome", exact=True).input_value() == ""
    assert tab.get_by_role("button", name="Save outcome").is_disabled()
    assert target_label not in [o.inner_text().strip() for o in follow_ups.locator("label").all()]
    tab.get_by_label("Outcome", exact=True).fill("this must go nowhere")
    tab.get_by_label("Outcome", exact=True).blur()
    wait_until_idle(tab)
    tab.get_by_role("button", name="Save outcome").click(force=True)
    wait_until_idle(tab)
    assert [i for i, o in _outcomes(browser_store, before.values()).items() if o == "this must go nowhere"] == []
    _fits(tab)


def _by_me(url: str) -> dict[str, tuple[str, str]]:
    store = _store(url)
    try:
        return {i.id: (i.subject_id, i.target_id) for i in store.list_introductions(IntroductionFilter(introducer_id=ME_ID))}
    finally:
        store.close()


def test_two_people_with_the_same_name_are_told_apart_and_the_chosen_one_is_stored(app_url, browser_store, tab):
    before = _by_me(browser_store)
    _open_log(tab, app_url)
    shown = results_of(tab, "Person introduced", "David Green")
    greens = [s for s in shown if s.startswith("David Green")]
    assert len(greens) == 3 and len(set(greens)) == 3, greens
    # two of them differ in nothing but their id: the short id suffix tells them apart
    assert sum("#0683" in s for s in greens) == 1 and sum("#0446" in s for s in greens) == 1
    tab.get_by_test_id("stRadio").get_by_text("#0683").click()
    wait_until_idle(tab)
    pick(tab, TO, "Whinmoor Cricket Club")
    tab.get_by_role("button", name="Log introduction").click()
    tab.get_by_text(re.compile(r"^Logged: David Green introduced to Whinmoor Cricket Club by you, today")).wait_for()
    store = _store(browser_store)
    try:
        club = next(a.id for a in store.search_actors("Whinmoor Cricket Club") if a.name == "Whinmoor Cricket Club")
    finally:
        store.close()
    new = [pair for i, pair in _by_me(browser_store).items() if i not in before]
    assert new == [("p-000683", club)]  # the David Green chosen, not one of the other two
    _fits(tab)


def test_the_introducer_survives_a_reload_and_a_visit_to_another_page(app_url, tab):
    _open_log(tab, app_url)
    assert tab.get_by_text("Introduced by:").first.inner_text().startswith("Introduced by:")
    assert ME in tab.get_by_test_id("stMarkdown").filter(has_text="Introduced by:").first.inner_text()
    tab.get_by_role("button", name="Change").first.click()
    wait_until_idle(tab)
    pick(tab, "Introduced by", "Gary Campbell")
    pick(tab, "Person introduced", "Jean Firth")
    visit(tab, "People and organisations")
    visit(tab, "Log an introduction")
    by = tab.get_by_test_id("stMarkdown").filter(has_text="Introduced by:").first.inner_text()
    subject = tab.get_by_test_id("stMarkdown").filter(has_text="Person introduced:").first.inner_text()
    assert "Gary Campbell" in by and "Jean Firth" in subject
    tab.reload()  # a new session: what was chosen comes back from the page's address
    tab.get_by_role("heading", name="Log an introduction").wait_for()
    wait_until_idle(tab)
    by = tab.get_by_test_id("stMarkdown").filter(has_text="Introduced by:").first.inner_text()
    subject = tab.get_by_test_id("stMarkdown").filter(has_text="Person introduced:").first.inner_text()
    assert "Gary Campbell" in by and "Jean Firth" in subject
    open_page(tab, app_url, "log")  # a new visit: you again, remembered on this device
    by = tab.get_by_test_id("stMarkdown").filter(has_text="Introduced by:").first.inner_text()
    assert ME in by
    assert not tab.get_by_role("textbox", name="Who are you?", exact=True).count()


def test_undo_removes_the_introduction_and_the_audit_log_records_it(app_url, browser_store, tab):
    _open_log(tab, app_url)
    pick(tab, "Person introduced", "Jean Firth")
    pick(tab, TO, "Pudsey Community Hub")
    tab.get_by_role("button", name="Log introduction").click()
    tab.get_by_text(re.compile(r"^Logged: Jean Firth introduced to Pudsey Community Hub by you, today")).wait_for()
    store = _store(browser_store)
    try:
        logged = [i for i in store.list_introductions(IntroductionFilter(actor_id="p-000357"))
                  if i.introducer_id == ME_ID and i.target_id == "o-00099"]
    finally:
        store.close()
    assert len(logged) == 1
    tab.get_by_role("button", name="Undo").click()
    tab.get_by_text(re.compile(r"^Undone")).wait_for()
    store = _store(browser_store)
    try:
        with pytest.raises(NotFound):
            store.get_introduction(logged[0].id)
        actions = [e.action for e in store.list_audit(target=logged[0].id)]
    finally:
        store.close()
    assert actions == [AuditAction.ADD_INTRODUCTION, AuditAction.REMOVE_INTRODUCTION]


def test_someone_new_is_stored_with_a_lawful_basis(app_url, browser_store, tab):
    name = {"phone": "Zephyrine Quill", "desktop": "Marguerite Oyelaran"}[tab.viewport_name]  # not alike each other
    _open_log(tab, app_url)
    tab.get_by_text("Someone new? Add a person or organisation first").click()
    tab.get_by_label("Name", exact=True).fill(name)
    tab.get_by_label("Name", exact=True).blur()
    wait_until_idle(tab)
    basis = tab.get_by_test_id("stSelectbox").filter(has_text="Lawful basis for holding their details")
    assert basis.locator("input").input_value() == "legitimate interests"  # the configured default, shown first
    tab.get_by_role("button", name="Check and add").click()
    tab.get_by_text(f"Added {name}").wait_for()
    store = _store(browser_store)
    try:
        added = [a for a in store.search_actors(name) if a.name == name]
    finally:
        store.close()
    assert len(added) == 1 and added[0].lawful_basis.value == "legitimate_interests"


def test_shared_surnames_are_not_look_alikes_but_spelling_variants_are(app_url, browser_store, tab):
    ward = {"phone": "Armley", "desktop": "Pudsey"}[tab.viewport_name]
    store = _store(browser_store)
    try:
        with acting_as("test-setup", "admin"):
            if not [a for a in store.search_actors("John Smith") if a.ward == ward and a.name == "John Smith"]:
                service.add_person(store, "John Smith", ward=ward)
            browns = [a.name for a in store.search_actors("Brown", limit=500) if a.ward == ward]
    finally:
        store.close()
    assert browns, "the demo network should hold Browns in this ward"
    _open_log(tab, app_url)
    tab.get_by_text("Someone new? Add a person or organisation first").click()

    header = tab.get_by_text("Someone new? Add a person or organisation first")
    box = tab.locator("details").filter(has=header)

    def add(name: str) -> None:
        """Type the name, choose the ward, press the button; all again if a click that landed while the
        page moved closed the box (its fields are drawn only while it is open)."""
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while True:
            wait_until_idle(tab)
            try:
                if box.get_attribute("open", timeout=ATTEMPT_MS) is None:
                    header.click(timeout=ATTEMPT_MS)
                    wait_until_idle(tab)
                tab.get_by_label("Name", exact=True).fill(name, timeout=ATTEMPT_MS)
                tab.get_by_label("Name", exact=True).blur(timeout=ATTEMPT_MS)
                choose(tab, "Ward", ward)  # again if the run the new name started closes the list while it is open
                tab.get_by_role("button", name="Check and add").click(timeout=ATTEMPT_MS)
                break
            except (PlaywrightError, AssertionError):
                if time.monotonic() > deadline:
                    raise
        wait_until_idle(tab)

    add("Jon Smyth")
    warning = tab.get_by_text(re.compile("^Already in the network under a similar name"))
    warning.wait_for()
    assert "John Smith" in warning.inner_text()
    newcomer = {"phone": "Folake Adeyemi-Brown", "desktop": "Olusegun Adeyemi-Brown"}[tab.viewport_name]
    add(newcomer)
    tab.get_by_text(f"Added {newcomer}").wait_for()
    store = _store(browser_store)
    try:
        assert not [a for a in store.search_actors("Jon Smyth") if a.ward == ward]
        assert [a for a in store.search_actors(newcomer) if a.ward == ward]
    finally:
        store.close()


# ------------------------------------------------------------------ a crash between the commit and the confirmation


@contextmanager
def _server_on(port: int, store_url: str, log: Path, *, fault: str | None = None) -> Iterator[subprocess.Popen]:
    """The dashboard (``python -m dashboard.serve``) on a chosen port (so a restarted server is found by the same page)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CONNECTOR_GRAPH_STORE": store_url}
    env.pop(FAULT_SETTING, None)
    if fault:
        env[FAULT_SETTING] = fault  # the dashboard SIGKILLs itself right after a form's commit
    command = [*serve_command(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with open(log, "a") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while True:  # until it answers (a busy machine is slow, not broken)
                assert process.poll() is None, f"the dashboard exited with {process.returncode} (see {log})"
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.2)
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _introductions_of(url: str, subject: str, target: str) -> list[str]:
    store = _store(url)
    try:
        return [i.id for i in store.list_introductions(IntroductionFilter(actor_id=subject))
                if i.introducer_id == ME_ID and i.target_id == target]
    finally:
        store.close()


def test_a_retry_after_the_server_died_between_commit_and_confirmation_stores_nothing_new(
        browser_store, browser, tmp_path, artifacts):
    copy = tmp_path / "crash.db"
    shutil.copy(browser_store.removeprefix("sqlite:///"), copy)
    url, port, log = f"sqlite:///{copy}", free_port(), artifacts.parent / "streamlit-crash.log"
    base = f"http://127.0.0.1:{port}"
    context = browser.new_context(**VIEWPORTS["phone"])
    tab = context.new_page()
    try:
        with _server_on(port, url, log, fault="crash-after-save") as first:
            _open_log(tab, base)
            pick(tab, "Person introduced", "Jean Firth")
            pick(tab, TO, "Pudsey Community Hub")
            tab.get_by_role("button", name="Log introduction").click()
            assert first.wait(timeout=PATIENCE_MS / 1000) == -signal.SIGKILL  # died right after the commit
        saved = _introductions_of(url, "p-000357", "o-00099")
        assert len(saved) == 1  # the first press was committed...
        assert not tab.get_by_text(re.compile(r"^Logged")).count()  # ...and never confirmed
        tab.screenshot(path=str(artifacts / "logging-crash-before-restart.png"))

        with _server_on(port, url, log):  # the same store and port: the page reconnects by itself
            # the page still shows the form it drew before the crash: wait until it is connected to the new
            # server and has run the page there, so the press goes to the new server
            tab.wait_for_function("""() => document.querySelector('[data-testid="stApp"]')
                ?.getAttribute('data-test-connection-state') === 'CONNECTED'""", timeout=PATIENCE_MS)
            wait_until_idle(tab)
            subject = tab.get_by_test_id("stMarkdown").filter(has_text="Person introduced:")
            subject.filter(has_text="Jean Firth").first.wait_for()  # the form comes back filled in
            already = tab.get_by_text(re.compile(r"^Already saved at \d\d:\d\d"))
            for press in range(1, 4):  # a press the reconnecting page swallows is pressed again, as anyone would
                tab.get_by_role("button", name="Log introduction").click()
                try:
                    already.wait_for(timeout=ATTEMPT_MS if press < 3 else PATIENCE_MS)
                    break
                except PlaywrightError:
                    if press == 3:
                        tab.screenshot(path=str(artifacts / "logging-crash-retry-failed.png"), full_page=True)
                        raise AssertionError(f"no 'Already saved' after {press} presses; the page said "
                                             f"{_alerts(tab)!r} at {tab.url}") from None
                    wait_until_idle(tab)
            tab.get_by_text(re.compile(r"^Logged: Jean Firth introduced to Pudsey Community Hub")).wait_for()
            tab.screenshot(path=str(artifacts / "logging-crash-retried.png"))
            assert _introductions_of(url, "p-000357", "o-00099") == saved  # exactly one, the first
            store = _store(url)
            try:
                moment = store.list_audit(target=saved[0])[0].at
            finally:
                store.close()
            assert already.first.inner_text().startswith(f"Already saved at {uk_time(moment)}")
    finally:
        context.close()


def test_a_tap_on_log_right_after_the_last_pick_is_never_lost(app_url, browser_store, browser, artifacts):
    """Tap the result, then at once "Log introduction" (no pause, no waiting for the page): every tap logs."""
    context = browser.new_context(**VIEWPORTS["phone"])
    tab = context.new_page()
    taps = 4
    try:
        before = _introductions_of(browser_store, "p-000357", "o-00099")
        _open_log(tab, app_url)
        for n in range(taps):
            pick(tab, "Person introduced", "Jean Firth")
            _search(tab, TO, "Pudsey Community Hub").get_by_text("Pudsey Community Hub").first.click()
            tab.get_by_role("button", name="Log introduction").click()  # the list of results is still going
            deadline = time.monotonic() + PATIENCE_MS / 1000
            while len(_introductions_of(browser_store, "p-000357", "o-00099")) < len(before) + n + 1:
                if time.monotonic() > deadline:
                    tab.screenshot(path=str(artifacts / "logging-tap-lost.png"))
                    pytest.fail(f"tap {n + 1} of {taps} on Log introduction was lost; the page said "
                                f"{_alerts(tab)!r} at {tab.url}")
                tab.wait_for_timeout(200)
            wait_until_idle(tab)
            assert tab.get_by_text(re.compile(r"^Logged: Jean Firth introduced to Pudsey Community Hub")).count()
            assert not tab.get_by_text(re.compile(r"^Already saved")).count()
        assert len(_introductions_of(browser_store, "p-000357", "o-00099")) == len(before) + taps
        tab.screenshot(path=str(artifacts / "logging-tap-right-after-pick.png"))
    finally:
        context.close()
