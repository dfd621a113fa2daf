"""The dashboard in a real Chromium: every page, logging through the UI, hostile names, a phone-width screen."""

from __future__ import annotations

import re

import pytest
from server import PAGES, PATIENCE_MS, choose, explorer_frame, no_script_ran, open_page, pick, wait_until_idle

from connector_graph.store import IntroductionFilter, open_store

pytestmark = pytest.mark.browser

#: URL path (Streamlit derives it from the page file) -> title shown.

def _shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def _assert_clean(page, dialogs) -> None:
    assert not page.locator('[data-testid="stException"]').count(), "a page showed a Python exception"
    assert dialogs == [], f"script ran: {dialogs}"
    assert no_script_ran(page) == []


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_in_chromium(app_url, page, dialogs, artifacts, path):
    open_page(page, app_url, path)
    assert page.locator("h1").first.inner_text() == PAGES[path]
    _assert_clean(page, dialogs)
    _shot(page, artifacts, f"page-{path or 'overview'}")


def test_the_explorer_draws_a_still_picture_with_no_internet(app_url, page, dialogs, artifacts):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, app_url, "explorer")
    frame = explorer_frame(page)
    frame.wait_for_function("document.body.getAttribute('data-stable-ms') !== null", timeout=PATIENCE_MS)
    # the default view: one shape per community, far fewer than the people
    assert 1 < frame.evaluate("nodes.length") < 300
    assert frame.evaluate("nodes.get().every(n => n.id.startsWith('community-'))")
    assert frame.evaluate("network.physics.options.enabled") is False
    outside = [url for url in requests if not url.startswith(app_url) and not url.startswith(("data:", "blob:", "about:"))]
    assert outside == [], f"the page fetched from the internet: {outside[:5]}"
    _assert_clean(page, dialogs)


def test_logging_an_introduction_in_the_browser_shows_up_in_the_explorer_and_on_the_profile(
    app_url, browser_store, page, dialogs, artifacts
):
    open_page(page, app_url, "log")
    page.get_by_text("Someone new? Add a person or organisation first").click()
    page.get_by_label("Name", exact=True).fill("Browser Test Resident")
    page.get_by_role("button", name="Check and add").click()
    page.wait_for_timeout(300)
    wait_until_idle(page)
    page.get_by_text("Added Browser Test Resident").wait_for()
    if page.get_by_role("textbox", name="Who are you?", exact=True).count():
        pick(page, "Who are you?", "Elena Petrova")
    else:
        page.get_by_role("button", name="Change").first.click()
        wait_until_idle(page)
        pick(page, "Introduced by", "Elena Petrova")
    pick(page, "Introduced to (person or organisation)", "Roundhay Bike Project")
    chosen = page.get_by_test_id("stMarkdown").filter(has_text="Person introduced:").first.inner_text()
    assert "Browser Test Resident" in chosen
    _shot(page, artifacts, "log-filled-in")
    page.get_by_role("button", name="Log introduction").click()
    page.get_by_text(re.compile(r"^Logged: Browser Test Resident introduced to Roundhay Bike Project by")).wait_for(
        timeout=PATIENCE_MS)
    _shot(page, artifacts, "log-done")

    store = open_store(browser_store)
    try:
        resident = next(a for a in store.search_actors("Browser Test Resident") if a.name == "Browser Test Resident")
        bikes = next(a for a in store.search_actors("Roundhay Bike Project"))
        logged = store.list_introductions(IntroductionFilter(actor_id=resident.id))
    finally:
        store.close()
    assert [(i.introducer_id, i.target_id) for i in logged] == [("p-000737", bikes.id)]

    open_page(page, app_url, "directory", query=f"id={resident.id}")
    assert page.locator("h2").filter(has_text="Browser Test Resident").count() == 1
    page.get_by_text("Introductions received (1)").wait_for()
    _shot(page, artifacts, "profile-after-logging")

    open_page(page, app_url, "explorer")
    choose(page, "Focus on one person or organisation", "Browser Test Resident")
    frame = explorer_frame(page)
    drawn = set(frame.evaluate("nodes.getIds()"))
    assert {resident.id, "p-000737", bikes.id} <= drawn
    _assert_clean(page, dialogs)
    _shot(page, artifacts, "explorer-after-logging")


def test_hostile_names_never_run_script_on_any_page(app_url, page, dialogs, artifacts):
    for path in PAGES:
        open_page(page, app_url, path)
        _assert_clean(page, dialogs)
    open_page(page, app_url, "directory", query="id=p-xss-img")
    assert page.locator("h2").first.inner_text() == "<img src=x onerror=alert(1)>"
    _assert_clean(page, dialogs)
    open_page(page, app_url, "directory", query="id=p-xss-script")
    assert page.locator("h2").first.inner_text() == "<script>alert(1)</script>"
    page.get_by_test_id("stHorizontalBlock").get_by_text("<b>cooking</b>").wait_for()  # shown as text, not bold
    _shot(page, artifacts, "xss-profile")
    _assert_clean(page, dialogs)

    open_page(page, app_url, "explorer")
    choose(page, "Focus on one person or organisation", "<script>", option="<script>alert(1)</script>")
    frame = explorer_frame(page)
    frame.wait_for_function("document.body.getAttribute('data-stable-ms') !== null", timeout=PATIENCE_MS)
    for node_id, name in (("p-xss-img", "<img src=x onerror=alert(1)>"), ("o-xss-svg", '"><svg onload=alert(1)>')):
        frame.frame_element().scroll_into_view_if_needed()
        frame.evaluate(f"network.focus('{node_id}', {{scale: 1.5, animation: false}})")
        page.wait_for_timeout(300)
        point = frame.evaluate(
            f"""() => {{
                const p = network.canvasToDOM(network.getPositions(['{node_id}'])['{node_id}']);
                const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
                return {{x: r.left + p.x, y: r.top + p.y}};
            }}"""
        )
        box = frame.frame_element().bounding_box()
        x, y = box["x"] + point["x"], box["y"] + point["y"]
        page.mouse.move(x, y)
        page.wait_for_timeout(600)
        tooltip = frame.evaluate("(() => { const t = document.querySelector('.vis-tooltip'); "
                                 "return t ? {text: t.innerText, tags: Array.from(t.querySelectorAll('*'), e => e.tagName)} : null; })()")
        # innerText turns line breaks into <br>; nothing else may be made of the name
        assert tooltip is not None and tooltip["text"].startswith(name) and set(tooltip["tags"]) <= {"BR"}, tooltip
        page.mouse.click(x, y)
        page.wait_for_timeout(200)
        details = frame.evaluate("document.getElementById('cg-details').textContent")
        assert details.startswith(name), details
    _shot(page, artifacts, "xss-explorer")
    _assert_clean(page, dialogs)

    open_page(page, app_url, "explorer")
    choose(page, "Who could introduce…", "<img", option="<img src=x onerror=alert(1)>")
    choose(page, "…to", "Roundhay Bike Project")
    assert page.get_by_text("could be introduced to").count() or page.get_by_text("already directly linked").count()
    _assert_clean(page, dialogs)


def test_the_logging_page_fits_a_phone_screen(browser, app_url, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    try:
        phone = context.new_page()
        open_page(phone, app_url, "log")
        widths = phone.evaluate(
            """() => ({page: document.documentElement.scrollWidth,
                       main: document.querySelector('[data-testid="stMain"]').scrollWidth,
                       viewport: window.innerWidth})"""
        )
        assert widths["viewport"] == 390
        assert widths["page"] <= 390 and widths["main"] <= 390, widths
        for label in ("Person introduced", "Introduced to (person or organisation)"):
            box = phone.get_by_role("textbox", name=label, exact=True).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (label, box)
        assert phone.get_by_role("button", name="Log introduction").bounding_box()["width"] > 0
        phone.screenshot(path=str(artifacts / "log-phone-390px.png"), full_page=True)
    finally:
        context.close()


def test_a_connector_opening_a_manager_page_by_url_sees_none_of_it(browser, tmp_path, artifacts):
    from server import running_app

    from connector_graph import accounts, service
    from connector_graph.auth import acting_as

    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    store = open_store(url)
    with acting_as("test-setup", "admin"):
        accounts.add_user(store, "sam", "connector", "a-long-enough-password")
        service.add_person(store, "Ann Ahmed", ward="Armley")
    store.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        with running_app(url, log=artifacts.parent / "streamlit-accounts.log") as base:
            # Every page load is a new session, so opening a URL means signing in there.
            for path in ("gaps", "connectors", "activity", "data", "privacy"):
                open_page(tab, base, path)
                assert tab.locator("h1").first.inner_text() == "Sign in"
                assert "Ann Ahmed" not in tab.content()
                tab.get_by_role("textbox", name="User name").fill("sam")
                tab.get_by_role("textbox", name="Password").fill("a-long-enough-password")
                tab.get_by_role("button", name="Sign in").click()
                tab.get_by_role("heading", name="Overview").wait_for()
                wait_until_idle(tab)
                assert [h.inner_text() for h in tab.locator("h1").all()] == ["Overview"], path
                nav = tab.get_by_test_id("stSidebarNav").inner_text()
                assert "Gaps" not in nav and "Privacy and admin" not in nav and "Log an introduction" in nav
            tab.screenshot(path=str(artifacts / "connector-opens-manager-url.png"))
    finally:
        context.close()
