"""The pages managers read, at desktop width and on a 390 px phone: drawn without an error, and pictured."""

from __future__ import annotations

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
}


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
        page.get_by_text(says).first.wait_for(timeout=60_000)
        assert not page.locator('[data-testid="stException"]').count()
        page.screenshot(path=str(artifacts / f"manager-{name}-{width}px.png"), full_page=True)
    finally:
        context.close()
