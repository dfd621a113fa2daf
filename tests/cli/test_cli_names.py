"""The command line takes names as well as ids, refuses ambiguous names, and warns about look-alikes."""

from __future__ import annotations

import json

import pytest

from connector_graph.store import IntroductionFilter, open_store


def _id(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def _introductions(url: str) -> list:
    store = open_store(url)
    try:
        return store.list_introductions(IntroductionFilter())
    finally:
        store.close()


@pytest.fixture
def town(cli):
    """A connector, two residents who share a name (told apart by the club one belongs to), a club."""
    ids = {
        "elena": _id(cli("add-person", "Elena Petrova", "--ward", "Armley", "--role", "connector")),
        "green1": _id(cli("add-person", "David Green", "--ward", "Armley")),
        "green2": _id(cli("add-person", "David Green", "--ward", "Armley", "--allow-duplicate")),
        "club": _id(cli("add-org", "Armley Lunch Club", "--sector", "voluntary_community", "--ward", "Armley")),
        "choir": _id(cli("add-org", "Armley Choir", "--sector", "voluntary_community", "--ward", "Armley")),
        "jean": _id(cli("add-person", "Jean Firth", "--ward", "Armley")),
    }
    cli("tie", ids["green2"], ids["choir"], "--kind", "member_of")
    return ids


def test_introduce_takes_names_case_and_punctuation_aside(cli, town):
    intro = _id(cli("introduce", "--by", "elena petrova", "--subject", "Jean Firth", "--to", "ARMLEY LUNCH CLUB"))
    logged = next(i for i in _introductions(cli.url) if i.id == intro)
    assert (logged.introducer_id, logged.subject_id, logged.target_id) == (town["elena"], town["jean"], town["club"])


def test_ids_still_work_and_can_be_mixed_with_names(cli, town):
    intro = _id(cli("introduce", "--by", town["elena"], "--subject", "Jean Firth", "--to", town["club"]))
    assert [i.id for i in _introductions(cli.url)] == [intro]


def test_an_ambiguous_name_lists_the_candidates_and_writes_nothing(cli, town):
    result = cli("introduce", "--by", "Elena Petrova", "--subject", "David Green", "--to", "Armley Lunch Club", ok=False)
    assert result.exit_code == 1
    message = result.stderr
    assert message.startswith("error: --subject: 2 records are called 'David Green'")
    assert town["green1"] in message and town["green2"] in message
    assert "member of Armley Choir" in message  # what tells the second one apart
    assert "Traceback" not in result.output + result.stderr
    assert _introductions(cli.url) == []
    # the id from the list settles it
    cli("introduce", "--by", "Elena Petrova", "--subject", town["green2"], "--to", "Armley Lunch Club")
    assert [i.subject_id for i in _introductions(cli.url)] == [town["green2"]]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "Nobody Here", "--subject", "Jean Firth", "--to", "Armley Lunch Club"], "--by: no one is called 'Nobody Here'"),
        (["--by", "Elena Petrova", "--subject", "Jean Firt", "--to", "Armley Lunch Club"], "did you mean Jean Firth"),
        (["--by", "Elena Petrova", "--subject", "Armley Lunch Club", "--to", "Jean Firth"],
         "--subject: Armley Lunch Club is an organisation"),
        (["--by", "Elena Petrova", "--subject", "Jean Firth", "--to", "Nowhere Club"], "--to: no one is called"),
        (["--by", "Elena Petrova", "--subject", "Jean Firth", "--to", "Jean Firth"], "themselves"),
    ],
)
def test_errors_name_the_option_not_the_field(cli, town, args, message):
    result = cli("introduce", *args, ok=False)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "introducer_id" not in result.stderr and "subject_id" not in result.stderr and "target_id" not in result.stderr
    assert _introductions(cli.url) == []


def test_show_tie_and_erase_take_names(cli, town):
    shown = json.loads(cli("show", "Armley Lunch Club").stdout)
    assert shown["id"] == town["club"]
    cli("tie", "Jean Firth", "Elena Petrova")
    refused = cli("erase", "Jean Firth", ok=False)  # not a terminal: asks for --yes, erases nothing
    assert "add --yes to confirm" in refused.stderr
    assert "1 tie(s)" in cli("erase", "Jean Firth", "--yes").stdout
    assert "no one is called 'Jean Firth'" in cli("show", "Jean Firth", ok=False).stderr


def test_add_person_warns_about_a_look_alike_in_the_same_ward_and_needs_allow_duplicate(cli):
    cli("add-person", "John Smith", "--ward", "Armley")
    refused = cli("add-person", "Jon Smyth", "--ward", "Armley", ok=False)
    assert refused.exit_code == 1
    assert "John Smith" in refused.stderr and "nothing was added" in refused.stderr and "--allow-duplicate" in refused.stderr
    assert json.loads(cli("stats", "--json").stdout)["people"] == 1
    cli("add-person", "Jon Smyth", "--ward", "Armley", "--allow-duplicate")
    assert json.loads(cli("stats", "--json").stdout)["people"] == 2


def test_a_shared_surname_alone_is_not_a_look_alike(cli):
    for name in ("Jean Brown", "Liam Brown", "Chloe Brown", "Pauline Brown", "Thomas Brown"):
        cli("add-person", name, "--ward", "Armley", "--allow-duplicate")
    cli("add-person", "Olusegun Adeyemi-Brown", "--ward", "Armley")  # no warning, no flag needed
    assert json.loads(cli("stats", "--json").stdout)["people"] == 6


def test_accounts_link_to_a_connector_by_name(cli, town):
    cli("user", "add", "elena", "--role", "connector", "--person", "Elena Petrova", stdin="a-long-enough-password\n")
    assert town["elena"] in cli("user", "list").stdout
    refused = cli("user", "link", "elena", "--person", "Jean Firth", ok=False)
    assert "not a connector or worker" in refused.stderr
    cli("user", "link", "elena", "--unlink")
    assert "\t-" in cli("user", "list").stdout
    cli("user", "link", "elena", "--person", town["elena"])
    store = open_store(cli.url)
    try:
        assert store.get_user("elena").person_id == town["elena"]
    finally:
        store.close()
