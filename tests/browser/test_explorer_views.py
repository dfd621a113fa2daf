"""The network explorer as a manager reads it: communities first, a focused person, a path, sectors.

Checked against the tables (direct SQL) and networkx, in a real Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3

import networkx as nx
import pytest
from server import ATTEMPT_MS, PATIENCE_MS, choose, follow, open_page, wait_until_idle

pytestmark = pytest.mark.browser


def projection_by_sql(url: str) -> nx.Graph:
    """What the explorer draws from: links (ties, and introductions that happened by today: the connector with both ends, and who met)."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        G = nx.Graph()
        for actor_id, kind, name, body in db.execute("SELECT id, type, name, body FROM actors"):
            data = json.loads(body)
            if kind == "person" and (data.get("restricted") or data.get("consent_withdrawn_on")):
                continue
            G.add_node(actor_id, name=name)
        edges = list(db.execute("SELECT source_id, target_id FROM ties"))
        for by, subject, target in db.execute(
                "SELECT introducer_id, subject_id, target_id FROM introductions"
                " WHERE status IN ('made', 'followed_up') AND date <= ?", (dt.date.today().isoformat(),)):
            edges += [(by, subject), (by, target), (subject, target)]
    G.add_edges_from((u, v) for u, v in edges if u in G and v in G and u != v)
    return G


def _drawing(page):
    page.wait_for_selector("iframe", timeout=PATIENCE_MS)
    page.wait_for_function("() => Array.from(document.querySelectorAll('iframe')).some("
                           "f => f.contentWindow && typeof f.contentWindow.network === 'object')", timeout=PATIENCE_MS)
    frame = next(f for f in page.frames if f != page.main_frame and f.evaluate("typeof network") == "object")
    frame.wait_for_function("document.body.getAttribute('data-stable-ms') !== null", timeout=PATIENCE_MS)
    return frame


def _nodes(page) -> list[dict]:
    return _drawing(page).evaluate(
        "nodes.get().map(n => ({id: n.id, label: n.label, title: n.title, colour: n.color.background}))")


def _clearest(frame) -> str:
    """The drawn node farthest from any other on screen (inside the canvas), so a click on it hits it alone."""
    return frame.evaluate("""() => {
        const box = document.querySelector('canvas').getBoundingClientRect();
        const spots = Object.entries(network.getPositions()).map(([id, p]) => [id, network.canvasToDOM(p)])
            .filter(([, s]) => s.x > 20 && s.y > 20 && s.x < box.width - 20 && s.y < box.height - 20);
        let best = null, room = -1;
        for (const [id, s] of spots) {
            let near = Infinity;
            for (const [other, o] of spots) if (other !== id) near = Math.min(near, Math.hypot(s.x - o.x, s.y - o.y));
            if (near > room) { best = id; room = near; }
        }
        return best;
    }""")


def test_the_community_view_is_the_default_and_names_every_community(app_url, browser_store, page, artifacts):
    G = projection_by_sql(browser_store)
    open_page(page, app_url, "explorer")
    nodes = _nodes(page)
    assert len(nodes) > 1 and all(n["id"].startswith("community-") for n in nodes)
    assert not [n["label"] for n in nodes if re.match(r"\s*Community \d+", n["label"])]
    assert all(n["label"].strip() for n in nodes)
    members = sum(int(re.search(r"([\d,]+) members", n["title"]).group(1).replace(",", "")) for n in nodes)
    assert members == G.number_of_nodes()
    legend = page.locator('[data-testid="stDataFrame"]').first
    drawing = page.locator("iframe").first
    assert legend.bounding_box()["x"] > drawing.bounding_box()["x"] + drawing.bounding_box()["width"] / 2
    page.screenshot(path=str(artifacts / "explorer-communities.png"), full_page=True)


def test_clicking_a_community_in_the_drawing_opens_it(app_url, page):
    open_page(page, app_url, "explorer")
    communities = [n for n in _nodes(page) if re.fullmatch(r"community-\d+", n["id"])]
    chosen = max(communities, key=lambda n: int(re.search(r"([\d,]+) members", n["title"]).group(1).replace(",", "")))
    members = int(re.search(r"([\d,]+) members", chosen["title"]).group(1).replace(",", ""))

    def open_community() -> None:
        frame = _drawing(page)
        spot = frame.evaluate(f"network.canvasToDOM(network.getPosition({json.dumps(chosen['id'])}))")
        canvas = frame.locator("canvas").first.bounding_box()
        page.mouse.click(canvas["x"] + spot["x"], canvas["y"] + spot["y"])  # a real click on the shape
        link = frame.locator("#cg-community-link")
        link.wait_for(timeout=ATTEMPT_MS)
        assert chosen["title"].splitlines()[0] in frame.locator("#cg-details").inner_text()
        link.click(timeout=ATTEMPT_MS)

    follow(page, open_community, re.compile(r"/explorer\?community=\d+$"))
    page.wait_for_selector("h1")
    wait_until_idle(page)
    page.get_by_text(re.compile(r"^Showing the community ")).wait_for()
    nodes = _nodes(page)
    assert nodes and not [n for n in nodes if n["id"].startswith("community-")]  # its members, not groups
    drawn = int(re.search(r"([\d,]+) shapes? drawn", page.get_by_text(re.compile(r"shapes? drawn for")).inner_text())
                .group(1).replace(",", ""))
    assert drawn == len(nodes) and len(nodes) <= members
    # and clicking one of its members opens that person's or organisation's profile
    member = {n["id"]: n for n in nodes}[_clearest(_drawing(page))]

    def open_member() -> None:
        frame = _drawing(page)
        spot = frame.evaluate(f"network.canvasToDOM(network.getPosition({json.dumps(member['id'])}))")
        canvas = frame.locator("canvas").first.bounding_box()
        page.mouse.click(canvas["x"] + spot["x"], canvas["y"] + spot["y"])
        selected = frame.evaluate("network.getSelectedNodes()")
        assert selected == [member["id"]], f"the click selected {selected}, not {member['id']}"
        frame.locator("#cg-profile-link").click(timeout=ATTEMPT_MS)

    follow(page, open_member, re.compile(r"/directory\?id=" + re.escape(member["id"]) + "$"))
    page.get_by_role("heading", name=member["title"].splitlines()[0].strip()).first.wait_for()


def _unique_name(G: nx.Graph, node: str) -> str:
    name = G.nodes[node]["name"]
    assert sum(1 for _n, d in G.nodes(data=True) if d["name"] == name) == 1
    return name


def test_a_focused_person_is_drawn_in_the_middle_and_labelled(app_url, browser_store, page, artifacts):
    G = projection_by_sql(browser_store)
    ego = "p-000737"
    open_page(page, app_url, "explorer")
    choose(page, "Focus on one person or organisation", _unique_name(G, ego))
    nodes = {n["id"]: n for n in _nodes(page)}
    assert ego in nodes and G.nodes[ego]["name"] in nodes[ego]["label"]
    within = nx.ego_graph(G, ego, radius=1)
    assert set(nodes) <= set(within)
    position = _drawing(page).evaluate(f"network.getPosition({json.dumps(ego)})")
    assert abs(position["x"]) < 1 and abs(position["y"]) < 1
    if within.number_of_nodes() > len(nodes):
        assert page.get_by_text(re.compile(r"left out: [\d,]+")).count()
    page.screenshot(path=str(artifacts / "explorer-focus.png"), full_page=True)


def test_the_path_view_holds_only_the_path_and_its_neighbours(app_url, browser_store, page, artifacts):
    G = projection_by_sql(browser_store)
    counts = {}
    for _n, d in G.nodes(data=True):
        counts[d["name"]] = counts.get(d["name"], 0) + 1
    people = sorted(n for n in G if n.startswith("p-") and G.degree(n) > 0 and counts[G.nodes[n]["name"]] == 1)
    far = nx.single_source_shortest_path_length(G, people[0])
    target = max((n for n in people if n in far and far[n] >= 3), key=lambda n: (far[n], n))
    a, b = people[0], target
    open_page(page, app_url, "explorer")
    choose(page, "Who could introduce…", _unique_name(G, a))
    choose(page, "…to", _unique_name(G, b))
    nodes = _nodes(page)
    numbered = sorted((int(m.group(1)), n["id"]) for n in nodes if (m := re.match(r"(\d+)\. ", n["label"])))
    path = [node for _i, node in numbered]
    assert path[0] == a and path[-1] == b and len(path) == far[b] + 1
    assert all(G.has_edge(u, v) for u, v in zip(path, path[1:]))
    others = [n["id"] for n in nodes if n["id"] not in path]
    assert all(any(G.has_edge(o, p) for p in path) for o in others)
    assert {n["colour"] for n in nodes if n["id"] in others} <= {"#DDDDDD"}
    page.screenshot(path=str(artifacts / "explorer-path.png"), full_page=True)


def test_colour_by_sector_colours_people_by_the_sector_they_are_tied_to_most(app_url, page):
    open_page(page, app_url, "explorer")
    choose(page, "Focus on one person or organisation", "Elena Petrova")
    page.get_by_role("combobox", name="Colour by", exact=True).click()
    page.get_by_role("option", name="Sector", exact=True).click()
    page.wait_for_timeout(300)
    wait_until_idle(page)
    people = [n for n in _nodes(page) if n["id"].startswith("p-")]
    assert len({n["colour"] for n in people}) > 1
