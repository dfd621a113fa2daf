"""Importing a graph tool's file in a real Chromium: no format chosen, the report read on the page, the store checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from server import no_script_ran, open_page, wait_until_idle

from connector_graph.io.source_ids import is_our_id, stored_id
from connector_graph.store import open_store

pytestmark = pytest.mark.browser

GEXF = Path(__file__).parents[1] / "data" / "real" / "gexf-primer" / "1.1draft-simple.gexf"


def _read_directly(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    root = ET.parse(path).getroot()
    ns = root.tag.split("}")[0] + "}"
    nodes = {n.get("id"): n.get("label") for n in root.iter(ns + "node")}
    return nodes, [(e.get("source"), e.get("target")) for e in root.iter(ns + "edge")]


def test_a_gexf_file_is_recognised_checked_and_imported_from_the_data_page(app_url, browser_store, page, dialogs,
                                                                          artifacts):
    nodes, edges = _read_directly(GEXF)
    store = open_store(browser_store)
    try:
        before = store.counts()
    finally:
        store.close()
    open_page(page, app_url, "data")
    page.locator('input[type="file"]').first.set_input_files(str(GEXF))
    wait_until_idle(page)
    page.get_by_role("button", name="Check (nothing is written)").click()
    page.get_by_text("Ready to import.").wait_for()
    # the verdict comes first and the report's lines follow it: read them once the check has finished
    page.get_by_text(f"people: added {len(nodes)}", exact=False).wait_for()
    wait_until_idle(page)
    shown = page.locator('[data-testid="stText"]').all_inner_texts()
    assert f"nodes: read {len(nodes)}" in shown and f"edges: read {len(edges)}" in shown
    assert f"people: added {len(nodes)}, changed 0, unchanged 0" in shown
    assert any(line.startswith(f"{GEXF.name} (gexf): accepted") for line in shown)  # recognised as GEXF
    page.screenshot(path=str(artifacts / "import-checked.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Written.", exact=False).wait_for()
    assert not page.locator('[data-testid="stException"]').count() and dialogs == [] and no_script_ran(page) == []

    store = open_store(browser_store)
    try:
        after = store.counts()
        ours = {node: stored_id(store, node) for node in nodes}  # the file's node ids, mapped to ids of our own
        names = {store.get_actor(ours[node]).name for node in nodes}
        ties = {(t.source_id, t.target_id) for t in store.list_ties(ours[next(iter(nodes))])}
    finally:
        store.close()
    assert after.people == before.people + len(nodes) and after.ties == before.ties + len(edges)
    assert all(is_our_id(i) for i in ours.values()) and names == set(nodes.values())
    assert {tuple(sorted((ours[a], ours[b]))) for a, b in edges} <= {tuple(sorted(t)) for t in ties}
