"""The dashboard's upload limit is set at the server level by the app itself, wherever it was started from.

``.streamlit/config.toml`` says 50 MB but Streamlit reads it only when started
beside it; elsewhere the default is 200 MB. The app lowers the server's limit
on its first run to the page-level check's value (``MAX_UPLOAD_MB``), so the
uploader and the upload endpoint (which read the option on every use) agree
with the page. A lower configured limit is kept. The browser test in
``tests/browser/test_upload_limit_browser.py`` starts a real server elsewhere.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from connector_graph.errors import InvalidInput
from connector_graph.signin import MAX_UPLOAD_MB, SERVER_LIMITS
from connector_graph.views import data

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def test_the_config_file_the_app_and_the_page_name_the_same_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == SERVER_LIMITS["server.maxUploadSize"] == MAX_UPLOAD_MB


def test_the_page_level_check_refuses_one_byte_over(tmp_path):
    over = data.Upload("big.json", b" " * (MAX_UPLOAD_MB * 1024 * 1024 + 1))
    with pytest.raises(InvalidInput, match=f"larger than {MAX_UPLOAD_MB} MB"):
        data.stage_uploads([over], "json", tmp_path)
    assert not (tmp_path / "upload").exists() or not any((tmp_path / "upload").iterdir())


@pytest.fixture
def upload_option():
    before = streamlit_config.get_option("server.maxUploadSize")
    yield
    streamlit_config.set_option("server.maxUploadSize", before)


@pytest.mark.parametrize("configured, applied", [(200, MAX_UPLOAD_MB), (MAX_UPLOAD_MB, MAX_UPLOAD_MB), (10, 10)])
def test_the_app_lowers_the_server_limit_on_its_first_run(tmp_path, monkeypatch, upload_option, configured, applied):
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", f"sqlite:///{tmp_path / 'empty.db'}")
    streamlit_config.set_option("server.maxUploadSize", configured)  # Streamlit's default when started elsewhere
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    assert not at.exception, at.exception
    assert streamlit_config.get_option("server.maxUploadSize") == applied  # what the upload endpoint reads
    at.switch_page("dashboard/pages/data.py").run()
    assert not at.exception, at.exception
    uploaders = at.get("file_uploader")
    assert uploaders and {u.proto.max_upload_size_mb for u in uploaders} == {applied}
