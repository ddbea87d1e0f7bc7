"""A client who cannot draw signs by typing their name (WCAG 2.1.1: everything the pad does, a keyboard can)."""

from __future__ import annotations

from hearth.consent.models import Release
from hearth.consent.signature_pad import from_pad
from tests.consent_pages.conftest import browser_for
from tests.consent_pages.pdftext import pdf_text
from tests.consent_pages.test_release_pages import release_form
from tests.web.personas import World


def test_typed_name_is_kept_as_the_signature_and_printed(world: World) -> None:
    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    answer = browser.post(
        f"/clients/{client.pk}/consent/new/",
        release_form(method="electronic_signature", signature_typed="  María   López "),
    )
    assert answer.status_code == 302
    release = Release.objects.get()
    assert release.signature_svg == from_pad("", "María López").svg()
    text = pdf_text(browser.get(f"/consent/{release.pk}/form/es/").content)
    assert "Firmado escribiendo su nombre: María López" in text
    revoke_page = browser.get(f"/consent/{release.pk}/revoke/").content.decode()
    assert f'alt="The client\'s signature on consent C-{release.pk}"' in revoke_page
