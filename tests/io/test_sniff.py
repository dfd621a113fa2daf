"""Recognising formats from content; the import command without --format; reports a user can act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from connector_graph.cli import main
from connector_graph.errors import InvalidInput
from connector_graph.io import transfer
from connector_graph.io.sniff import RECOGNISED, sniff
from connector_graph.store import open_store

from io_support import make_sqlite, network  # noqa: F401  (fixtures)

DATA = Path(__file__).parents[1] / "data"
REAL = DATA / "real"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, text, fmt",
    [
        ("a.xml", '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>', "graphml"),
        ("a.xml", '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph/></gexf>', "gexf"),
        ("a.txt", "# made by hand\nCreator \"igraph\"\ngraph [ node [ id 0 ] ]", "gml"),
        ("a.txt", "% a comment\n*Vertices 2\n1 \"a\"\n2 \"b\"\n*Edges\n1 2\n", "pajek"),
        ("a.dat", json.dumps({"format": "connector_graph-backup", "version": 1}), "json"),
        ("a.dat", json.dumps({"elements": [], "connections": [], "attributes": []}), "kumu"),
        ("a.dat", json.dumps({"contents": [], "total_pages": 1}), "openreferral"),
        ("a.dat", json.dumps({"id": "s1", "name": "Lunch", "organization": {"id": "o1"}}), "openreferral"),
        ("a.dat", json.dumps({"id": "o1", "name": "Age UK", "services": []}), "openreferral"),
        ("a.dat", json.dumps([{"id": "s1", "service_at_locations": []}]), "openreferral"),
        ("edges.txt", "Source,Target,Type,Weight\n1,2,Directed,3\n", "gephi"),
        ("nodes.txt", "Id,Label,Colour\n1,Ana,red\n", "gephi"),
        ("anything.csv", "Label,Type,Tags\nAna,Person,\n", "kumu"),
        ("c.csv", "From,To,Type\nAna,Ben,knows\n", "kumu"),
        ("t.csv", "source_id,target_id,kind\na,b,knows\n", "csv"),
    ],
)
def test_files_are_recognised_by_their_content_not_their_name(name, text, fmt, tmp_path):
    assert sniff(_write(tmp_path / name, text)).format == fmt


def test_folders_and_workbooks_are_recognised_by_what_they_hold(tmp_path):
    _write(tmp_path / "k" / "Elements.csv", "Label,Type\nAna,Person\n")
    _write(tmp_path / "o" / "services.csv", "id,organization_id,name\n")
    _write(tmp_path / "c" / "people.csv", "id,name\n")
    _write(tmp_path / "g" / "my edges.csv", "Source,Target\n1,2\n")
    assert [sniff(tmp_path / d).format for d in "kocg"] == ["kumu", "openreferral", "csv", "gephi"]
    assert sniff(DATA / "openreferral").format == "openreferral"
    book = Workbook()
    book.active.title = "Elements"
    book.save(tmp_path / "map.bin")
    assert sniff(tmp_path / "map.bin").format == "kumu"
    other = Workbook()
    other.active.title = "Budget"
    other.save(tmp_path / "budget.xlsx")
    with pytest.raises(InvalidInput, match=r"an Excel workbook without an 'Elements' sheet \(it has: Budget\)"):
        sniff(tmp_path / "budget.xlsx")


def test_an_unknown_format_lists_what_is_recognised(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        sniff(_write(tmp_path / "notes.txt", "Dear Ana,\nsee you Tuesday.\n"))
    assert str(caught.value) == f"cannot tell what format notes.txt is in; recognised are {RECOGNISED}"


def test_a_forced_format_that_does_not_fit_names_what_the_file_is(make_sqlite):
    store = make_sqlite("s")
    with pytest.raises(InvalidInput) as caught:
        transfer.import_file(store, REAL / "gephi" / "football.graphml", "gexf")
    assert str(caught.value) == (
        "football.graphml is a GraphML file, not a GEXF file; import it with --format graphml, or leave --format out"
    )
    # a format that fits is still forced: a Kumu sheet saved as CSV read as Kumu
    assert transfer.import_file(store, REAL / "gephi" / "football.graphml", "graphml").written


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def invoke(*args, code: int = 0):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == code, result.output + result.stderr
        return result

    return invoke


def test_import_without_format_reports_per_table_and_the_mapping_and_a_dry_run_shows_the_same(cli, tmp_path):
    path = REAL / "kumu" / "paypal-mafia.xlsx"
    dry = cli("import", path, "--dry-run")
    assert "Dry run: nothing was written." in dry.stdout
    assert "format recognised from its content" in dry.stderr
    lines = dry.stdout.splitlines()
    assert "Elements sheet: read 34" in lines and "Connections sheet: read 49" in lines
    assert "people: added 17, changed 0, unchanged 0" in lines
    assert "ties: added 49, changed 0, unchanged 0" in lines
    mapped = next(line for line in lines if line.startswith("mapped: "))
    assert "Company \u2192 organisation (17)" in mapped and "Investor \u2192 partners_with (label kept) (9)" in mapped
    real = cli("import", path)
    assert [line for line in real.stdout.splitlines() if not line.startswith("Imported")] == [
        line for line in lines if not line.startswith("Dry run")
    ]  # the dry run showed exactly what the import did
    again = cli("import", path)
    assert "people: added 0, changed 0, unchanged 17" in again.stdout
    assert "ties: added 0, changed 0, unchanged 49" in again.stdout


def test_type_map_and_default_type_on_the_command_line(cli, tmp_path):
    out = cli("import", REAL / "kumu" / "snap-to-tutorial-data.xlsx", "--type-map", "State=council", "--dry-run")
    assert "State \u2192 organisation (51)" in out.stdout
    bad = cli("import", REAL / "kumu" / "snap-to-tutorial-data.xlsx", "--type-map", "State", code=1)
    assert bad.stderr.strip().splitlines()[-1].startswith("error: --type-map entry 'State' is not of the form")
    out = cli("import", REAL / "igraph" / "karate.gml", "--default-type", "organisation")
    assert "The store now holds 0 people, 34 organisations, 78 ties" in out.stdout


def test_a_malformed_row_writes_nothing_and_names_the_row(cli, tmp_path):
    _write(tmp_path / "g" / "edges.csv", "Source,Target,Weight\n1,2,1\n2,,4\n")
    out = cli("import", tmp_path / "g", code=1)
    assert out.stderr.strip().splitlines()[-1] == "error: edges.csv line 3 needs both a Source and a Target"
    _write(tmp_path / "w" / "edges.csv", "Source,Target,Weight\n1,2,1\n2,3,heavy\n")
    out = cli("import", tmp_path / "w" / "edges.csv", code=1)
    assert "rejected edges.csv '2'-'3': weight 'heavy' is not a number" in out.stderr
    blueprint = _write(tmp_path / "k.json", json.dumps(
        {"elements": [{"_id": "e1", "attributes": {"label": "Ana"}}], "connections": [{"from": "e1", "to": "e9"}]}))
    out = cli("import", blueprint, code=1)
    assert out.stderr.strip().splitlines()[-1] == "error: k.json connection 1: 'to' names no element of this blueprint ('e9')"
    store = open_store(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        assert store.counts().people == store.counts().ties == 0
    finally:
        store.close()


def test_kumu_multi_targets_direction_strength_and_csv_pairs(make_sqlite, tmp_path):
    folder = tmp_path / "kumu csv"
    _write(folder / "elements.csv", "Label,Type,Tags\nAna,Resident,gardening|chess\nLibrary,Library,\nClub,Club,\n")
    _write(folder / "connections.csv",
           "From,To,Type,Direction,Strength\nAna,Library|Club,Member,undirected,2\nLibrary,Club,Funds,directed,0.5\n")
    store = make_sqlite("s")
    report = transfer.import_file(store, folder / "connections.csv")  # a sheet of a folder format means its folder
    assert report.written, report.lines()
    def ends(t):
        names = (store.get_actor(t.source_id).name, store.get_actor(t.target_id).name)
        return tuple(sorted(names)) if t.kind.symmetric else names  # a two-way tie has no direction to check

    ties = sorted((*ends(t), t.kind.value, t.weight, t.label) for t in store.list_ties())
    assert ties == [("Ana", "Club", "member_of", 2.0, "Member"), ("Ana", "Library", "member_of", 2.0, "Member"),
                    ("Club", "Library", "partners_with", 0.5, "Funds")]
    ana = next(a for a in store.iter_actors() if a.name == "Ana")
    assert ana.interests == ["gardening", "chess"]


def test_kumu_export_has_kumus_own_columns_and_blueprint_shape(make_sqlite, tmp_path):
    from openpyxl import load_workbook

    store = make_sqlite("s")
    store.bulk_load(network())
    book = load_workbook(transfer.export_file(store, tmp_path / "m.xlsx", "kumu").paths[0], read_only=True)
    header = next(book["Connections"].iter_rows(values_only=True))
    assert header[:6] == ("From", "To", "Type", "Label", "Direction", "Strength")
    assert next(book["Elements"].iter_rows(values_only=True))[:3] == ("ID", "Label", "Type")
    blueprint = json.loads(transfer.export_file(store, tmp_path / "m.json", "kumu-json").paths[0].read_text("utf-8"))
    ids = {e["_id"] for e in blueprint["elements"]}
    assert len(ids) == 8 and all(e["attributes"]["element type"] in ("Person", "Organisation") for e in blueprint["elements"])
    assert all(c["from"] in ids and c["to"] in ids for c in blueprint["connections"])
    assert {c["direction"] for c in blueprint["connections"]} == {"directed", "undirected"}
    assert sniff(tmp_path / "m.json").format == "kumu"


def test_a_gephi_edges_file_reads_the_nodes_table_beside_it(make_sqlite, tmp_path):
    _write(tmp_path / "g" / "nodes.csv", "Id,Label,type\n1,Ana,person\n2,Armley Library,library\n3,Ben,\n")
    edges = _write(tmp_path / "g" / "edges.csv", "Source,Target,Type,Weight\n1,2,Undirected,2\n2,1,Undirected,1\n3,1,Directed,1\n")
    _write(tmp_path / "g" / "old edges.csv", "Source,Target\n9,8\n")  # another edges table is not read
    parsed = transfer.read_import(make_sqlite("s"), edges)
    assert sorted(p.name for p in parsed.batch.people) == ["Ana", "Ben"]
    assert [o.name for o in parsed.batch.organisations] == ["Armley Library"]
    assert sorted((t.source_id, t.target_id, t.weight) for t in parsed.batch.ties) == [("1", "2", 3.0), ("1", "3", 1.0)]
    assert parsed.report.tables["edges.csv"].merged == 1
