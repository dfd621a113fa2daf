"""Open Referral's own example packages and recorded ORUK 3.0 API responses, in and out.

Expected counts come from reading the files directly here (csv and json),
not from the importer.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from connector_graph.io.source_ids import stored_id
from connector_graph.errors import InvalidInput
from connector_graph.io import openreferral, transfer
from connector_graph.model import Ward

from io_support import contents, network  # noqa: F401

REAL = Path(__file__).parent.parent / "data" / "real" / "openreferral"
HSDS1 = REAL / "hsds1"
SCHEMA = REAL / "schema"
ACTIVE = "active"


def _tag(name: str) -> str:
    """A service name as an offer: lower case, with , ; | _ - as spaces (the documented tag rule)."""
    return " ".join(re.sub(r"[,;|_\-]", " ", name).casefold().split())


def _csv(name: str, folder: Path = HSDS1) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- HSDS 1.x CSV package


def test_hsds1_package_counts_match_the_csv_files(store):
    orgs = _csv("organizations.csv")
    services = _csv("services.csv")
    expected_offers: dict[str, set[str]] = defaultdict(set)
    for s in services:
        if s["status"] == ACTIVE:
            expected_offers[s["organization_id"]].add(_tag(s["name"]))
    report = transfer.import_file(store, HSDS1, "openreferral")
    assert report.written, report.lines()
    held = _by_file_id(store)
    assert len(held) == len({o["id"] for o in orgs})
    for o in orgs:
        org = held["oruk-" + o["id"]]
        assert org.name == o["name"]
        assert set(org.offers) == expected_offers.get(o["id"], set())
    inactive = sum(1 for s in services if s["status"] != ACTIVE)
    assert f"services: read {len(services)}; {len(services) - inactive} offers or spaces; {inactive} skipped (inactive)" in report.notes


def test_hsds1_locations_addresses_and_schedules_are_kept(store):
    services = {s["id"]: s for s in _csv("services.csv")}
    locations = {loc["id"]: loc for loc in _csv("locations.csv")}
    addresses = {a["location_id"]: a for a in _csv("physical_addresses.csv")}
    transfer.import_file(store, HSDS1, "openreferral")
    held = _by_file_id(store)
    for link in _csv("services_at_location.csv"):
        service = services[link["service_id"]]
        org = held["oruk-" + service["organization_id"]]
        location = locations[link["location_id"]]
        assert any(line.startswith(location["name"]) for line in org.locations.splitlines())
        address = addresses.get(link["location_id"])
        if address:
            line = next(line for line in org.locations.splitlines() if line.startswith(location["name"]))
            assert address["address_1"] in line and address["city"] in line and address["postal_code"] in line
    per_org: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _csv("regular_schedules.csv"):
        service = services[row["service_id"]]
        if service["status"] == ACTIVE:
            hours = f"{row['opens_at'][:5]}-{row['closes_at'][:5]}"
            per_org[service["organization_id"]].append((_tag(service["name"]), hours))
    assert per_org, "the sample has schedules"
    for org_id, expected in per_org.items():
        lines = held["oruk-" + org_id].schedule.splitlines()
        assert len(lines) == len(expected)
        for line, (offer, hours) in zip(lines, expected):
            assert line.startswith(offer + ": ") and line.endswith(hours)


def test_hsds1_report_lists_the_tables_it_does_not_store():
    report = openreferral.read_openreferral(HSDS1).report
    not_read = next(n for n in report.notes if n.startswith("tables not read"))
    for name in ("contacts.csv", "phones.csv", "languages.csv", "funding.csv"):
        assert name in not_read


def test_importing_the_real_package_twice_changes_nothing(store):
    n = len(_csv("organizations.csv"))
    first = transfer.import_file(store, HSDS1, "openreferral")
    assert f"organisations against the store: {n} added, 0 changed, 0 unchanged" in first.notes
    held = contents(store)
    second = transfer.import_file(store, HSDS1, "openreferral")
    assert f"organisations against the store: 0 added, 0 changed, {n} unchanged" in second.notes
    assert first.after == second.after
    assert contents(store) == held


def test_a_changed_directory_updates_what_changed(store, tmp_path):
    transfer.import_file(store, HSDS1, "openreferral")
    folder = tmp_path / "pkg"
    shutil.copytree(HSDS1, folder)
    services = (folder / "services.csv").read_text(encoding="utf-8")
    old = _csv("services.csv")[0]
    (folder / "services.csv").write_text(services.replace(old["name"], "Renamed helpline", 1), encoding="utf-8")
    report = transfer.import_file(store, folder, "openreferral")
    n = len(_csv("organizations.csv"))
    assert f"organisations against the store: 0 added, 1 changed, {n - 1} unchanged" in report.notes
    assert "renamed helpline" in store.get_actor(stored_id(store, "oruk-" + old["organization_id"])).offers


# ---------------------------------------------------------------- ORUK 3.0 JSON


def _services_in(document) -> list[dict]:
    """Every service object in an ORUK 3.0 document, by direct reading."""
    items = document.get("contents", [document]) if isinstance(document, dict) else document
    out = []
    for item in items:
        out.extend(item["services"] if "services" in item else [item] if "status" in item else [])
    return out


def _orgs_in(document) -> dict[str, str]:
    items = document.get("contents", [document])
    out: dict[str, str] = {}
    for item in items:
        if "services" in item or "status" not in item:
            out.setdefault(item["id"], item["name"])
        elif item.get("organization"):
            out.setdefault(item["organization"]["id"], item["organization"]["name"])
    return out


@pytest.mark.parametrize("name", [
    "oruk3/service_full.json", "oruk3/organization_full.json", "oruk3/service_list.json",
    "oruk3/organization_list.json", "api/service_list.json", "api/organization_list.json", "api/service_full.json",
])
def test_oruk3_documents_import_with_the_counts_the_json_gives(name):
    document = _json(REAL / name)
    parsed = openreferral.read_openreferral(REAL / name)
    assert parsed.report.ok, parsed.report.lines()
    orgs = {o.id: o for o in parsed.batch.organisations}
    expected = _orgs_in(document)
    assert set(orgs) == {"oruk-" + i for i in expected}
    for oid, org_name in expected.items():
        assert orgs["oruk-" + oid].name == org_name
    offers = {_tag(s["name"]) for s in _services_in(document) if s.get("status") == ACTIVE}
    assert {tag for o in orgs.values() for tag in o.offers} == offers


def test_service_full_keeps_where_and_when_and_lists_what_is_dropped():
    document = _json(REAL / "oruk3" / "service_full.json")
    [org] = openreferral.read_openreferral(REAL / "oruk3" / "service_full.json").batch.organisations
    location = document["service_at_locations"][0]["location"]
    address = location["addresses"][0]
    assert org.locations == ", ".join([location["name"], address["address_1"], address["city"], address["postal_code"]])
    schedule = document["schedules"][0]
    assert org.schedule.startswith(_tag(document["name"]) + ": ")
    assert schedule["byday"] in org.schedule and schedule["opens_at"][:5] in org.schedule
    report = openreferral.read_openreferral(REAL / "oruk3" / "service_full.json").report
    dropped = next(n for n in report.notes if n.startswith("nested fields not stored"))
    for key in ("contacts", "languages", "funding", "cost_options"):
        assert f"service.{key} ({len(document[key])})" in dropped
    assert f"location.accessibility ({len(location['accessibility'])})" in dropped


def test_a_service_with_a_nameless_organization_is_rejected_naming_the_record(store, tmp_path):
    document = _json(REAL / "oruk3" / "service_full.json")
    document["organization"]["name"] = ""
    bad = tmp_path / "service.json"
    bad.write_text(json.dumps({"contents": [document]}), encoding="utf-8")
    report = transfer.import_file(store, bad, "openreferral")
    assert not report.written
    assert any(str(r).startswith("service.json record [0] organization: name") for r in report.rejected), report.lines()
    assert store.counts().organisations == 0


# ---------------------------------------------------------------- ORUK 3.0 export


def _validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    organization = _json(SCHEMA / "organization.json")
    page = _json(SCHEMA / "openapi30.json")["components"]["schemas"]["Page"]
    checker = Draft202012Validator.FORMAT_CHECKER
    return Draft202012Validator(organization, format_checker=checker), Draft202012Validator(page, format_checker=checker)


def _filled(store) -> None:
    store.bulk_load(network())
    transfer.import_file(store, HSDS1, "openreferral")
    transfer.import_file(store, REAL / "oruk3" / "service_full.json", "openreferral")


def test_export_passes_the_oruk3_schema(store, tmp_path):
    _filled(store)
    out = tmp_path / "directory.json"
    result = transfer.export_file(store, out, "openreferral-json")
    document = _json(out)
    organization, page = _validators()
    errors = [f"{e.json_path}: {e.message}" for e in page.iter_errors(document)]
    for item in document["contents"]:
        errors += [f"{item['name']} {e.json_path}: {e.message}" for e in organization.iter_errors(item)]
    assert not errors, errors[:5]
    held = store.list_organisations()
    assert result.counts.organisations == len(held) == document["total_items"] == len(document["contents"])
    offers = sum(len(o.offers) + len(o.spaces) for o in held)
    assert sum(len(item["services"]) for item in document["contents"]) == offers


def test_the_schema_check_passes_the_official_example():
    organization, page = _validators()
    assert not list(organization.iter_errors(_json(REAL / "oruk3" / "organization_full.json")))
    assert not list(page.iter_errors(_json(REAL / "oruk3" / "organization_list.json")))


def test_the_schema_check_can_fail():
    organization, _page = _validators()
    assert list(organization.iter_errors({"id": "not-a-uuid", "name": "X"}))  # no description, bad uuid


def test_round_trip_gives_the_same_organisations_and_offers(store, tmp_path):
    _filled(store)
    out = tmp_path / "directory.json"
    transfer.export_file(store, out, "openreferral-json")
    before = {o.id: o for o in store.list_organisations()}
    _empty(store)
    assert store.counts().organisations == 0
    # the emptied store's erasure register holds the organisations back unless an admin says why
    report = transfer.import_file(store, out, "openreferral", bring_back_erased=_BACK)
    assert report.written, report.lines()
    after = _by_file_id(store, before)  # the organisations were given ids of the store's own
    assert set(after) == set(before)
    for oid, org in before.items():
        if not (org.offers or org.spaces):  # nothing in ORUK 3.0 carries their places and times
            org = org.model_copy(update={"locations": None, "schedule": None})
        assert after[oid] == org


_BACK = "round trip into the store emptied for this test"


def _by_file_id(store, file_ids=None) -> dict:
    """The store's organisations by the id their file gave them (imports map file ids to ids of their own).

    ``file_ids`` are the file's ids (default: ``oruk-`` + each id in the sample's organizations.csv).
    """
    wanted = list(file_ids) if file_ids is not None else ["oruk-" + o["id"] for o in _csv("organizations.csv")]
    found = {stored_id(store, fid): fid for fid in wanted}
    out = {}
    for org in store.list_organisations():
        fid = found.get(org.id, org.id)
        out[fid] = org.model_copy(update={"id": fid})
    return out


def _empty(store) -> None:
    """Erase every actor (wards, being reference data, stay)."""
    for actor in list(store.iter_actors()):
        store.erase_actor(actor.id)


def test_export_then_import_into_an_empty_store_keeps_wards(store, tmp_path):
    store.add_wards([Ward(name="Armley"), Ward(name="Bramley & Stanningley")])
    store.bulk_load(network())
    out = tmp_path / "directory.json"
    transfer.export_file(store, out, "openreferral-json")
    wards = {o.id: o.ward for o in store.list_organisations()}
    _empty(store)
    transfer.import_file(store, out, "openreferral", bring_back_erased=_BACK)
    assert {oid: o.ward for oid, o in _by_file_id(store, wards).items()} == wards


def test_unknown_input_is_refused_in_one_line(tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="not an Open Referral document"):
        openreferral.read_openreferral(odd)


def test_a_service_at_location_object_gives_its_service_and_place():
    document = _json(REAL / "oruk3" / "service_at_location_full.json")
    [org] = openreferral.read_openreferral(REAL / "oruk3" / "service_at_location_full.json").batch.organisations
    service, location = document["service"], document["location"]
    assert (org.id, org.name) == ("oruk-" + service["organization"]["id"], service["organization"]["name"])
    assert org.offers == [_tag(service["name"])]
    assert org.locations.splitlines()[0].startswith(location["name"])


def test_the_oruk3_csv_example_gives_what_its_json_twin_gives():
    """ORUK 3.0 publishes the same example as tables and as a nested service: both read the same."""
    [from_csv] = openreferral.read_openreferral(REAL / "hsds3csv").batch.organisations
    [from_json] = openreferral.read_openreferral(REAL / "oruk3" / "service_full.json").batch.organisations
    assert from_csv == from_json
    services = _csv("services.csv", REAL / "hsds3csv")
    assert from_csv.offers == [_tag(s["name"]) for s in services if s["status"] == ACTIVE]


def test_a_pseudonymised_export_keeps_names_but_not_our_ids(store, tmp_path):
    store.bulk_load(network())
    out = tmp_path / "directory.json"
    transfer.export_file(store, out, "openreferral-json", pseudonymise=True)
    text = out.read_text(encoding="utf-8")
    names = {o["name"] for o in _json(out)["contents"]}
    assert names == {o.name for o in store.list_organisations()}
    ids = {i["identifier"] for o in _json(out)["contents"] for i in o["organization_identifiers"]}
    assert ids.isdisjoint({o.id for o in store.list_organisations()})
    assert "Cath Connor" not in text
