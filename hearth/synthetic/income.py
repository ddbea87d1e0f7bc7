"""IncomeBenefits.csv: income and sources (DE 4.02), non-cash benefits (DE 4.03), health insurance (DE 4.04).

Income and benefits are asked of heads of household and adults; health insurance of everyone. A person's
sources hold across their enrollments (drawn per person), amounts drift a little between collection points, and
some people gain earned income by exit. TotalMonthlyIncome is always the sum of the amounts given; when a
client has no income every source is 0 and the total 0.00; when the answer is 8, 9 or 99 the sources are empty.
HOPWA projects also record why a client has no insurance of a kind (4.04.A) and ADAP / Ryan White (W3); PATH
projects record SOAR connection (P4).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hearth.synthetic.collection import chunks, collection_points
from hearth.synthetic.households import FAMILY
from hearth.synthetic.projects import HOPWA_FUNDERS, PATH_FUNDERS
from hearth.synthetic.streams import choice, keyed_uniform
from hearth.synthetic.timeline import entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

# (source, amount column, who has it: "all" / "veteran" / "family" / "senior", share, low $, high $)
SOURCES = (
    ("Earned", "EarnedAmount", "all", 0.2, 300, 2500),
    ("Unemployment", "UnemploymentAmount", "all", 0.02, 400, 1500),
    ("SSI", "SSIAmount", "all", 0.12, 914, 967),
    ("SSDI", "SSDIAmount", "all", 0.12, 700, 1800),
    ("VADisabilityService", "VADisabilityServiceAmount", "veteran", 0.3, 171, 3737),
    ("VADisabilityNonService", "VADisabilityNonServiceAmount", "veteran", 0.05, 1000, 1500),
    ("PrivateDisability", "PrivateDisabilityAmount", "all", 0.005, 500, 1500),
    ("WorkersComp", "WorkersCompAmount", "all", 0.005, 400, 1200),
    ("TANF", "TANFAmount", "family", 0.2, 200, 700),
    ("GA", "GAAmount", "all", 0.03, 100, 300),
    ("SocSecRetirement", "SocSecRetirementAmount", "senior", 0.45, 800, 1900),
    ("Pension", "PensionAmount", "all", 0.01, 300, 2000),
    ("ChildSupport", "ChildSupportAmount", "family", 0.08, 100, 600),
    ("Alimony", "AlimonyAmount", "all", 0.003, 200, 800),
    ("OtherIncomeSource", "OtherIncomeAmount", "all", 0.02, 50, 500),
)
BENEFITS = (
    ("SNAP", 0.55),
    ("WIC", 0.0),
    ("TANFChildCare", 0.02),
    ("TANFTransportation", 0.01),
    ("OtherTANF", 0.01),
    ("OtherBenefitsSource", 0.02),
)
INSURANCE = (
    ("Medicaid", "NoMedicaidReason", 0.55),
    ("Medicare", "NoMedicareReason", 0.0),
    ("SCHIP", "NoSCHIPReason", 0.0),
    ("VHAServices", "NoVHAReason", 0.0),
    ("EmployerProvided", "NoEmployerProvidedReason", 0.0),
    ("COBRA", "NoCOBRAReason", 0.003),
    ("PrivatePay", "NoPrivatePayReason", 0.02),
    ("StateHealthIns", "NoStateHealthInsReason", 0.04),
    ("IndianHealthServices", "NoIndianHealthServicesReason", 0.005),
    ("OtherInsurance", "OtherInsuranceIdentify", 0.01),
)
OTHER_INCOME = np.array(["Day labor", "Plasma donation", "Help from family", "Recycling cans", "Odd jobs"])
OTHER_BENEFIT = np.array(["LIHEAP utility assistance", "Food pantry card", "Transit pass program"])
OTHER_INSURANCE = np.array(["County indigent care", "Student health plan", "Marketplace plan"])


def _missing(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    return np.where(rng.random(n) < share, choice(rng, [8, 9, 99], [0.2, 0.3, 0.5], n), 0)


def income_batches(world: World) -> Iterator[Batch]:
    enr, period, people = world.enrollments, world.period, world.people
    seed = world.streams.seed
    household_entry = world.episodes.entry[enr.episode]
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("income", index)
        e = enr.take(rows)
        points = collection_points(rng, e, household_entry[rows], period, np.ones(e.count, bool))
        n = points.count
        r = points.row
        person = e.person[r]
        adult = (e.adult | e.hoh)[r]
        funder = world.funder(e.project[r])
        vet = people.veteran[person] == 1
        family = world.households.kind[people.household[person]] == FAMILY
        senior = e.age[r] >= 62
        exit_stage = points.stage != 1
        cols: dict[str, np.ndarray] = {
            "EnrollmentID": rows.start + r + 1,
            "PersonalID": world.personal_id[e.record[r]],
            "InformationDate": points.date,
            "DataCollectionStage": points.stage,
        }
        income_missing = _missing(rng, n, 0.03)
        total = np.zeros(n, np.int64)
        any_income = np.zeros(n, bool)
        for salt, (name, amount, who, share, low, high) in enumerate(SOURCES):
            eligible = {"all": True, "veteran": vet, "family": family, "senior": senior}[who]
            has = (keyed_uniform(seed, person, 100 + salt) < share) & eligible
            if name == "Earned":  # some find work during the stay
                has |= exit_stage & (rng.random(n) < 0.12)
            dollars = low + keyed_uniform(seed, person, 200 + salt) * (high - low)
            cents = np.round(dollars * rng.uniform(0.93, 1.07, n) * 100).astype(np.int64)
            cents = np.where(name in ("SSI",), cents // 100 * 100, cents)
            total += np.where(has, cents, 0)
            any_income |= has
            asked = adult & (income_missing == 0)
            cols[name] = np.where(asked, has.astype(np.int64), -1)
            cols[amount] = np.where(asked & has, cents, -1)
        cols["OtherIncomeSourceIdentify"] = np.where(
            cols["OtherIncomeSource"] == 1,
            OTHER_INCOME[rng.integers(0, len(OTHER_INCOME), n)],
            "",
        )
        cols["IncomeFromAnySource"] = np.where(adult, np.where(income_missing > 0, income_missing, any_income), -1)
        cols["TotalMonthlyIncome"] = np.where(adult & (income_missing == 0), total, -1)

        benefit_missing = _missing(rng, n, 0.03)
        any_benefit = np.zeros(n, bool)
        young_family = family & (world.households.size[people.household[person]] > 1)
        for salt, (name, share) in enumerate(BENEFITS):
            p = np.where(young_family, 0.3, 0.0) if name == "WIC" else share
            has = keyed_uniform(seed, person, 300 + salt) < p
            any_benefit |= has
            cols[name] = np.where(adult & (benefit_missing == 0), has.astype(np.int64), -1)
        cols["OtherBenefitsSourceIdentify"] = np.where(
            cols["OtherBenefitsSource"] == 1,
            OTHER_BENEFIT[rng.integers(0, len(OTHER_BENEFIT), n)],
            "",
        )
        cols["BenefitsFromAnySource"] = np.where(adult, np.where(benefit_missing > 0, benefit_missing, any_benefit), -1)
        _insurance(cols, rng, seed, person, e.age[r], vet, cols["SSDI"] == 1, cols["Earned"] == 1, funder)

        path = np.isin(funder, PATH_FUNDERS) & adult
        cols["ConnectionWithSOAR"] = np.where(path, choice(rng, [0, 1, 8, 99], [0.7, 0.25, 0.02, 0.03], n), -1)
        created, updated = stamps(rng, entry_lag(rng, points.date, period), points.date, period)
        cols["DateCreated"], cols["DateUpdated"] = created, updated
        cols["UserID"] = world.users_for_projects(rng, e.project[r])
        yield Batch(n, cols)


def _insurance(
    cols: dict[str, np.ndarray],
    rng: np.random.Generator,
    seed: int,
    person: np.ndarray,
    age: np.ndarray,
    vet: np.ndarray,
    ssdi: np.ndarray,
    earned: np.ndarray,
    funder: np.ndarray,
) -> None:
    n = len(person)
    child = age < 18
    missing = _missing(rng, n, 0.02)
    hopwa = np.isin(funder, HOPWA_FUNDERS)
    shares = {
        "Medicaid": np.where(child, 0.8, 0.55),
        "Medicare": np.where((age >= 65) | ssdi, 0.9, 0.0),
        "SCHIP": np.where(child, 0.12, 0.0),
        "VHAServices": np.where(vet, 0.6, 0.0),
        "EmployerProvided": np.where(earned, 0.15, 0.0),
    }
    any_insurance = np.zeros(n, bool)
    for salt, (name, reason, share) in enumerate(INSURANCE):
        has = keyed_uniform(seed, person, 400 + salt) < shares.get(name, share)
        any_insurance |= has
        value = np.where(missing == 0, has.astype(np.int64), -1)
        cols[name] = value
        if name == "OtherInsurance":
            cols[reason] = np.where(value == 1, OTHER_INSURANCE[rng.integers(0, len(OTHER_INSURANCE), n)], "")
        else:  # 4.04.A reasons: HOPWA only
            why = choice(rng, [1, 2, 3, 4, 8, 9, 99], [0.1, 0.1, 0.3, 0.45, 0.01, 0.01, 0.03], n)
            cols[reason] = np.where(hopwa & (value == 0), why, -1)
    cols["InsuranceFromAnySource"] = np.where(missing > 0, missing, any_insurance)
    for name, reason in (("ADAP", "NoADAPReason"), ("RyanWhiteMedDent", "NoRyanWhiteReason")):
        answer = np.where(hopwa, choice(rng, [0, 1, 8, 99], [0.4, 0.55, 0.02, 0.03], n), -1)
        cols[name] = answer
        cols[reason] = np.where(answer == 0, choice(rng, [1, 2, 3, 4, 99], [0.2, 0.1, 0.3, 0.35, 0.05], n), -1)
