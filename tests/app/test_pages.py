"""Every dashboard page through Streamlit's AppTest: empty store, demo data, forms and filters."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph import accounts, service
from connector_graph.seed import generate
from connector_graph.store import IntroductionFilter, open_store
from worked import waiting_by_label

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
    at = AppTest.from_file(APP, default_timeout=600)
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


def _open_someone_new(at: AppTest) -> None:
    """Open the "Someone new?" box, whose fields are drawn only while it is open."""
    assert "new_name" not in [t.key for t in at.text_input]
    at.session_state["new_box"] = True
    at.run()


def _choose(at: AppTest, **chosen: str) -> None:
    """What the search pickers keep once someone is picked: the chosen ids."""
    for key, actor_id in chosen.items():
        at.session_state[key] = actor_id


def test_logging_an_introduction_through_the_form_writes_it(demo_url):
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737", intro_subject="p-000002", intro_to="o-00001")
    at.run()
    assert "intro_purposes" not in [m.key for m in at.multiselect]  # the closed details box draws nothing
    at.session_state["intro_details"] = True  # the optional details are drawn once their box is opened
    at.run()
    at.multiselect(key="intro_purposes").select("social contact")
    at.button(key="intro_log").click().run()
    assert not at.exception
    assert any(s.value.startswith("Logged\\: Stuart Sutcliffe introduced to Garforth High School by") for s in at.success), \
        [s.value for s in at.success]
    store = open_store(demo_url)
    try:
        assert store.counts().introductions == before + 1
        mine = store.list_introductions(IntroductionFilter(actor_id="p-000002"))
        newest = max(mine, key=lambda i: (i.date, i.id))
        assert (newest.introducer_id, newest.target_id, newest.purposes) == ("p-000737", "o-00001", ["social contact"])
        assert newest.date == dt.date.today()
    finally:
        store.close()
    assert at.session_state["intro_subject"] is None  # cleared for the next one
    assert at.session_state["intro_by"] == "p-000737"  # who made it stays


def test_logging_with_a_missing_name_says_which_and_writes_nothing(demo_url):
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737")
    at.button(key="intro_log").click().run()
    assert any("the person introduced" in e.value for e in at.error)
    assert _counts(demo_url).introductions == before
    assert at.session_state["intro_by"] == "p-000737"  # what was chosen is kept


def test_the_pickers_search_the_store_as_you_type(demo_url):
    at = _open("log")
    at.text_input(key="intro_subject_q").input("David Green").run()
    options = at.radio(key="intro_subject_r").options
    assert len(options) == 3 and len(set(options)) == 3  # three David Greens, told apart
    at.radio(key="intro_subject_r").set_value("p-000446").run()
    assert at.session_state["intro_subject"] == "p-000446"


def _search_box(at: AppTest, label: str):
    """The search box a picker draws now (its key carries the picker's generation)."""
    return next(t for t in at.text_input if t.label == label)


def _matches(at: AppTest, label: str):
    return next(r for r in at.radio if r.label == f"Matches for {label}")


def test_after_a_log_the_pickers_start_blank_even_when_the_tap_run_was_cut_short(demo_url):
    """A tap on a result then at once on "Log introduction": the tap's run is stopped before the picker
    moves to a new box. After the log, the same result is searched and tapped again: it must be chosen
    (the old list, with it still ticked, would take the tap as no change and log nothing)."""
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737", intro_subject="p-000357")
    at.run()
    _search_box(at, TO_LABEL).input("Pudsey Community Hub").run()
    # What the stopped run leaves: the choice taken by the tap's callback, its box and list not yet renewed.
    at.session_state["intro_to"] = "o-00099"
    at.session_state["intro_to_fresh"] = True
    at.session_state[_matches(at, TO_LABEL).key] = "o-00099"
    at.button(key="intro_log").click().run()
    assert _counts(demo_url).introductions == before + 1
    assert _search_box(at, TO_LABEL).value == ""  # a new, empty box
    assert not [r for r in at.radio if r.label == f"Matches for {TO_LABEL}"]

    _choose(at, intro_subject="p-000357")
    _search_box(at, TO_LABEL).input("Pudsey Community Hub").run()
    assert _matches(at, TO_LABEL).value is None  # nothing ticked in the new list
    _matches(at, TO_LABEL).set_value("o-00099").run()
    assert at.session_state["intro_to"] == "o-00099"
    at.button(key="intro_log").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _counts(demo_url).introductions == before + 2


def test_a_result_ticked_whose_callback_was_cut_short_is_the_choice(demo_url):
    """A press right after a tap can stop the callbacks before the list's has run: the result sits ticked
    with nothing chosen. The press must log what the user sees ticked (a second tap would be no change)."""
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737", intro_subject="p-000357")
    at.run()
    _search_box(at, TO_LABEL).input("Pudsey Community Hub").run()
    at.session_state[_matches(at, TO_LABEL).key] = "o-00099"  # ticked, and the callback never ran
    assert "intro_to" not in at.session_state  # nothing chosen
    at.button(key="intro_log").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _counts(demo_url).introductions == before + 1
    assert any(t.startswith("Logged: Jean Firth introduced to Pudsey Community Hub") for t in _texts(at)), _texts(at)


def test_change_gives_a_blank_search_box(demo_url):
    at = _open("log")
    _choose(at, intro_by="p-000737")
    at.run()
    _search_box(at, "Person introduced").input("David Green").run()
    _matches(at, "Person introduced").set_value("p-000446").run()
    at.run()  # the run after the tap draws the short form with its Change button
    at.button(key="intro_subject_change").click().run()
    assert at.session_state["intro_subject"] is None
    assert _search_box(at, "Person introduced").value == ""
    _search_box(at, "Person introduced").input("David Green").run()
    _matches(at, "Person introduced").set_value("p-000446").run()
    assert at.session_state["intro_subject"] == "p-000446"


def test_a_look_alike_name_is_warned_about_before_it_becomes_a_duplicate(demo_url):
    before = _counts(demo_url).people
    at = _open("log")
    _open_someone_new(at)
    at.text_input(key="new_name").input("elena petrov")
    at.button(key="new_add").click().run()
    assert any("Elena Petrova" in w.value for w in at.warning)
    assert _counts(demo_url).people == before
    at.checkbox(key="new_anyway").check()
    at.button(key="new_add").click().run()
    assert any("Added elena petrov" in s.value for s in at.success)
    assert _counts(demo_url).people == before + 1


def test_someone_new_is_stored_with_the_configured_lawful_basis_or_consent(demo_url, monkeypatch):
    monkeypatch.setenv("CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS", "public_task")
    at = _open("log")
    _open_someone_new(at)
    assert at.selectbox(key="new_basis").value == "public_task"
    at.text_input(key="new_name").input("Zephyrine Quill")
    at.button(key="new_add").click().run()
    at.text_input(key="new_name").input("Marguerite Oyelaran")
    at.selectbox(key="new_basis").select("consent").run()
    at.selectbox(key="new_consent_method").select("written")
    at.button(key="new_add").click().run()
    store = open_store(demo_url)
    try:
        people = {p.name: p for p in store.search_actors("Zephyrine Quill") + store.search_actors("Marguerite Oyelaran")}
    finally:
        store.close()
    assert people["Zephyrine Quill"].lawful_basis.value == "public_task"
    consented = people["Marguerite Oyelaran"]
    assert (consented.lawful_basis.value, consented.consent_method.value) == ("consent", "written")
    assert consented.consent_given_on == dt.date.today()


def test_recording_a_follow_up_outcome_goes_to_the_one_chosen_and_clears_the_form(demo_url):
    by_label = waiting_by_label(demo_url, "p-000737")
    at = _open("log")
    _choose(at, intro_by="p-000737")
    at.run()
    overdue = int(at.radio(key="fu_group").options[0].removeprefix("Overdue (").rstrip(")"))
    picks = at.radio(key="fu_pick_0")
    shown = [option.replace("\\", "") for option in picks.options]
    second = [intro for label, intro in by_label.items() if shown[1].startswith(label)]
    assert len(second) == 1, (shown[1], by_label)
    picks.set_value(second[0]).run()
    at.text_area(key="fu_outcome").input("joined the lunch club")
    at.button(key="fu_save").click().run()
    assert any(s.value.startswith("Outcome saved for") for s in at.success), [s.value for s in at.success]
    store = open_store(demo_url)
    try:
        intro = store.get_introduction(second[0])
        assert intro.outcome == "joined the lunch club" and intro.status.value == "followed_up"
        others = [store.get_introduction(i) for i in by_label.values() if i != second[0]]
        assert all(o.outcome is None for o in others)  # nothing else was touched
    finally:
        store.close()
    assert at.text_area(key="fu_outcome").value == ""  # the box is cleared
    assert at.button(key="fu_save").disabled  # nothing stays chosen
    assert at.radio(key="fu_pick_1").value is None
    assert picks_label_gone(at, shown[1])  # the saved one left the list
    assert at.radio(key="fu_group").options[0] == f"Overdue ({overdue - 1})"


def picks_label_gone(at: AppTest, label: str) -> bool:
    return label not in [option.replace("\\", "") for option in at.radio(key="fu_pick_1").options]


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


def _parsed_texts_kept() -> list[int]:
    """Lengths of the longest part of every answer Python's URL parser is still remembering."""
    import gc
    import urllib.parse

    return [max(map(len, r)) for r in gc.get_referents(urllib.parse.urlsplit) if isinstance(r, urllib.parse.SplitResult)]


def test_the_explorer_drawings_are_not_kept_by_the_url_parser(demo_url):
    """Every drawing differs, and the URL parser's cache would keep the last 128 (a megabyte each)."""
    at = _open("explorer")
    drawn = [e for e in at.get("iframe")]
    assert drawn and len(drawn[0].proto.srcdoc) > 100_000  # a real drawing was made
    for ward in ("Armley", "Pudsey"):
        at.multiselect(key="ex_wards").select(ward).run()
        assert not at.exception
    assert not [n for n in _parsed_texts_kept() if n > 10_000]


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


def test_the_gaps_page_builds_only_its_open_tab(demo_url):
    at = _open("gaps")
    subheaders = [h.value for h in at.subheader]
    assert "The three least connected wards" in subheaders  # the first tab, open by default
    assert not any(h.startswith("Single points of failure") for h in subheaders)
    assert not [s for s in at.selectbox if s.label == "Anyone in the network"]  # a picker of everyone, not built
    at.session_state["gp_tab"] = "Single points of failure"
    at.run()
    subheaders = [h.value for h in at.subheader]
    assert any(h.startswith("Single points of failure (") for h in subheaders)
    assert "The three least connected wards" not in subheaders
    assert [s for s in at.selectbox if s.label == "Anyone in the network"]


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
    at = AppTest.from_file(APP, default_timeout=600)
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
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    _sign_in(at, "meg")
    at.switch_page("dashboard/pages/gaps.py").run()
    assert at.title[0].value == "Gaps" and not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("dashboard/pages/privacy.py")


def test_an_organisation_profile_shows_where_and_when_from_open_referral(empty_url):
    from connector_graph.auth import acting_as
    from connector_graph.io import transfer

    real = Path(__file__).resolve().parents[1] / "data" / "real" / "openreferral" / "oruk3" / "service_full.json"
    store = open_store(empty_url)
    with acting_as("test-admin", "admin"):
        transfer.import_file(store, real, "openreferral")
    [org] = store.list_organisations()
    store.close()
    at = _open("directory", query={"id": org.id})
    texts = [t.value for t in at.text]
    assert org.locations and org.locations in texts
    assert org.schedule and org.schedule in texts
    assert {"**Where**", "**When**"} <= {m.value for m in at.markdown}


def test_network_wide_suggestions_show_at_once_or_wait_for_the_toggle(demo_url, monkeypatch):
    at = _open("suggestions")
    texts = " ".join(m.value for m in at.markdown)
    assert "The best introductions across the network" in texts and not at.toggle
    from connector_graph.views import insights

    monkeypatch.setattr(insights, "ACROSS_ON_REQUEST", 10)  # as if the demo network were large
    at = _open("suggestions")
    assert "The best introductions across the network" not in " ".join(m.value for m in at.markdown)
    at.toggle(key="sg_across").set_value(True).run()
    assert not at.exception, at.exception
    assert "The best introductions across the network" in " ".join(m.value for m in at.markdown)


# ------------------------------------------------------------------ a retry after a crash stores nothing new
# A server that dies after the commit never sends the confirmation, so the browser still holds the address
# it had when the button was pressed; it reconnects to a new session with that address and the widgets' values.

TO_LABEL = "Introduced to (person or organisation)"
ALREADY = re.compile(r"^Already saved at \d\d:\d\d")


def _texts(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "") for kind in (at.info, at.success, at.warning, at.error) for m in kind]


def _audited(url: str, target: str) -> list[str]:
    store = open_store(url)
    try:
        return [e.action.value for e in store.list_audit(target=target)]
    finally:
        store.close()


def test_an_introduction_sent_again_after_a_crash_is_stored_once(demo_url):
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737", intro_subject="p-000002", intro_to="o-00001")
    at.run()
    address = dict(at.query_params)  # what the browser holds when the button is pressed
    assert set(address) >= {"k", "by", "subject", "to"}
    at.button(key="intro_log").click().run()
    assert _counts(demo_url).introductions == before + 1
    assert dict(at.query_params)["k"] != address["k"]  # the next introduction gets a new key

    again = _open("log", query=address)
    assert (again.session_state["intro_subject"], again.session_state["intro_to"]) == ("p-000002", "o-00001")
    again.button(key="intro_log").click().run()
    assert not again.exception
    assert any(ALREADY.match(t) for t in _texts(again)), _texts(again)
    assert any(t.startswith("Logged: Stuart Sutcliffe introduced to Garforth High School") for t in _texts(again))
    assert _counts(demo_url).introductions == before + 1
    assert _audited(demo_url, "i-" + address["k"]) == ["add_introduction"]


def test_a_press_from_an_address_that_still_holds_the_last_key_logs_a_new_introduction(demo_url):
    """The browser's address can lag a rerun behind the server (the next pick was sent before the new key
    arrived): in the same session the next press is a new introduction, never "already saved"."""
    before = _counts(demo_url).introductions
    at = _open("log")
    _choose(at, intro_by="p-000737", intro_subject="p-000002", intro_to="o-00001")
    at.run()
    stale = dict(at.query_params)["k"]
    at.button(key="intro_log").click().run()
    assert _counts(demo_url).introductions == before + 1
    for _ in range(2):  # the same introduction logged again, each time from the address as it was
        at.query_params["k"] = stale
        _choose(at, intro_subject="p-000002", intro_to="o-00001")
        at.run()
        at.button(key="intro_log").click().run()
        assert not at.exception
        assert not any(ALREADY.match(t) for t in _texts(at)), _texts(at)
    assert _counts(demo_url).introductions == before + 3
    assert _audited(demo_url, "i-" + stale) == ["add_introduction"]  # the first key wrote one record, once


def test_someone_new_added_from_an_address_that_still_holds_the_last_key_is_a_new_record(demo_url):
    before = _counts(demo_url).people
    at = _open("log")
    stale = dict(at.query_params)["nk"]
    _open_someone_new(at)
    for name in ("Zephyrine Quill", "Ottoline Marsh"):
        at.query_params["nk"] = stale
        at.text_input(key="new_name").input(name)
        at.button(key="new_add").click().run()
        assert not at.exception
        assert any(t.startswith(f"Added {name}") for t in _texts(at)), _texts(at)
    assert _counts(demo_url).people == before + 2


def test_someone_new_sent_again_after_a_crash_is_added_once(demo_url):
    before = _counts(demo_url).people
    at = _open("log")
    address = dict(at.query_params)
    _open_someone_new(at)
    at.text_input(key="new_name").input("Zephyrine Quill")
    at.button(key="new_add").click().run()
    assert any(t.startswith("Added Zephyrine Quill") for t in _texts(at)), _texts(at)

    again = _open("log", query=address)
    _open_someone_new(again)
    again.text_input(key="new_name").input("Zephyrine Quill")
    again.button(key="new_add").click().run()
    assert not again.exception
    assert any(ALREADY.match(t) and "Added Zephyrine Quill" in t for t in _texts(again)), _texts(again)
    assert not any("similar name" in t for t in _texts(again))  # not mistaken for a look-alike of itself
    assert _counts(demo_url).people == before + 1
    assert again.session_state["intro_subject"] == "p-" + address["nk"]


def test_an_outcome_sent_again_after_a_crash_is_saved_once(demo_url):
    by_label = waiting_by_label(demo_url, "p-000737")
    at = _open("log")
    _choose(at, intro_by="p-000737")
    at.run()
    first = at.radio(key="fu_pick_0").options[0].replace("\\", "")
    chosen = [intro for label, intro in by_label.items() if first.startswith(label)][0]
    at.radio(key="fu_pick_0").set_value(chosen).run()
    at.text_area(key="fu_outcome").input("joined the walking group")
    address = dict(at.query_params)
    assert address["fu"] == chosen
    at.button(key="fu_save").click().run()
    assert _audited(demo_url, chosen)[-1] == "update_introduction"
    writes = len(_audited(demo_url, chosen))

    again = _open("log", query=address)
    again.text_area(key="fu_outcome").input("joined the walking group")
    again.button(key="fu_save").click().run()
    assert not again.exception
    assert any(ALREADY.match(t) and "Outcome saved for" in t for t in _texts(again)), _texts(again)
    assert len(_audited(demo_url, chosen)) == writes  # nothing new was written
