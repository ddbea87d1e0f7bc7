"""Generate hearth/hmis/models/<record>.py from the shipped spec (run when the spec's columns change).

    python tools/gen_models.py

The output is committed and reviewed like any code; tests/hmis/test_models_match_spec.py fails when a model
and the spec disagree, so a spec change cannot slip past the models.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearth.hmis.naming import CLASS_NAMES, MODULES, field_name, reference_target
from hearth.spec import CURRENT, current
from hearth.spec.model import Column, RecordType

OUT = ROOT / "hearth" / "hmis" / "models"

CLIENT_LEVEL = {
    "Client",
    "Enrollment",
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
    "YouthEducationStatus",
}
# related_name on the referenced model for each (record, relation).
RELATED = {
    "Project.organization": "projects",
    "Funder.project": "funders",
    "ProjectCoC.project": "project_cocs",
    "Inventory.project": "inventories",
    "Affiliation.project": "affiliations",
    "Affiliation.res_project": "residential_affiliations",
    "HMISParticipation.project": "hmis_participations",
    "CEParticipation.project": "ce_participations",
    "Enrollment.client": "enrollments",
    "Enrollment.project": "enrollments",
    "Exit.enrollment": "exits",
    "IncomeBenefits.enrollment": "income_benefits",
    "HealthAndDV.enrollment": "health_and_dvs",
    "EmploymentEducation.enrollment": "employment_educations",
    "Disabilities.enrollment": "disabilities",
    "Services.enrollment": "services",
    "CurrentLivingSituation.enrollment": "current_living_situations",
    "Assessment.enrollment": "assessments",
    "AssessmentQuestions.enrollment": "assessment_questions",
    "AssessmentQuestions.assessment": "questions",
    "AssessmentResults.enrollment": "assessment_results",
    "AssessmentResults.assessment": "results",
    "Event.enrollment": "events",
    "YouthEducationStatus.enrollment": "youth_education_statuses",
}
# Indexed relations (beyond the (source, hud_id) key): what pages and reports look records up by.
INDEXED = {
    "Project.organization",
    "Funder.project",
    "ProjectCoC.project",
    "Inventory.project",
    "Affiliation.project",
    "Affiliation.res_project",
    "HMISParticipation.project",
    "CEParticipation.project",
    "Enrollment.client",
    "Enrollment.project",
    "AssessmentQuestions.assessment",
    "AssessmentResults.assessment",
}
# Hashed exports (HashStatus 4) carry 64-character name digests and 68-character SSNs (4 + 64): the spec's
# Hash Status section says field sizes differ for hashed data.
HASHED_LENGTH = {"FirstName": 64, "MiddleName": 64, "LastName": 64, "SSN": 68}
# Columns encrypted at rest (docs/adr/0007-ssn-encryption.md): the SSN, HMIS Data Standards 3.02.
ENCRYPTED = {("Client", "SSN")}
# Free text the HMIS Lead may mark sensitive, encrypted at rest when switched on (hearth.crypto.sensitive keeps
# the reviewed list and why each is there; docs/adr/0015-audit-integrity-and-data-protection.md).
SENSITIVE = {
    ("Client", "MiddleName"),
    ("Client", "NameSuffix"),
    ("Client", "AdditionalRaceEthnicity"),
    ("CurrentLivingSituation", "LocationDetails"),
    ("CurrentLivingSituation", "VerifiedBy"),
    ("Exit", "OtherDestination"),
    ("IncomeBenefits", "OtherIncomeSourceIdentify"),
    ("IncomeBenefits", "OtherBenefitsSourceIdentify"),
    ("IncomeBenefits", "OtherInsuranceIdentify"),
}
VERBOSE = {
    "HMISParticipation": "HMIS participation",
    "CEParticipation": "CE participation",
    "ProjectCoC": "project CoC",
    "HealthAndDV": "health and DV",
    "User": "HMIS user",
}


def words(name: str) -> str:
    from hearth.hmis.naming import snake

    return VERBOSE.get(name, snake(name).replace("_", " "))


def field_source(rt: RecordType, column: Column) -> str:
    name = field_name(rt.name, column.name, column.position)
    target = reference_target(rt.name, column.name, column.position)
    nullable = column.nullable or column.lenient_null_reason is not None
    null = ", null=True, blank=True" if nullable else ""
    label = repr(column.name)
    if column.position == 1:
        return f"    {name} = HudIdField({label}, max_length={column.max_length})"
    if target == "Export":
        return (
            f'    {name} = models.ForeignKey(\n        "hmis.Export", models.DO_NOTHING, verbose_name={label}, null=True, '
            'blank=True, related_name="+", db_constraint=False, db_index=False\n    )'
        )
    if target:
        key = f"{rt.name}.{name}"
        related = RELATED.get(key, "+")
        constraint = "" if rt.name not in CLIENT_LEVEL else ", db_constraint=False"
        index = "" if key in INDEXED else ", db_index=False"
        return (
            f'    {name} = models.ForeignKey(\n        "hmis.{CLASS_NAMES[target]}", models.PROTECT, verbose_name={label}{null}, '
            f'related_name="{related}"{constraint}{index}\n    )'
        )
    help_text = f", help_text={column.data_element and ('DE ' + column.data_element)!r}" if column.data_element else ""
    if column.lists:
        if column.type == "S":
            return (
                f"    {name} = HudCodeCharField(\n        {label}, record={rt.name!r}, column={column.name!r}, "
                f"max_length={column.max_length}{null}{help_text}\n    )"
            )
        return f"    {name} = HudCodeField(\n        {label}, record={rt.name!r}, column={column.name!r}{null}{help_text}\n    )"
    match column.type:
        case "S":
            length = HASHED_LENGTH.get(column.name, column.max_length)
            kind = "EncryptedCharField" if (rt.name, column.name) in ENCRYPTED else "models.CharField"
            kind = "SensitiveCharField" if (rt.name, column.name) in SENSITIVE else kind
            return f"    {name} = {kind}({label}, max_length={length}{null}{help_text})"
        case "I":
            return f"    {name} = models.IntegerField({label}{null}{help_text})"
        case "D":
            return f"    {name} = models.DateField({label}{null}{help_text})"
        case "T":
            return f"    {name} = models.DateTimeField({label}{null}{help_text})"
        case "M":
            return f"    {name} = models.DecimalField({label}, max_digits=12, decimal_places=2{null}{help_text})"
        case "M+":
            return (
                f"    {name} = models.DecimalField(\n        {label}, max_digits=12, decimal_places=2{null}, "
                f"validators=[MinValueValidator(0)]{help_text}\n    )"
            )
    raise ValueError(column.type)


def module_source(rt: RecordType) -> str:
    cls = CLASS_NAMES[rt.name]
    module = MODULES[rt.name]
    fields = [field_source(rt, c) for c in rt.columns]
    body = "\n".join(fields)
    imports = {"from django.db import models"}
    if "HudIdField(" in body:
        imports.add("from hearth.hmis.fields import HudIdField")
    if "HudCodeField(" in body:
        imports.add("from hearth.hmis.fields import HudCodeField")
    if "EncryptedCharField(" in body:
        imports.add("from hearth.hmis.fields import EncryptedCharField")
    if "SensitiveCharField(" in body:
        imports.add("from hearth.hmis.fields import SensitiveCharField")
    if "HudCodeCharField(" in body:
        imports.add("from hearth.hmis.fields import HudCodeCharField")
    if "MinValueValidator" in body:
        imports.add("from django.core.validators import MinValueValidator")
    is_export = rt.name == "Export"
    if not is_export:
        imports.add("from hearth.hmis.models.base import HudRecord")
    imports.add("from hearth.hmis.models.source import Source")
    extra = ""
    # The record's key (source, HUD ID), with the HUD ID first: PostgreSQL sorts with abbreviated keys only on an
    # index's first column, so an import builds this index about twice as fast as with the (single-valued) source
    # first (docs/adr/0003-keys-and-references.md). Every lookup gives both columns.
    constraints = [
        f'            models.UniqueConstraint(fields=["hud_id", "source"], name="hmis_{module}_source_hud_id_uniq"),'
    ]
    indexes: list[str] = []
    if rt.name in {"Client", "Enrollment"}:
        extra += (
            "\n    # Columns of older CSV versions that this version dropped (FY2024 gender, sexual orientation,"
            "\n    # translation assistance): kept, so importing history loses nothing, but never exported.\n"
            "    legacy = models.JSONField(null=True, blank=True, editable=False)\n"
        )
    if rt.name == "Organization":
        extra += (
            "\n    # Hearth's structure, not HUD's: the CoC whose HMIS Lead administers this organization.\n"
            "    continuum = models.ForeignKey(\n"
            '        "hmis.Continuum", models.PROTECT, null=True, blank=True, related_name="organizations"\n'
            "    )\n"
        )
    if rt.name == "Enrollment":
        indexes.append('            models.Index(fields=["household_id", "source"], name="hmis_enrollment_household"),')
    if rt.name == "Exit":
        constraints.append(
            "            # HMIS CSV spec: at most one Exit per enrollment (deleted ones aside).\n"
            '            models.UniqueConstraint(\n                fields=["enrollment"], condition=models.Q(date_deleted__isnull=True),'
            '\n                name="hmis_exit_one_per_enrollment",\n            ),'
        )
    if rt.name in CLIENT_LEVEL and rt.name not in {
        "Client",
        "Enrollment",
        "AssessmentQuestions",
        "AssessmentResults",
    }:
        # Enrollment-level records are read per enrollment; Services also by date (bed-night rosters).
        by = '"enrollment", "date_provided"' if rt.name == "Services" else '"enrollment"'
        indexes.append(f'            models.Index(fields=[{by}], name="hmis_{module[:18]}_enr"),')
    if rt.name == "Enrollment":
        pass
    base = "models.Model" if is_export else "HudRecord"
    head = (
        f'"""HMIS CSV {CURRENT.upper()} record type {rt.name} ({rt.filename}).\n\n'
        "Generated by tools/gen_models.py from hearth/spec/data; kept in step with the spec by\n"
        'tests/hmis/test_models_match_spec.py.\n"""\n\n'
        "from __future__ import annotations\n\n"
    )
    lines = [head + "\n".join(sorted(i for i in imports if i.startswith("from django"))) + "\n\n"]
    lines.append("\n".join(sorted(i for i in imports if i.startswith("from hearth"))) + "\n\n\n")
    lines.append(f"class {cls}({base}):\n")
    lines.append(f'    HUD_RECORD = "{rt.name}"\n')
    if rt.name in CLIENT_LEVEL:
        lines.append("    CLIENT_LEVEL = True\n")
    lines.append("\n")
    if is_export:
        lines.append(
            "    # The source whose Export.csv row this is (for exports Hearth produced: the local source).\n"
            '    source = models.ForeignKey(Source, models.PROTECT, related_name="exports")\n'
        )
    else:
        # The (source, hud_id) unique index serves lookups by source; no separate index.
        constraint = ", db_constraint=False" if rt.name in CLIENT_LEVEL else ""
        lines.append(
            f'    source = models.ForeignKey(Source, models.PROTECT, related_name="+", db_index=False{constraint})\n'
        )
    lines.append(body + "\n")
    lines.append(extra)
    lines.append(f"\n    class Meta{'' if is_export else '(HudRecord.Meta)'}:\n")
    lines.append(f'        db_table = "hmis_{module}"\n')
    lines.append(f'        verbose_name = "{words(rt.name)}"\n')
    lines.append(
        f'        verbose_name_plural = "{words(rt.name)}"\n'
        if rt.name in {"Disabilities", "Services", "IncomeBenefits"}
        else ""
    )
    lines.append("        constraints = [\n" + "\n".join(constraints) + "\n        ]\n")
    if indexes:
        lines.append("        indexes = [\n" + "\n".join(indexes) + "\n        ]\n")
    if is_export:
        lines.append('\n    def __str__(self) -> str:\n        return f"Export {self.hud_id}"\n')
    return "".join(lines)


def main() -> None:
    spec = current()
    for rt in spec.record_types.values():
        path = OUT / f"{MODULES[rt.name]}.py"
        path.write_text(module_source(rt))
    order = list(spec.record_types)
    init = [
        '"""HUD HMIS record models, one module per HMIS CSV record type (in the spec\'s file order)."""\n\n',
        "from hearth.hmis.models.base import HudQuerySet, HudRecord\n",
        "from hearth.hmis.models.continuum import Continuum\n",
        "from hearth.hmis.models.source import Source\n",
    ]
    for name in order:
        init.append(f"from hearth.hmis.models.{MODULES[name]} import {CLASS_NAMES[name]}\n")
    init.append("\n__all__ = [\n")
    for name in sorted(["Continuum", "HudQuerySet", "HudRecord", "Source", *[CLASS_NAMES[n] for n in order]]):
        init.append(f'    "{name}",\n')
    init.append("]\n")
    (OUT / "__init__.py").write_text("".join(init))
    subprocess.run([sys.executable, "-m", "ruff", "format", str(OUT)], check=False, capture_output=True)
    subprocess.run([sys.executable, "-m", "ruff", "check", "--fix", "-q", str(OUT)], check=False)
    print(f"wrote {len(order)} model modules to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
