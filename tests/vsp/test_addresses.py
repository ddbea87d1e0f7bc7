"""Confidential project addresses in the structure pages: masked for everyone but the project's own agency,
never overwritten by someone who cannot see them, and the flag set only by those who manage the project."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from hearth.audit.models import AuditEvent, FieldChange
from hearth.hmis.models import ProjectCoC
from hearth.structure.confidential import confidential_project_ids, masked_projects, may_read_address
from hearth.structure.models import ConfidentialAddress
from tests.vsp.world import VspWorld

pytestmark = pytest.mark.django_db

STREETS = {"a_shelter": "12 Open Street", "v_shelter": "77 Hidden Lane", "b_rrh": "5 Quiet Court"}
# Who opens each project's structure page (hearth.structure.authority) and who, of them, reads its address.
OPENS = {
    "a_shelter": {"lead_a", "admin_a", "superuser"},
    "v_shelter": {"lead_a", "admin_v", "superuser"},
    "b_rrh": {"lead_a", "admin_b", "superuser"},
}
READS = {"a_shelter": {"lead_a", "admin_a", "superuser"}, "v_shelter": {"admin_v"}, "b_rrh": {"admin_b"}}


def browser_for(vw: VspWorld, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(vw.w.users[persona])
    return browser


def test_the_rule(vw: VspWorld) -> None:
    p = vw.w.projects
    assert confidential_project_ids() == {p["v_shelter"].pk, p["b_rrh"].pk}
    assert masked_projects(vw.user("lead_a"), [x.pk for x in p.values()]) == {p["v_shelter"].pk, p["b_rrh"].pk}
    assert masked_projects(vw.user("admin_v"), [x.pk for x in p.values()]) == {p["b_rrh"].pk}
    assert may_read_address(vw.user("admin_b"), p["b_rrh"]) is True
    assert may_read_address(vw.user("admin_a"), p["b_rrh"]) is False
    assert may_read_address(vw.user("admin_a"), p["a_shelter"]) is True


@pytest.mark.parametrize("project", sorted(OPENS))
@pytest.mark.parametrize("persona", ["lead_a", "admin_a", "admin_v", "admin_b", "lead_b", "superuser", "nobody"])
def test_project_page_masks_the_address(vw: VspWorld, persona: str, project: str) -> None:
    target = vw.w.projects[project]
    response = browser_for(vw, persona).get(f"/structure/projects/{target.pk}/")
    if persona not in OPENS[project]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    if persona in READS[project]:
        assert STREETS[project] in page
        assert "Confidential location" not in page
    else:
        for text in (STREETS[project], "Unit 2", "Harbor City", "9000"):
            assert text not in page
        assert "Confidential location" in page
        assert "069999" in page  # the geocode is not an address


def test_edit_form_leaves_a_hidden_address_alone(vw: VspWorld) -> None:
    record = vw.addresses["v"]
    url = f"/structure/projects/{vw.w.projects['v_shelter'].pk}/cocs/{record.pk}/"
    browser = browser_for(vw, "lead_a")
    page = browser.get(url).content.decode()
    assert "77 Hidden Lane" not in page
    assert 'name="address1"' not in page
    response = browser.post(url, {"coc_code": "XX-500", "geocode": "061234", "geography_type": "1"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.geocode, record.address1, record.address2, record.city, record.state, record.zip) == (
        "061234",
        "77 Hidden Lane",
        "Unit 2",
        "Harbor City",
        "CA",
        "90002",
    )
    changes = set(FieldChange.objects.values_list("field", flat=True))
    assert changes == {"geocode"}


def test_own_agency_edits_its_address(vw: VspWorld) -> None:
    record = vw.addresses["v"]
    url = f"/structure/projects/{vw.w.projects['v_shelter'].pk}/cocs/{record.pk}/"
    browser = browser_for(vw, "admin_v")
    assert "77 Hidden Lane" in browser.get(url).content.decode()
    values = {"coc_code": "XX-500", "geocode": "069999", "geography_type": "1", "address1": "78 Hidden Lane"}
    assert browser.post(url, {**values, "city": "Harbor City", "state": "CA", "zip": "90002"}).status_code == 302
    record.refresh_from_db()
    assert (record.address1, record.address2) == ("78 Hidden Lane", None)


def test_new_coc_record_by_the_lead_has_no_address(vw: VspWorld) -> None:
    project = vw.w.projects["b_rrh"]
    browser = browser_for(vw, "lead_a")
    posted = {"coc_code": "XX-501", "geocode": "060001", "geography_type": "1", "address1": "sneaked in"}
    assert browser.post(f"/structure/projects/{project.pk}/cocs/new/", posted).status_code == 302
    row = ProjectCoC.objects.get(project=project, coc_code="XX-501")
    assert (row.address1, row.city, row.zip) == (None, None, None)


@pytest.mark.parametrize("persona", ["lead_a", "admin_b"])
def test_flag_set_and_cleared_by_who_manages_the_project(vw: VspWorld, persona: str) -> None:
    project = vw.w.projects["a_shelter"]
    browser = browser_for(vw, persona if persona == "lead_a" else "admin_a")
    url = f"/structure/projects/{project.pk}/address-confidential/"
    assert browser.post(url, {"confidential": "1"}).status_code == 302
    flag = ConfidentialAddress.objects.get(project=project)
    assert flag.set_by == (persona if persona == "lead_a" else "admin_a")
    event = AuditEvent.objects.get(action="project.address_confidential")
    assert (event.object_type, event.object_id) == ("Project", str(project.pk))
    assert list(FieldChange.objects.filter(event_id=event.pk).values_list("field", "old", "new")) == [
        ("address_confidential", "False", "True")
    ]
    # Now the other agency's Lead no longer reads it; the agency does.
    assert "12 Open Street" in browser_for(vw, "admin_a").get(f"/structure/projects/{project.pk}/").content.decode()
    assert "12 Open Street" not in browser_for(vw, "lead_a").get(f"/structure/projects/{project.pk}/").content.decode()
    assert browser.post(url, {"confidential": "0"}).status_code == 302
    assert not ConfidentialAddress.objects.filter(project=project).exists()
    assert AuditEvent.objects.filter(action="project.address_confidential").count() == 2


@pytest.mark.parametrize("persona", ["admin_a", "admin_v", "lead_b", "nobody", "manager_a"])
def test_flag_refused_without_side_effects(vw: VspWorld, persona: str) -> None:
    project = vw.w.projects["b_rrh"]
    before = (ConfidentialAddress.objects.count(), AuditEvent.objects.count(), FieldChange.objects.count())
    response = browser_for(vw, persona).post(f"/structure/projects/{project.pk}/address-confidential/", {})
    assert response.status_code == 404
    assert (ConfidentialAddress.objects.count(), AuditEvent.objects.count(), FieldChange.objects.count()) == before
    assert ConfidentialAddress.objects.filter(project=project).exists()


def test_flag_get_is_refused(vw: VspWorld) -> None:
    project = vw.w.projects["b_rrh"]
    assert browser_for(vw, "lead_a").get(f"/structure/projects/{project.pk}/address-confidential/").status_code == 405


def test_admin_never_shows_project_addresses(vw: VspWorld) -> None:
    browser = browser_for(vw, "superuser")
    for key in ("a", "v", "b"):
        response = browser.get(f"/admin/hmis/projectcoc/{vw.addresses[key].pk}/change/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "069999" in page
        for text in ("Open Street", "Hidden Lane", "Quiet Court", "Unit 2", "Harbor City", "9000"):
            assert text not in page
