"""Every page, at desktop width and on a 390 px phone: drawn without an error, in plain words, and pictured."""

from __future__ import annotations

import re

import pytest
from server import open_page, wait_until_idle

pytestmark = pytest.mark.browser

#: page path -> (screenshot name, something the page must say)
PAGES = {
    "": ("overview", "Fair shares"),
    "gaps": ("gaps", "Wards on the map"),
    "explorer": ("explorer", "Open a community"),
    "connectors": ("connectors", "What if someone left?"),
    "activity": ("activity", "Network growth"),
    "directory?id=p-000317": ("profile", "Place in the network"),
    "suggestions": ("suggestions", "Suggested introductions"),
    "log": ("log", "Log an introduction"),
    "data": ("data", "Import and export"),
    "privacy": ("privacy", "Privacy and admin"),
}

#: words of code, not of people: snake_case names (``ties_out``, ``actors_per_1000``) and raw ids of enums
CODE_WORDS = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


@pytest.mark.parametrize("width,height", [(1280, 2200), (390, 3200)])
@pytest.mark.parametrize("path", list(PAGES))
def test_manager_pages_read_at_desktop_and_phone_width(browser, app_url, artifacts, path, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        route, _q, query = path.partition("?")
        open_page(page, app_url, route, query=query)
        page.wait_for_timeout(1500)
        wait_until_idle(page)
        name, says = PAGES[path]
        page.get_by_text(says).first.wait_for()
        assert not page.locator('[data-testid="stException"]').count()
        shown = page.locator('[data-testid="stMain"]').inner_text()
        icons = set(page.locator('[data-testid="stMain"] [data-testid="stIconMaterial"]').all_inner_texts())
        code = sorted(set(CODE_WORDS.findall(shown)) - icons)  # an icon's name is drawn as the icon, not read
        assert not code, f"{name} shows words of code: {code}"
        page.screenshot(path=str(artifacts / f"manager-{name}-{width}px.png"), full_page=True)
    finally:
        context.close()
