"""Security keys and passkeys (WebAuthn), registered and used through the pages' JSON endpoints with a software
authenticator (tests/signin/authenticator.py): the signature, the origin, the challenge and the counter are all
checked."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client as Browser

from hearth.audit.models import AuditEvent
from hearth.signin.models import Passkey, UserSession
from tests.signin.authenticator import SoftwareKey, b64
from tests.signin.conftest import sign_in, signed_in
from tests.web.personas import PASSWORD, World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response  # the stubs' test-client response


def post_json(browser: Browser, url: str, body: str = "{}", **headers: str) -> Response:
    # Client.post takes extra WSGI environ entries as **extra: Any; a dict[str, str] spread could also fill its
    # follow/secure parameters as far as mypy can tell, so hand it the environ mapping it declares.
    environ: dict[str, Any] = dict(headers)
    return browser.post(url, body, content_type="application/json", **environ)


def register(browser: Browser, key: SoftwareKey, *, name: str = "Blue key", origin: str | None = None) -> Response:
    options = json.loads(post_json(browser, "/accounts/security/keys/options/").content)
    return post_json(browser, "/accounts/security/keys/", key.create(options, origin=origin), HTTP_X_PASSKEY_NAME=name)


@pytest.fixture
def keyed(world: World) -> tuple[World, SoftwareKey]:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    key = SoftwareKey()
    response = register(browser, key)
    assert response.status_code == 200, response.content
    return world, key


def test_registering_a_key_keeps_only_its_id_and_public_key(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    options = json.loads(post_json(browser, "/accounts/security/keys/options/").content)
    assert (options["rp"], options["attestation"]) == ({"id": "testserver", "name": "Hearth HMIS"}, "none")
    assert options["user"]["name"] == "manager_a"
    assert str(world.users["manager_a"].pk) not in options["user"]["id"]
    key = SoftwareKey()
    response = post_json(browser, "/accounts/security/keys/", key.create(options), HTTP_X_PASSKEY_NAME="Blue%20key")
    assert json.loads(response.content) == {"redirect": "/accounts/security/"}
    stored = Passkey.objects.get()
    assert (stored.name, bytes(stored.credential_id), stored.sign_count, stored.transports) == (
        "Blue key",
        key.credential_id,
        0,
        ["usb"],
    )
    assert AuditEvent.objects.filter(action="mfa.passkey_added").count() == 1
    assert AuditEvent.objects.filter(action="mfa.recovery_codes_made").count() == 1


def test_a_registration_from_another_origin_or_replayed_is_refused(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    response = register(browser, SoftwareKey(), origin="https://evil.example")
    assert response.status_code == 400
    options = json.loads(post_json(browser, "/accounts/security/keys/options/").content)
    answer = SoftwareKey().create(options)
    assert post_json(browser, "/accounts/security/keys/", answer).status_code == 200
    assert post_json(browser, "/accounts/security/keys/", answer).status_code == 400  # the challenge is used up
    assert Passkey.objects.count() == 1


def test_signing_in_with_a_key_after_the_password(keyed: tuple[World, SoftwareKey]) -> None:
    _world, key = keyed
    browser, response = sign_in("manager_a")
    assert response["Location"] == "/accounts/verify/"
    page = browser.get("/accounts/verify/").content.decode()
    assert 'data-passkey="get"' in page
    options = json.loads(post_json(browser, "/accounts/verify/passkey/options/").content)
    assert [c["id"] for c in options["allowCredentials"]] == [b64(key.credential_id)]
    response = post_json(browser, "/accounts/verify/passkey/", key.get(options))
    assert json.loads(response.content) == {"redirect": "/"}
    assert signed_in(browser)
    assert UserSession.objects.get(session_key=browser.session.session_key).method == "passkey"
    assert Passkey.objects.get().sign_count == 1


def test_a_wrong_signature_origin_or_old_counter_is_refused(keyed: tuple[World, SoftwareKey]) -> None:
    _world, key = keyed
    browser, _ = sign_in("manager_a")
    impostor = SoftwareKey(credential_id=key.credential_id)  # same id, another private key
    options = json.loads(post_json(browser, "/accounts/verify/passkey/options/").content)
    assert post_json(browser, "/accounts/verify/passkey/", impostor.get(options)).status_code == 400
    options = json.loads(post_json(browser, "/accounts/verify/passkey/options/").content)
    wrong_origin = key.get(options, origin="https://evil.example")
    assert post_json(browser, "/accounts/verify/passkey/", wrong_origin).status_code == 400
    options = json.loads(post_json(browser, "/accounts/verify/passkey/options/").content)
    assert post_json(browser, "/accounts/verify/passkey/", key.get(options, counter_step=5)).status_code == 200
    # A clone whose counter lags behind the key's is refused.
    clone, _ = sign_in("manager_a")
    options = json.loads(post_json(clone, "/accounts/verify/passkey/options/").content)
    key.counter = 2
    assert post_json(clone, "/accounts/verify/passkey/", key.get(options)).status_code == 400
    assert not signed_in(clone)
    assert (
        list(AuditEvent.objects.filter(action="signin.failed").values_list("details", flat=True))
        == [{"stage": "passkey"}] * 3
    )


def test_another_accounts_key_does_not_sign_in(keyed: tuple[World, SoftwareKey]) -> None:
    world, key = keyed
    other = Browser()
    other.force_login(world.users["intake_a"])
    register(other, SoftwareKey())
    browser, _ = sign_in("intake_a")
    options = json.loads(post_json(browser, "/accounts/verify/passkey/options/").content)
    assert post_json(browser, "/accounts/verify/passkey/", key.get(options)).status_code == 400
    assert not signed_in(browser)


def test_without_a_password_first_there_is_nothing_to_verify(keyed: tuple[World, SoftwareKey]) -> None:
    browser = Browser()
    assert post_json(browser, "/accounts/verify/passkey/options/").status_code == 400
    assert post_json(browser, "/accounts/verify/passkey/", "{}").status_code == 400
    assert browser.get("/accounts/verify/")["Location"] == "/accounts/login/"


def test_removing_a_key_needs_the_password_and_only_ones_own(keyed: tuple[World, SoftwareKey]) -> None:
    world, _ = keyed
    stored = Passkey.objects.get()
    outsider = Browser()
    outsider.force_login(world.users["intake_a"])
    assert outsider.post(f"/accounts/security/keys/{stored.pk}/remove/", {"password": "x"}).status_code == 404
    owner = Browser()
    owner.force_login(world.users["manager_a"])
    owner.post(f"/accounts/security/keys/{stored.pk}/remove/", {"password": "wrong one"})
    assert Passkey.objects.count() == 1
    owner.post(f"/accounts/security/keys/{stored.pk}/remove/", {"password": PASSWORD})
    assert Passkey.objects.count() == 0
    assert AuditEvent.objects.filter(action="mfa.passkey_removed").count() == 1
