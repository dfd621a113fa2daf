"""Roles are enforced by the service layer on every call, whatever the front end."""

from __future__ import annotations

import pytest

from connector_graph import accounts, overview, privacy, service
from connector_graph.auth import Role, acting_as, allowed, Permission
from connector_graph.errors import Duplicate, Forbidden, InvalidInput, NotFound
from connector_graph.model import Person, build
from connector_graph.store.base import Batch

PASSWORD = "correct horse battery"


@pytest.fixture
def people(store):
    store.add_person(build(Person, id="ann", name="Ann"))
    store.add_person(build(Person, id="bob", name="Bob"))
    return store


def test_nobody_signed_in_may_do_nothing(people):
    from connector_graph.auth import _principal

    token = _principal.set(None)
    try:
        with pytest.raises(Forbidden, match="sign in first"):
            service.stats(people)
        with pytest.raises(Forbidden):
            service.add_person(people, "Eve")
    finally:
        _principal.reset(token)
    assert people.counts().people == 2


@pytest.mark.parametrize(
    "role, call, permitted",
    [
        ("connector", lambda s: service.add_person(s, "Cy"), True),
        ("connector", lambda s: overview.summarise(s), True),
        ("connector", lambda s: service.erase_actor(s, "ann"), False),
        ("connector", lambda s: service.load_batch(s, Batch()), False),
        ("connector", lambda s: privacy.subject_access(s, "ann"), False),
        ("connector", lambda s: privacy.retention_review(s, months=12), False),
        ("connector", lambda s: accounts.list_users(s), False),
        ("manager", lambda s: service.load_batch(s, Batch()), True),
        ("manager", lambda s: service.erase_actor(s, "ann"), False),
        ("manager", lambda s: privacy.subject_access(s, "ann"), False),
        ("manager", lambda s: accounts.add_user(s, "newbie", "admin", PASSWORD), False),
        ("admin", lambda s: service.erase_actor(s, "ann"), True),
        ("admin", lambda s: privacy.subject_access(s, "ann"), True),
    ],
)
def test_each_role_may_do_only_its_part(people, role, call, permitted):
    before = people.counts()
    with acting_as(f"a-{role}", role):
        if permitted:
            call(people)
        else:
            with pytest.raises(Forbidden, match=f"a {role} may not"):
                call(people)
            assert people.counts() == before


def test_permission_table():
    assert allowed(Permission.EXPORT, None) is True  # the test admin
    with acting_as("c", "connector"):
        assert not allowed(Permission.EXPORT) and allowed(Permission.LOG)


def test_accounts_add_authenticate_and_change_role(store):
    accounts.add_user(store, "Sam.Worker", "connector", PASSWORD)
    principal = accounts.authenticate(store, "sam.worker", PASSWORD)
    assert principal is not None and principal.role is Role.CONNECTOR
    assert accounts.authenticate(store, "sam.worker", "wrong password!!") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None
    accounts.set_role(store, "sam.worker", "manager")
    assert accounts.current_role(store, "sam.worker") is Role.MANAGER
    assert "argon2id" in store.get_user("sam.worker").password_hash and PASSWORD not in store.get_user("sam.worker").password_hash


def test_account_errors(store):
    accounts.add_user(store, "boss", "admin", PASSWORD)
    with pytest.raises(Duplicate):
        accounts.add_user(store, "BOSS", "connector", PASSWORD)
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.add_user(store, "jo", "connector", "short")
    with pytest.raises(InvalidInput, match="role must be one of"):
        accounts.add_user(store, "jo", "overlord", PASSWORD)
    with pytest.raises(InvalidInput, match="user name"):
        accounts.add_user(store, "<script>", "connector", PASSWORD)
    with pytest.raises(InvalidInput, match="no admin"):
        accounts.remove_user(store, "boss")
    with pytest.raises(InvalidInput, match="no admin"):
        accounts.set_role(store, "boss", "manager")
    with pytest.raises(NotFound):
        accounts.remove_user(store, "ghost")
    assert [u.username for u in store.list_users()] == ["boss"]


def test_removed_or_demoted_users_lose_access_on_the_next_check(store):
    accounts.add_user(store, "boss", "admin", PASSWORD)
    accounts.add_user(store, "mo", "manager", PASSWORD)
    accounts.set_role(store, "mo", "connector")
    assert accounts.current_role(store, "mo") is Role.CONNECTOR
    accounts.remove_user(store, "mo")
    assert accounts.current_role(store, "mo") is None
    assert [e.action.value for e in store.list_audit(target="mo")] == ["add_user", "role_change", "remove_user"]


def test_a_connector_cannot_export_or_import_and_exports_are_audited(people, tmp_path):
    from connector_graph.io import transfer

    with acting_as("c", "connector"):
        with pytest.raises(Forbidden, match="may not export"):
            transfer.export_file(people, tmp_path / "out.json", "json")
    assert not (tmp_path / "out.json").exists()
    with acting_as("m", "manager"):
        transfer.export_file(people, tmp_path / "out.json", "json")
        with acting_as("c2", "connector"):
            with pytest.raises(Forbidden, match="may not import"):
                transfer.import_file(people, tmp_path / "out.json", "json")
    assert [(e.who, e.action.value) for e in people.list_audit()][-1] == ("m", "export")


def test_csv_exports_leave_out_withheld_people(people, tmp_path):
    import csv

    from connector_graph.io import transfer

    people.update_person(people.get_actor("bob").model_copy(update={"restricted": True}))
    transfer.export_file(people, tmp_path / "csv", "csv")
    with open(tmp_path / "csv" / "people.csv", newline="", encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert names == ["Ann"]
