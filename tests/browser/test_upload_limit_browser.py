"""Started from another folder (no ``.streamlit/config.toml`` read), the dashboard's uploads still stop at 50 MB.

A real ``streamlit run`` from an empty folder, whose default limit is
200 MB; the app lowers it on its first run, so the uploader says 50 MB and
refuses a 51 MB file in Chromium, and the file never reaches the import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from server import PATIENCE_MS, open_page, serving, wait_until_idle

from connector_graph.signin import MAX_UPLOAD_MB
from connector_graph.store import open_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_started_elsewhere(tmp_path):
    """The dashboard started by ``streamlit run /path/to/app.py`` from an empty folder; yields its URL."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    with serving(ROOT / "app.py", env={"CONNECTOR_GRAPH_STORE": url, "PYTHONPATH": str(ROOT)},
                 log=tmp_path / "streamlit.log", cwd=elsewhere) as base:
        yield base


def test_a_file_over_the_limit_is_refused_when_started_from_another_folder(app_started_elsewhere, page, tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate((MAX_UPLOAD_MB + 1) * 1024 * 1024)
    open_page(page, app_started_elsewhere, "data")
    zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    assert f"{MAX_UPLOAD_MB}MB per file" in zone.inner_text()  # 200MB when the app leaves the default alone
    page.locator('input[type="file"]').first.set_input_files(str(big))
    wait_until_idle(page)
    page.get_by_text(f"File must be {MAX_UPLOAD_MB}.0MB or smaller", exact=False).first.wait_for(timeout=PATIENCE_MS)
    # the refused file never reaches the page: nothing to check or import, and no error trace
    assert page.get_by_role("button", name="Check (nothing is written)").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
