"""Sign-in that resists guessing: throttling and lockout, audited attempts, password rules, app settings.

Real accounts in a real store of each backend, real Argon2 hashes, a real
throttle file; time is passed in explicitly where a wait is being checked,
so no test sleeps or depends on the machine's speed.
"""

from __future__ import annotations

import pytest

from connector_graph import accounts
from connector_graph.audit import AuditAction
from connector_graph.errors import InvalidInput, TooManyAttempts
from connector_graph.signin import CLIENT_SETTINGS, unsafe_server_settings
from connector_graph.throttle import FREE, LOCK_AT, LOCK_SECONDS, Throttle

GOOD = "heron-kettle-marmalade-42"


@pytest.fixture
def throttle(tmp_path):
    return Throttle(tmp_path / "signin.json", key=b"k" * 32)


@pytest.fixture
def sam(store):
    accounts.add_user(store, "sam", "connector", GOOD)
    return store


def test_forty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(sam, throttle):
    refused = 0
    for _ in range(40):
        try:
            assert accounts.authenticate(sam, "sam", "wrong password number", throttle=throttle) is None
        except TooManyAttempts:
            refused += 1
    assert refused > 0
    with pytest.raises(TooManyAttempts, match="try again"):
        accounts.authenticate(sam, "sam", GOOD, throttle=throttle)


def test_the_delay_grows_then_the_account_is_locked(throttle):
    now = 1_000_000.0
    waits = []
    for n in range(LOCK_AT):
        throttle.failed("sam", None, now=now)
        waits.append(throttle.wait_seconds("sam", None, now=now))
    assert waits[: FREE - 1] == [0.0] * (FREE - 1)
    growing = waits[FREE - 1 : LOCK_AT - 1]
    assert all(b >= a for a, b in zip(growing, growing[1:])) and growing[-1] > growing[0]
    assert waits[-1] == LOCK_SECONDS
    assert throttle.wait_seconds("sam", None, now=now + LOCK_SECONDS + 1) == 0.0


def test_one_address_trying_many_accounts_is_throttled(throttle):
    now = 2_000_000.0
    for n in range(3 * LOCK_AT):
        throttle.failed(f"user{n}", "203.0.113.9", now=now)
    assert throttle.wait_seconds("someone-new", "203.0.113.9", now=now) > 0
    assert throttle.wait_seconds("someone-new", "198.51.100.1", now=now) == 0


def test_every_sign_in_is_audited_without_the_password(sam, throttle):
    accounts.authenticate(sam, "sam", "not the password at all", throttle=throttle)
    accounts.authenticate(sam, "nobody-here", "guess guess guess", throttle=throttle)
    assert accounts.authenticate(sam, "sam", GOOD, throttle=throttle) is not None
    entries = [e for e in sam.list_audit() if e.action in (AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED)]
    assert [(e.action.value, e.target) for e in entries] == [
        ("sign_in_failed", "sam"), ("sign_in_failed", None), ("sign_in", "sam")]
    text = " ".join(e.model_dump_json() for e in sam.list_audit())
    assert GOOD not in text and "not the password" not in text and "nobody-here" not in text


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", " " * 12, "password1234", "123456789012", "qwertyuiopas",
                                      "sam-sam-sam-sam", "abcabcabcabc", "short"])
def test_trivial_and_common_passwords_are_refused(store, password):
    with pytest.raises(InvalidInput, match="password"):
        accounts.add_user(store, "sam", "connector", password)
    assert store.list_users() == []


def test_the_app_applies_its_own_browser_settings_and_refuses_without_xsrf():
    assert CLIENT_SETTINGS["client.showErrorDetails"] == "none"
    assert CLIENT_SETTINGS["client.disableDataExport"] is True
    assert unsafe_server_settings({"server.enableXsrfProtection": False}.get)
