"""Our CSV templates: round trips on both backends, formula-safe cells, and every rejection."""

from __future__ import annotations

import csv

import pytest

from connector_graph.errors import InvalidInput
from connector_graph.io import csv_tables, transfer
from connector_graph.io.snapshot import snapshot
from connector_graph.io.source_ids import is_our_id, stored_id

from io_support import contents, contents_by_source, loaded, make_sqlite, network  # noqa: F401  (fixtures)


def test_templates_import_cleanly_with_their_example_rows(make_sqlite, tmp_path):
    written = csv_tables.write_templates(tmp_path / "templates")
    assert sorted(p.name for p in written) == [
        "introductions.csv", "organisations.csv", "people.csv", "ties.csv", "wards.csv",
    ]
    target = make_sqlite("t")
    report = transfer.import_file(target, tmp_path / "templates", "csv")
    assert report.ok, report.lines()
    assert (report.accepted["people"], report.accepted["organisations"], report.accepted["ties"],
            report.accepted["introductions"]) == (2, 1, 1, 1)
    ana = target.get_actor(stored_id(target, "p-ana-example"))
    assert ana.gifts == ["baking", "welcoming people"] and is_our_id(ana.id)


def test_template_text_has_header_and_example():
    lines = csv_tables.template_text("people").splitlines()
    assert lines[0].startswith("id,name,roles,ward,gifts")
    assert "Ana Example" in lines[1]
    with pytest.raises(InvalidInput, match="no template for 'pets'"):
        csv_tables.template_text("pets")


def test_export_then_import_gives_identical_content(loaded, make_sqlite, tmp_path):
    result = transfer.export_file(loaded, tmp_path / "out", "csv")
    assert len(result.paths) == 5
    target = make_sqlite("t")
    report = transfer.import_file(target, tmp_path / "out", "csv")
    assert report.written, report.lines()
    assert contents_by_source(target, loaded) == contents(loaded)


def test_import_into_either_backend_twice_changes_nothing(store, make_sqlite, tmp_path):
    source = make_sqlite("source")
    source.bulk_load(network())
    csv_tables.write_csv_folder(snapshot(source), tmp_path / "out")
    first = transfer.import_file(store, tmp_path / "out", "csv")
    held = contents(store)
    second = transfer.import_file(store, tmp_path / "out", "csv")
    assert first.written and second.written
    assert first.after == second.after == source.counts()
    assert contents(store) == held
    assert contents_by_source(store, source) == contents(source)


def test_formula_like_cells_are_neutralised_and_read_back_exactly(loaded, tmp_path):
    transfer.export_file(loaded, tmp_path / "out", "csv")
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["id"]: row["name"] for row in csv.DictReader(handle)}
    assert names["bob"] == "'=HYPERLINK(\"http://x\")"
    assert names["cyd"] == "'-Cyd Café"
    for path in (tmp_path / "out").glob("*.csv"):
        for row in csv.reader(path.open(encoding="utf-8", newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), (path.name, row)
    parsed = csv_tables.read_csv_folder(tmp_path / "out")
    by_id = {p.id: p.name for p in parsed.batch.people}
    assert by_id["bob"] == "=HYPERLINK(\"http://x\")" and by_id["cyd"] == "-Cyd Café"


def _folder(tmp_path, **files: str):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_blank_ids_are_derived_from_the_row_so_reimport_is_idempotent(make_sqlite, tmp_path):
    folder = _folder(tmp_path, people="name,ward\nAna Lopez,\nBen Okafor,\n")
    first = csv_tables.read_csv_folder(folder)
    second = csv_tables.read_csv_folder(folder)
    assert [p.id for p in first.batch.people] == [p.id for p in second.batch.people]
    assert all(p.id.startswith("p-csv-") for p in first.batch.people)
    target = make_sqlite("t")
    transfer.import_file(target, folder, "csv")
    transfer.import_file(target, folder, "csv")
    assert target.counts().people == 2


def test_list_cells_split_on_commas_semicolons_and_bars(tmp_path):
    folder = _folder(tmp_path, people='id,name,roles,interests\np1,Ana,"connector; volunteer","chess, walking|reading"\n')
    person = csv_tables.read_csv_folder(folder).batch.people[0]
    assert [r.value for r in person.roles] == ["connector", "volunteer"]
    assert person.interests == ["chess", "walking", "reading"]


@pytest.mark.parametrize(
    "files, message",
    [
        ({"people": "id,name,wrad\np1,Ana,Armley\n"}, "people.csv has unknown column\\(s\\) 'wrad'"),
        ({"organisations": "id,name\no1,Club\n"}, "organisations.csv lacks the column\\(s\\) sector"),
        ({"people": ""}, "people.csv is empty"),
        ({"people": "id,name,name\np1,Ana,Ana\n"}, "has the column 'name' twice"),
        ({"people": "id,name\np1,Ana,extra\n"}, "line 2 has more cells than the header"),
        ({"notes": "a,b\n"}, "holds none of"),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, files, message):
    with pytest.raises(InvalidInput, match=message):
        csv_tables.read_csv_folder(_folder(tmp_path, **files))


def test_missing_folder_and_non_utf8_file(tmp_path):
    with pytest.raises(InvalidInput, match="no such folder"):
        csv_tables.read_csv_folder(tmp_path / "nope")
    folder = _folder(tmp_path)
    (folder / "people.csv").write_bytes("id,name\np1,Ren\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8 text"):
        csv_tables.read_csv_folder(folder)


def test_bad_rows_are_rejected_with_line_numbers(tmp_path):
    folder = _folder(
        tmp_path,
        people="id,name,roles\np1,Ana,resident\np2,,resident\np3,Cy,astronaut\np1,Ana Again,resident\n",
        ties="source_id,target_id,kind,since\np1,p1,knows,\np1,p3,knows,2020-13-01\n",
        introductions="id,introducer_id,subject_id,target_id,status\ni1,p1,p1,p3,made\n",
    )
    report = csv_tables.read_csv_folder(folder).report
    reasons = [str(r) for r in report.rejected]
    assert "people.csv line 3: name: is required" in reasons
    assert any(r.startswith("people.csv line 4: roles.0: must be one of") and "astronaut" in r for r in reasons)
    assert "people.csv line 5: repeats 'p1' from people.csv line 2" in reasons
    assert any(r.startswith("ties.csv line 2:") and "two different actors" in r for r in reasons)
    assert any(r.startswith("ties.csv line 3: since:") for r in reasons)
    assert any(r.startswith("introductions.csv line 2:") and "cannot also be the person introduced" in r for r in reasons)
    assert report.rejected_total == 6 and not report.ok


def test_ties_may_name_actors_already_in_the_store(make_sqlite, tmp_path):
    target = make_sqlite("t")
    target.bulk_load(network())
    folder = _folder(tmp_path, ties="source_id,target_id,kind\ndee,lib,attends\nann,ghost,knows\n")
    report = transfer.import_file(target, folder, "csv")
    assert [str(r) for r in report.rejected] == ["ties.csv line 3: unknown actor 'ghost'"]
    assert not report.written and target.counts().ties == 6
    (folder / "ties.csv").write_text("source_id,target_id,kind\ndee,lib,attends\n", encoding="utf-8")
    assert transfer.import_file(target, folder, "csv").written
    assert target.counts().ties == 7


def test_other_csv_files_in_the_folder_are_reported(tmp_path):
    folder = _folder(tmp_path, people="id,name\np1,Ana\n", notes="a\n1\n")
    assert "files not read (not one of our templates): notes.csv" in csv_tables.read_csv_folder(folder).report.notes


def test_further_person_fields_such_as_the_consent_record_survive_a_round_trip(make_sqlite, tmp_path):
    import datetime as dt

    from connector_graph.model import Person
    from connector_graph.store import Batch

    eve = Person.model_validate({
        "id": "eve", "name": "Eve", "needs": ["mobility"], "article9_condition": "explicit_consent",
        "lawful_basis": "consent", "consent_given_on": dt.date(2025, 1, 2), "consent_method": "written",
        "restricted": True, "retain_until": dt.date(2030, 1, 1),
    })
    csv_tables.write_csv_folder(Batch(people=[eve]), tmp_path / "out")
    header = (tmp_path / "out" / "people.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "article9_condition" in header and "consent_given_on" in header
    [back] = csv_tables.read_csv_folder(tmp_path / "out").batch.people
    assert back == eve


def test_a_health_need_without_an_article_9_condition_is_rejected(tmp_path):
    folder = _folder(tmp_path, people="id,name,needs\np1,Ana,mobility\n")
    [rejection] = csv_tables.read_csv_folder(folder).report.rejected
    assert rejection.where == "people.csv line 2" and "Article 9" in rejection.reason
