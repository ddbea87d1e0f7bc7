"""Program-specific data elements recorded on Enrollment.csv, only in projects whose funder collects them.

- PATH (HHS, funder 21): P3 status (DateOfPATHStatus, ClientEnrolledInPATH, ReasonNotEnrolled), for clients
  engaged by outreach.
- RHY (HHS, funders 22-26): R1 referral source, R2 Basic Center eligibility (BCP, funder 22 only), R11 child
  welfare and R12 juvenile justice history, R13 family critical issues.
- SSVF (VA, funder 33): V4 percent of AMI, V6 VAMC station, V10 mental health consultation; V7 prevention
  targeting screen (HP projects only). GPD and HUD-VASH record the VAMC station too.
All for heads of household and adults, as the HMIS Data Standards Manual lists them.
"""

from __future__ import annotations

import numpy as np

from hearth.synthetic.projects import GPD_FUNDERS, HP, PATH_FUNDERS, RHY_FUNDERS, SSVF_FUNDERS, VASH_FUNDERS
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import NO_DATE

VAMC_STATIONS = np.array(["612", "640", "662", "528A7"])  # a CoC's nearby VA medical centers (list V6.1)


def _yes_no(rng: np.random.Generator, p_yes: float, n: int, missing: float = 0.03) -> np.ndarray:
    """List 1.8 answers: mostly 0/1, a few 8, 9, 99."""
    answer = (rng.random(n) < p_yes).astype(np.int64)
    return np.where(rng.random(n) < missing, choice(rng, [8, 9, 99], [0.3, 0.3, 0.4], n), answer)


def program_elements(
    rng: np.random.Generator,
    funder: np.ndarray,
    ptype: np.ndarray,
    asked: np.ndarray,
    entry: np.ndarray,
    last: np.ndarray,
    engagement: np.ndarray,
    household_size: np.ndarray,
    project: np.ndarray,
) -> dict[str, np.ndarray]:
    n = len(funder)
    cols: dict[str, np.ndarray] = {}
    within = lambda offset: np.minimum(entry + offset, last)  # noqa: E731 - a date inside the stay

    path = np.isin(funder, PATH_FUNDERS) & asked & (engagement != NO_DATE)
    enrolled = np.where(rng.random(n) < 0.75, 1, 0)
    cols["DateOfPATHStatus"] = np.where(path, np.minimum(engagement + rng.integers(0, 10, n), last), NO_DATE)
    cols["ClientEnrolledInPATH"] = np.where(path, enrolled, -1)
    cols["ReasonNotEnrolled"] = np.where(path & (enrolled == 0), rng.integers(1, 4, n), -1)

    rhy = np.isin(funder, RHY_FUNDERS) & asked
    source = choice(rng, [1, 2, 7, 11, 18, 28, 30, 34, 35, 38, 39, 99], [25, 20, 12, 8, 4, 6, 6, 3, 4, 6, 4, 2], n)
    cols["ReferralSource"] = np.where(rhy, source, -1)
    cols["CountOutreachReferralApproaches"] = np.where(rhy & (source == 7), rng.integers(1, 8, n), -1)
    bcp = rhy & (funder == 22)
    eligible = choice(rng, [1, 0, 99], [0.9, 0.08, 0.02], n)
    cols["DateOfBCPStatus"] = np.where(bcp, within(rng.integers(0, 3, n)), NO_DATE)
    cols["EligibleForRHY"] = np.where(bcp, eligible, -1)
    cols["ReasonNoServices"] = np.where(bcp & (eligible == 0), choice(rng, [1, 2, 3, 4], [4, 1, 1, 2], n), -1)
    cols["RunawayYouth"] = np.where(bcp & (eligible == 1), _yes_no(rng, 0.4, n), -1)
    for ward, years, months, p in (
        ("FormerWardChildWelfare", "ChildWelfareYears", "ChildWelfareMonths", 0.25),
        ("FormerWardJuvenileJustice", "JuvenileJusticeYears", "JuvenileJusticeMonths", 0.15),
    ):
        answer = _yes_no(rng, p, n)
        yes = rhy & (answer == 1)
        cols[ward] = np.where(rhy, answer, -1)
        cols[years] = np.where(yes, rng.integers(1, 4, n), -1)
        cols[months] = np.where(yes, rng.integers(1, 12, n), -1)
    for name, p in (
        ("UnemploymentFam", 0.35),
        ("MentalHealthDisorderFam", 0.25),
        ("PhysicalDisabilityFam", 0.1),
        ("AlcoholDrugUseDisorderFam", 0.3),
        ("InsufficientIncome", 0.45),
        ("IncarceratedParent", 0.15),
    ):
        cols[name] = np.where(rhy, _yes_no(rng, p, n), -1)

    ssvf = np.isin(funder, SSVF_FUNDERS) & asked
    va = (ssvf | np.isin(funder, (*VASH_FUNDERS, *GPD_FUNDERS))) & asked
    cols["PercentAMI"] = np.where(ssvf, choice(rng, [1, 2, 3, 4, 99], [0.6, 0.25, 0.1, 0.02, 0.03], n), -1)
    station = VAMC_STATIONS[project % len(VAMC_STATIONS)]
    cols["VAMCStation"] = np.where(va, station, "")
    cols["MentalHealthConsultation"] = np.where(ssvf & (rng.random(n) < 0.3), rng.integers(1, 5, n), -1)

    screen = ssvf & (ptype == HP)
    v7 = {
        "TargetScreenReqd": choice(rng, [1, 0], [0.85, 0.15], n),
        "TimeToHousingLoss": choice(rng, [0, 1, 2, 3, 99], [0.3, 0.3, 0.2, 0.18, 0.02], n),
        "AnnualPercentAMI": choice(rng, [0, 1, 2, 3, 99], [0.15, 0.35, 0.35, 0.13, 0.02], n),
        "LiteralHomelessHistory": choice(rng, [0, 1, 2, 99], [0.2, 0.3, 0.48, 0.02], n),
        "ClientLeaseholder": choice(rng, [0, 1, 99], [0.3, 0.68, 0.02], n),
        "HOHLeaseholder": choice(rng, [0, 1, 99], [0.25, 0.73, 0.02], n),
        "SubsidyAtRisk": choice(rng, [0, 1, 99], [0.8, 0.18, 0.02], n),
        "EvictionHistory": choice(rng, [0, 1, 2, 99], [0.6, 0.25, 0.13, 0.02], n),
        "CriminalRecord": choice(rng, [0, 1, 99], [0.7, 0.28, 0.02], n),
        "IncarceratedAdult": choice(rng, [0, 1, 2, 99], [0.75, 0.15, 0.08, 0.02], n),
        "PrisonDischarge": choice(rng, [0, 1, 99], [0.93, 0.05, 0.02], n),
        "SexOffender": choice(rng, [0, 1, 99], [0.97, 0.01, 0.02], n),
        "DisabledHoH": choice(rng, [0, 1, 99], [0.55, 0.43, 0.02], n),
        "CurrentPregnant": choice(rng, [0, 1, 99], [0.95, 0.03, 0.02], n),
        "SingleParent": np.where(household_size > 1, choice(rng, [0, 1], [0.4, 0.6], n), 0),
        "DependentUnder6": np.where(household_size > 1, choice(rng, [0, 1, 2, 99], [0.5, 0.1, 0.38, 0.02], n), 0),
        "HH5Plus": (household_size >= 5).astype(np.int64),
        "CoCPrioritized": choice(rng, [0, 1, 99], [0.85, 0.13, 0.02], n),
    }
    score = rng.integers(8, 40, n)
    v7["HPScreeningScore"] = score
    v7["ThresholdScore"] = np.full(n, 20)
    for name, values in v7.items():
        cols[name] = np.where(screen, values, -1)
    return cols
