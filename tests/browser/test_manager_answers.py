"""The manager's four questions, the ward map and fair shares, answered in a real Chromium.

Each answer on the page is checked against an independent computation in
the test: direct SQL on the store's SQLite file and networkx.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
import time
from pathlib import Path

import networkx as nx
import pytest
from server import PATIENCE_MS, choose, open_page, wait_until_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HAPPENED = ("made", "followed_up")


def _db(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def links_by_sql(url: str) -> nx.Graph:
    """Links straight from the tables: ties, and introductions that happened (all three pairs)."""
    today = dt.date.today().isoformat()
    with _db(url) as db:
        G = nx.Graph()
        for actor_id, kind, name, ward, body in db.execute("SELECT id, type, name, ward, body FROM actors"):
            data = json.loads(body)
            if kind == "person" and (data.get("restricted") or data.get("consent_withdrawn_on")):
                continue
            G.add_node(actor_id, name=name, ward=ward, type=kind, sector=data.get("sector"))
        edges = list(db.execute("SELECT source_id, target_id FROM ties"))
        for by, subject, target in db.execute(
                "SELECT introducer_id, subject_id, target_id FROM introductions WHERE status IN (?, ?) AND date <= ?",
                (*HAPPENED, today)):
            edges += [(subject, target), (by, subject), (by, target)]
    G.add_edges_from((u, v) for u, v in edges if u in G and v in G and u != v)
    return G


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def _panel_text(page, until: str | None = None) -> str:
    """The open tab's text, once it holds ``until`` (a regular expression), if given.

    A tab's heavy parts stream in after the first paint, and a choice just
    made reruns the page: the text is read again until it says what the test
    is about (within the usual patience), and is then returned as it is.
    """
    panel = page.locator('[role="tabpanel"]:visible').first
    if until is not None:
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while not re.search(until, panel.inner_text(timeout=PATIENCE_MS)) and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        wait_until_idle(page)
    return panel.inner_text(timeout=PATIENCE_MS)


def test_least_connected_wards_are_ranked_from_the_tables(app_url, browser_store, page, artifacts):
    G = links_by_sql(browser_store)
    with _db(browser_store) as db:
        population = {name: json.loads(body).get("population") for name, body in db.execute("SELECT name, body FROM wards")}
    links = {w: 0 for w in population}
    people = {w: 0 for w in population}
    alone = {w: 0 for w in population}
    for u, v in G.edges:
        for w in {G.nodes[u]["ward"], G.nodes[v]["ward"]} - {None}:
            links[w] += 1
    for n, d in G.nodes(data=True):
        if d["type"] == "person" and d["ward"]:
            people[d["ward"]] += 1
            alone[d["ward"]] += G.degree(n) == 0
    names = sorted(population)
    per = {w: links[w] * 1000 / population[w] for w in names}
    share = {w: alone[w] / people[w] if people[w] else 0 for w in names}
    rank_links = {w: i for i, w in enumerate(sorted(names, key=lambda w: per[w]))}
    rank_alone = {w: i for i, w in enumerate(sorted(names, key=lambda w: -share[w]))}
    expected = sorted(names, key=lambda w: ((rank_links[w] + rank_alone[w]) / 2, rank_links[w], w))[:3]

    open_page(page, app_url, "gaps")
    text = _panel_text(page, until=r"(?m)^3\. .+?: ")
    shown = re.findall(r"^([123])\. (.+?): ", text, flags=re.M)
    assert [w for _n, w in shown] == expected
    assert "Best bridge:" in text
    page.screenshot(path=str(artifacts / "gaps-wards.png"), full_page=True)


def test_statutory_organisations_with_no_voluntary_partner_are_named(app_url, browser_store, page):
    G = links_by_sql(browser_store)
    expected = sorted(
        (d["name"] for n, d in G.nodes(data=True)
         if d["sector"] == "statutory" and not any(G.nodes[m]["sector"] == "voluntary_community" for m in G[n])),
        key=str.casefold)
    assert expected, "the demo network should have such organisations"
    open_page(page, app_url, "gaps")
    _tab(page, "No partner across the line")
    box = page.get_by_text(re.compile(r"^statutory with no voluntary community partner \(\d+\)$"))
    assert box.inner_text().endswith(f"({len(expected)})")
    frame = page.locator('[role="tabpanel"]:visible [data-testid="stExpander"]').filter(has=box)
    grid = frame.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    # the table's csv download holds exactly the names
    with page.expect_download() as info:
        frame.get_by_role("button", name=re.compile("Download")).click()
    rows = list(csv.DictReader(open(info.value.path(), encoding="utf-8-sig")))
    assert sorted((r["organisation"] for r in rows), key=str.casefold) == expected


def test_single_points_of_failure_name_who_is_cut_off(app_url, browser_store, page):
    G = links_by_sql(browser_store)
    points = list(nx.articulation_points(G))

    def cut_off(node: str) -> set[str]:
        H = G.subgraph(nx.node_connected_component(G, node) - {node})
        pieces = sorted(nx.connected_components(H), key=len, reverse=True)
        return {G.nodes[m]["name"] for piece in pieces[1:] for m in piece}

    open_page(page, app_url, "gaps")
    _tab(page, "Single points of failure")
    biggest = max(points, key=lambda n: (len(cut_off(n)), n))
    name = G.nodes[biggest]["name"]
    text = _panel_text(page, until=re.escape(f"If {name} left,"))
    assert f"Single points of failure ({len(points)})" in text
    sentence = next((line for line in text.splitlines() if f"If {name} left," in line), text[:3000])
    listed = sentence.split("rest of the network: ", 1)[1].split(". Backup:")[0]
    expected = cut_off(biggest)
    more = re.search(r" and (\d+) more$", listed)
    names = set(re.split(r", | and ", listed.removesuffix(more.group(0) if more else "")))
    assert names <= expected and len(names) + (int(more.group(1)) if more else 0) == len(expected)
    assert "Backup: introduce" in sentence

    # anyone, not only the listed ones: the full list for a person picked by hand
    choose(page, "Anyone in the network", name)
    page.wait_for_timeout(300)
    wait_until_idle(page)
    full = _panel_text(page, until=r"What if someone else left\?[\s\S]*rest of the network: ").split(
        "What if someone else left?")[1]
    got = re.search(r"rest of the network: (.+?)\. Backup", full).group(1)
    assert set(re.split(r", | and ", got)) == expected


def test_introductions_that_went_nowhere_match_the_table(app_url, browser_store, page):
    today = dt.date.today()
    with _db(browser_store) as db:
        rows = db.execute("SELECT introducer_id, status, date, body FROM introductions").fetchall()
        names = dict(db.execute("SELECT id, name FROM actors"))
    def stalled(status, date, body):
        age = (today - dt.date.fromisoformat(date)).days
        if age < 0:
            return False
        return status in ("declined", "unknown") or (status != "followed_up" and not json.loads(body).get("outcome")
                                                     and age >= 60)
    expected = [r for r in rows if stalled(*r[1:])]
    open_page(page, app_url, "gaps")
    _tab(page, "Introductions that went nowhere")
    assert f"Introductions that went nowhere ({len(expected)})" in _panel_text(page, until=r"went nowhere \(\d+\)")
    by = max({r[0] for r in expected}, key=lambda c: (sum(r[0] == c for r in expected), c))
    choose(page, "Connector", names[by])
    mine = sum(r[0] == by for r in expected)
    page.get_by_text(f"Introductions that went nowhere ({mine})").wait_for()


def _grid() -> dict[str, tuple[int, int]]:
    with open(ROOT / "seed_data" / "leeds_ward_grid.csv", encoding="utf-8") as handle:
        return {r["name"]: (int(r["row"]), int(r["col"])) for r in csv.DictReader(handle)}


def _click_in_map(page, fx: float, fy: float) -> None:
    chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
    chart.wait_for()
    box = chart.bounding_box()
    page.mouse.click(box["x"] + fx, box["y"] + fy)
    page.wait_for_timeout(500)
    wait_until_idle(page)


def _tile(page, ward: str):
    return page.locator(f'[data-testid="stVegaLiteChart"] path[aria-roledescription="rect mark"][aria-label$="ward: {ward}"]')


def test_ward_map_from_the_shipped_grid_and_clicking_a_ward_filters(app_url, page, artifacts):
    grid = _grid()
    assert len(grid) == 33
    open_page(page, app_url, "gaps")
    tiles = page.locator('[data-testid="stVegaLiteChart"] path[aria-roledescription="rect mark"]')
    tiles.first.wait_for()
    assert tiles.count() == 33
    boxes = {}
    for ward, (row, col) in grid.items():
        tile = _tile(page, ward)
        assert tile.count() == 1, ward
        assert tile.get_attribute("aria-label").startswith(f"col: {col}; row: {row};")
        boxes[ward] = tile.bounding_box()
    # drawn where the grid says: north at the top, west on the left
    assert boxes["Otley & Yeadon"]["y"] < boxes["Armley"]["y"] < boxes["Morley South"]["y"]
    assert boxes["Pudsey"]["x"] < boxes["Armley"]["x"] < boxes["Kippax & Methley"]["x"]
    # (a corner of the tile: the ward's name in the middle does not take clicks)
    _tile(page, "Armley").click(position={"x": 10, "y": 10})
    page.get_by_text("Showing Armley only").wait_for()
    wait_until_idle(page)
    _tab(page, "Single points of failure")
    assert "Armley" in _panel_text(page, until="Armley")
    page.screenshot(path=str(artifacts / "gaps-map-armley.png"), full_page=True)
    _tile(page, "Wetherby").click(position={"x": 10, "y": 10})
    page.get_by_text("Showing Wetherby only").wait_for()


def test_ward_map_from_a_geojson_file(app_url, page, artifacts):
    open_page(page, app_url, "gaps")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ROOT / "tests/data/wards_2x2.geojson"))
    page.wait_for_timeout(800)
    wait_until_idle(page)
    chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
    box = chart.bounding_box()
    # the four squares fill the drawing: top-left is Otley & Yeadon, bottom-right Kippax & Methley
    _click_in_map(page, box["width"] * 0.25, box["height"] * 0.25)
    page.get_by_text("Showing Otley & Yeadon only").wait_for()
    _click_in_map(page, box["width"] * 0.75, box["height"] * 0.75)
    page.get_by_text("Showing Kippax & Methley only").wait_for()
    page.screenshot(path=str(artifacts / "gaps-map-geojson.png"), full_page=True)


def test_key_connectors_bars_rank_by_reach_as_the_tables_count_links(app_url, browser_store, page, artifacts):
    G = links_by_sql(browser_store)
    degrees = sorted((d for _n, d in G.degree()), reverse=True)
    deadline = time.monotonic() + PATIENCE_MS / 1000
    while True:  # the ranking of the network as it is now, not the last one while a new one is made
        open_page(page, app_url, "connectors")
        choose(page, "Rank by", "Reach")
        page.get_by_text("Top 20 by reach").wait_for()
        wait_until_idle(page)
        if not page.get_by_text(re.compile("refreshing")).count() or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1000)
    bars = page.locator('[data-testid="stVegaLiteChart"] path[aria-roledescription="bar"]')
    bars.first.wait_for()
    shown = []
    for label in bars.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))"):
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        rank, _dot, name = fields["who"].partition(". ")
        shown.append((int(rank), name, float(fields["Reach"])))
    page.screenshot(path=str(artifacts / "key-connectors-reach.png"), full_page=True)
    shown.sort()
    assert [r for r, _n, _v in shown] == list(range(1, 21))
    # Reach is links / (actors - 1): as a share of the first bar's, each bar gives its number of links,
    # which must be the twenty largest in the network, best first, counted from the tables.
    links = [round(v / shown[0][2] * degrees[0]) for _r, _n, v in shown]
    assert links == degrees[:20]
    for (_rank, name, _v), count in zip(shown, links):
        assert count in {G.degree(n) for n, data in G.nodes(data=True) if data["name"] == name}, name
