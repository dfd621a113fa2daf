"""Safe files: nothing overwritten without --force, no link followed, nothing half-written, private modes.

Writes go through the CLI (as a user would) into a real folder; failures
are real (a planted link, a FIFO, a device node, a file-size limit that
makes the disk "full" part-way through a write).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from connector_graph import service
from connector_graph.cli import main
from connector_graph.errors import InvalidInput
from connector_graph.io import transfer
from connector_graph.model import Person, build
from connector_graph.store import Batch, open_store


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()
    for name, pid in (("Ann Ahmed", "ann"), ("Bob Brown", "bob")):
        assert runner.invoke(main, ["add-person", name, "--id", pid]).exit_code == 0

    def invoke(*args: str):
        return runner.invoke(main, list(args))

    invoke.url = url
    return invoke


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name)


@pytest.mark.parametrize("command", [["backup"], ["export", "--format", "json"], ["export", "--format", "graphml"],
                                     ["export", "--format", "gexf"], ["export", "--format", "kumu"]])
def test_an_existing_file_is_not_overwritten_without_force(cli, tmp_path, command):
    target = tmp_path / "existing.out"
    target.write_text("precious", encoding="utf-8")
    result = cli(*command, str(target))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious" and _leftovers(tmp_path) == []
    assert cli(*command, str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8", errors="replace") != "precious"


def test_templates_and_csv_exports_do_not_overwrite_without_force(cli, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "people.csv").write_text("mine", encoding="utf-8")
    for command in (["templates", str(folder)], ["export", "--format", "csv", str(folder)]):
        result = cli(*command)
        assert result.exit_code == 1 and "--force" in result.stderr
        assert (folder / "people.csv").read_text(encoding="utf-8") == "mine"
        assert sorted(p.name for p in folder.iterdir()) == ["people.csv"]  # nothing else written either
    assert cli("templates", str(folder), "--force").exit_code == 0
    assert (folder / "people.csv").read_text(encoding="utf-8") != "mine"


def test_a_symbolic_link_at_the_target_is_never_written_through(cli, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    link = tmp_path / "backup.json"
    link.symlink_to(victim)
    result = cli("backup", str(link), "--force")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert victim.read_text(encoding="utf-8") == "do not touch" and link.is_symlink()


def test_a_link_planted_at_the_old_partial_name_is_ignored(cli, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    (tmp_path / "backup.json.partial").symlink_to(victim)
    assert cli("backup", str(tmp_path / "backup.json")).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))["counts"]["people"] == 2


def test_a_fifo_or_device_is_never_written(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("export", "--format", "json", str(fifo), "--force")
    assert result.exit_code == 1 and "FIFO" in result.stderr and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if os.geteuid() == 0:  # only root may make a device node; /dev/full's twin, in a private folder
        device = tmp_path / "full"
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 7))
        result = cli("export", "--format", "json", str(device), "--force")
        assert result.exit_code == 1 and "device" in result.stderr and stat.S_ISCHR(os.lstat(device).st_mode)


def test_files_are_created_private(cli, tmp_path):
    assert cli("backup", str(tmp_path / "b.json")).exit_code == 0
    assert cli("export", "--format", "csv", str(tmp_path / "csv")).exit_code == 0
    assert cli("subject-access", "ann", "--out", str(tmp_path / "sar.json")).exit_code == 0
    for path in [tmp_path / "b.json", *sorted((tmp_path / "csv").iterdir()), tmp_path / "sar.json", tmp_path / "sar.md"]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_subject_access_to_an_md_name_does_not_overwrite_its_own_json(cli, tmp_path):
    result = cli("subject-access", "ann", "--out", str(tmp_path / "x.md"))
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "x.md.json").read_text(encoding="utf-8"))["person"]["id"] == "ann"
    assert (tmp_path / "x.md.md").read_text(encoding="utf-8").startswith("# What we hold about")
    again = cli("subject-access", "ann", "--out", str(tmp_path / "x.md"))
    assert again.exit_code == 1 and "--force" in again.stderr


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))  # the WAL's shared memory file needs 32 KB
from connector_graph.cli import main
sys.argv = ["connector-graph", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("fmt,name", [("json", "big.json"), ("csv", "big_csv"), ("graphml", "big.graphml")])
def test_a_full_disk_leaves_nothing_behind(cli, tmp_path, fmt, name):
    store = open_store(cli.url)
    try:
        store.bulk_load(Batch(people=[build(Person, id=f"p{n}", name=f"Person number {n} with a longish name",
                                            gifts=["baking", "listening"]) for n in range(1500)]))
    finally:
        store.close()
    out = tmp_path / "disk"
    out.mkdir()
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": cli.url, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, "export", "--format", fmt, "--named", str(out / name)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 1 and done.stderr.startswith("error: cannot write"), done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    leftovers = [p for p in out.rglob("*") if p.is_file()]
    assert leftovers == []


def test_importing_a_fifo_is_refused_at_once(cli, tmp_path):
    fifo = tmp_path / "import.json"
    os.mkfifo(fifo)
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": cli.url, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "connector_graph", "restore", str(fifo), "--merge"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1 and "FIFO" in done.stderr


def test_a_zip_bomb_workbook_is_refused_before_unpacking(store, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(600):  # 600 MB of zeros, about 600 KB packed
                member.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(InvalidInput, match="unpack to"):
        transfer.import_file(store, bomb, "kumu")
    assert store.counts().people == 0


def test_deeply_nested_json_is_refused_in_one_line(store, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InvalidInput, match="nests more than"):
        transfer.import_file(store, deep, "json")
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"format": "connector_graph-backup", "version": 2, "people": [[[[[[[]]]]]]] * 1,
                                  "x": json.loads("[" * 80 + "]" * 80)}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="nests more than"):
        transfer.import_file(store, nested, "openreferral")
    assert store.counts().people == 0


def test_deeply_nested_xml_is_refused(store, tmp_path):
    deep = tmp_path / "deep.graphml"
    deep.write_text("<graphml>" + "<a>" * 500 + "</a>" * 500 + "</graphml>", encoding="utf-8")
    with pytest.raises(InvalidInput, match="nests elements"):
        transfer.import_file(store, deep, "graphml")
