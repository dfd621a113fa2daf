"""The Open Referral UK example package: organisations, services as offers, wards from locations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from connector_graph.io.source_ids import stored_id
from connector_graph.errors import InvalidInput
from connector_graph.io import openreferral, transfer
from connector_graph.model import Ward

from io_support import contents, make_sqlite  # noqa: F401  (fixtures)

DATA = Path(__file__).parent.parent / "data"
PACKAGE = DATA / "openreferral"
API = DATA / "openreferral_api_services.json"
WARDS = ["Armley", "Bramley & Stanningley", "Farnley & Wortley", "Kirkstall"]
ORG = "oruk-3f6a1c2e-0b7d-4c1a-9e51-1a2b3c4d5e0"


def test_example_package_maps_organisations_services_and_wards(store):
    store.add_wards([Ward(name=w) for w in WARDS])
    report = transfer.import_file(store, PACKAGE, "openreferral")
    assert report.written, report.lines()
    assert report.accepted["organisations"] == 5
    def org(n: str):  # the file's organisation ids are mapped to ids of the store's own
        return store.get_actor(stored_id(store, ORG + n))

    hub = org("3")
    assert (hub.name, hub.kind.value, hub.sector.value, hub.ward) == (
        "Bramley Baths Community Hub", "community_centre", "voluntary_community", "Bramley & Stanningley",
    )
    assert hub.offers == ["lunch club", "warm space", "swimming lessons for adults who are"]
    practice = org("2")
    assert (practice.kind.value, practice.sector.value, practice.ward, practice.offers) == (
        "gp_practice", "health", "Armley", ["social prescribing"],
    )
    church = org("4")
    assert (church.kind.value, church.sector.value, church.offers) == ("faith_group", "faith", ["food bank", "toddler group"])
    assert org("1").ward == "Farnley & Wortley"
    assert org("5").ward is None  # a virtual location matches no ward


def test_importing_the_package_twice_changes_nothing(store):
    first = transfer.import_file(store, PACKAGE, "openreferral")
    held = contents(store)
    second = transfer.import_file(store, PACKAGE, "openreferral")
    assert first.after == second.after and first.after.organisations == 5
    assert contents(store) == held


def test_report_notes_inactive_and_shortened_services_and_ignored_columns():
    report = openreferral.read_openreferral(PACKAGE, WARDS).report
    assert "services: read 11; 10 offers or spaces; 1 skipped (inactive)" in report.notes
    assert "organizations: read 5; 5 organisations" in report.notes
    assert "1 service name(s) shortened to fit a tag (40 characters)" in report.notes
    assert "4 of 5 organisation(s) placed in a known ward" in report.notes
    assert "email" in report.ignored_columns["organizations"]
    assert "latitude" in report.ignored_columns["locations"]


def test_without_known_wards_no_organisation_gets_a_ward():
    parsed = openreferral.read_openreferral(PACKAGE, [])
    assert all(o.ward is None for o in parsed.batch.organisations)
    assert "no wards are known, so no organisation was placed in a ward" in parsed.report.notes


def test_nested_api_json_form():
    parsed = openreferral.read_openreferral(API, ["Armley"])
    [org] = parsed.batch.organisations
    assert (org.id, org.ward, org.offers) == ("oruk-org-armley-walkers", "Armley", ["wellbeing walks", "repair cafe"])


def test_flat_json_tables_form(tmp_path):
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({
        "organizations": [{"id": "o1", "name": "Farsley Library"}],
        "services": [{"id": "s1", "organization_id": "o1", "name": "Rhyme time"}],
    }), encoding="utf-8")
    [org] = openreferral.read_openreferral(path).batch.organisations
    assert (org.kind.value, org.sector.value, org.offers) == ("library", "statutory", ["rhyme time"])


def test_bad_rows_are_rejected_with_reasons(tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(PACKAGE, folder)
    with (folder / "services.csv").open("a", encoding="utf-8") as out:
        out.write("svc-x,no-such-org,,Ghost service,,,,active,,,,,,,,,,\n")
        out.write("svc-y,3f6a1c2e-0b7d-4c1a-9e51-1a2b3c4d5e01,,,,,,active,,,,,,,,,,\n")
    with (folder / "organizations.csv").open("a", encoding="utf-8") as out:
        out.write("3f6a1c2e-0b7d-4c1a-9e51-1a2b3c4d5e01,Duplicate,,,,,,\n")
        out.write("org-blank,,,,,,,\n")
    report = openreferral.read_openreferral(folder, WARDS).report
    reasons = [str(r) for r in report.rejected]
    assert "services.csv line 13: organization_id 'no-such-org' is not in the organizations table" in reasons
    assert "services.csv line 14: name is empty" in reasons
    assert any(r.startswith("organizations.csv line 7: repeats the organization id") for r in reasons)
    assert any(r.startswith("organizations.csv line 8: name:") for r in reasons)


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: (d / "organizations.csv").write_text("id,name\n1,A\n", encoding="utf-8"), "has no services table"),
        (lambda d: ((d / "services.csv").write_text("id,name\n1,A\n", encoding="utf-8"),
                    (d / "organizations.csv").write_text("id,name\n1,A\n", encoding="utf-8")), "services table lacks the column\\(s\\) organization_id"),
        (lambda d: (d / "readme.txt").write_text("hi", encoding="utf-8"), "holds no Open Referral tables"),
    ],
)
def test_bad_packages_are_refused_in_one_line(tmp_path, setup, message):
    folder = tmp_path / "pkg"
    folder.mkdir()
    setup(folder)
    with pytest.raises(InvalidInput, match=message):
        openreferral.read_openreferral(folder)


def test_missing_and_malformed_json(tmp_path):
    with pytest.raises(InvalidInput, match="no such Open Referral package"):
        openreferral.read_openreferral(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        openreferral.read_openreferral(bad)
    odd = tmp_path / "odd.json"
    odd.write_text('"hello"', encoding="utf-8")
    with pytest.raises(InvalidInput, match="not an Open Referral document"):
        openreferral.read_openreferral(odd)
