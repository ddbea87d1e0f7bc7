"""Sessions: an absolute lifetime however active, a limit per account (the oldest ended), all of an account's
sessions ended at once when it is disabled, the idle timeout, and signing out; each end audited."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.contrib.sessions.models import Session
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.signin import sessions
from hearth.signin.models import UserSession
from tests.signin.conftest import sign_in, signed_in
from tests.web.personas import World


def test_a_session_ends_after_its_lifetime_however_active(world: World) -> None:
    browser, _ = sign_in("manager_a")
    key = browser.session.session_key
    assert browser.get("/clients/").status_code == 200
    # Activity renews the idle timeout (here: as if the account had kept working all day), never the lifetime.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(hours=13))
    later = timezone.now() + timedelta(hours=11, minutes=59)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert browser.get("/clients/").status_code == 200
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(hours=13))
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=12)):
        response = browser.get("/clients/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/clients/")
    assert not Session.objects.filter(session_key=key).exists()
    record = UserSession.objects.get(session_key=key)
    assert (record.end_reason, record.ended_at is not None) == ("lifetime", True)
    event = AuditEvent.objects.get(action="session.ended")
    assert (event.actor, event.details) == ("manager_a", {"reason": "lifetime"})


def test_an_htmx_request_past_the_lifetime_sends_the_whole_page_to_sign_in(world: World) -> None:
    browser, _ = sign_in("manager_a")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=13)):
        Session.objects.update(expire_date=timezone.now() + timedelta(days=1))
        response = browser.get("/reminders/", HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Redirect"]) == (204, "/accounts/login/")


def test_a_new_sign_in_beyond_the_limit_ends_the_oldest_session(world: World, settings: object) -> None:
    settings.HEARTH_SESSION_MAX_CONCURRENT = 2  # type: ignore[attr-defined]
    first, _ = sign_in("manager_a", ip="10.0.0.1")
    second, _ = sign_in("manager_a", ip="10.0.0.2")
    third, _ = sign_in("manager_a", ip="10.0.0.3")
    assert first.get("/clients/").status_code == 302
    assert second.get("/clients/").status_code == 200
    assert third.get("/clients/").status_code == 200
    ended = UserSession.objects.get(ip="10.0.0.1")
    assert ended.end_reason == "concurrent"
    assert sorted((r.ip for r in sessions.open_sessions(world.users["manager_a"])), key=str) == ["10.0.0.2", "10.0.0.3"]
    event = AuditEvent.objects.get(action="session.ended")
    assert (event.source_ip, event.details) == ("10.0.0.3", {"reason": "concurrent", "sessions": 1})
    # Another account's sessions are not counted.
    other, _ = sign_in("intake_a", ip="10.0.0.4")
    assert second.get("/clients/").status_code == 200
    assert signed_in(other)


def test_sessions_that_ended_by_idleness_do_not_count_against_the_limit(world: World, settings: object) -> None:
    settings.HEARTH_SESSION_MAX_CONCURRENT = 1  # type: ignore[attr-defined]
    first, _ = sign_in("manager_a")
    Session.objects.filter(session_key=first.session.session_key).update(expire_date=timezone.now())
    second, _ = sign_in("manager_a")
    assert second.get("/clients/").status_code == 200
    assert UserSession.objects.get(session_key=first.session.session_key).end_reason == "expired"
    assert not AuditEvent.objects.filter(action="session.ended").exists()


def test_disabling_an_account_ends_its_sessions_at_once(world: World) -> None:
    manager = world.users["manager_a"]
    desk, _ = sign_in("manager_a", ip="10.0.0.1")
    phone, _ = sign_in("manager_a", ip="10.0.0.2")
    admin = Browser()
    admin.force_login(world.users["admin_a"])
    response = admin.post(f"/people/{manager.pk}/activation/", {"active": "no"})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key__in=[desk.session.session_key, phone.session.session_key]).exists()
    for browser in (desk, phone):
        assert browser.get("/clients/").status_code == 302
    assert set(UserSession.objects.filter(user=manager).values_list("end_reason", flat=True)) == {"disabled"}
    event = AuditEvent.objects.get(action="session.ended")
    expected = ("admin_a", str(manager.pk), {"reason": "disabled", "sessions": 2})
    assert (event.actor, event.object_id, event.details) == expected


def test_a_refused_deactivation_ends_nothing(world: World) -> None:
    desk, _ = sign_in("admin_b_or_none", ip="10.0.0.9")  # unknown account: nothing signed in
    manager_desk, _ = sign_in("manager_a")
    outsider = Browser()
    outsider.force_login(world.users["lead_b"])
    response = outsider.post(f"/people/{world.users['manager_a'].pk}/activation/", {"active": "no"})
    assert response.status_code == 404
    assert manager_desk.get("/clients/").status_code == 200
    assert not signed_in(desk)


def test_an_idle_session_ends_after_30_minutes(world: World) -> None:
    browser, _ = sign_in("manager_a")
    Session.objects.filter(session_key=browser.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = browser.get("/clients/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/clients/")


def test_signing_out_closes_the_session_record(world: World) -> None:
    browser, _ = sign_in("manager_a")
    key = browser.session.session_key
    response = browser.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert UserSession.objects.get(session_key=key).end_reason == "signed_out"
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.get("/accounts/logout/").status_code == 405


def test_a_session_begun_another_way_is_recorded_on_its_first_request(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    assert browser.get("/").status_code == 200
    record = UserSession.objects.get(user=world.users["manager_a"])
    assert (record.session_key, record.method) == (browser.session.session_key, "session")


def test_the_guard_adds_no_query_to_a_signed_in_request(world: World, django_assert_num_queries: object) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.test import RequestFactory

    browser, _ = sign_in("manager_a")
    request = RequestFactory().get("/clients/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(browser.session.session_key)
    request.session.items()  # loaded, as AuthenticationMiddleware has by then
    request.user = world.users["manager_a"]
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert sessions.guard(request) is None
        assert not sessions.must_enrol(request)
