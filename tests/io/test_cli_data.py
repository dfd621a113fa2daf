"""The data commands: output, one-line errors with exit code 1, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from connector_graph.cli import main
from connector_graph.store import open_store

from io_support import contents, network

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        else:
            assert result.exit_code == 1, result.output
        return result

    invoke.url = url
    return invoke


@pytest.fixture
def filled(cli):
    store = open_store(cli.url)
    store.bulk_load(network())
    store.close()
    return cli


def _error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ")
    return lines[-1]


def test_backup_and_restore_into_an_empty_store(filled, tmp_path):
    out = filled("backup", tmp_path / "b.json")
    assert "Wrote 5 people, 3 organisations, 6 ties, 3 introductions" in out.stdout
    other = f"sqlite:///{tmp_path / 'other.db'}"
    restored = filled("--store", other, "restore", tmp_path / "b.json")
    assert "The store now holds 5 people, 3 organisations, 6 ties and 3 introductions." in restored.stdout
    a, b = open_store(filled.url), open_store(other)
    try:
        assert contents(a) == contents(b)
    finally:
        a.close()
        b.close()


def test_restore_into_a_non_empty_store_is_refused_unless_merge(filled, tmp_path):
    filled("backup", tmp_path / "b.json")
    refused = filled("restore", tmp_path / "b.json", ok=False)
    assert "already holds 8 people and organisations" in _error_line(refused)
    assert "The store now holds 5 people" in filled("restore", tmp_path / "b.json", "--merge").stdout


def test_import_dry_run_writes_nothing(cli):
    out = cli("import", DATA / "openreferral", "--format", "openreferral", "--dry-run")
    assert "accepted 5 organisations" in out.stdout and "Dry run: nothing was written." in out.stdout
    store = open_store(cli.url)
    try:
        assert store.counts().organisations == 0
    finally:
        store.close()


def test_import_with_rejected_rows_lists_them_and_exits_1(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name\np1,Ana\np2,\n", encoding="utf-8")
    result = cli("import", folder, "--format", "csv", ok=False)
    assert "rejected people.csv line 3: name: is required" in result.stderr
    assert _error_line(result) == "error: 1 row(s) rejected; nothing was written"


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "missing.xlsx", "--format", "kumu"], "error: no such Kumu workbook: missing.xlsx"),
        (["import", "x", "--format", "pdf"], "error: Invalid value for '--format'"),
        (["import", "x"], "error: say what x is with --format"),
        (["export", "x", "--format", "docx"], "error: Invalid value for '--format'"),
        (["restore", "missing.json"], "error: no such backup file: missing.json"),
        (["copy", "--from", "mysql://x", "--to", "sqlite:///y.db"], "error: unknown store URL 'mysql://x'"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_1(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli(*args, ok=False)
    assert _error_line(result).startswith(message)
    assert "Traceback" not in result.output + result.stderr


def test_import_of_a_wrong_format_file_is_one_line(cli, tmp_path):
    path = tmp_path / "b.json"
    path.write_text("{}", encoding="utf-8")
    assert "is not an XLSX workbook" in _error_line(cli("import", path, "--format", "kumu", ok=False))
    assert "is not a connector_graph backup" in _error_line(cli("import", path, "--format", "json", ok=False))


def test_export_every_format(filled, tmp_path):
    for fmt, name in (("json", "n.json"), ("csv", "folder"), ("kumu", "n.xlsx"), ("graphml", "n.graphml"), ("gexf", "n.gexf")):
        out = filled("export", tmp_path / name, "--format", fmt)
        assert out.stdout.startswith("Wrote ")
        assert (tmp_path / name).exists()
    assert (tmp_path / "folder" / "introductions.csv").is_file()
    assert "Wrote 8 nodes and" in filled("export", tmp_path / "again.gexf", "--format", "gexf").stdout


def test_export_into_a_missing_folder_is_one_line(filled, tmp_path):
    result = filled("export", tmp_path / "no" / "where.json", "--format", "json", ok=False)
    assert "does not exist" in _error_line(result)


def test_copy_command_moves_a_network(filled, tmp_path):
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    out = filled("copy", "--from", filled.url, "--to", target)
    assert "The store now holds 5 people, 3 organisations, 6 ties and 3 introductions." in out.stdout
    again = filled("copy", "--from", filled.url, "--to", target, ok=False)
    assert "--merge" in _error_line(again)


def test_templates_command_writes_importable_templates(cli, tmp_path):
    cli("templates", tmp_path / "t")
    assert "accepted 2 people, 1 organisations, 1 ties, 1 introductions, 1 wards" in cli(
        "import", tmp_path / "t", "--format", "csv"
    ).stdout


def test_large_imports_show_a_progress_bar_on_stderr(cli, tmp_path):
    from connector_graph.io import json_backup
    from connector_graph.seed import generate

    json_backup.write_backup(generate(1500, seed=3), tmp_path / "big.json")
    assert json_backup.stated_total(tmp_path / "big.json") == len(generate(1500, seed=3))
    result = cli("restore", tmp_path / "big.json")
    assert "Checking" in result.stderr and "Writing" in result.stderr
    assert "Writing" not in result.stdout
