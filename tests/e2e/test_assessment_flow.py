"""A case manager collects a household head's project start and, a year later, the annual assessment: the
questions HUD's rules give for a CoC-funded permanent supportive housing project, follow-up questions that
appear as answers are given, inline data-quality prompts, and a draft that survives a reload."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hearth.collection.models import Draft
from hearth.hmis.models import Disabilities, Enrollment, IncomeBenefits
from tests import factories as make
from tests.collection.conftest import funder
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def psh(world: World) -> Enrollment:
    project = make.project("Harbor Supportive Housing", world.orgs["a"], project_type=3)
    funder(project, 2)
    entry = timezone.localdate() - timedelta(days=365)
    return make.enrollment(world.clients["at_a"], project, entry=entry)


def sign_in(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Username").fill("manager_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def answer(page: Any, key: str, label: str) -> None:
    page.locator(f"#f-{key}").select_option(label=label)


def test_project_start_and_annual_assessment(page: Any, world: World, psh: Enrollment) -> None:
    sign_in(page)
    page.goto(f"/clients/{psh.client_id}/")
    page.get_by_role("heading", name="Assessments").wait_for()
    check_accessibility(page, "assessment-01-profile-panel")
    panel = page.locator("section[aria-labelledby=assessments-heading]")
    panel.get_by_role("row").filter(has_text="Harbor Supportive Housing").get_by_role(
        "link", name="Project start"
    ).click()
    page.get_by_role("heading", name="Project start assessment").wait_for()
    assert page.url.endswith(f"/enrollments/{psh.pk}/assessments/start/")
    check_accessibility(page, "assessment-02-project-start")

    answer(page, "3_08__DisablingCondition", "No")
    # 3.917: a place not meant for habitation leads straight to the homeless history (3.917B).
    assert page.locator("#wrap-3_917__DateToStreetESSH").is_hidden()
    page.locator("#f-3_917__LivingSituation").select_option("116")
    page.locator("#f-3_917__DateToStreetESSH").wait_for(state="visible")
    answer(page, "3_917__LengthOfStay", "90 days or more but less than one year")
    page.locator("#f-3_917__DateToStreetESSH").fill((psh.entry_date - timedelta(days=200)).isoformat())
    answer(page, "3_917__TimesHomelessPastThreeYears", "One time")
    answer(page, "3_917__MonthsHomelessPastThreeYears", "7")

    # 4.02 income Yes with no source marked: the data-quality prompt appears while typing.
    answer(page, "4_02__IncomeFromAnySource", "Yes")
    prompt = page.locator("#msg-4_02__IncomeFromAnySource")
    prompt.get_by_text("mark at least one source Yes").wait_for()
    page.get_by_text("Draft saved at").wait_for()
    check_accessibility(page, "assessment-03-inline-prompt")

    # Reload: the draft is restored, nothing is recorded yet. ("Draft saved at" may be an earlier save's: let the
    # last autosave finish first.)
    page.wait_for_load_state("networkidle")
    # On PostgreSQL the last autosave can still be committing: wait until the draft holds the answer. (Not on
    # SQLite in memory: a read here would lock the table the server thread writes.)
    for _ in range(100 if connection.vendor == "postgresql" else 0):
        saved = Draft.objects.first()
        if saved is not None and saved.answers.get("4_02__IncomeFromAnySource") == "1":
            break
        page.wait_for_timeout(100)
    page.reload()
    page.get_by_text("Restored your draft saved at").wait_for()
    assert page.locator("#f-3_917__LivingSituation").input_value() == "116"
    assert page.locator("#f-4_02__IncomeFromAnySource").input_value() == "1"
    assert not IncomeBenefits.objects.exists()
    check_accessibility(page, "assessment-04-draft-restored")

    page.locator("label[for='f-4_02__Earned']").click()
    page.locator("#f-4_02__EarnedAmount").wait_for(state="visible")
    page.locator("#f-4_02__EarnedAmount").fill("640")
    page.locator("#f-4_02__TotalMonthlyIncome").fill("640")
    prompt.get_by_text("mark at least one source Yes").wait_for(state="detached")
    answer(page, "4_03__BenefitsFromAnySource", "No")
    answer(page, "4_04__InsuranceFromAnySource", "No")
    for element in ("4_05", "4_06", "4_07", "4_08", "4_09", "4_10"):
        answer(page, f"{element}__DisabilityResponse", "No")
    answer(page, "4_11__DomesticViolenceSurvivor", "No")
    page.get_by_role("button", name="Save project start").click()
    page.get_by_text("Project start assessment saved.").wait_for()

    income = IncomeBenefits.objects.get(enrollment=psh)
    assert (income.data_collection_stage, income.information_date, income.earned, income.earned_amount) == (
        1,
        psh.entry_date,
        1,
        640,
    )
    assert Disabilities.objects.filter(enrollment=psh, data_collection_stage=1).count() == 6
    assert not Draft.objects.exists()
    psh.refresh_from_db()
    assert (psh.living_situation, psh.disabling_condition) == (116, 0)

    # The annual assessment, on the anniversary: 4.02-4.04 only.
    page.goto(f"/enrollments/{psh.pk}/assessments/annual/")
    page.get_by_role("heading", name="Annual assessment").wait_for()
    assert page.locator("fieldset legend").all_inner_texts() == [
        "4.02 Income and Sources",
        "4.03 Non-Cash Benefits",
        "4.04 Health Insurance",
    ]
    answer(page, "4_02__IncomeFromAnySource", "No")
    answer(page, "4_03__BenefitsFromAnySource", "No")
    answer(page, "4_04__InsuranceFromAnySource", "Yes")
    page.locator("#msg-4_04__InsuranceFromAnySource").get_by_text("mark at least one source Yes").wait_for()
    check_accessibility(page, "assessment-05-annual")
    # On a phone: the same page, one column, still no accessibility violation.
    page.set_viewport_size({"width": 390, "height": 844})
    check_accessibility(page, "assessment-06-annual-phone")
    page.locator("label[for='f-4_04__Medicaid']").click()
    page.get_by_role("button", name="Save annual assessment").click()
    page.get_by_text("Annual assessment saved.").wait_for()
    annual = IncomeBenefits.objects.get(enrollment=psh, data_collection_stage=5)
    assert (annual.information_date, annual.insurance_from_any_source, annual.medicaid, annual.medicare) == (
        timezone.localdate(),
        1,
        1,
        0,
    )
