"""Rules across rows and files of the synthetic export: references, households, dates, bed nights, duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from hearth.spec import current
from hearth.synthetic.duplicates import duplicate_count
from hearth.synthetic.generator import DEFAULT_END, GenerationSummary
from tests.synthetic.helpers import CLIENTS, with_exits_and_types

END = DEFAULT_END
SPEC = current()
ENROLLMENT_LEVEL = [
    name for name, rt in SPEC.record_types.items() if "EnrollmentID" in rt.by_name and name != "Enrollment"
]


def test_every_reference_resolves(frames: dict[str, pl.DataFrame]) -> None:
    f = frames
    clients = set(f["Client"]["PersonalID"])
    projects = set(f["Project"]["ProjectID"])
    users = set(f["User"]["UserID"])
    assert set(f["Project"]["OrganizationID"]) <= set(f["Organization"]["OrganizationID"])
    for name in ("Funder", "ProjectCoC", "Inventory", "Affiliation", "HMISParticipation", "CEParticipation"):
        assert set(f[name]["ProjectID"]) <= projects, name
    assert set(f["Affiliation"]["ResProjectID"]) <= projects
    assert set(f["Enrollment"]["PersonalID"]) <= clients
    assert set(f["Enrollment"]["ProjectID"]) <= projects
    pairs = f["Enrollment"].select("EnrollmentID", "PersonalID")
    for name in ENROLLMENT_LEVEL:
        unmatched = f[name].join(pairs, on=["EnrollmentID", "PersonalID"], how="anti")
        assert unmatched.height == 0, name
    assessments = f["Assessment"].select("AssessmentID", "EnrollmentID", "PersonalID")
    for name in ("AssessmentQuestions", "AssessmentResults"):
        assert f[name].join(assessments, on=["AssessmentID", "EnrollmentID", "PersonalID"], how="anti").height == 0
    for name, frame in f.items():
        if "UserID" in frame.columns and name != "User":
            assert set(frame["UserID"]) <= users, name
    for name, rt in SPEC.record_types.items():
        assert f[name][rt.key.name].is_unique().all(), name
    assert f["Exit"]["EnrollmentID"].is_unique().all()


def test_coc_codes_match_the_projects_coc_rows(frames: dict[str, pl.DataFrame]) -> None:
    codes = frames["ProjectCoC"].select("ProjectID", "CoCCode")
    assert frames["Inventory"].join(codes, on=["ProjectID", "CoCCode"], how="anti").height == 0
    enrollment_codes = codes.rename({"CoCCode": "EnrollmentCoC"})
    assert frames["Enrollment"].join(enrollment_codes, on=["ProjectID", "EnrollmentCoC"], how="anti").height == 0


def test_households_have_one_head_and_one_stay_in_one_project(frames: dict[str, pl.DataFrame]) -> None:
    """DE 3.15 / 5.09: exactly one head of household; a HouseholdID names one stay in one project."""
    households = (
        frames["Enrollment"]
        .group_by("HouseholdID")
        .agg(
            (pl.col("RelationshipToHoH") == 1).sum().alias("heads"),
            pl.col("ProjectID").n_unique().alias("projects"),
            pl.col("PersonalID").is_unique().all().alias("distinct_people"),
        )
    )
    assert households["heads"].to_list() == [1] * households.height
    assert households["projects"].to_list() == [1] * households.height
    assert households["distinct_people"].all()
    families = households.join(frames["Enrollment"].group_by("HouseholdID").len(), on="HouseholdID")
    assert families.filter(pl.col("len") > 1).height > 0


def test_members_stay_within_the_head_of_households_stay(frames: dict[str, pl.DataFrame]) -> None:
    enrollments = with_exits_and_types(frames).with_columns(pl.col("ExitDate").fill_null(END + dt.timedelta(1)))
    heads = enrollments.filter(pl.col("RelationshipToHoH") == 1).select(
        "HouseholdID", pl.col("EntryDate").alias("hoh_entry"), pl.col("ExitDate").alias("hoh_exit")
    )
    members = enrollments.join(heads, on="HouseholdID")
    assert (
        members.filter((pl.col("EntryDate") < pl.col("hoh_entry")) | (pl.col("ExitDate") > pl.col("hoh_exit"))).height
        == 0
    )


def test_dates_are_in_order_and_never_after_the_export(frames: dict[str, pl.DataFrame]) -> None:
    enrollments = with_exits_and_types(frames)
    assert enrollments.filter(pl.col("ExitDate") < pl.col("EntryDate")).height == 0
    first_entry = enrollments["EntryDate"].min()
    assert isinstance(first_entry, dt.date)  # Series.min() is typed as any Python literal or None
    assert first_entry >= dt.date(2022, 10, 1)
    last = pl.col("ExitDate").fill_null(END)
    move_in = enrollments.filter(pl.col("MoveInDate").is_not_null())
    assert move_in.filter((pl.col("MoveInDate") < pl.col("EntryDate")) | (pl.col("MoveInDate") > last)).height == 0
    assert set(move_in["ProjectType"]) <= {3, 9, 10, 13}
    assert move_in.height > 0
    street = enrollments.filter(pl.col("DateToStreetESSH").is_not_null())
    assert street.filter(pl.col("DateToStreetESSH") > pl.col("EntryDate")).height == 0
    dob = enrollments.join(frames["Client"].select("PersonalID", "DOB"), on="PersonalID")
    assert dob.filter(pl.col("DOB") >= pl.col("EntryDate")).height == 0
    moment = dt.datetime.fromisoformat("2026-09-30 23:00:00")
    for name, frame in frames.items():
        for column, dtype in frame.schema.items():
            if dtype == pl.Date:
                assert (frame[column].drop_nulls() <= END).all(), (name, column)
            elif dtype == pl.Datetime:
                assert (frame[column].drop_nulls() <= moment).all(), (name, column)
        if "DateCreated" in frame.columns:
            assert frame.filter(pl.col("DateUpdated") < pl.col("DateCreated")).height == 0, name
    duplicate_entries = enrollments.filter(pl.struct("PersonalID", "ProjectID", "EntryDate").is_duplicated())
    assert duplicate_entries.height == 0


def test_collection_stages_are_dated_on_entry_and_exit(frames: dict[str, pl.DataFrame]) -> None:
    """DE 5.03: stage 1 records on the EntryDate, stage 3 on the ExitDate, annual ones within the stay."""
    enrollments = with_exits_and_types(frames).select("EnrollmentID", "EntryDate", "ExitDate")
    for name in ("IncomeBenefits", "HealthAndDV", "Disabilities", "EmploymentEducation", "YouthEducationStatus"):
        rows = frames[name].join(enrollments, on="EnrollmentID")
        assert (
            rows.filter(
                (pl.col("DataCollectionStage") == 1) & (pl.col("InformationDate") != pl.col("EntryDate"))
            ).height
            == 0
        )
        assert (
            rows.filter((pl.col("DataCollectionStage") == 3) & (pl.col("InformationDate") != pl.col("ExitDate"))).height
            == 0
        )
        annual = rows.filter(pl.col("DataCollectionStage") == 5)
        assert annual.filter(pl.col("InformationDate") <= pl.col("EntryDate")).height == 0, name
    disabilities = (
        frames["Disabilities"].group_by("EnrollmentID", "DataCollectionStage").agg(pl.col("DisabilityType").sort())
    )
    assert disabilities["DisabilityType"].to_list() == [[5, 6, 7, 8, 9, 10]] * disabilities.height


def test_bed_nights_are_one_per_night_of_each_night_by_night_stay(frames: dict[str, pl.DataFrame]) -> None:
    """DE 4.14: night-by-night shelters only, from the EntryDate up to, not including, the ExitDate."""
    enrollments = with_exits_and_types(frames)
    nights = frames["Services"].filter(pl.col("RecordType") == 200)
    assert (nights["TypeProvided"] == 200).all()
    typed = nights.join(enrollments.select("EnrollmentID", "EntryDate", "ExitDate", "ProjectType"), on="EnrollmentID")
    assert set(typed["ProjectType"]) == {1}
    assert typed.select(pl.struct("EnrollmentID", "DateProvided").is_unique().all()).item()
    stop = pl.col("ExitDate").fill_null(END + dt.timedelta(1))
    assert typed.filter((pl.col("DateProvided") < pl.col("EntryDate")) | (pl.col("DateProvided") >= stop)).height == 0
    shelter = enrollments.filter(pl.col("ProjectType") == 1).with_columns(
        (pl.col("ExitDate").fill_null(END + dt.timedelta(1)) - pl.col("EntryDate")).dt.total_days().alias("nights")
    )
    counts = shelter.join(nights.group_by("EnrollmentID").len(), on="EnrollmentID", how="left")
    assert counts.filter(pl.col("len").fill_null(0) != pl.col("nights")).height == 0
    fewest_nights = counts["nights"].min()
    assert isinstance(fewest_nights, int)  # Series.min() is typed as any Python literal or None
    assert fewest_nights >= 1


def test_every_project_type_and_its_descriptors(frames: dict[str, pl.DataFrame]) -> None:
    projects = frames["Project"]
    assert set(projects["ProjectType"]) == set(SPEC.lists["2.02.6"].values)
    assert set(projects.filter(pl.col("ProjectType") == 13)["RRHSubType"]) == {1, 2}
    services_only = projects.filter((pl.col("ProjectType") == 6) | (pl.col("RRHSubType") == 1))["ProjectID"]
    assert set(services_only) == set(frames["Affiliation"]["ProjectID"])
    inventory = frames["Inventory"]
    categories = [c for c in inventory.columns if c.endswith("BedInventory") and c != "BedInventory"]
    assert len(categories) == 7
    assert (inventory["BedInventory"] == inventory.select(pl.sum_horizontal(categories)).to_series()).all()
    assert (inventory["UnitInventory"] <= inventory["BedInventory"]).all()
    shelter = inventory.join(projects.select("ProjectID", "ProjectType"), on="ProjectID")
    es = shelter["ProjectType"].is_in([0, 1])
    assert shelter.filter(es)["Availability"].null_count() == 0
    assert shelter.filter(~es)["Availability"].null_count() == shelter.filter(~es).height
    vsp = frames["Organization"].filter(pl.col("VictimServiceProvider") == 1)["OrganizationID"]
    vsp_projects = projects.filter(pl.col("OrganizationID").is_in(vsp.implode()))["ProjectID"]
    assert vsp_projects.len() > 0
    assert frames["Enrollment"].filter(pl.col("ProjectID").is_in(vsp_projects.implode())).height == 0


def test_clients_look_real_and_ssns_are_never_issued_numbers(frames: dict[str, pl.DataFrame]) -> None:
    clients = frames["Client"]
    ssn = clients["SSN"].drop_nulls()
    full = ssn.filter(~ssn.str.contains("x"))
    assert full.len() > 0
    assert (full.str.slice(0, 3).cast(pl.Int64) >= 900).all()
    assert (clients["SSN"].is_null() == clients["SSNDataQuality"].is_in([8, 9, 99])).all()
    assert (clients["SSN"].str.starts_with("xxxxx").fill_null(False) == (clients["SSNDataQuality"] == 2)).all()
    assert clients.filter(pl.col("DOBDataQuality").is_in([8, 9, 99]) & pl.col("DOB").is_not_null()).height == 0
    assert clients.filter(pl.col("NameDataQuality").is_in([8, 9, 99]) & pl.col("FirstName").is_not_null()).height == 0
    races = [
        "AmIndAKNative",
        "Asian",
        "BlackAfAmerican",
        "HispanicLatinao",
        "MidEastNAfrican",
        "NativeHIPacific",
        "White",
    ]
    marked = clients.select(pl.sum_horizontal(races)).to_series()
    assert ((marked > 0) == clients["RaceNone"].is_null()).all()
    veterans = clients.filter(pl.col("VeteranStatus") == 1)
    assert veterans.height > 0
    assert veterans["MilitaryBranch"].null_count() == 0
    assert (
        clients.filter(pl.col("VeteranStatus") != 1)["MilitaryBranch"].null_count()
        == clients.filter(pl.col("VeteranStatus") != 1).height
    )


def test_duplicates_truth_covers_every_record_and_meets_the_share(
    export: tuple[Path, GenerationSummary], frames: dict[str, pl.DataFrame]
) -> None:
    out, summary = export
    truth = pl.read_csv(out / "duplicates.csv", infer_schema=False)
    assert truth.columns == ["PersonalID", "PersonID"]
    assert sorted(truth["PersonalID"]) == sorted(frames["Client"]["PersonalID"])
    people = truth.group_by("PersonID").len()
    assert people["len"].max() == 2
    assert people.filter(pl.col("len") == 2).height == duplicate_count(CLIENTS, 0.03) == summary.duplicates == 9
    assert summary.people == CLIENTS - 9
    pairs = truth.join(people.filter(pl.col("len") == 2), on="PersonID").join(frames["Client"], on="PersonalID")
    identifying = ["FirstName", "LastName", "SSN", "DOB", "NameDataQuality", "SSNDataQuality"]
    differing = pairs.group_by("PersonID").agg([pl.col(c).n_unique() > 1 for c in identifying])
    assert differing.select(pl.any_horizontal(identifying)).to_series().all()
    second_records = pairs.join(frames["Enrollment"].select("PersonalID"), on="PersonalID", how="semi")
    assert second_records.height == 18  # both records of every duplicated person have enrollments


@pytest.mark.parametrize("clients", [1, 25])
def test_tiny_coc_still_has_every_file(clients: int, tmp_path: Path) -> None:
    from hearth.synthetic.generator import generate

    summary = generate(clients, 3, tmp_path / "tiny")
    assert set(summary.rows) == set(SPEC.record_types)
    assert summary.rows["Client"] == clients


def test_funder_specific_data_only_where_that_funder_collects_it(frames: dict[str, pl.DataFrame]) -> None:
    """Services by record type follow the project's funder (list 2.06.1); PSH heads have a disabling condition."""
    funders = frames["Funder"].group_by("ProjectID").agg(pl.col("Funder"))
    services = frames["Services"].join(frames["Enrollment"].select("EnrollmentID", "ProjectID"), on="EnrollmentID")
    services = services.join(funders, on="ProjectID")
    expected = {
        141: {21},
        161: {21},
        142: {22, 23, 24, 25, 26},
        143: set(range(13, 20)),
        151: set(range(13, 20)),
        144: {33},
        152: {33},
        210: {20},
        300: {2},
    }
    for record_type, funded_by in expected.items():
        rows = services.filter(pl.col("RecordType") == record_type)
        assert rows.filter(~pl.col("Funder").list.eval(pl.element().is_in(list(funded_by))).list.any()).height == 0
    assert set(services["RecordType"]) >= {141, 142, 144, 152, 161, 200}
    fa = services.filter(pl.col("RecordType").is_in([151, 152]))
    assert fa["FAAmount"].null_count() == 0
    assert (
        services.filter(~pl.col("RecordType").is_in([151, 152]))["FAAmount"].null_count()
        == services.filter(~pl.col("RecordType").is_in([151, 152])).height
    )
    enrollments = with_exits_and_types(frames)
    heads = enrollments.filter((pl.col("ProjectType") == 3) & (pl.col("RelationshipToHoH") == 1))
    assert heads.height > 0
    assert set(heads["DisablingCondition"]) == {1}


def test_prior_living_situation_follows_its_flow(frames: dict[str, pl.DataFrame]) -> None:
    """DE 3.917: children are not asked; 3.917B asks the threshold questions only after a non-homeless situation,
    and the homelessness history only after a homeless one or a short stay that followed the street or a shelter."""
    enrollments = with_exits_and_types(frames).join(frames["Client"].select("PersonalID", "DOB"), on="PersonalID")
    asked = enrollments.filter(pl.col("LivingSituation").is_not_null())
    assert asked.height > 0
    assert (asked["LengthOfStay"].is_not_null()).all()
    age = (pl.col("EntryDate") - pl.col("DOB")).dt.total_days() / 365.25
    children = enrollments.filter((pl.col("RelationshipToHoH") != 1) & (age < 17.9))
    assert children.height > 0
    assert children["LivingSituation"].null_count() == children.height
    b = asked.filter(~pl.col("ProjectType").is_in([0, 1, 4, 8]))
    homeless = pl.col("LivingSituation").is_in([101, 116, 118])
    assert b.filter(homeless & pl.col("LOSUnderThreshold").is_not_null()).height == 0
    assert b.filter(pl.col("PreviousStreetESSH").is_not_null() & (pl.col("LOSUnderThreshold") != 1)).height == 0
    history = pl.col("DateToStreetESSH").is_not_null() | pl.col("TimesHomelessPastThreeYears").is_not_null()
    allowed = homeless | (pl.col("PreviousStreetESSH") == 1)
    assert b.filter(history & ~allowed).height == 0
    subsidy = asked.filter(pl.col("RentalSubsidyType").is_not_null())
    assert set(subsidy["LivingSituation"]) <= {435}
