"""A store the user may not write: read commands work, writes are one line, and the file does not change.

The tests run as root, whom file modes do not stop, so each command runs in
a child process that drops to the unprivileged user ``nobody`` before the
command starts (after importing the program: the interpreter lives where
``nobody`` may not look). The store is a 0444 copy in a 0555 folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from connector_graph import service
from connector_graph.store import open_store

ROOT = Path(__file__).resolve().parents[2]

#: Runs the CLI as ``nobody``: import every module of the program first, then give up root.
_CHILD = """
import importlib, os, pkgutil, sys
import connector_graph
import encodings.ascii, encodings.latin_1, encodings.utf_8, encodings.utf_8_sig, encodings.idna  # codecs are looked up on first use
for info in pkgutil.walk_packages(connector_graph.__path__, "connector_graph."):
    try:
        importlib.import_module(info.name)
    except ImportError:
        pass
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
assert os.geteuid() == 65534 and not os.access("/root", os.R_OK)
if sys.argv[1] == "--probe":
    open(sys.argv[2], "w")  # must fail: the folder is 0555 and we are not root any more
    sys.exit(0)
from connector_graph.cli import main
sys.argv = ["connector-graph", *sys.argv[1:]]
main(prog_name="connector-graph")
"""

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not hasattr(os, "setuid"), reason="needs root to drop to the user nobody"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def read_only_store(tmp_path):
    """A store with two people, as an older version left it, copied to a 0444 file in a 0555 folder ``nobody`` can reach."""
    source = tmp_path / "made.db"
    store = open_store(f"sqlite:///{source}")
    service.add_person(store, "Ann Ahmed", ward="Armley", person_id="ann")
    service.add_person(store, "Bob Brown", ward="Armley", person_id="bob")
    service.add_tie(store, "ann", "bob")
    store.close()
    conn = sqlite3.connect(source, isolation_level=None)  # as an older version left it:
    conn.execute("UPDATE actors SET body = json_remove(body, '$.lawful_basis') WHERE id = 'bob'")  # Bob without a basis
    conn.execute("DROP TABLE source_ids")  # and no mapping of imported ids yet
    conn.close()
    assert not Path(str(source) + "-wal").exists()  # closing folded the log into the file
    top = Path(tempfile.mkdtemp(prefix="cg-ro-", dir="/tmp"))
    os.chmod(top, 0o755)
    nobody = pwd.getpwnam("nobody")
    for name in ("home", "out", "state", "key"):
        (top / name).mkdir()
        os.chown(top / name, nobody.pw_uid, nobody.pw_gid)
    key = top / "key" / "secret.key"
    shutil.copy(os.environ["CONNECTOR_GRAPH_KEY_FILE"], key)
    os.chown(key, nobody.pw_uid, nobody.pw_gid)
    os.chmod(key, 0o600)
    folder = top / "ro"
    folder.mkdir()
    db = folder / "store.db"
    shutil.copy(source, db)
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    try:
        yield top, db
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(top)


def _as_nobody(top: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(top / "home"),
        "PYTHONPATH": str(ROOT),
        "CONNECTOR_GRAPH_STORE": f"sqlite:///{db}",
        "CONNECTOR_GRAPH_KEY_FILE": str(top / "key" / "secret.key"),
        "CONNECTOR_GRAPH_STATE_DIR": str(top / "state"),
        "CONNECTOR_GRAPH_CACHE_DIR": str(top / "home" / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-c", _CHILD, *args], cwd=top / "home", env=env, capture_output=True, text=True, timeout=None
    )


def test_the_child_really_cannot_write_the_folder(read_only_store):
    top, db = read_only_store
    probe = _as_nobody(top, db, "--probe", str(db.parent / "probe"))
    assert probe.returncode != 0 and "PermissionError" in probe.stderr
    assert not (db.parent / "probe").exists()


def test_read_commands_work_on_a_store_that_cannot_be_written(read_only_store):
    top, db = read_only_store
    before = _digest(db)
    stats = _as_nobody(top, db, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert (counts["people"], counts["ties"]) == (2, 1)
    found = _as_nobody(top, db, "search", "Ann")
    assert found.returncode == 0 and "Ann Ahmed" in found.stdout, found.stderr
    missing = _as_nobody(top, db, "lawful-basis", "--missing")
    assert missing.returncode == 0 and missing.stdout.split("\t")[0] == "bob", missing.stderr
    backup = _as_nobody(top, db, "backup", str(top / "out" / "b.json"))
    assert backup.returncode == 0, backup.stderr
    people = json.loads((top / "out" / "b.json").read_text(encoding="utf-8"))["people"]
    assert sorted(p["id"] for p in people) == ["ann", "bob"]
    assert _digest(db) == before and sorted(p.name for p in db.parent.iterdir()) == ["store.db"]


@pytest.mark.parametrize(
    "args",
    [
        ["add-person", "Cy Clarke", "--ward", "Armley"],
        ["erase", "ann", "--yes"],
        ["tie", "ann", "bob", "--kind", "knows"],
        ["lawful-basis", "--missing", "--set", "public_task"],
        ["restore", "{backup}", "--merge"],
    ],
    ids=["add-person", "erase", "tie", "lawful-basis", "restore"],
)
def test_writes_are_refused_in_one_line_and_the_file_does_not_change(read_only_store, args):
    top, db = read_only_store
    backup = top / "out" / "b.json"
    if "{backup}" in args:
        assert _as_nobody(top, db, "backup", str(backup)).returncode == 0
    before = _digest(db)
    result = _as_nobody(top, db, *[a.replace("{backup}", str(backup)) for a in args])
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()  # a restore says what it reads first
    errors = [line for line in lines if line.startswith("error:")]
    assert errors == lines[-1:] and "Traceback" not in result.stderr, result.stderr
    assert "read-only" in errors[0], errors[0]
    assert _digest(db) == before and sorted(p.name for p in db.parent.iterdir()) == ["store.db"]
