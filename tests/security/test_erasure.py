"""Erasure is permanent: no restore, merge, copy or import brings an erased person back.

Each case erases someone, then tries a way back in, and checks that the
person is not there, that nothing else was lost, and that the attempt was
listed and audited. Both backends.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from connector_graph import service
from connector_graph.audit import AuditAction
from connector_graph.auth import acting_as
from connector_graph.cli import main
from connector_graph.errors import Forbidden, InvalidInput
from connector_graph.io import transfer
from connector_graph.io.files import overwriting
from connector_graph.store import open_store


@pytest.fixture
def network(store):
    service.add_person(store, "Cath Connector", roles=["connector"], ward="Armley", person_id="cath")
    service.add_person(store, "Ann Ahmed", ward="Armley", person_id="ann")
    service.add_person(store, "Bob Brown", ward="Bramley", person_id="bob")
    service.add_tie(store, "cath", "ann")
    service.add_tie(store, "cath", "bob")
    service.log_introduction(store, introducer_id="cath", subject_id="ann", target_id="bob")
    return store


def _ids(store) -> set[str]:
    return {p.id for p in store.list_people()}


def _actions(store) -> list[str]:
    return [e.action.value for e in store.list_audit()]


def test_erase_writes_a_register_line_without_the_name_or_the_raw_id(network):
    service.erase_actor(network, "ann")
    register = network.list_erasures()
    assert len(register) == 1
    text = json.dumps([r.model_dump(mode="json") for r in register])
    assert "ann" not in text.lower() and "ahmed" not in text.lower()
    assert register[0].fingerprint  # a person: matched again by name and ward too


def test_restore_merge_of_an_older_backup_leaves_the_erased_person_out(network, tmp_path):
    old = transfer.export_file(network, tmp_path / "old.json", "json").paths[0]
    service.erase_actor(network, "ann")
    report = transfer.import_file(network, old, "json")
    assert "ann" not in _ids(network) and {"cath", "bob"} <= _ids(network)
    assert report.skipped_erased and "skip_erased" in _actions(network)
    assert network.counts().introductions == 0  # the introduction naming Ann stays gone


def test_restore_into_a_new_store_reapplies_the_register_the_backup_carries(network, tmp_path):
    service.erase_actor(network, "ann")
    backup = transfer.export_file(network, tmp_path / "b.json", "json").paths[0]
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        transfer.import_file(fresh, backup, "json", require_empty=True)
        assert len(fresh.list_erasures()) == 1  # the register moved with the backup
        old_copy = tmp_path / "older.json"
        document = json.loads(backup.read_text(encoding="utf-8"))
        document["people"].append({"id": "ann", "name": "Ann Ahmed", "ward": "Armley"})
        document["counts"]["people"] += 1
        old_copy.write_text(json.dumps(document), encoding="utf-8")
        report = transfer.import_file(fresh, old_copy, "json")
        assert "ann" not in _ids(fresh) and report.skipped_erased
    finally:
        fresh.close()


def test_a_restored_backup_erases_again_people_its_register_lists(network, tmp_path):
    keep = transfer.export_file(network, tmp_path / "before.json", "json").paths[0]
    service.erase_actor(network, "bob")
    after = transfer.export_file(network, tmp_path / "after.json", "json").paths[0]
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        transfer.import_file(other, keep, "json", require_empty=True)  # still holds Bob
        assert "bob" in _ids(other)
        report = transfer.import_file(other, after, "json")  # merging the later backup applies its register
        assert "bob" not in _ids(other) and report.erased_again == ["bob"]
        assert {"cath", "ann"} <= _ids(other)
    finally:
        other.close()


def test_importing_an_older_kumu_export_leaves_the_erased_person_out(network, tmp_path):
    with overwriting(False):
        workbook = transfer.export_file(network, tmp_path / "map.xlsx", "kumu").paths[0]
    service.erase_actor(network, "ann")
    before = network.counts()
    report = transfer.import_file(network, workbook, "kumu")
    assert "ann" not in _ids(network)
    assert report.skipped_erased and network.counts().people == before.people


def test_the_same_person_under_a_new_id_is_matched_by_fingerprint(network, tmp_path):
    service.erase_actor(network, "ann")
    folder = tmp_path / "csv"
    transfer.export_file(network, folder, "csv")
    people = folder / "people.csv"
    header, *rows = people.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    row = ["" for _ in columns]
    row[columns.index("id")] = "ann-again"
    row[columns.index("name")] = "ANN  AHMED"  # case and spacing differ
    row[columns.index("ward")] = "Armley"
    people.write_text("\n".join([header, *rows, ",".join(row)]) + "\n", encoding="utf-8")
    report = transfer.import_file(network, folder, "csv")
    assert "ann-again" not in _ids(network) and report.skipped_erased


def test_copy_between_stores_carries_the_register_and_leaves_the_person_out(network, tmp_path):
    service.erase_actor(network, "ann")
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        transfer.copy_store(network, target)
        assert len(target.list_erasures()) == 1 and "ann" not in _ids(target)
    finally:
        target.close()


def test_bringing_back_needs_a_reason_and_an_admin_and_is_audited(network, tmp_path):
    old = transfer.export_file(network, tmp_path / "old.json", "json").paths[0]
    service.erase_actor(network, "ann")
    with pytest.raises(InvalidInput, match="reason"):
        transfer.import_file(network, old, "json", bring_back_erased="   ")
    assert "ann" not in _ids(network)
    with acting_as("m", "manager"), pytest.raises(Forbidden):
        transfer.import_file(network, old, "json", bring_back_erased="court order 2026/17 requires it")
    assert "ann" not in _ids(network)
    report = transfer.import_file(network, old, "json", bring_back_erased="court order 2026/17 requires it")
    assert "ann" in _ids(network) and report.brought_back == ["ann"]
    entry = [e for e in network.list_audit() if e.action is AuditAction.BRING_BACK_ERASED][-1]
    assert entry.target.startswith("ann | court order")


def test_a_dry_run_lists_what_it_would_leave_out_and_writes_nothing(network, tmp_path):
    old = transfer.export_file(network, tmp_path / "old.json", "json").paths[0]
    service.erase_actor(network, "ann")
    version = network.graph_version()
    report = transfer.import_file(network, old, "json", dry_run=True)
    assert report.skipped_erased and not report.written and network.graph_version() == version


def test_cli_restore_merge_lists_skipped_people(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()
    assert runner.invoke(main, ["add-person", "Ann Ahmed", "--id", "ann"]).exit_code == 0
    assert runner.invoke(main, ["add-person", "Bob Brown", "--id", "bob"]).exit_code == 0
    assert runner.invoke(main, ["backup", str(tmp_path / "b.json")]).exit_code == 0
    assert runner.invoke(main, ["erase", "ann", "--yes"]).exit_code == 0
    result = runner.invoke(main, ["restore", str(tmp_path / "b.json"), "--merge"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "erasure register" in result.output
    store = open_store(url)
    try:
        assert {p.id for p in store.list_people()} == {"bob"}
    finally:
        store.close()
