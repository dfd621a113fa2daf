"""Imported records get random ids: a file's own ids (personal ones such as a Kumu ID) never reach the records or the audit log.

The store keeps the keyed mapping from the file's ids to ours, apart from the
audit log, so importing again finds the same records; erasing a person
removes their mapping (and keeps an import from bringing them back). Both
backends.
"""

from __future__ import annotations

import json

from connector_graph import service
from connector_graph.io import transfer
from connector_graph.io.source_ids import is_our_id, stored_id

KUMU_ID = "john.smith.dob-1961-03-04"
NAME = "John Smith"


def _kumu_folder(tmp_path, name="kumu", *, elements=None, connections=None):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "Elements.csv").write_text(
        elements
        or (
            "ID,Label,Type,Ward\n"
            f"{KUMU_ID},{NAME},Person,Armley\n"
            "mary.jones.1975,Mary Jones,Connector,Armley\n"
            "armley-library,Armley Library,Library,Armley\n"
        ),
        encoding="utf-8",
    )
    (folder / "Connections.csv").write_text(
        connections or f"From,To,Type\n{KUMU_ID},mary.jones.1975,knows\n{KUMU_ID},armley-library,attends\n",
        encoding="utf-8",
    )
    return folder


def _audit_text(store) -> str:
    return json.dumps([e.model_dump(mode="json") for e in store.list_audit()])


def _everything(store) -> dict:
    return {
        "actors": sorted(a.model_dump_json() for a in store.iter_actors()),
        "ties": sorted(t.model_dump_json() for t in store.iter_ties()),
        "introductions": sorted(i.model_dump_json() for i in store.iter_introductions()),
    }


def test_imported_records_get_random_ids_and_the_file_ids_are_mapped(store, tmp_path):
    report = transfer.import_file(store, _kumu_folder(tmp_path), "kumu")
    assert report.written, report.lines()
    ids = {a.name: a.id for a in store.iter_actors()}
    assert set(ids) == {NAME, "Mary Jones", "Armley Library"}
    assert all(is_our_id(i) for i in ids.values()), ids
    assert ids[NAME].startswith("p-") and ids["Armley Library"].startswith("o-")
    assert stored_id(store, KUMU_ID) == ids[NAME]
    assert stored_id(store, "armley-library") == ids["Armley Library"]
    ends = {frozenset((t.source_id, t.target_id)) for t in store.iter_ties()}
    assert ends == {frozenset((ids[NAME], ids["Mary Jones"])), frozenset((ids[NAME], ids["Armley Library"]))}
    everything = json.dumps(_everything(store))
    assert KUMU_ID not in everything and "mary.jones" not in everything


def test_importing_the_same_file_again_changes_nothing(store, tmp_path):
    folder = _kumu_folder(tmp_path)
    transfer.import_file(store, folder, "kumu")
    before = _everything(store)
    again = transfer.import_file(store, folder, "kumu")
    assert again.written and again.after == again.before
    assert all(s.added == 0 and s.changed == 0 for s in again.tables.values() if s.compared), again.lines()
    assert _everything(store) == before


def test_a_later_file_of_connections_resolves_through_the_mapping(store, tmp_path):
    transfer.import_file(store, _kumu_folder(tmp_path), "kumu")
    ids = {a.name: a.id for a in store.iter_actors()}
    later = _kumu_folder(
        tmp_path, "later",
        elements="ID,Label,Type,Ward\nnew.person,Nia New,Person,Armley\n",
        connections=f"From,To,Type\nnew.person,{KUMU_ID},knows\nnew.person,mary.jones.1975,knows\n",
    )
    report = transfer.import_file(store, later, "kumu")
    assert report.written, report.lines()
    nia = stored_id(store, "new.person")
    assert nia and is_our_id(nia)
    assert {frozenset((t.source_id, t.target_id)) for t in store.list_ties(nia)} == {
        frozenset((nia, ids[NAME])), frozenset((nia, ids["Mary Jones"])),
    }
    assert store.counts().people == 3  # John, Mary and Nia: nobody was made twice


def test_a_csv_file_with_its_own_ids_maps_ties_and_introductions(store, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "id,name,roles,ward\nann.ahmed.1980,Ann Ahmed,connector,Armley\nbob.brown,Bob Brown,resident,Armley\n"
        "cy,Cy Clarke,resident,Armley\n",
        encoding="utf-8",
    )
    (folder / "ties.csv").write_text("source_id,target_id,kind\nann.ahmed.1980,bob.brown,knows\n", encoding="utf-8")
    (folder / "introductions.csv").write_text(
        "date,introducer_id,subject_id,target_id,status\n2026-01-05,ann.ahmed.1980,bob.brown,cy,made\n", encoding="utf-8"
    )
    report = transfer.import_file(store, folder, "csv")
    assert report.written, report.lines()
    (intro,) = store.list_introductions()
    ann, bob, cy = (stored_id(store, i) for i in ("ann.ahmed.1980", "bob.brown", "cy"))
    assert is_our_id(intro.id) and (intro.introducer_id, intro.subject_id, intro.target_id) == (ann, bob, cy)
    before = _everything(store)
    transfer.import_file(store, folder, "csv")
    assert _everything(store) == before
    assert "ann.ahmed" not in _audit_text(store)


def test_after_import_and_erasure_the_audit_log_holds_no_file_id_and_no_name(store, tmp_path):
    folder = _kumu_folder(tmp_path)
    transfer.import_file(store, folder, "kumu")
    john = stored_id(store, KUMU_ID)
    key = store.protection.id_hash(KUMU_ID)
    assert store.map_source_ids([key]) == {key: john}
    service.erase_actor(store, john)
    assert store.map_source_ids([key]) == {}  # the mapping went with him
    assert stored_id(store, KUMU_ID) is None
    text = _audit_text(store)
    for word in (KUMU_ID, "john", "smith", "1961", "mary.jones", "Mary Jones", "Armley Library"):
        assert word.lower() not in text.lower(), word
    assert "erase" in {e.action.value for e in store.list_audit()}
    # importing the same file again is held back by the register, not by a look-alike name
    again = transfer.import_file(store, folder, "kumu")
    assert again.skipped_erased, again.lines()
    assert NAME not in {p.name for p in store.list_people()}
    assert KUMU_ID.lower() not in _audit_text(store).lower()


def test_erasure_is_held_back_by_the_file_id_even_when_name_and_ward_changed(store, tmp_path):
    transfer.import_file(store, _kumu_folder(tmp_path), "kumu")
    service.erase_actor(store, stored_id(store, KUMU_ID))
    moved = _kumu_folder(
        tmp_path, "moved",
        elements=f"ID,Label,Type,Ward\n{KUMU_ID},J. Smith,Person,Bramley\n",
        connections="From,To,Type\n",
    )
    report = transfer.import_file(store, moved, "kumu")
    assert report.skipped_erased, report.lines()
    assert "J. Smith" not in {p.name for p in store.list_people()}


def test_erasing_a_person_removes_the_mapping_of_introductions_erased_with_them(store, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "id,name,roles\nkey.worker,Kay Worker,connector\nsub.ject,Sue Ject,resident\ntar.get,Tara Get,resident\n",
        encoding="utf-8",
    )
    (folder / "introductions.csv").write_text(
        "id,date,introducer_id,subject_id,target_id,status\nintro.sue,2026-01-05,key.worker,sub.ject,tar.get,made\n",
        encoding="utf-8",
    )
    transfer.import_file(store, folder, "csv")
    key = store.protection.id_hash("intro.sue")
    assert set(store.map_source_ids([key])) == {key}
    service.erase_actor(store, stored_id(store, "sub.ject"))
    assert store.map_source_ids([key]) == {}
    assert stored_id(store, "key.worker") and stored_id(store, "tar.get")  # the others keep theirs


def test_a_re_imported_export_keeps_the_ids_it_carries(store, tmp_path):
    service.add_person(store, "Ann Ahmed", ward="Armley")
    (ann,) = store.list_people()
    assert is_our_id(ann.id)
    out = transfer.export_file(store, tmp_path / "out", "csv").paths[0].parent
    before = _everything(store)
    report = transfer.import_file(store, out, "csv")
    assert report.written and _everything(store) == before
    assert store.map_source_ids([store.protection.id_hash(ann.id)]) == {}  # nothing to map


def test_a_backup_carries_the_mapping_so_a_restored_store_knows_the_file(store, tmp_path):
    from connector_graph.store import open_store

    folder = _kumu_folder(tmp_path)
    transfer.import_file(store, folder, "kumu")
    backup = transfer.export_file(store, tmp_path / "b.json", "json").paths[0]
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["version"] == 3 and len(document["source_ids"]) == 3
    assert KUMU_ID not in backup.read_text(encoding="utf-8")  # keyed values only
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        transfer.import_file(fresh, backup, "json", require_empty=True)
        assert stored_id(fresh, KUMU_ID) == stored_id(store, KUMU_ID)
        before = _everything(fresh)
        again = transfer.import_file(fresh, folder, "kumu")
        assert again.written and _everything(fresh) == before
    finally:
        fresh.close()


def test_a_copy_carries_the_mapping_and_a_pseudonymised_backup_does_not(store, tmp_path):
    from connector_graph.store import open_store

    transfer.import_file(store, _kumu_folder(tmp_path), "kumu")
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        transfer.copy_store(store, target)
        assert target.list_source_ids() == store.list_source_ids() and len(target.list_source_ids()) == 3
    finally:
        target.close()
    masked = transfer.export_file(store, tmp_path / "p.json", "json", pseudonymise=True).paths[0]
    assert json.loads(masked.read_text(encoding="utf-8"))["source_ids"] == {}
