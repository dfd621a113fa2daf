"""The command line: each command's output, its one-line errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from connector_graph.store import open_store


def _last_line(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_add_people_org_tie_and_introduction_each_print_the_new_id_last(cli):
    ana = _last_line(cli("add-person", "Ana Lopez", "--ward", "Armley", "--role", "connector", "--gift", "baking, chess"))
    ben = _last_line(cli("add-person", "Ben Okafor"))
    club = _last_line(cli("add-org", "Armley Lunch Club", "--sector", "voluntary_community", "--kind", "community_group"))
    tie = _last_line(cli("tie", ana, ben, "--kind", "knows"))
    intro = _last_line(cli("introduce", "--by", ana, "--subject", ben, "--to", club, "--purpose", "company", "--date", "2025-01-10"))
    store = open_store(cli.url)
    try:
        assert store.get_actor(ana).gifts == ["baking", "chess"]
        assert store.list_ties()[0].id == tie
        logged = store.get_introduction(intro)
        assert (logged.introducer_id, logged.subject_id, logged.target_id) == (ana, ben, club)
        assert logged.date.isoformat() == "2025-01-10"
    finally:
        store.close()


def test_stats_json_has_the_documented_keys(cli):
    cli("add-person", "Ana")
    data = json.loads(cli("stats", "--json").stdout)
    assert {"people": 1, "organisations": 0, "ties": 0, "introductions": 0}.items() <= data.items()


def test_follow_up_records_the_outcome(cli):
    a = _last_line(cli("add-person", "A"))
    b = _last_line(cli("add-person", "B"))
    c = _last_line(cli("add-person", "C"))
    intro = _last_line(cli("introduce", "--by", a, "--subject", b, "--to", c))
    out = cli("follow-up", intro, "--status", "followed_up", "--outcome", "now meets weekly").stdout
    assert "followed up, now meets weekly" in out
    assert cli("follow-up", intro, ok=False).exit_code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["add-person", ""], "name: must not be empty"),
        (["add-person", "Ana", "--role", "mayor"], "'mayor' is not one of"),
        (["add-org", "Club"], "Missing option '--sector'"),
        (["tie", "x", "x"], "A: no one is called 'x' and no record has that id"),
        (["tie", "x", "y"], "A: no one is called 'x'"),
        (["introduce", "--by", "a", "--subject", "b", "--to", "c", "--date", "31/01/2025"], "write it as YYYY-MM-DD"),
        (["introduce", "--by", "a", "--subject", "b", "--to", "c"], "--by: no one is called 'a'"),
        (["follow-up", "nope", "--status", "made"], "no introduction with id 'nope'"),
        (["show", "nope"], "there is no store"),  # a read command on a store that does not exist
        (["erase", "nope", "--yes"], "no one is called 'nope'"),
        (["erase", "nope"], "no one is called 'nope'"),  # the name is looked up before confirming
        (["seed", "--size", "lots"], "--size must be 'demo' or a whole number"),
        (["no-such-command"], "No such command"),
    ],
)
def test_failures_are_one_line_on_stderr_with_exit_code_1(cli, args, message):
    result = cli(*args, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output + result.stderr


def test_failed_commands_write_nothing(cli):
    cli("add-person", "Ana")
    cli("tie", "x", "y", ok=False)
    cli("add-person", "", ok=False)
    data = json.loads(cli("stats", "--json").stdout)
    assert (data["people"], data["ties"]) == (1, 0)


def test_bad_store_url_is_a_clear_error(cli):
    result = cli("--store", "mysql://db", "stats", ok=False)
    assert result.exit_code == 1 and "unknown store URL" in result.stderr


def test_erase_with_yes_reports_what_went(cli):
    a = _last_line(cli("add-person", "A"))
    b = _last_line(cli("add-person", "B"))
    cli("tie", a, b)
    out = cli("erase", a, "--yes").stdout
    assert "1 tie(s) and 0 introduction(s) removed" in out
    assert json.loads(cli("stats", "--json").stdout)["people"] == 1


def test_search_lists_matches(cli):
    cli("add-person", "Ana Lopez")
    cli("add-org", "Lopez Bakery", "--sector", "private")
    lines = cli("search", "lopez").stdout.strip().splitlines()
    assert [line.split("\t")[2] for line in lines] == ["Lopez Bakery", "Ana Lopez"]  # names starting with the text first


@pytest.mark.parametrize("command", ["seed", "stats", "add-person", "add-org", "tie", "introduce", "follow-up", "erase"])
def test_every_command_has_help(cli, command):
    out = cli(command, "--help").stdout
    assert "Usage: " in out and "--help" in out


def test_module_and_console_script_both_run(tmp_path):
    env_url = f"sqlite:///{tmp_path / 'm.db'}"
    open_store(env_url).close()  # read commands never create a store
    result = subprocess.run(
        [sys.executable, "-m", "connector_graph", "--store", env_url, "stats", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(result.stdout)["people"] == 0


def test_add_person_records_consent_and_refuses_health_needs_without_article_9(cli):
    result = cli("add-person", "Ann", "--need", "mobility", ok=False)
    assert result.exit_code == 1 and "Article 9" in result.stderr
    pid = _last_line(cli(
        "add-person", "Ann", "--need", "mobility", "--article9", "explicit_consent",
        "--basis", "consent", "--consent-date", "2025-02-01", "--consent-method", "verbal", "--consent-by", "cath",
    ))
    shown = json.loads(cli("show", pid).stdout)
    assert (shown["lawful_basis"], shown["consent_given_on"], shown["article9_condition"]) == (
        "consent", "2025-02-01", "explicit_consent",
    )


def test_audit_lists_and_verifies_the_chain(cli):
    a = _last_line(cli("add-person", "Ann"))
    b = _last_line(cli("add-person", "Bob"))
    cli("tie", a, b)
    lines = [json.loads(line) for line in cli("audit", "--json").stdout.splitlines()]
    assert [e["action"] for e in lines] == ["add_person", "add_person", "add_tie"]
    assert all(e["who"].startswith("cli:") for e in lines)
    about_a = [json.loads(line) for line in cli("audit", "--json", "--target", a).stdout.splitlines()]
    assert [e["target"] for e in about_a] == [a]
    assert "intact: 3 entries" in cli("audit", "--verify").stdout


def test_audit_verify_fails_on_a_forged_entry(cli, tmp_path):
    import sqlite3

    cli("add-person", "Ann")
    cli("add-person", "Bob")
    conn = sqlite3.connect(cli.url.removeprefix("sqlite:///"))
    conn.execute("DROP TRIGGER audit_is_append_only_update")
    conn.execute("UPDATE audit SET who = 'cli:mallory' WHERE seq = 2")
    conn.commit()
    conn.close()
    result = cli("audit", "--verify", ok=False)
    assert result.exit_code == 1 and "entry 2 was changed" in result.stderr


def test_subject_access_writes_json_and_a_readable_version(cli, tmp_path):
    ann = _last_line(cli("add-person", "Ann Ahmed"))
    bob = _last_line(cli("add-person", "Bob Baker"))
    cli("tie", ann, bob)
    out = tmp_path / "sar.json"
    cli("subject-access", ann, "--out", str(out))
    report = json.loads(out.read_text())
    assert report["person"]["name"] == "Ann Ahmed" and report["ties"][0]["with"].startswith("Person ")
    assert "Bob" not in out.read_text() and "Ann Ahmed" in out.with_suffix(".md").read_text()
    assert cli("subject-access", "nobody", "--out", str(out), ok=False).exit_code == 1


def test_retention_dry_run_changes_nothing_and_apply_erases(cli):
    cli("add-person", "Old", "--retain-until", "2025-01-01", "--id", "old")
    cli("add-person", "New", "--retain-until", "2030-01-01", "--id", "new")
    dry = cli("retention", "--today", "2026-01-01")
    assert dry.stdout.startswith("due   old") and "1 due for erasure" in dry.stderr
    assert json.loads(cli("stats", "--json").stdout)["people"] == 2
    cli("retention", "--apply", "--today", "2026-01-01")
    assert json.loads(cli("stats", "--json").stdout)["people"] == 1


def test_every_command_module_lists_exactly_the_commands_the_group_expects():
    import importlib

    from connector_graph.cli import _MODULE_OF

    found = {}
    for module_name in set(_MODULE_OF.values()):
        module = importlib.import_module(f"connector_graph.cli.{module_name}")
        found.update({command.name: module_name for command in module.COMMANDS})
    assert found == _MODULE_OF
