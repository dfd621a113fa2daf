"""Started from another folder (no ``.streamlit/config.toml`` read), the dashboard's uploads still stop at 50 MB.

A real ``streamlit run`` from an empty folder, whose default limit is
200 MB; the app lowers it on its first run, so the uploader says 50 MB and
refuses a 51 MB file in Chromium, and the file never reaches the import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from server import PATIENCE_MS, free_port, open_page, wait_until_idle

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
    port = free_port()
    log = open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=elsewhere, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "CONNECTOR_GRAPH_STORE": url, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:  # wait for the server, or for it to fail
            assert process.poll() is None, (tmp_path / "streamlit.log").read_text()
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
