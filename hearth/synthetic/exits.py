"""Exit.csv: one row per ended enrollment (DE 3.11 exit date, 3.12 destination), with the exit elements of the
funders that collect them.

- HUD homelessness prevention (ESG / CoC HP): W5 housing assessment at exit, with the subsidy information that
  its answer allows (W5.A 1-4 after "able to maintain", W5.B 11-12 after "moved to new housing unit").
- RHY: R17 project completion (and early exit reason), R15 commercial sexual and R16 labor exploitation, R18
  counseling, R19 safe and appropriate exit, R20 aftercare within 180 days of exit.
- HUD-VASH: V9 case management exit reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hearth.synthetic.collection import chunks
from hearth.synthetic.living_situation import OTHER_DESTINATION, OTHER_DESTINATION_TEXT, RENTAL_WITH_SUBSIDY
from hearth.synthetic.paths import PERMANENT
from hearth.synthetic.projects import HP, RHY_FUNDERS, VASH_FUNDERS
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

PERMANENT_DESTINATIONS = (410, 411, 421, 422, 423, 426, 435)


def _yes_no(rng: np.random.Generator, n: int, p_yes: float) -> np.ndarray:
    return np.where(rng.random(n) < 0.03, choice(rng, [8, 9, 99], [0.3, 0.3, 0.4], n), (rng.random(n) < p_yes) * 1)


def exit_batches(world: World) -> Iterator[Batch]:
    enr, stays, period = world.enrollments, world.stays, world.period
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("exits", index)
        e = enr.take(rows)
        r = np.flatnonzero(e.exited)
        n = len(r)
        ep = e.episode[r]
        exit_day = e.exit[r]
        destination = stays.destination[ep]
        funder = world.funder(e.project[r])
        asked = (e.hoh | e.adult)[r]
        cols: dict[str, np.ndarray] = {
            "EnrollmentID": rows.start + r + 1,
            "PersonalID": world.personal_id[e.record[r]],
            "ExitDate": exit_day,
            "Destination": destination,
            "DestinationSubsidyType": np.where(destination == RENTAL_WITH_SUBSIDY, stays.destination_subsidy[ep], -1),
            "OtherDestination": np.where(
                destination == OTHER_DESTINATION, np.array(OTHER_DESTINATION_TEXT)[rng.integers(0, 4, n)], ""
            ),
        }
        # W5 housing assessment at exit (HUD-funded prevention).
        prevention = (e.ptype[r] == HP) & np.isin(funder, (1, 9)) & asked
        kept = world.episodes.outcome[ep] == PERMANENT
        assessment = np.where(
            kept,
            choice(rng, [1, 2, 4], [0.6, 0.3, 0.1], n),
            choice(rng, [3, 5, 6, 7, 8, 99], [0.35, 0.15, 0.3, 0.05, 0.05, 0.1], n),
        )
        cols["HousingAssessment"] = np.where(prevention, assessment, -1)
        cols["SubsidyInformation"] = np.where(
            prevention & (assessment == 1),
            choice(rng, [1, 2, 3, 4], [0.4, 0.3, 0.2, 0.1], n),
            np.where(prevention & (assessment == 2), choice(rng, [11, 12], [0.5, 0.5], n), -1),
        )
        rhy = np.isin(funder, RHY_FUNDERS) & asked
        _runaway_youth(cols, rng, rhy, exit_day, period.end, np.isin(destination, PERMANENT_DESTINATIONS))
        vash = np.isin(funder, VASH_FUNDERS) & e.hoh[r]
        cols["CMExitReason"] = np.where(
            vash, choice(rng, list(range(1, 14)), [30, 3, 20, 5, 6, 3, 3, 8, 8, 4, 3, 2, 5], n), -1
        )
        aftercare = cols["AftercareDate"]
        touched = np.where(aftercare != NO_DATE, aftercare, exit_day)
        created, updated = stamps(rng, entry_lag(rng, exit_day, period), touched, period)
        cols["DateCreated"], cols["DateUpdated"] = created, updated
        cols["UserID"] = world.users_for_projects(rng, e.project[r])
        yield Batch(n, cols)


def _runaway_youth(
    cols: dict[str, np.ndarray],
    rng: np.random.Generator,
    rhy: np.ndarray,
    exit_day: np.ndarray,
    end: int,
    permanent: np.ndarray,
) -> None:
    n = len(rhy)

    def only(values: np.ndarray, when: np.ndarray) -> np.ndarray:
        return np.where(rhy & when, values, -1)

    everyone = np.ones(n, bool)
    completion = choice(rng, [1, 2, 3], [0.55, 0.3, 0.15], n)
    cols["ProjectCompletionStatus"] = only(completion, everyone)
    cols["EarlyExitReason"] = only(choice(rng, [1, 2, 3, 4, 5, 6], [10, 35, 5, 15, 5, 30], n), completion == 3)
    exchange = _yes_no(rng, n, 0.06)
    cols["ExchangeForSex"] = only(exchange, everyone)
    cols["ExchangeForSexPastThreeMonths"] = only(_yes_no(rng, n, 0.5), exchange == 1)
    cols["CountOfExchangeForSex"] = only(choice(rng, [1, 2, 3, 4, 8, 9], [50, 20, 10, 10, 5, 5], n), exchange == 1)
    asked_to = _yes_no(rng, n, 0.5)
    cols["AskedOrForcedToExchangeForSex"] = only(asked_to, exchange == 1)
    cols["AskedOrForcedToExchangeForSexPastThreeMonths"] = only(_yes_no(rng, n, 0.5), (exchange == 1) & (asked_to == 1))
    threats = _yes_no(rng, n, 0.04)
    promise = _yes_no(rng, n, 0.05)
    labor = (threats == 1) | (promise == 1)
    cols["WorkplaceViolenceThreats"] = only(threats, everyone)
    cols["WorkplacePromiseDifference"] = only(promise, everyone)
    cols["CoercedToContinueWork"] = only(_yes_no(rng, n, 0.4), labor)
    cols["LaborExploitPastThreeMonths"] = only(_yes_no(rng, n, 0.5), labor)
    counseling = (rng.random(n) < 0.45) * 1
    received = counseling == 1
    cols["CounselingReceived"] = only(counseling, everyone)
    for name, p in (("IndividualCounseling", 0.8), ("FamilyCounseling", 0.2), ("GroupCounseling", 0.4)):
        cols[name] = only((rng.random(n) < p) * 1, received)
    cols["SessionCountAtExit"] = only(rng.integers(1, 30, n), received)
    plan = (rng.random(n) < 0.3) * 1
    cols["PostExitCounselingPlan"] = only(plan, everyone)
    cols["SessionsInPlan"] = only(rng.integers(1, 13, n), plan == 1)
    cols["DestinationSafeClient"] = only(np.where(permanent, 1, _yes_no(rng, n, 0.5)), everyone)
    for name in ("DestinationSafeWorker", "PosAdultConnections", "PosPeerConnections", "PosCommunityConnections"):
        cols[name] = only(choice(rng, [0, 1, 2], [0.25, 0.6, 0.15], n), everyone)
    after = exit_day + rng.integers(7, 181, n)
    followed = (rng.random(n) < 0.4) & (after <= end)
    provided = choice(rng, [1, 0, 9], [0.75, 0.2, 0.05], n)
    cols["AftercareDate"] = np.where(rhy & followed, after, NO_DATE)
    cols["AftercareProvided"] = only(provided, followed)
    for name, p in (("EmailSocialMedia", 0.3), ("Telephone", 0.7), ("InPersonIndividual", 0.4), ("InPersonGroup", 0.1)):
        cols[name] = only((rng.random(n) < p) * 1, followed & (provided == 1))
