"""What the dashboard's pages show, computed by ``connector_graph.views`` on both backends.

The network is small enough to work out every answer by hand::

    ann --- cath --- bob          eve (no ties)
             |  \\
           club  dan --- gp

Cath is a connector in ward A; Dan and the GP practice are in ward B. Cath
plans to introduce Ann to the Garden Club (planned, so no Ann–club link yet).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest

from connector_graph import caching, service
from connector_graph.analysis.gaps import departure_impact
from connector_graph.graph import build_graph
from connector_graph.io import transfer
from connector_graph.overview import month_change
from connector_graph.analysis.centrality import METRICS
from connector_graph.views import activity, data, directory, insights, wardmap
from connector_graph.views.explorer import ExplorerOptions, explore, reduce, render_html, select, layout
from connector_graph.views.measures import describe, network_measures

TODAY = dt.date.today()
LONG_AGO = TODAY - dt.timedelta(days=90)


@pytest.fixture
def small(store):
    service.add_person(store, "Cath Connector", ward="A", roles=["connector"], person_id="cath")
    service.add_person(store, "Ann Ahmed", ward="A", interests=["gardening"], person_id="ann")
    service.add_person(store, "Bob Brown", ward="A", person_id="bob")
    service.add_person(store, "Dan Dale", ward="B", person_id="dan")
    service.add_person(store, "Eve Evans", ward="B", person_id="eve")
    service.add_organisation(store, "Garden Club", sector="voluntary_community", ward="A",
                             offers=["community gardening"], organisation_id="club")
    service.add_organisation(store, "Hill GP", sector="health", kind="gp_practice", ward="B", organisation_id="gp")
    for a, b in (("cath", "ann"), ("cath", "bob"), ("cath", "club"), ("cath", "dan"), ("dan", "gp")):
        service.add_tie(store, a, b, since=LONG_AGO)
    service.log_introduction(store, introducer_id="cath", subject_id="ann", target_id="club", date=LONG_AGO,
                             purposes=["company"], follow_up=LONG_AGO + dt.timedelta(days=14),
                             status="planned", introduction_id="i-1")
    return store


# ------------------------------------------------------------------ explorer


def test_ward_filter_ego_and_path_select_the_hand_worked_parts(small):
    G = build_graph(small)
    assert sorted(select(G, ExplorerOptions(wards=("B",)))[0]) == ["dan", "eve", "gp"]
    assert sorted(select(G, ExplorerOptions(ego="dan", hops=1))[0]) == ["cath", "dan", "gp"]
    assert sorted(select(G, ExplorerOptions(ego="dan", hops=2))[0]) == ["ann", "bob", "cath", "club", "dan", "gp"]
    H, path, notes = select(G, ExplorerOptions(wards=("A",), path=("ann", "gp")))
    assert path == ["ann", "cath", "dan", "gp"]
    assert {"dan", "gp"} <= set(H)  # the path is always drawn, whatever the filters
    assert select(G, ExplorerOptions(path=("ann", "eve")))[1] is None
    assert "no chain of links" in " ".join(select(G, ExplorerOptions(path=("ann", "eve")))[2])


def test_roles_sectors_and_types_filter_only_their_own_kind(small):
    G = build_graph(small)
    assert sorted(select(G, ExplorerOptions(roles=("connector",)))[0]) == ["cath", "club", "gp"]
    assert sorted(select(G, ExplorerOptions(sectors=("health",)))[0]) == ["ann", "bob", "cath", "dan", "eve", "gp"]
    assert sorted(select(G, ExplorerOptions(actor_types=("organisation",)))[0]) == ["club", "gp"]


def test_big_drawings_are_reduced_and_say_so(small):
    G = build_graph(small)
    scores = {"cath": 5, "dan": 4, "gp": 3, "club": 2, "ann": 1, "bob": 0, "eve": 0}
    H, notes = reduce(G, ExplorerOptions(max_nodes=3, reduce_by="top"), scores, {}, keep=["eve"])
    assert sorted(H) == ["cath", "dan", "eve"] and "Showing the 3 people and organisations" in notes[0]
    assert "out of 7" in notes[0]
    membership = {"ann": 1, "bob": 1, "cath": 1, "club": 1, "dan": 2, "gp": 2, "eve": 3}
    C, notes = reduce(G, ExplorerOptions(max_nodes=3, reduce_by="communities"), scores, membership)
    # communities 2 and 3 are under three members: drawn together as one node
    assert sorted(C) == ["community-1", "community-small"]
    across = sum(1 for u, v in G.edges if (membership[u] == 1) != (membership[v] == 1))
    assert C["community-1"]["community-small"]["weight"] == across and C.nodes["community-1"]["members"] == 4
    assert C.nodes["community-small"]["members"] == 3 and C.nodes["community-small"]["name"].startswith("2 small groups")
    assert "one node" in notes[0]


def test_the_drawing_escapes_names_and_needs_no_internet(small):
    service.add_person(small, "<img src=x onerror=alert(1)>", ward="A", person_id="xss")
    service.add_tie(small, "xss", "cath")
    G = build_graph(small)
    html, legend = render_html(G, layout(G), colour_by="ward", size_by="none")
    assert "<img src=x" not in html and "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert not re.search(r'(src|href)\s*=\s*"(https?:|//|\.\./)', html)
    assert 'id="cg-details"' in html and "textContent" in html and "innerHTML" not in html.split("</script>")[-2]
    by_label = {item.label: item.count for item in legend}
    assert by_label["A"] == 5 and by_label["B"] == 3
    assert by_label["circle: a person"] == 6 and by_label["square: an organisation"] == 2


def test_explore_from_the_store_names_the_chain(small):
    view = explore(small, ExplorerOptions(path=("ann", "gp"), colour_by="sector", size_by="degree"))
    assert view.path_names == ["Ann Ahmed", "Cath Connector", "Dan Dale", "Hill GP"]
    G = build_graph(small)
    beside = {m for n in view.path for m in G[n]} | set(view.path)
    assert view.total_actors == 7 and set(view.graph) == beside
    assert any(item.label.startswith("thick red outline") for item in view.legend)


def test_links_since_a_date_keep_only_newer_links(small):
    service.add_tie(small, "bob", "eve", since=TODAY)
    view = explore(small, ExplorerOptions(since=TODAY - dt.timedelta(days=1)))
    assert sorted(tuple(sorted(e)) for e in view.graph.edges) == [("bob", "eve")]


def test_a_view_of_the_same_measures_is_drawn_once_and_new_measures_draw_their_own(small):
    from connector_graph.views.measures import network_measures

    measures = network_measures(small)
    first = explore(small, ExplorerOptions(), measures=measures)
    assert explore(small, ExplorerOptions(), measures=measures) is first
    assert explore(small, ExplorerOptions(colour_by="sector"), measures=measures) is not first
    service.add_tie(small, "bob", "eve", since=TODAY)
    later = network_measures(small)  # a write gives new measures, and their own views
    assert later is not measures
    again = explore(small, ExplorerOptions(), measures=later)
    assert again is not first and again.graph.has_edge("bob", "eve") and not first.graph.has_edge("bob", "eve")


# ------------------------------------------------------------------ people and profiles


def test_if_cath_left_three_would_be_cut_off(small):
    G = build_graph(small)
    cut, sentence = departure_impact(G, "cath")
    assert cut == 3  # ann, bob and the club; dan keeps the GP
    assert sentence == ("If Cath Connector left, 2 people and 1 organisation would lose their only link to the rest "
                        "of the network; 1 other contact would keep other links.")
    assert departure_impact(G, "eve")[0] == 0
    assert insights.if_they_left(small, "cath") == sentence


def test_look_alike_names_are_found_before_a_duplicate_is_made(small):
    found = directory.similar_names(small, "cath conector")
    assert [m.id for m in found] == ["cath"] and found[0].similarity >= 85
    assert [m.id for m in directory.similar_names(small, "Connector, Cath")] == ["cath"]
    assert directory.similar_names(small, "Zebedee Quince") == []
    assert directory.similar_names(small, "   ") == []


def test_profile_lists_ties_introductions_and_place_in_words(small):
    ann = directory.profile(small, "ann")
    assert list(ann.ties["with"]) == ["Cath Connector"] and len(ann.made) == 0
    assert list(ann.received["introduced to"]) == ["Garden Club"]
    cath = directory.profile(small, "cath")
    assert len(cath.made) == 1 and len(cath.ties) == 4
    assert cath.place[0] == "Reach: directly linked to 4 people or organisations; in the top 14% of the network."
    assert cath.place[1].startswith("Bridging: links people who would otherwise be further apart")


def test_withheld_people_have_no_place_in_the_analysis(small):
    service.update_actor(small, "bob", restricted=True)
    bob = directory.profile(small, "bob")
    assert bob.withheld and bob.place == []
    assert describe(network_measures(small), "bob") == []


def test_awaiting_follow_up_lists_overdue_first(small):
    service.log_introduction(small, introducer_id="cath", subject_id="bob", target_id="club", date=TODAY,
                             introduction_id="i-2")
    waiting = directory.awaiting_follow_up(small, "cath")
    assert list(waiting["id"]) == ["i-1", "i-2"] and list(waiting["overdue"]) == [True, False]
    service.record_follow_up(small, "i-1", status="followed_up", outcome="goes every week")
    assert list(directory.awaiting_follow_up(small, "cath")["id"]) == ["i-2"]


def test_directory_table_filters(small):
    assert sorted(directory.actor_table(small, text="garden")["id"]) == ["ann", "club"]
    assert sorted(directory.actor_table(small, wards=("B",), actor_type="person")["id"]) == ["dan", "eve"]
    assert list(directory.actor_table(small, sectors=("health",))["id"]) == ["gp"]
    assert list(directory.actor_table(small, roles=("connector",))["id"]) == ["cath"]


def test_update_actor_validates_before_writing(small):
    service.update_actor(small, "ann", gifts=["baking"], ward="B")
    ann = small.get_actor("ann")
    assert ann.gifts == ["baking"] and ann.ward == "B"
    with pytest.raises(Exception, match="name"):
        service.update_actor(small, "ann", name="   ")
    assert small.get_actor("ann").name == "Ann Ahmed"


# ------------------------------------------------------------------ activity and overview


def test_monthly_introductions_and_growth(small):
    frame = activity.monthly_introductions(small, "purpose")
    assert list(frame.columns) == ["company"] and int(frame.to_numpy().sum()) == 1
    grown = activity.growth_table(small)
    assert grown["total_ties"].iloc[-1] == 5 and grown["total_introductions"].iloc[-1] == 1
    comparison = activity.compare_dates(small, LONG_AGO - dt.timedelta(days=1), TODAY)
    assert comparison.after["links"] > comparison.before["links"]


def test_month_change_counts_this_month_against_last(small):
    service.log_introduction(small, introducer_id="cath", subject_id="bob", target_id="club", date=TODAY,
                             introduction_id="i-3", outcome="met for tea")
    change = month_change(small, today=TODAY)
    assert change.introductions == 1 and change.made == 1 and change.outcomes_recorded == 1


def test_tie_matrix_table_is_symmetric(small):
    matrix = insights.ward_matrix(small)
    frame = insights.matrix_frame(matrix.groups, matrix.counts)
    assert frame.loc["A", "B"] == frame.loc["B", "A"] == 1 and frame.loc["A", "A"] == 3


# ------------------------------------------------------------------ data page


def test_uploads_are_staged_inside_their_folder_only(tmp_path):
    path = data.stage_uploads([data.Upload("../../etc/passwd.json", b"{}")], "json", tmp_path)
    assert path.parent == tmp_path / "upload" and path.name == "passwd.json"
    with pytest.raises(Exception, match="same name"):
        data.stage_uploads([data.Upload("a.csv", b""), data.Upload("A.csv", b"")], "csv", tmp_path / "x")
    with pytest.raises(Exception, match="one file"):
        data.stage_uploads([data.Upload("a.json", b""), data.Upload("b.json", b"")], "json", tmp_path / "y")
    with pytest.raises(Exception, match="choose a file"):
        data.stage_uploads([], "csv", tmp_path / "z")


def test_export_then_preview_then_import_round_trips(small, tmp_path):
    from connector_graph.store import open_store

    backup = data.export_download(small, "json", pseudonymise=False)
    csv_zip = data.export_download(small, "csv", pseudonymise=True)
    names = zipfile.ZipFile(io.BytesIO(csv_zip.data)).namelist()
    assert {"people.csv", "organisations.csv", "ties.csv", "introductions.csv"} <= set(names)
    assert b"Ann Ahmed" not in b"".join(zipfile.ZipFile(io.BytesIO(csv_zip.data)).read(n) for n in names)
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        report = data.preview(target, [data.Upload(backup.filename, backup.data)], "json")
        assert report.ok and report.accepted["people"] == 5 and target.counts().people == 0
        data.run_import(target, [data.Upload(backup.filename, backup.data)], "json")
        assert target.counts() == small.counts()
    finally:
        target.close()


def test_the_open_referral_download_lists_every_organisation_and_offer(small):
    import json

    download = data.export_download(small, "openreferral-json")
    assert download.filename.endswith(".oruk.json") and download.mime == "application/json"
    document = json.loads(download.data)
    held = {o.name: o.offers for o in small.list_organisations()}
    assert {o["name"]: [s["name"] for s in o["services"]] for o in document["contents"]} == held
    assert b"Ann Ahmed" not in download.data  # people are not part of a services directory
    assert set(data.EXPORT_HELP) == set(transfer.EXPORT_FORMATS)


def test_the_templates_download_has_one_file_per_entity():
    names = zipfile.ZipFile(io.BytesIO(data.templates_zip().data)).namelist()
    assert sorted(names) == ["introductions.csv", "organisations.csv", "people.csv", "ties.csv", "wards.csv"]


# ------------------------------------------------------------------ erasure empties the caches


def test_erasure_leaves_no_cached_view_holding_the_person(small):
    explore(small, ExplorerOptions())
    insights.analysis(small)
    assert any(cache._items for cache in caching._REGISTRY)
    service.erase_actor(small, "ann")
    assert not any(cache._items for cache in caching._REGISTRY)
    view = explore(small, ExplorerOptions())
    assert "ann" not in view.graph and "Ann Ahmed" not in view.html
    assert "Ann Ahmed" not in str(insights.analysis(small))
    assert directory.similar_names(small, "Ann Ahmed") == []


def test_a_connector_may_see_suggestions_for_a_person_but_not_the_network_analysis(small):
    from connector_graph.auth import acting_as
    from connector_graph.errors import Forbidden

    with acting_as("sam", "connector"):
        ideas = insights.person_suggestions(small, "ann")
        assert list(ideas["id"])[0] == "club"  # offers what Ann is interested in, and Cath knows both
        with pytest.raises(Forbidden):
            insights.analysis(small)
        with pytest.raises(Forbidden):
            insights.network_suggestions(small)
        with pytest.raises(Forbidden):
            data.export_download(small, "json")


def test_suggestions_name_a_match_and_who_could_introduce(small):
    service.add_organisation(small, "Allotment Society", sector="voluntary_community", ward="A",
                             offers=["gardening"], organisation_id="allot")
    ideas = insights.person_suggestions(small, "ann").set_index("id")
    assert {"allot", "club"} <= set(ideas.index) and "eve" not in ideas.index  # Eve shares nothing with Ann
    assert list(ideas.index)[0] == "club"  # a shared contact, her ward and her interest
    assert ideas.loc["club", "who could introduce them"] == "Cath Connector"  # knows both
    assert "gardening" in ideas.loc["allot", "why"]


def test_network_wide_suggestions_are_the_pooled_list_with_reasons(small):
    from connector_graph.analysis.person_suggestions import Suggester

    links, _bridges = insights.network_suggestions(small)
    assert list(links.columns) == ["introduce", "to", "who could introduce them", "why", "score"]
    G = build_graph(small)
    expected = Suggester(G, {a.id: a for a in small.iter_actors()}, small.iter_introductions()).across(top=20)
    assert [(r["introduce"], r["to"]) for _i, r in links.iterrows()] == [(s.a_name, s.b_name) for s in expected]
    first = links.iloc[0]
    assert first["introduce"] == "Ann Ahmed" and first["to"] == "Garden Club"  # shared contact, ward, interest
    assert "Garden Club offers community gardening; Ann Ahmed is interested in gardening" in first["why"]
    assert first["who could introduce them"] == "Cath Connector"


def test_key_connectors_say_how_bridging_was_computed(small):
    report = insights.analysis(small)
    assert report["betweenness_sampling"]["exact"] is True
    assert insights.sampling_caption(report) == "Bridging computed exactly, from every actor."
    sampled = {**report, "betweenness_sampling": {"exact": False, "pivots": 1_600, "actors": 20_000,
                                                   "agreement_top20": 19}}
    assert insights.sampling_caption(sampled) == ("Bridging estimated from shortest paths out of 1,600 of 20,000 "
                                                  "actors: the last two rounds agreed on 19 of the top 20.")


def test_the_network_wide_list_waits_for_a_click_on_large_networks(small, monkeypatch):
    assert insights.network_list_on_request(small) is False  # 5 people
    monkeypatch.setattr(insights, "ACROSS_ON_REQUEST", 4)
    assert insights.network_list_on_request(small) is True


def _vega_lite_errors(spec: dict) -> list[str]:
    """What the Vega-Lite v6 JSON schema (the copy Altair ships) finds wrong with ``spec``."""
    import jsonschema
    from altair.vegalite.v6.schema import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(spec)]


def test_the_tile_map_is_valid_vega_lite_with_every_ward_and_a_new_dict_for_every_caller():
    cells = wardmap.load_grid()
    values = {c.ward: float(i) for i, c in enumerate(cells)}
    values[cells[3].ward] = None
    first = wardmap.tile_map(cells, values, measure="links", selected="Armley")
    assert _vega_lite_errors(first) == []
    rows = first["data"]["values"]
    assert sorted(r["ward"] for r in rows) == sorted(c.ward for c in cells)
    assert [r["ward"] for r in rows if r["picked"]] == ["Armley"]
    assert {r["ward"]: r["value"] for r in rows} == values
    assert {(r["row"], r["col"]) for r in rows} == {(c.row, c.col) for c in cells}
    assert first["width"] == (max(c.col for c in cells) + 1) * wardmap.TILE
    # The click selects a ward, on the tiles' layer.
    (param,) = first["params"]
    assert param["name"] == wardmap.SELECTION and param["select"]["fields"] == ["ward"]
    assert param["views"] == [first["layer"][0]["name"]]
    first["data"]["values"].clear()  # what st.vega_lite_chart does to the dict it is given
    again = wardmap.tile_map(cells, values, measure="links", selected="Armley")
    assert len(again["data"]["values"]) == len(cells)


def test_the_boundary_map_is_valid_vega_lite():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": ward}, "geometry": square} for ward in ("Armley", "Pudsey")]}
    spec = wardmap.boundary_map(wardmap.read_geojson(json.dumps(doc)), {"Armley": 2.0}, measure="links",
                                low_is_bad=False)
    assert _vega_lite_errors(spec) == []
    assert [(r["ward"], r["value"]) for r in spec["data"]["values"]] == [("Armley", 2.0), ("Pudsey", None)]
    assert spec["encoding"]["color"]["condition"]["scale"]["scheme"] == "reds"
    assert spec["params"][0]["name"] == wardmap.SELECTION


def test_the_ranking_chart_is_valid_vega_lite_with_the_ranking_in_order():
    report = {"connectors": [
        {"rank": i + 1, "name": name, "actor_type": "person", "ward": "Armley", "roles": [], "id": f"p{i}",
         **{key: 1.0 / (i + 1) for key in METRICS}} for i, name in enumerate(["Zed", "Ann <b>", "Bo.Dot"])]}
    frame = insights.connectors_frame(report)
    label = METRICS["betweenness"].label
    spec = insights.ranking_chart(frame, label)
    assert _vega_lite_errors(spec) == []
    assert spec["encoding"]["y"]["sort"] == ["1. Zed", "2. Ann <b>", "3. Bo.Dot"]
    assert [r["value"] for r in spec["data"]["values"]] == [1.0, 0.5, 1.0 / 3]
    assert spec["encoding"]["x"]["title"] == label


def test_a_broken_spec_is_found_by_the_schema_check():
    broken = wardmap.tile_map(wardmap.load_grid(), {}, measure="links")
    broken["layer"][0]["mark"]["type"] = "tile"
    assert _vega_lite_errors(broken)
