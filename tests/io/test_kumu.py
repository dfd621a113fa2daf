"""Kumu-layout workbooks written by openpyxl: mappings, idempotent imports, round trips, rejections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from connector_graph.errors import InvalidInput
from connector_graph.io import kumu, transfer
from connector_graph.io.mapping import Mapping
from connector_graph.io.source_ids import stored_id

from io_support import contents, contents_by_source, loaded, make_sqlite, network  # noqa: F401  (fixtures)

REAL_KUMU = Path(__file__).parents[1] / "data" / "real" / "kumu"


def _workbook(path, elements, connections=None, *, elements_title="Elements"):
    book = Workbook()
    sheet = book.active
    sheet.title = elements_title
    for row in elements:
        sheet.append(row)
    if connections is not None:
        other = book.create_sheet("Connections")
        for row in connections:
            other.append(row)
    book.save(path)
    return path


ELEMENTS = [
    ["Label", "Type", "Description", "Tags", "Ward", "Colour"],
    ["Ana Lopez", "Person", "Loves tea", "gardening | chess", "Armley", "red"],
    ["Cath Connor", "Local Area Coordinator", None, None, "Armley", None],
    ["Armley Library", "Library", None, "books, wifi", "Armley", None],
    ["Bramley Baths", "Community Centre", None, None, None, None],
    ["Tenants Group", "Group", None, None, None, None],
]
CONNECTIONS = [
    ["From", "To", "Type", "Strength"],
    ["Ana Lopez", "Cath Connor", None, 3],
    ["Cath Connor", "Ana Lopez", "friend", None],
    ["Ana Lopez", "Armley Library", "member", None],
    ["Cath Connor", "Armley Library", "works at", None],
    ["Armley Library", "Bramley Baths", "partnership", None],
]


@pytest.fixture
def map_xlsx(tmp_path):
    return _workbook(tmp_path / "map.xlsx", ELEMENTS, CONNECTIONS)


def test_elements_map_to_people_and_organisations(map_xlsx):
    parsed = kumu.read_kumu(map_xlsx)
    assert parsed.report.ok, parsed.report.lines()
    people = {p.name: p for p in parsed.batch.people}
    orgs = {o.name: o for o in parsed.batch.organisations}
    assert [r.value for r in people["Cath Connor"].roles] == ["connector"]
    assert people["Ana Lopez"].interests == ["gardening", "chess"] and people["Ana Lopez"].ward == "Armley"
    assert (orgs["Armley Library"].kind.value, orgs["Armley Library"].sector.value) == ("library", "statutory")
    assert orgs["Armley Library"].offers == ["books", "wifi"]
    assert orgs["Bramley Baths"].kind.value == "community_centre"
    assert orgs["Tenants Group"].sector.value == "voluntary_community"
    kinds = sorted(t.kind.value for t in parsed.batch.ties)
    assert kinds == ["knows", "member_of", "partners_with", "works_at"]
    assert any(n.startswith("1 repeated connection(s) merged (same ends and type)") for n in parsed.report.notes)


def test_unstored_columns_are_reported_not_silently_dropped(map_xlsx):
    report = kumu.read_kumu(map_xlsx).report
    assert report.ignored_columns == {"Elements sheet": ["Description", "Colour"]}  # Strength is the tie's weight
    assert any("Description is not stored" in note for note in report.notes)


def test_the_same_workbook_imported_twice_gives_identical_counts(store, map_xlsx):
    first = transfer.import_file(store, map_xlsx, "kumu")
    held = contents(store)
    second = transfer.import_file(store, map_xlsx, "kumu")
    assert first.written and second.written
    assert first.after == second.after
    assert (first.after.people, first.after.organisations, first.after.ties) == (2, 3, 4)
    assert contents(store) == held


def test_ids_are_stable_across_reads_and_use_the_kumu_id_column(tmp_path, map_xlsx):
    a, b = kumu.read_kumu(map_xlsx), kumu.read_kumu(map_xlsx)
    assert [p.id for p in a.batch.people] == [p.id for p in b.batch.people]
    assert all(p.id.startswith("p-kumu-") for p in a.batch.people)
    with_ids = _workbook(tmp_path / "ids.xlsx", [["ID", "Label", "Type"], ["ana-1", "Ana", "Person"], ["has space", "Ana", "Person"]],
                         [["From", "To"], ["ana-1", "has space"]])
    parsed = kumu.read_kumu(with_ids)
    assert parsed.batch.people[0].id == "ana-1"
    assert parsed.batch.people[1].id.startswith("p-kumu-")
    assert len(parsed.batch.ties) == 1


def test_export_then_import_gives_the_same_actors_and_ties(loaded, make_sqlite, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "out.xlsx", "kumu").paths[0]
    target = make_sqlite("t")
    report = transfer.import_file(target, path, "kumu")
    assert report.written, report.lines()
    want, got = contents(loaded), contents_by_source(target, loaded)
    for key in ("people", "organisations", "ties"):
        assert got[key] == want[key], key
    assert got["introductions"] == []  # not part of a Kumu map


def test_exported_workbook_is_formula_safe(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "out.xlsx", "kumu").paths[0]
    book = load_workbook(path)
    assert book.sheetnames == ["Elements", "Connections"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    names = {row[0].value: row[1].value for row in book["Elements"].iter_rows(min_row=2)}
    assert names["bob"] == "'=HYPERLINK(\"http://x\")" and names["gp"] == "'+Hollybush Surgery"


def test_a_folder_of_two_csv_files_reads_like_a_workbook(tmp_path):
    folder = tmp_path / "kumu"
    folder.mkdir()
    (folder / "Elements.csv").write_text("Label,Type\nAna,Person\nArmley Library,Library\n", encoding="utf-8")
    (folder / "Connections.csv").write_text("From,To,Type\nAna,Armley Library,attends\n", encoding="utf-8")
    parsed = kumu.read_kumu(folder)
    assert parsed.report.ok and parsed.batch.ties[0].kind.value == "attends"


def test_unknown_types_are_mapped_by_rule_and_bad_references_are_rejected_with_reasons(tmp_path):
    path = _workbook(
        tmp_path / "bad.xlsx",
        [["Label", "Type"], ["Ana", "Spaceship"], [None, "Person"], ["Ben", None], ["Cy", "Person"], ["Cy", "Person"],
         ["Dee", "Person"], ["Dee Two", "Person"]],
        [["From", "To", "Type"], ["Cy", "Nobody Here", None], ["Cy", "Dee", "enemy"], ["Cy", None, None],
         ["Cy", "Dee", "knows"], ["Cy", "Dee", "knows", ]],
    )
    parsed = kumu.read_kumu(path)
    report = parsed.report
    reasons = [str(r) for r in report.rejected]
    assert "Elements sheet row 3: Label is empty (or is a formula with no saved value)" in reasons
    assert "Elements sheet row 6: repeats the element on Elements sheet row 5 (same label)" in reasons
    assert "Connections sheet row 2: no element has the label or ID 'Nobody Here'" in reasons
    assert "Connections sheet row 4: From and To must both be filled in" in reasons
    assert report.rejected_total == 4
    # an unknown element type, and no type, become the default (a person), and say so
    assert report.mappings["Spaceship \u2192 person (default)"] == 1
    assert report.mappings["(blank) \u2192 person (no type)"] == 1
    # an unknown connection type is a 'knows' tie that keeps the word as its label
    # and, having the same ends and kind as the two 'knows' rows, is merged with them: strength 3
    assert [(t.kind.value, t.label, t.weight) for t in parsed.batch.ties] == [("knows", "enemy", 3.0)]
    assert report.tables["Connections sheet"].merged == 2 and report.tables["Connections sheet"].read == 5


def test_type_map_and_default_type_decide_unknown_types(tmp_path):
    path = _workbook(tmp_path / "m.xlsx", [["Label", "Type"], ["Ohio", "State"], ["Ana", "Founder"], ["X", "Thing"]])
    parsed = kumu.read_kumu(path, mapping=Mapping.from_options("State=library, Founder=connector", "organisation"))
    orgs = {o.name: o for o in parsed.batch.organisations}
    assert orgs["Ohio"].kind.value == "library" and orgs["X"].kind.value == "other"
    assert [(p.name, [r.value for r in p.roles]) for p in parsed.batch.people] == [("Ana", ["connector"])]
    with pytest.raises(InvalidInput, match="not of the form Word=person"):
        Mapping.from_options("State")


def test_a_label_shared_by_two_elements_needs_ids(tmp_path):
    path = _workbook(tmp_path / "dup.xlsx", [["ID", "Label", "Type"], ["a1", "Sam", "Person"], ["a2", "Sam", "Person"]],
                     [["From", "To"], ["Sam", "a2"]])
    assert "Connections sheet row 2: 'Sam' is the label of 2 elements; use their IDs" in [
        str(r) for r in kumu.read_kumu(path).report.rejected
    ]


def test_a_rejected_row_means_nothing_is_written(make_sqlite, tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", [["Label", "Type"], ["Ana", "Person"], ["Ben", "Person"]],
                     [["From", "To"], ["Ana", "Nobody"]])
    target = make_sqlite("t")
    report = transfer.import_file(target, path, "kumu")
    assert not report.written and target.counts().people == 0


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: _workbook(p, [["Label", "Type"]], elements_title="Sheet1"), "has no 'Elements' sheet \\(it has: Sheet1\\)"),
        (lambda p: _workbook(p, [["Name", "Type"], ["Ana", "Person"]]), "the Elements sheet has no Label column"),
        (lambda p: _workbook(p, [["Label", "Type"]], [["From", "Type"], ["Ana", None]]), "the Connections sheet has no To column"),
        (lambda p: (p.write_text("not a workbook"), p)[1], "is not an XLSX workbook"),
        (lambda p: _workbook(p, [["Label", "Label"], ["a", "b"]]), "has the column 'Label' twice"),
    ],
)
def test_bad_workbooks_are_refused_in_one_line(tmp_path, make, message):
    path = make(tmp_path / "map.xlsx")
    with pytest.raises(InvalidInput, match=message):
        kumu.read_kumu(path)


def test_missing_file_and_folder_without_elements(tmp_path):
    with pytest.raises(InvalidInput, match="no such Kumu workbook"):
        kumu.read_kumu(tmp_path / "none.xlsx")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InvalidInput, match="has no elements.csv"):
        kumu.read_kumu(tmp_path / "folder")


def test_further_person_fields_such_as_the_consent_record_survive_a_round_trip(make_sqlite, tmp_path):
    import datetime as dt

    from connector_graph.model import Person
    from connector_graph.store import Batch

    eve = Person.model_validate({
        "id": "eve", "name": "Eve", "needs": ["mobility"], "article9_condition": "explicit_consent",
        "lawful_basis": "consent", "consent_given_on": dt.date(2025, 1, 2), "consent_method": "written",
        "retain_until": dt.date(2030, 1, 1),
    })
    source = make_sqlite("source")
    source.bulk_load(Batch(people=[eve]))
    path = transfer.export_file(source, tmp_path / "out.xlsx", "kumu").paths[0]
    [back] = kumu.read_kumu(path).batch.people
    assert back == eve


# ----------------------------------------------------------------- Kumu's own columns

#: Kumu's documented columns (kumu/docs, guides/import.md): an element sheet starts with ID or Label,
#: a connection sheet with From and To; Type, Tags, Label, Strength and Direction are Kumu's named fields.
KUMU_ELEMENT_START = ["ID", "Label", "Type", "Tags"]
KUMU_CONNECTION_START = ["From", "To", "Type"]


def _sheet_rows(path, sheet):
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r)) for r in rows[1:]]


def _tags(cell):
    return sorted(part.strip() for part in (cell or "").split("|") if part.strip())


def test_export_writes_kumus_columns_and_tags_hold_interests_and_offers(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "out.xlsx", "kumu").paths[0]
    header, rows = _sheet_rows(path, "Elements")
    assert header[:4] == KUMU_ELEMENT_START
    assert "Interests" not in header and "Offers" not in header  # they are Kumu's Tags
    tags = {r["ID"]: _tags(r["Tags"]) for r in rows}
    assert tags["ann"] == ["chess", "gardening"] and tags["lib"] == ["books", "wifi"]
    header, _rows = _sheet_rows(path, "Connections")
    assert header[:3] == KUMU_CONNECTION_START and {"Label", "Direction", "Strength"} <= set(header)
    blueprint = json.loads(transfer.export_file(loaded, tmp_path / "out.json", "kumu-json").paths[0].read_text("utf-8"))
    by_id = {e["attributes"]["id"]: e["attributes"] for e in blueprint["elements"]}
    assert sorted(by_id["ann"]["tags"]) == ["chess", "gardening"] and sorted(by_id["lib"]["tags"]) == ["books", "wifi"]
    assert "interests" not in by_id["ann"] and "offers" not in by_id["lib"]


@pytest.mark.parametrize("fmt, name", [("kumu", "out.xlsx"), ("kumu-json", "out.json")])
def test_an_export_imported_into_an_empty_store_exports_the_same_file_again(fmt, name, loaded, make_sqlite, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = transfer.export_file(loaded, tmp_path / "a" / name, fmt).paths[0]
    target = make_sqlite("t")
    report = transfer.import_file(target, first)
    assert report.written, report.lines()
    want, got = contents(loaded), contents_by_source(target, loaded)  # imported records get ids of their own
    for key in ("people", "organisations", "ties"):
        assert got[key] == want[key], key
    back = {stored_id(target, a.id): a.id for a in (*want["people"], *want["organisations"])}
    assert None not in back
    second = transfer.export_file(target, tmp_path / "b" / name, fmt).paths[0]
    if fmt == "kumu":
        for sheet in ("Elements", "Connections"):
            header, rows = _sheet_rows(second, sheet)
            assert (header, _canonical(_with_ids(rows, back))) == (_sheet_rows(first, sheet)[0],
                                                                   _canonical(_sheet_rows(first, sheet)[1])), sheet
    else:
        again, before = _with_ids(json.loads(second.read_text("utf-8")), back), json.loads(first.read_text("utf-8"))
        for part in ("elements", "connections"):
            numbered = part == "connections"  # conn-1, conn-2... follow the order of the ties' ids
            assert (_canonical([{**c, "_id": None} for c in again.pop(part)] if numbered else again.pop(part))
                    == _canonical([{**c, "_id": None} for c in before.pop(part)] if numbered else before.pop(part))), part
        assert again == before


def _with_ids(value, back: dict):
    """``value`` with every id given by the import (alone, or after Kumu's ``elem-``) put back to the source's."""
    if isinstance(value, dict):
        return {k: _with_ids(v, back) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_ids(v, back) for v in value]
    if isinstance(value, str):
        if value in back:
            return back[value]
        if value.startswith("elem-") and value[5:] in back:
            return "elem-" + back[value[5:]]
    return value


def _canonical(rows: list) -> list[str]:
    """Rows in an order that does not depend on the ids (exports list records by id, and an
    undirected tie's ends in id order)."""
    out = []
    for r in rows:
        for direction, a, b in (("Direction", "From", "To"), ("direction", "from", "to")):
            if r.get(direction) == "undirected" and a in r:
                r = {**r, a: min(r[a], r[b]), b: max(r[a], r[b])}
        out.append(json.dumps(r, sort_keys=True, default=str))
    return sorted(out)


def test_interests_and_offers_columns_of_older_exports_are_still_read_with_tags(tmp_path):
    path = _workbook(tmp_path / "old.xlsx", [
        ["ID", "Label", "Type", "Tags", "Interests", "Offers"],
        ["ana", "Ana", "Person", "chess", "gardening | chess", None],
        ["lib", "Armley Library", "Library", "wifi", None, "books"],
    ])
    parsed = kumu.read_kumu(path)
    assert parsed.report.ignored_columns == {}
    assert parsed.batch.people[0].interests == ["chess", "gardening"]  # each value once
    assert parsed.batch.organisations[0].offers == ["wifi", "books"]


def test_a_real_kumu_map_imported_then_exported_keeps_its_tags(make_sqlite, tmp_path):
    source = REAL_KUMU / "paypal-mafia.xlsx"
    _header, original = _sheet_rows(source, "Elements")
    # tags are kept as our tag-like fields are: short lower-case phrases (see connector_graph.model)
    want = {r["Label"]: _tags((r["Tags"] or "").casefold()) for r in original if r["Label"]}
    assert sum(1 for t in want.values() if t) == 34  # the example tags most of its elements
    store = make_sqlite("s")
    assert transfer.import_file(store, source).written
    path = transfer.export_file(store, tmp_path / "paypal.xlsx", "kumu").paths[0]
    _header, exported = _sheet_rows(path, "Elements")
    assert {r["Label"]: _tags(r["Tags"]) for r in exported} == want
    blueprint = json.loads(transfer.export_file(store, tmp_path / "paypal.json", "kumu-json").paths[0].read_text("utf-8"))
    assert {e["attributes"]["label"]: sorted(e["attributes"].get("tags", [])) for e in blueprint["elements"]} == want
    again = make_sqlite("again")
    assert transfer.import_file(again, path).written
    assert contents(again)["people"] == contents(store)["people"]
    assert contents(again)["organisations"] == contents(store)["organisations"]
