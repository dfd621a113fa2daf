"""Reading a live Open Referral UK API, against a local server that serves recorded responses."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector_graph.cli import main
from connector_graph.errors import InvalidInput
from connector_graph.io.loading import load
from connector_graph.io.openreferral import feed, read_document

from oruk_server import Route, api  # noqa: F401 (api: a fixture)

REAL = Path(__file__).parent.parent / "data" / "real" / "openreferral"
API = REAL / "api"
#: ORUK 3.0's example /services page: one record, and a header announcing ten pages.
PAGE = REAL / "oruk3" / "service_list.json"


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _service_pages(requests: list[str], endpoint: str) -> list[int]:
    return [int(r.split("page=")[1]) for r in requests if r.startswith(f"/api/{endpoint}?")]


def test_the_recorded_mock_api_is_followed_through_every_page_it_announces(api):
    """Served as ORUK's mock API serves it: the same recorded page whatever page is asked for."""
    recorded = _json(PAGE)
    assert recorded["total_pages"] > 1
    api.routes["/services"] = Route(file=PAGE)
    lines: list[str] = []
    parsed = feed.read_openreferral_api(api.url, say=lines.append)
    pages = recorded["total_pages"]
    assert _service_pages(api.requests, "services") == list(range(1, pages + 1))
    page_lines = [line for line in lines if "/services: page" in line]
    assert len(page_lines) == pages and page_lines[-1].endswith(f"page {pages} of {pages} (1 records)")
    [service] = recorded["contents"]
    [org] = parsed.batch.organisations
    assert (org.id, org.name) == ("oruk-" + service["organization"]["id"], service["organization"]["name"])
    assert org.offers == [service["name"].casefold()]
    notes = parsed.report.notes
    assert f"services: read {pages}; 1 offers or spaces; {pages - 1} merged (the same service id listed again)" in notes
    assert notes[0].startswith(f"read {pages} page(s) of services ({pages} records); the API offers no /organizations list")


def test_organizations_are_read_page_by_page_when_offered(api):
    organizations = _json(API / "organization_list.json")["contents"]
    service = _json(API / "service_full.json")
    api.routes["/services"] = Route(records=[service], size=3)
    api.routes["/organizations"] = Route(records=organizations, size=3)
    parsed = feed.read_openreferral_api(api.url + "/services")  # a /services address works too
    pages = -(-len(organizations) // 3)
    assert _service_pages(api.requests, "organizations") == list(range(1, pages + 1))
    expected = {o["id"]: o["name"] for o in organizations}
    expected.setdefault(service["organization"]["id"], service["organization"]["name"])
    held = {o.id: o for o in parsed.batch.organisations}
    assert {i: o.name for i, o in held.items()} == {"oruk-" + i: n for i, n in expected.items()}
    assert held["oruk-" + service["organization"]["id"]].offers == [service["name"].casefold()]
    assert parsed.report.ok


def test_a_failing_page_stops_the_import_and_names_the_page(api, store):
    organizations = _json(API / "organization_list.json")["contents"]
    api.routes["/services"] = Route(records=[_json(API / "service_full.json")])
    api.routes["/organizations"] = Route(records=organizations, size=3, fail_page=2)
    with pytest.raises(InvalidInput, match=r"/organizations\?page=2 answered HTTP 500 .*nothing was imported"):
        feed.read_openreferral_api(api.url)
    assert store.counts().organisations == 0


@pytest.mark.parametrize("route, limits, message", [
    (Route(body=b"<html>Welcome</html>"), feed.FeedLimits(), "did not answer with JSON"),
    (Route(status=403, body=b"{}"), feed.FeedLimits(), "answered HTTP 403"),
    (Route(body=b'{"hello": 1}'), feed.FeedLimits(), "is not an Open Referral list page"),
    (Route(file=PAGE), feed.FeedLimits(max_pages=3), "has 10 pages, more than the limit of 3"),
    (Route(file=API / "service_list.json"), feed.FeedLimits(max_page_bytes=100), "sent more than 100 bytes"),
    (Route(stall=True, file=API / "service_list.json"), feed.FeedLimits(timeout=0.5), "no answer in time"),
    (Route(redirect="file:///etc/passwd"), feed.FeedLimits(), "Redirection to url 'file:///etc/passwd' is not allowed"),
    (Route(redirect="ftp://127.0.0.1/x"), feed.FeedLimits(), "redirects to 'ftp://127.0.0.1/x', which is not an http"),
])
def test_bad_answers_are_one_sentence(api, route, limits, message):
    api.routes["/services"] = route
    with pytest.raises(InvalidInput, match=message):
        feed.read_openreferral_api(api.url, limits=limits)


def test_a_redirect_to_another_http_address_is_followed(api):
    api.routes["/moved/services"] = Route(redirect=api.url + "/services")
    api.routes["/services"] = Route(records=[_json(API / "service_full.json")])
    [org] = feed.read_openreferral_api(api.url + "/moved").batch.organisations
    assert org.name == _json(API / "service_full.json")["organization"]["name"]


def test_an_unreachable_api_is_one_sentence():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nothing listens there
    with pytest.raises(InvalidInput, match=f"cannot reach http://127.0.0.1:{port}/api/services"):
        feed.read_openreferral_api(f"http://127.0.0.1:{port}/api")


@pytest.mark.parametrize("url", ["ftp://example.org/api", "https://", "file:///etc/passwd"])
def test_only_http_addresses_are_read(url):
    with pytest.raises(InvalidInput, match="is not an http\\(s\\) address"):
        feed.read_openreferral_api(url)


def test_the_cli_reads_a_feed_and_a_second_read_changes_nothing(api, tmp_path, monkeypatch):
    api.routes["/services"] = Route(records=[_json(API / "service_full.json")])
    api.routes["/organizations"] = Route(records=_json(API / "organization_list.json")["contents"], size=4)
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    first = runner.invoke(main, ["import", api.url], catch_exceptions=False)
    assert first.exit_code == 0, first.output + first.stderr
    assert "/api/organizations: page 3 of 3" in first.stderr
    expected = len({o["id"] for o in _json(API / "organization_list.json")["contents"]}
                   | {_json(API / "service_full.json")["organization"]["id"]})
    assert f"The store now holds 0 people, {expected} organisations" in first.stdout
    second = runner.invoke(main, ["import", api.url], catch_exceptions=False)
    assert f"The store now holds 0 people, {expected} organisations" in second.stdout
    assert f"organisations against the store: 0 added, 0 changed, {expected} unchanged" in second.stdout
    wrong = runner.invoke(main, ["import", api.url, "--format", "kumu"])
    assert wrong.exit_code == 1 and "read as an Open Referral UK API" in wrong.stderr


def test_a_feed_is_loaded_all_or_nothing(api, store):
    service = _json(API / "service_full.json")
    broken = {**service, "id": "svc-2", "organization": {**service["organization"], "id": "org-2", "name": ""}}
    api.routes["/services"] = Route(records=[service, broken])
    report = load(store, feed.read_openreferral_api(api.url))
    assert not report.written and store.counts().organisations == 0
    assert any("organization: name" in str(r) for r in report.rejected)


# ----------------------------------------------------------------- /services/{id} details

SUMMARY_PAGE = API / "service_list.json"  # the mock API's /services: one-to-one fields only
FULL = API / "service_full.json"  # the mock API's /services/{id}: the same service, fully nested


def _detail_path(service: dict) -> str:
    return f"/services/{service['id']}"


def test_listed_summaries_are_completed_from_services_by_id(api):
    [summary] = _json(SUMMARY_PAGE)["contents"]
    full = _json(FULL)
    assert summary["id"] == full["id"] and "service_at_locations" not in summary  # what the list leaves out
    api.routes["/services"] = Route(file=SUMMARY_PAGE)
    api.routes[_detail_path(full)] = Route(file=FULL)
    parsed = feed.read_openreferral_api(api.url)
    assert f"/api/services/{full['id']}" in api.requests
    [org] = parsed.batch.organisations
    # the same organisation as reading the full service directly: its locations and schedule included
    [direct] = read_document(full, "service_full.json").batch.organisations
    assert org == direct
    assert org.locations and org.schedule
    assert "details fetched from /services/{id} for 1 of 1 listed services" in parsed.report.notes


def test_without_the_detail_call_the_locations_are_missing(api):
    """The detail call is what brings the locations: with none allowed, the summary alone has none."""
    api.routes["/services"] = Route(file=SUMMARY_PAGE)
    api.routes[_detail_path(_json(FULL))] = Route(file=FULL)
    parsed = feed.read_openreferral_api(api.url, limits=feed.FeedLimits(max_details=0))
    [org] = parsed.batch.organisations
    assert not org.locations and not org.schedule
    assert not any(r.startswith("/api/services/") for r in api.requests)
    assert any("0 of 1 listed services; 1 beyond the limit of 0 were read from the list alone" in n
               for n in parsed.report.notes)


def _summaries(count: int) -> list[dict]:
    [summary] = _json(SUMMARY_PAGE)["contents"]
    return [{**summary, "id": f"svc-{n}", "name": f"Service {n}",
             "organization": {**summary["organization"], "id": f"org-{n}", "name": f"Org {n}"}} for n in range(count)]


def test_detail_calls_are_capped_and_each_service_is_fetched_once(api):
    records = _summaries(5)
    api.routes["/services"] = Route(records=records + records[:2], size=3)  # two listed twice
    for record in records:
        api.routes[_detail_path(record)] = Route(body=json.dumps({**_json(FULL), **{k: record[k] for k in (
            "id", "name", "organization")}}).encode())
    parsed = feed.read_openreferral_api(api.url, limits=feed.FeedLimits(max_details=3))
    details = [r for r in api.requests if r.startswith("/api/services/")]
    assert details == [f"/api/services/svc-{n}" for n in range(3)]
    held = {o.name: o for o in parsed.batch.organisations}
    assert [bool(held[f"Org {n}"].locations) for n in range(5)] == [True, True, True, False, False]
    assert ("details fetched from /services/{id} for 3 of 5 listed services; "
            "2 beyond the limit of 3 were read from the list alone") in parsed.report.notes


def test_a_refused_detail_keeps_the_summary_and_is_reported(api):
    records = _summaries(2)
    api.routes["/services"] = Route(records=records)
    api.routes[_detail_path(records[0])] = Route(status=500, body=b"oops")
    api.routes[_detail_path(records[1])] = Route(body=b'{"id": "someone-else"}')
    parsed = feed.read_openreferral_api(api.url)
    assert sorted(o.name for o in parsed.batch.organisations) == ["Org 0", "Org 1"]
    [line] = [n for n in parsed.report.notes if n.startswith("details fetched")]
    assert line == (f"details fetched from /services/{{id}} for 0 of 2 listed services; 2 refused, read from the list "
                    f"alone (first: {api.url}/services/svc-0 answered HTTP 500 (Internal Server Error))")


def test_a_detail_call_that_never_answers_stops_the_import_in_one_sentence(api, store):
    records = _summaries(1)
    api.routes["/services"] = Route(records=records)
    api.routes[_detail_path(records[0])] = Route(stall=True, file=FULL)
    with pytest.raises(InvalidInput, match=r"cannot (reach|read) .*/services/svc-0: no answer in time; nothing was imported"):
        feed.read_openreferral_api(api.url, limits=feed.FeedLimits(timeout=0.5))
    assert store.counts().organisations == 0


def test_a_fully_nested_list_needs_no_detail_calls(api):
    api.routes["/services"] = Route(records=[_json(FULL)])
    parsed = feed.read_openreferral_api(api.url)
    assert not any(r.startswith("/api/services/") for r in api.requests)
    assert not any(n.startswith("details fetched") for n in parsed.report.notes)
