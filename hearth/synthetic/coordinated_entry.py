"""Coordinated entry: Assessment.csv (DE 4.19), AssessmentQuestions.csv, AssessmentResults.csv, Event.csv (4.20).

Every coordinated entry enrollment's head of household has a crisis needs assessment on the project start date;
most who stay a few days also have a housing needs assessment, which places them on the prioritization list or
not. Many housing needs assessments keep the local tool's questions and answers and its results (a score and a
recommended intervention).

Events: a coordinated entry enrollment that ran alongside a crisis stay ends with the referral to the housing
program the household then entered (TH, RRH, PSH, other PH), accepted, the result dated on the day the housing
program started. Other enrollments record problem solving / diversion, referrals to a shelter bed, to a
scheduled assessment, to outreach, or outside the continuum, with results where HUD asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from hearth.synthetic.geography import ASSESSMENT_LOCATIONS
from hearth.synthetic.projects import CE, ES_EE, ES_NBN, PH_HO, PH_HS, PSH, RRH, TH
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

CRISIS_NEEDS, HOUSING_NEEDS = 1, 2
REFERRAL_EVENT = {TH: 11, RRH: 13, PSH: 14, PH_HO: 17, PH_HS: 15}
QUESTIONS = (
    ("Housing history", "Where did you sleep last night?"),
    ("Housing history", "How many years since you last had permanent housing?"),
    ("Health", "Do you have a chronic health condition?"),
    ("Health", "Emergency room visits in the past six months"),
    ("Risks", "Have you been attacked or beaten since becoming homeless?"),
    ("Risks", "Are you currently fleeing violence?"),
)
SLEPT = np.array(["Outside", "Emergency shelter", "Vehicle", "Abandoned building", "Friend's couch", "Transit station"])
YES_NO = np.array(["Yes", "No", "Declined"])


@dataclass
class Assessments:
    enrollment: np.ndarray  # index into world.enrollments
    date: np.ndarray
    level: np.ndarray
    prioritized: np.ndarray
    detailed: np.ndarray  # kept the tool's questions and results

    @property
    def count(self) -> int:
        return len(self.enrollment)


def build_assessments(world: World) -> Assessments:
    enr = world.enrollments
    rng = world.streams.rng("assessments")
    heads = np.flatnonzero((enr.ptype == CE) & enr.hoh)
    last = enr.last_day(world.period)[heads]
    stay = last - enr.entry[heads]
    second = heads[(stay >= 3) & (rng.random(len(heads)) < 0.75)]
    stay2 = last[np.isin(heads, second)] - enr.entry[second]
    housing_date = (
        enr.entry[second] + 1 + np.floor(rng.random(len(second)) * np.minimum(stay2 - 1, 30)).astype(np.int64)
    )
    enrollment = np.concatenate([heads, second])
    date = np.concatenate([enr.entry[heads], housing_date])
    level = np.concatenate([np.full(len(heads), CRISIS_NEEDS), np.full(len(second), HOUSING_NEEDS)])
    order = np.lexsort((level, enrollment))
    n = len(enrollment)
    prioritized = np.where(
        level == HOUSING_NEEDS, choice(rng, [1, 2], [0.7, 0.3], n), choice(rng, [1, 2], [0.1, 0.9], n)
    )
    detailed = (level == HOUSING_NEEDS) & (rng.random(n) < 0.7)
    return Assessments(enrollment[order], date[order], level[order], prioritized[order], detailed[order])


def _meta(
    world: World, rng: np.random.Generator, date: np.ndarray, enrollment: np.ndarray, lag: bool = True
) -> dict[str, np.ndarray]:
    """Record metadata; the parts of one assessment (questions, results) are keyed in with it, on its date."""
    keyed = entry_lag(rng, date, world.period) if lag else date
    created, updated = stamps(rng, keyed, date, world.period)
    return {
        "DateCreated": created,
        "DateUpdated": updated,
        "UserID": world.users_for_projects(rng, world.enrollments.project[enrollment]),
    }


def assessment_batches(world: World, a: Assessments) -> Iterator[Batch]:
    rng = world.streams.rng("assessment-rows")
    enr = world.enrollments
    n = a.count
    yield Batch(
        n,
        {
            "AssessmentID": np.arange(1, n + 1),
            "EnrollmentID": a.enrollment + 1,
            "PersonalID": world.personal_id[enr.record[a.enrollment]],
            "AssessmentDate": a.date,
            "AssessmentLocation": pl.Series(
                np.array(ASSESSMENT_LOCATIONS)[rng.integers(0, len(ASSESSMENT_LOCATIONS), n)]
            ),
            "AssessmentType": choice(rng, [1, 2, 3], [0.3, 0.1, 0.6], n),
            "AssessmentLevel": a.level,
            "PrioritizationStatus": a.prioritized,
            **_meta(world, rng, a.date, a.enrollment),
        },
    )


def _answers(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    return [
        SLEPT[rng.integers(0, len(SLEPT), n)],
        rng.integers(0, 11, n).astype(str),
        YES_NO[choice(rng, [0, 1, 2], [0.4, 0.55, 0.05], n)],
        rng.poisson(1.2, n).astype(str),
        YES_NO[choice(rng, [0, 1, 2], [0.3, 0.6, 0.1], n)],
        YES_NO[choice(rng, [0, 1, 2], [0.12, 0.83, 0.05], n)],
    ]


def question_batches(world: World, a: Assessments) -> Iterator[Batch]:
    rng = world.streams.rng("assessment-questions")
    which = np.flatnonzero(a.detailed)
    q = len(QUESTIONS)
    assessment = np.repeat(which, q)
    order = np.tile(np.arange(q), len(which))
    answers = np.stack(_answers(rng, len(which)), axis=1).reshape(-1) if len(which) else np.zeros(0, str)
    enrollment = a.enrollment[assessment]
    yield Batch(
        len(assessment),
        {
            "AssessmentID": assessment + 1,
            "EnrollmentID": enrollment + 1,
            "PersonalID": world.personal_id[world.enrollments.record[enrollment]],
            "AssessmentQuestionGroup": pl.Series(np.array([g for g, _ in QUESTIONS])[order]),
            "AssessmentQuestionOrder": order + 1,
            "AssessmentQuestion": pl.Series(np.array([t for _, t in QUESTIONS])[order]),
            "AssessmentAnswer": pl.Series(answers),
            **_meta(world, rng, a.date[assessment], enrollment, lag=False),
        },
    )


def result_batches(world: World, a: Assessments) -> Iterator[Batch]:
    rng = world.streams.rng("assessment-results")
    which = np.flatnonzero(a.detailed)
    score = rng.integers(0, 18, len(which))
    recommended = np.select(
        [score >= 10, score >= 5], ["Permanent supportive housing", "Rapid re-housing"], "Diversion / problem solving"
    )
    assessment = np.repeat(which, 2)
    kind = np.tile(np.array(["Vulnerability score", "Recommended intervention"]), len(which))
    result = np.stack([score.astype(str), recommended], axis=1).reshape(-1) if len(which) else np.zeros(0, str)
    enrollment = a.enrollment[assessment]
    yield Batch(
        len(assessment),
        {
            "AssessmentID": assessment + 1,
            "EnrollmentID": enrollment + 1,
            "PersonalID": world.personal_id[world.enrollments.record[enrollment]],
            "AssessmentResultType": pl.Series(kind),
            "AssessmentResult": pl.Series(result),
            **_meta(world, rng, a.date[assessment], enrollment, lag=False),
        },
    )


def event_batches(world: World) -> Iterator[Batch]:
    rng = world.streams.rng("events")
    enr, episodes, period = world.enrollments, world.episodes, world.period
    heads = np.flatnonzero((enr.ptype == CE) & enr.hoh)
    target = episodes.referred_to[enr.episode[heads]]
    linked = heads[target >= 0]
    housing = target[target >= 0]
    housing_entry = episodes.entry[housing]
    event_date = np.maximum(enr.entry[linked], housing_entry - rng.integers(3, 31, len(linked)))
    event_code = np.array([REFERRAL_EVENT.get(int(t), 15) for t in range(16)])[episodes.ptype[housing]]
    names = np.array(world.projects.names)
    places = names[episodes.project[housing]]

    others = heads[target < 0]
    m = len(others)
    last = enr.last_day(period)[others]
    other_date = enr.entry[others] + np.floor(rng.random(m) * (last - enr.entry[others] + 1)).astype(np.int64)
    other_code = choice(rng, [2, 10, 3, 4, 6, 5, 8, 9, 1, 16, 18], [30, 25, 10, 10, 5, 4, 3, 3, 4, 4, 2], m)
    has_event = rng.random(m) < 0.8
    others, other_date, other_code = others[has_event], other_date[has_event], other_code[has_event]
    m = len(others)
    shelters = np.flatnonzero(np.isin(world.projects.ptype, (ES_EE, ES_NBN)) & ~world.projects.flag("vsp"))
    other_place = np.where(np.isin(other_code, (10,)), names[shelters[rng.integers(0, len(shelters), m)]], "")

    enrollment = np.concatenate([linked, others])
    date = np.concatenate([event_date, other_date])
    code = np.concatenate([event_code, other_code])
    place = np.concatenate([places, other_place])
    n = len(enrollment)
    result = np.concatenate([np.ones(len(linked), np.int64), choice(rng, [1, 2, 3, -1], [0.55, 0.15, 0.1, 0.2], m)])
    asks_result = np.isin(code, list(range(10, 19)))
    result = np.where(asks_result, result, -1)
    result_date = np.concatenate([housing_entry, np.minimum(other_date + rng.integers(0, 15, m), period.end)])
    order = np.lexsort((date, enrollment))
    enrollment, date, code, place, result, result_date = (
        x[order] for x in (enrollment, date, code, place, result, result_date)
    )
    yield Batch(
        n,
        {
            "EnrollmentID": enrollment + 1,
            "PersonalID": world.personal_id[enr.record[enrollment]],
            "EventDate": date,
            "Event": code,
            "ProbSolDivRRResult": np.where(code == 2, choice(rng, [0, 1], [0.6, 0.4], n), -1),
            "ReferralCaseManageAfter": np.where(code == 5, choice(rng, [0, 1], [0.3, 0.7], n), -1),
            "LocationCrisisOrPHHousing": pl.Series(
                np.where(np.isin(code, (10, 11, 12, 13, 14, 15, 17, 18)), place, "")
            ),
            "ReferralResult": result,
            "ResultDate": np.where(result >= 0, result_date, NO_DATE),
            **_meta(world, rng, date, enrollment),
        },
    )
