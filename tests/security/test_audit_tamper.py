"""The audit log cannot be cut or rewritten unnoticed, on either backend.

Each case tampers with the stored log directly, as someone with write
access to the database (but not to the key file) could, and checks that
``verify_audit`` reports it, naming what it found.
"""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from connector_graph import privacy, service
from connector_graph.audit import AuditEntry, chain_hash, GENESIS
from connector_graph.cli import main
from connector_graph.errors import InvalidInput
from connector_graph.protection import secret_key
from connector_graph.store import open_store


@pytest.fixture
def logged(store):
    for n in range(5):
        service.add_person(store, f"Person {n}", person_id=f"p{n}")
    assert privacy.verify_audit(store).ok
    return store


# ---------------------------------------------------------------- tampering helpers (the attacker's tools)


def _sqlite(store) -> sqlite3.Connection:
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_is_append_only_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_is_append_only_delete")
    return conn


def _neo4j(store, query: str, **params) -> None:
    import neo4j

    with neo4j.GraphDatabase.driver(store.url, auth=None) as driver:
        driver.execute_query(query, params)


def delete_entries(store, seqs: list[int]) -> None:
    if store.url.startswith("sqlite"):
        with _sqlite(store) as conn:
            conn.executemany("DELETE FROM audit WHERE seq = ?", [(s,) for s in seqs])
    else:
        _neo4j(store, "MATCH (e:AuditEntry) WHERE e.seq IN $seqs DETACH DELETE e", seqs=seqs)


def set_field(store, seq: int, field: str, value) -> None:
    if store.url.startswith("sqlite"):
        with _sqlite(store) as conn:
            conn.execute(f"UPDATE audit SET {field} = ? WHERE seq = ?", (value, seq))
    else:
        _neo4j(store, f"MATCH (e:AuditEntry {{seq: $seq}}) SET e.{field} = $value", seq=seq, value=value)


def replace_log(store, entries: list[AuditEntry]) -> None:
    delete_entries(store, [e.seq for e in store.list_audit()])
    for e in entries:
        if store.url.startswith("sqlite"):
            with _sqlite(store) as conn:
                conn.execute(
                    "INSERT INTO audit (seq, at, who, action, target, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (e.seq, e.at.isoformat(), e.who, e.action.value, e.target, e.prev_hash, e.hash),
                )
        else:
            props = {k: v for k, v in e.model_dump(mode="json").items() if v is not None}
            _neo4j(store, "CREATE (e:AuditEntry) SET e = $props", props=props)


def rehash(entries: list[AuditEntry], key: bytes | None) -> list[AuditEntry]:
    """The attacker's new chain over ``entries``, renumbered, hashed with ``key`` (or none)."""
    out, prev = [], GENESIS
    for seq, e in enumerate(entries, start=1):
        h = chain_hash(prev, seq, e.at, e.who, e.action.value, e.target, key)
        out.append(e.model_copy(update={"seq": seq, "prev_hash": prev, "hash": h}))
        prev = h
    return out


def _broken(store, *words: str) -> str:
    report = privacy.verify_audit(store)
    assert not report.ok, "tampering went unnoticed"
    for word in words:
        assert word in report.problem, report.problem
    return report.problem


# ---------------------------------------------------------------- cases


def test_an_edited_entry_is_found(logged):
    set_field(logged, 3, "who", "somebody-else")
    _broken(logged, "entry 3", "changed")


def test_an_edited_target_is_found(logged):
    set_field(logged, 2, "target", "p-other")
    _broken(logged, "entry 2")


def test_a_deleted_middle_entry_is_found(logged):
    delete_entries(logged, [3])
    _broken(logged, "entry 3 is missing")


def test_deleting_the_newest_entries_is_found(logged):
    delete_entries(logged, [4, 5])
    _broken(logged, "newest entries 4 to 5 were removed")


def test_deleting_every_entry_is_found(logged):
    delete_entries(logged, [1, 2, 3, 4, 5])
    _broken(logged, "all 5 entries were removed")


def test_reordered_entries_are_found(logged):
    set_field(logged, 2, "seq", 99)
    set_field(logged, 3, "seq", 2)
    set_field(logged, 99, "seq", 3)
    _broken(logged, "entry 2")


def test_removing_an_entry_and_rehashing_without_the_key_is_found(logged):
    kept = [e for e in logged.list_audit() if e.seq != 2]
    replace_log(logged, rehash(kept, None))
    _broken(logged)


def test_rehashing_with_another_key_is_found(logged):
    kept = [e for e in logged.list_audit() if e.seq != 2]
    replace_log(logged, rehash(kept, b"a key the attacker made up!!"))
    _broken(logged, "another key")


def test_a_rewritten_chain_with_the_same_length_is_found(logged):
    forged = [e.model_copy(update={"who": "nobody"}) for e in logged.list_audit()]
    replace_log(logged, rehash(forged, None))
    _broken(logged)


def test_a_lowered_checkpoint_is_found(logged):
    delete_entries(logged, [5])
    path = logged.protection.checkpoint_file
    text = path.read_text(encoding="utf-8").replace('"seq": 5', '"seq": 4')
    path.write_text(text, encoding="utf-8")
    _broken(logged, "not signed")


def test_a_deleted_checkpoint_is_reported_and_truncation_after_it_is_found(logged):
    logged.protection.checkpoint_file.unlink()
    report = privacy.verify_audit(logged)
    assert report.ok and "no signed checkpoint" in report.warning  # a moved store looks the same
    assert logged.protection.checkpoint_file.exists()  # written again at once
    delete_entries(logged, [5])
    _broken(logged, "newest entries 5 to 5 were removed")


def test_an_untouched_log_verifies_after_more_writes(logged):
    service.erase_actor(logged, "p1")
    report = privacy.verify_audit(logged)
    assert report.ok and report.checked == 6


def test_cli_verify_names_the_problem_and_exits_1(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()
    for name in ("Ann", "Bob", "Cyd"):
        assert runner.invoke(main, ["add-person", name]).exit_code == 0
    store = open_store(url)
    delete_entries(store, [3])
    store.close()
    result = runner.invoke(main, ["audit", "--verify"])
    assert result.exit_code == 1
    assert "newest entries 3 to 3 were removed" in result.stderr and "Traceback" not in result.output


def test_the_key_file_is_made_private_and_a_readable_one_is_refused(tmp_path):
    path = tmp_path / "keys" / "secret.key"
    key = secret_key(path)
    assert len(key) == 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loose = tmp_path / "loose.key"
    loose.write_text("ab" * 32)
    os.chmod(loose, 0o644)
    with pytest.raises(InvalidInput, match="chmod 600"):
        secret_key(loose)

