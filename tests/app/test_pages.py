"""Every dashboard page through Streamlit's AppTest: empty store, demo data, forms and filters."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph import accounts, service
from connector_graph.seed import generate
from connector_graph.store import IntroductionFilter, open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["overview", "log", "directory", "explorer", "suggestions", "connectors", "gaps", "activity", "data", "privacy"]
MANAGER_PAGES = {"connectors", "gaps", "activity", "data"}
PASSWORD = "a-long-enough-password"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The demo network in a SQLite file, made once for the module."""
    from connector_graph.auth import acting_as

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    with acting_as("test-admin", "admin"):
        service.load_batch(store, generate("demo"))
    store.close()
    return path


@pytest.fixture
def demo_url(demo_file, tmp_path, monkeypatch) -> str:
    """A private copy of the demo network, as the app's store."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    return url


@pytest.fixture
def empty_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    return url


def _open(page: str, *, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/pages/{page}.py").run()
    return at


def _counts(url: str):
    store = open_store(url)
    try:
        return store.counts()
    finally:
        store.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_store(empty_url, page):
    at = _open(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_network(demo_url, page):
    at = _open(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_this_month_top_connectors_and_gaps(demo_url):
    at = _open("overview")
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("This month") for s in subheaders)
    assert "Top connectors" in subheaders and "Biggest gaps" in subheaders
    texts = " ".join(m.value for m in at.markdown)
    assert "single points of failure" in texts
    assert any("logged this month so far" in c.value for c in at.caption)


def test_logging_an_introduction_through_the_form_writes_it(demo_url):
    before = _counts(demo_url).introductions
    at = _open("log")
    at.selectbox(key="intro_by").select("p-000737")
    at.selectbox(key="intro_subject").select("p-000002")
    at.selectbox(key="intro_to").select("o-00001")
    at.multiselect(key="intro_purposes").select("social contact")
    at.button(key="intro_log").click().run()
    assert not at.exception
    assert any("Logged introduction" in s.value for s in at.success)
    store = open_store(demo_url)
    try:
        assert store.counts().introductions == before + 1
        mine = store.list_introductions(IntroductionFilter(actor_id="p-000002"))
        newest = max(mine, key=lambda i: (i.date, i.id))
        assert (newest.introducer_id, newest.target_id, newest.purposes) == ("p-000737", "o-00001", ["social contact"])
        assert newest.date == dt.date.today()
    finally:
        store.close()
    assert at.selectbox(key="intro_subject").value is None  # cleared for the next one


def test_logging_with_a_missing_name_says_which_and_writes_nothing(demo_url):
    before = _counts(demo_url).introductions
    at = _open("log")
    at.selectbox(key="intro_by").select("p-000737")
    at.button(key="intro_log").click().run()
    assert any("the person introduced" in e.value for e in at.error)
    assert _counts(demo_url).introductions == before
    assert at.selectbox(key="intro_by").value == "p-000737"  # what was chosen is kept


def test_a_look_alike_name_is_warned_about_before_it_becomes_a_duplicate(demo_url):
    before = _counts(demo_url).people
    at = _open("log")
    at.text_input(key="new_name").input("elena petrov")
    at.button(key="new_add").click().run()
    assert any("Elena Petrova" in w.value for w in at.warning)
    assert _counts(demo_url).people == before
    at.checkbox(key="new_anyway").check()
    at.button(key="new_add").click().run()
    assert any("Added elena petrov" in s.value for s in at.success)
    assert _counts(demo_url).people == before + 1


def test_recording_a_follow_up_outcome(demo_url):
    at = _open("log")
    at.selectbox(key="intro_by").select("p-000737").run()
    chosen = at.selectbox(key="fu_pick").value
    at.text_area(key="fu_outcome").input("joined the lunch club")
    at.button(key="fu_save").click().run()
    assert any("Outcome saved" in s.value for s in at.success)
    store = open_store(demo_url)
    try:
        intro = store.get_introduction(chosen)
        assert intro.outcome == "joined the lunch club" and intro.status.value == "followed_up"
    finally:
        store.close()


def test_directory_filters_change_what_is_listed(demo_url):
    at = _open("directory")
    everyone = len(at.dataframe[0].value)
    at.multiselect(key="dir_wards").select("Armley").run()
    in_armley = at.dataframe[0].value
    assert 0 < len(in_armley) < everyone and set(in_armley["ward"]) == {"Armley"}
    at.radio(key="dir_kind").set_value("organisation").run()
    assert set(at.dataframe[0].value["type"]) == {"organisation"}


def test_a_profile_shows_ties_introductions_and_place_in_words(demo_url):
    at = _open("directory", query={"id": "p-000737"})
    assert at.header[0].value == "Elena Petrova"
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("Ties (") for s in subheaders)
    assert any(s.startswith("Introductions made (563)") for s in subheaders)
    assert any("Reach: directly linked to" in t.value for t in at.text)


def test_editing_a_profile_saves_and_erasing_needs_the_name_typed(demo_url):
    at = _open("directory", query={"id": "p-000002"})
    name = at.header[0].value
    edit = [t for t in at.text_input if t.label.startswith("Gifts")][0]
    edit.input("baking, listening")
    [b for b in at.button if b.label == "Save changes"][0].click().run()
    store = open_store(demo_url)
    assert store.get_actor("p-000002").gifts == ["baking", "listening"]
    store.close()
    erase = at.button(key="erase_p-000002")
    assert erase.disabled
    at.text_input(key="erase_confirm_p-000002").input(name).run()
    at.button(key="erase_p-000002").click().run()
    assert any("Erased" in s.value for s in at.success)
    store = open_store(demo_url)
    try:
        assert "p-000002" not in store.existing_ids(["p-000002"])
    finally:
        store.close()


def test_explorer_filters_ego_and_path(demo_url):
    at = _open("explorer")
    assert any("each community is shown as one node" in i.value for i in at.info)
    at.multiselect(key="ex_wards").select("Armley").run()
    caption = [c.value for c in at.caption if "drawn for" in c.value][0]
    assert caption.startswith(tuple(str(n) for n in range(1, 300))) and " drawn for 1,000 people" in caption
    at.multiselect(key="ex_wards").unselect("Armley")
    at.selectbox(key="ex_ego").select("p-000737").run()
    assert any("within 1 step of Elena Petrova" in i.value for i in at.info)
    at.selectbox(key="ex_ego").set_value(None)
    at.selectbox(key="ex_path_a").select("p-000087")
    at.selectbox(key="ex_path_b").select("o-00001").run()
    assert not at.exception
    said = [s.value for s in at.success] + [i.value for i in at.info]
    assert any("could be introduced to" in s or "already directly linked" in s for s in said)


def test_activity_grouping_changes_the_table(demo_url):
    at = _open("activity")
    by_connector = at.dataframe[0].value
    at.selectbox(key="ac_by").select("status").run()
    by_status = at.dataframe[0].value
    assert set(by_status.columns) - {"month"} <= {"made", "followed_up", "planned", "declined", "unknown", "others"}
    assert list(by_connector.columns) != list(by_status.columns)


def test_connectors_page_ranks_and_says_what_if_someone_left(demo_url):
    at = _open("connectors")
    ranking = at.dataframe[0].value
    assert ranking.iloc[0]["name"] == "Elena Petrova" and len(ranking) == 20
    assert any(m.value.startswith("If Elena Petrova left") for m in at.markdown)
    at.selectbox(key="kc_by").select("introductions").run()
    made = list(at.dataframe[0].value["Introductions made"])
    assert made == sorted(made, reverse=True)


def test_aggregate_downloads_hide_counts_under_five(demo_url):
    at = _open("overview")
    ward_download = at.get("download_button")[-1]
    assert "counts under 5 hidden" in ward_download.proto.label


def _sign_in(at: AppTest, username: str) -> None:
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()


def test_a_connector_sees_no_manager_or_admin_page_even_by_url(demo_url):
    store = open_store(demo_url)
    accounts.add_user(store, "sam", "connector", PASSWORD)
    store.close()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    _sign_in(at, "sam")
    assert at.title[0].value == "Overview"
    assert "Top connectors" not in [s.value for s in at.subheader]  # analysis is for managers
    for page in sorted(MANAGER_PAGES | {"privacy"}):
        with pytest.raises(ValueError, match="Could not find a navigation page"):  # not routed for this role
            at.switch_page(f"dashboard/pages/{page}.py")
    at.switch_page("dashboard/pages/log.py").run()  # their own pages still open
    assert at.title[0].value == "Log an introduction" and not at.exception


def test_a_manager_may_export_but_not_administer(demo_url):
    store = open_store(demo_url)
    accounts.add_user(store, "meg", "manager", PASSWORD)
    store.close()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    _sign_in(at, "meg")
    at.switch_page("dashboard/pages/gaps.py").run()
    assert at.title[0].value == "Gaps" and not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("dashboard/pages/privacy.py")
