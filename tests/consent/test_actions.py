"""The consent actions: validation names the field and writes nothing; revocation takes effect at once and,
where the CoC says so, detaches the identity (restored by a new release)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.access.models import ClientOrigin
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.consent import actions
from hearth.consent.identity import held_identity_for
from hearth.consent.models import (
    CATEGORY_BITS,
    DetachedIdentity,
    Method,
    Policy,
    Release,
    ReleaseMember,
    Through,
)
from hearth.consent.rules import active_releases
from hearth.hmis.models import Client
from tests import factories as make

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def setting(db: None) -> dict:
    coc = make.continuum()
    a = make.organization("Harbor House", continuum=coc)
    b = make.organization("Bridge Services", continuum=coc)
    v = make.organization("Safe Harbor DV", continuum=coc, vsp=True)
    user = get_user_model().objects.create_user("writer", "w@example.org", "x" * 12)
    head = make.client("Maria", "Lopez", ssn="123456789", ssn_data_quality=1)
    child = make.client("Nina", "Lopez", dob=date(2015, 2, 3))
    ClientOrigin.objects.create(client=head, organization=a)
    return {"coc": coc, "a": a, "b": b, "v": v, "by": Actor(user=user, name="writer"), "head": head, "child": child}


def _release(s: dict, **overrides: object) -> Release:
    values: dict = {
        "client": s["head"],
        "organization": s["a"],
        "categories": ["identity", "enrollment_history"],
        "starts_on": TODAY,
        "method": Method.WRITTEN,
        "organizations": [s["b"]],
        "members": [(s["child"], Through.HEAD_OF_HOUSEHOLD)],
        "by": s["by"],
    }
    values.update(overrides)
    return actions.record_release(**values)


def test_record_release_covers_the_household_and_stores_the_category_bits(setting: dict) -> None:
    actions.set_sharing_policy(
        continuum=setting["coc"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=False,
        privacy_notice_version="2026-01",
        by=setting["by"],
    )
    release = _release(setting)
    assert release.continuum_id == setting["coc"].pk
    assert release.category_mask == CATEGORY_BITS["identity"] | CATEGORY_BITS["enrollment_history"]
    assert release.privacy_notice_version == "2026-01"
    assert release.obtained_by_name == "writer"
    members = dict(ReleaseMember.objects.filter(release=release).values_list("client_id", "through"))
    assert members == {setting["head"].pk: "self", setting["child"].pk: "head_of_household"}
    assert list(release.organizations.all()) == [setting["b"]]
    event = AuditEvent.objects.get(action="release.recorded")
    assert event.object_id == str(release.pk)
    assert "Maria" not in str(event.details)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["files"]}, "categories"),
        ({"categories": ["identity", "gossip"]}, "categories"),
        ({"organizations": []}, "organizations"),
        ({"ends_on": TODAY - timedelta(days=1)}, "ends_on"),
        ({"method": Method.VERBAL}, "follow_up_due"),
        ({"method": Method.ELECTRONIC_SIGNATURE, "signature_svg": "<svg><script/></svg>"}, "signature_svg"),
        ({"method": "carrier pigeon"}, "method"),
    ],
)
def test_bad_release_names_the_field_and_writes_nothing(setting: dict, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _release(setting, **overrides)
    assert field in raised.value.message_dict
    assert Release.objects.count() == ReleaseMember.objects.count() == 0
    assert not AuditEvent.objects.filter(action="release.recorded").exists()


def test_victim_service_providers_take_no_part(setting: dict) -> None:
    with pytest.raises(ValidationError) as raised:
        _release(setting, organizations=[setting["v"]])
    assert raised.value.message_dict == {
        "organizations": ["Victim service providers do not take part in sharing; remove them."]
    }
    with pytest.raises(ValidationError) as raised:
        _release(setting, organization=setting["v"])
    assert "organization" in raised.value.message_dict
    assert Release.objects.count() == 0


def test_an_electronic_signature_keeps_only_strokes(setting: dict) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><path d="M10 10 L20 20" stroke="#000"/></svg>'
    release = _release(setting, method=Method.ELECTRONIC_SIGNATURE, signature_svg=svg)
    assert release.signature_svg == svg
    for bad in (
        '<svg><path d="M0 0" onload="alert(1)"/></svg>',
        '<svg><image href="http://x/y.png"/></svg>',
        "<svg></svg>",
        '<svg><path d="M0 0"/></svg><svg><path d="M0 0"/></svg>',
        '<svg><path d="M0 0"/>text</svg>',
        '<svg><path d="M0 0"/>',
    ):
        with pytest.raises(ValidationError):
            _release(setting, method=Method.ELECTRONIC_SIGNATURE, signature_svg=bad)


def test_active_releases_start_end_and_revocation(setting: dict) -> None:
    today = timezone.localdate()
    current = _release(setting, starts_on=today - timedelta(days=10))
    _release(setting, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))  # expired
    _release(setting, starts_on=today + timedelta(days=1))  # not yet
    head, child = setting["head"].pk, setting["child"].pk
    assert active_releases([head, child]) == {head: [current], child: [current]}
    actions.revoke_release(release=current, reason="Client asked", by=setting["by"])
    assert active_releases([head]) == {head: []}
    with pytest.raises(ValidationError) as raised:
        actions.revoke_release(release=current, reason="again", by=setting["by"])
    assert "release" in raised.value.message_dict


def test_revocation_detaches_identity_where_the_coc_says_so_and_a_new_release_restores_it(setting: dict) -> None:
    actions.set_sharing_policy(
        continuum=setting["coc"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=True,
        privacy_notice_version="",
        by=setting["by"],
    )
    release = _release(setting, starts_on=timezone.localdate())
    actions.revoke_release(release=release, reason="", by=setting["by"])
    head = Client.objects.get(pk=setting["head"].pk)
    assert (head.first_name, head.last_name, head.dob, head.ssn) == (None, None, None, None)
    assert (head.name_data_quality, head.ssn_data_quality, head.dob_data_quality) == (99, 99, 99)
    held = DetachedIdentity.objects.get(client_id=head.pk)
    assert (held.first_name, held.last_name, held.dob, held.ssn) == ("Maria", "Lopez", date(1987, 3, 14), "123456789")
    assert set(held.holders.values_list("pk", flat=True)) == {setting["a"].pk}
    assert Client.objects.get(pk=setting["child"].pk).first_name is None
    # A new consent puts the identity back on the shared record.
    _release(setting, starts_on=timezone.localdate(), members=[])
    head.refresh_from_db()
    assert (head.first_name, head.ssn, head.name_data_quality) == ("Maria", "123456789", 1)
    assert DetachedIdentity.objects.get(client_id=head.pk).restored_at is not None
    # The child was not covered by the new release: still detached.
    assert Client.objects.get(pk=setting["child"].pk).first_name is None


def test_no_detachment_without_the_policy_or_while_another_release_covers(setting: dict) -> None:
    first = _release(setting, starts_on=timezone.localdate())
    actions.revoke_release(release=first, reason="", by=setting["by"])
    assert Client.objects.get(pk=setting["head"].pk).first_name == "Maria"
    actions.set_sharing_policy(
        continuum=setting["coc"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=True,
        privacy_notice_version="",
        by=setting["by"],
    )
    one = _release(setting, starts_on=timezone.localdate())
    _release(setting, starts_on=timezone.localdate(), members=[])
    actions.revoke_release(release=one, reason="", by=setting["by"])
    assert Client.objects.get(pk=setting["head"].pk).first_name == "Maria"  # still covered by the other
    assert Client.objects.get(pk=setting["child"].pk).first_name is None
    assert not DetachedIdentity.objects.filter(client_id=setting["head"].pk).exists()


def test_sharing_groups_hold_agencies_of_their_coc_only(setting: dict) -> None:
    group = actions.save_sharing_group(
        continuum=setting["coc"], name="Family shelters", organizations=[setting["a"], setting["b"]], by=setting["by"]
    )
    assert set(group.organizations.all()) == {setting["a"], setting["b"]}
    other = make.organization("Elsewhere", continuum=make.continuum("YY-600", "Far"))
    for orgs, field in (([other], "organizations"), ([setting["v"]], "organizations")):
        with pytest.raises(ValidationError) as raised:
            actions.save_sharing_group(continuum=setting["coc"], name="X", organizations=orgs, by=setting["by"])
        assert field in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        actions.save_sharing_group(continuum=setting["coc"], name="Family shelters", organizations=[], by=setting["by"])
    assert "name" in raised.value.message_dict
    renamed = actions.save_sharing_group(
        continuum=setting["coc"], name="Shelters", organizations=[setting["b"]], group=group, by=setting["by"]
    )
    assert (renamed.pk, renamed.name, list(renamed.organizations.all())) == (group.pk, "Shelters", [setting["b"]])


def test_held_identity_is_for_holders_only(setting: dict) -> None:
    from hearth.access.models import RoleAssignment

    actions.set_sharing_policy(
        continuum=setting["coc"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=True,
        privacy_notice_version="",
        by=setting["by"],
    )
    release = _release(setting, starts_on=timezone.localdate())
    actions.revoke_release(release=release, reason="", by=setting["by"])
    users = get_user_model().objects
    at_a = users.create_user("at_a", "a@example.org", "x" * 12)
    at_b = users.create_user("at_b", "b@example.org", "x" * 12)
    RoleAssignment.objects.create(user=at_a, role="case_manager", organization=setting["a"])
    RoleAssignment.objects.create(user=at_b, role="case_manager", organization=setting["b"])
    held = held_identity_for(at_a, setting["head"].pk)
    assert held is not None
    assert held.first_name == "Maria"
    assert held_identity_for(at_b, setting["head"].pk) is None
