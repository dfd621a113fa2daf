"""The JSON backup: identical content after backup and restore on both backends, and every refusal."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from connector_graph.errors import InvalidInput
from connector_graph.graph import build_graph
from connector_graph.io import json_backup, transfer
from connector_graph.io.snapshot import snapshot

from io_support import contents, loaded, make_sqlite, network  # noqa: F401  (fixtures)


def _graph_facts(store) -> tuple:
    G = build_graph(store)
    return sorted(G.nodes(data=True)), sorted((min(u, v), max(u, v), sorted(d.items())) for u, v, d in G.edges(data=True))


def test_backup_then_restore_gives_identical_content_and_analysis(loaded, make_sqlite, tmp_path):
    path = tmp_path / "backup.json"
    result = transfer.export_file(loaded, path, "json")
    assert result.counts.people == 5 and result.counts.introductions == 3
    target = make_sqlite("restored")
    report = transfer.import_file(target, path, "json", require_empty=True)
    assert report.ok and report.written
    assert contents(target) == contents(loaded)
    assert target.counts() == loaded.counts()
    assert _graph_facts(target) == _graph_facts(loaded)


def test_restore_into_either_backend_gives_identical_content(store, make_sqlite, tmp_path):
    source = make_sqlite("source")
    source.bulk_load(network())
    path = json_backup.write_backup(snapshot(source), tmp_path / "b.json")
    report = transfer.import_file(store, path, "json", require_empty=True)
    assert report.written
    assert contents(store) == contents(source)


def test_backup_file_has_a_versioned_header_and_counts(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "b.json", "json").paths[0]
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "connector_graph-backup" and document["version"] == 3
    assert document["counts"] == {"wards": 2, "people": 5, "organisations": 3, "ties": 6, "introductions": 3}
    assert {p["id"] for p in document["people"]} == {"con", "ann", "bob", "cyd", "dee"}


def test_restore_refuses_a_store_that_is_not_empty(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "b.json", "json").paths[0]
    with pytest.raises(InvalidInput, match="already holds 8 people and organisations.*--merge"):
        transfer.import_file(loaded, path, "json", require_empty=True)


def test_restoring_twice_with_merge_changes_nothing(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "b.json", "json").paths[0]
    before = contents(loaded)
    report = transfer.import_file(loaded, path, "json")
    assert report.ok and report.before == report.after
    assert contents(loaded) == before


def test_dry_run_writes_nothing(make_sqlite, tmp_path):
    source = make_sqlite("source")
    source.bulk_load(network())
    path = json_backup.write_backup(snapshot(source), tmp_path / "b.json")
    target = make_sqlite("target")
    version = target.graph_version()
    report = transfer.import_file(target, path, "json", dry_run=True)
    assert report.ok and not report.written and report.accepted["people"] == 5
    assert target.counts().people == 0 and target.graph_version() == version


def _write(tmp_path, document, name="b.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def _valid_document() -> dict:
    return json.loads(_dumps(network()))


def _dumps(batch) -> str:
    import io

    out = io.StringIO()
    json_backup.dump_backup(batch, out)
    return out.getvalue()


@pytest.mark.parametrize(
    "document, message",
    [
        ("{not json", "not valid JSON"),
        ({"people": []}, "not a connector_graph backup"),
        ({"format": "connector_graph-backup", "version": 99}, "version 99.*upgrade"),
        ({"format": "connector_graph-backup", "version": 1, "secrets": []}, "unknown section.*secrets"),
        ({"format": "connector_graph-backup", "version": 1, "people": {}}, "must be a list"),
    ],
)
def test_files_that_are_not_backups_are_refused_in_one_line(tmp_path, document, message):
    with pytest.raises(InvalidInput, match=message):
        json_backup.read_backup(_write(tmp_path, document))


def test_missing_backup_file(tmp_path):
    with pytest.raises(InvalidInput, match="no such backup file"):
        json_backup.read_backup(tmp_path / "nope.json")


def test_bad_records_are_rejected_with_their_place_and_reason(tmp_path):
    document = _valid_document()
    document["people"][1]["name"] = ""
    document["people"][2]["favourite_colour"] = "red"
    document["organisations"].append(dict(document["organisations"][0]))
    document["counts"]["organisations"] += 1
    parsed = json_backup.read_backup(_write(tmp_path, document))
    reasons = {str(r) for r in parsed.report.rejected}
    assert any(r.startswith("people[1]: name: must not be empty") for r in reasons)
    assert any(r.startswith("people[2]: favourite_colour: is not a known field") for r in reasons)
    assert any(r.startswith("organisations[3]: repeats") for r in reasons)
    assert not parsed.report.ok


def test_a_cut_off_backup_is_noticed(tmp_path):
    document = _valid_document()
    document["ties"].pop()
    parsed = json_backup.read_backup(_write(tmp_path, document))
    assert "the header says 6 but the file holds 5" in str(parsed.report.rejected[0])


def test_a_rejected_row_means_nothing_is_written(make_sqlite, tmp_path):
    document = _valid_document()
    document["introductions"][0]["subject_id"] = "ghost"
    target = make_sqlite("target")
    report = transfer.import_file(target, _write(tmp_path, document), "json")
    assert not report.written
    assert [str(r) for r in report.rejected] == ["introductions[0]: unknown actor 'ghost'"]
    assert target.counts().people == 0


def test_an_id_held_by_the_other_type_is_rejected(make_sqlite, tmp_path):
    target = make_sqlite("target")
    batch = network()
    target.bulk_load(type(batch)(organisations=[batch.organisations[0].model_copy(update={"id": "ann"})]))
    report = transfer.import_file(target, _write(tmp_path, _valid_document()), "json")
    assert not report.written
    assert any("already belongs to an organisation" in str(r) for r in report.rejected)


def test_unknown_ward_is_rejected_with_a_suggestion(make_sqlite, tmp_path):
    document = _valid_document()
    document["people"][0]["ward"] = "Armly"
    report = transfer.import_file(make_sqlite("t"), _write(tmp_path, document), "json")
    assert any("unknown ward 'Armly'; did you mean 'Armley'?" in str(r) for r in report.rejected)


def test_ward_case_is_corrected_to_the_known_name(make_sqlite, tmp_path):
    document = _valid_document()
    document["people"][0]["ward"] = "ARMLEY"
    target = make_sqlite("t")
    assert transfer.import_file(target, _write(tmp_path, document), "json").written
    assert target.get_actor(document["people"][0]["id"]).ward == "Armley"


def test_progress_is_reported_while_writing(make_sqlite, tmp_path):
    source = make_sqlite("source")
    source.bulk_load(network())
    path = json_backup.write_backup(snapshot(source), tmp_path / "b.json")
    ticks: list[int] = []
    transfer.import_file(make_sqlite("t"), path, "json", progress=ticks.append)
    assert sum(ticks) == len(network())


def test_graph_projection_is_equal_after_restore_as_networkx_sees_it(loaded, make_sqlite, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "b.json", "json").paths[0]
    target = make_sqlite("t")
    transfer.import_file(target, path, "json")
    assert nx.utils.graphs_equal(build_graph(target), build_graph(loaded))
