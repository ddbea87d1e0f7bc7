"""Every spec column has exactly one model field of the right kind, length and nullability."""

from __future__ import annotations

import pytest
from django.db import models

from hearth.hmis.fields import HudCodeCharField, HudCodeField
from hearth.hmis.models import Client, Exit, Source
from hearth.hmis.registry import all_maps, record_map
from hearth.spec import current

HASHED = {"FirstName": 64, "MiddleName": 64, "LastName": 64, "SSN": 68}


@pytest.mark.parametrize("record", list(current().record_types))
def test_model_fields_match_spec_columns(record: str) -> None:
    rmap = record_map(record)
    model = rmap.model
    for fm in rmap.fields:
        column = fm.column
        field = model._meta.get_field(fm.field)
        assert isinstance(field, models.Field)
        nullable = column.nullable or column.lenient_null_reason is not None
        if column.is_key:
            assert isinstance(field, models.CharField)
            assert field.max_length == column.max_length
            assert not field.null
            continue
        if fm.target:
            assert isinstance(field, models.ForeignKey)
            # ExportID: records entered in Hearth came in no export, so the relation may be empty.
            assert field.null == (fm.target == "Export" or nullable)
            continue
        assert field.null == nullable, f"{record}.{column.name}"
        if column.lists:
            assert isinstance(field, HudCodeCharField if column.type == "S" else HudCodeField)
            assert (field.hud_record, field.hud_column) == (record, column.name)
        elif column.type == "S":
            assert isinstance(field, models.CharField)
            expected = HASHED.get(column.name, column.max_length) if record == "Client" else column.max_length
            assert field.max_length == expected
        elif column.type == "I":
            assert isinstance(field, models.IntegerField)
        elif column.type == "D":
            assert isinstance(field, models.DateField)
            assert not isinstance(field, models.DateTimeField)
        elif column.type == "T":
            assert isinstance(field, models.DateTimeField)
        else:
            assert isinstance(field, models.DecimalField)
            assert field.decimal_places == 2


def test_every_model_field_is_a_spec_column_or_hearth_bookkeeping() -> None:
    for rmap in all_maps():
        names = {f.name for f in rmap.model._meta.get_fields() if f.concrete}
        expected = {fm.field for fm in rmap.fields} | {"id", "source"}
        if rmap.record in ("Client", "Enrollment"):
            expected.add("legacy")
        if rmap.record == "Organization":
            expected.add("continuum")  # Hearth's structure: the CoC that administers the organization
        assert names == expected, rmap.record


def test_coded_fields_take_values_and_labels_from_the_spec() -> None:
    field = Exit._meta.get_field("destination")
    assert isinstance(field, HudCodeField)
    labels = dict(field.choices)  # type: ignore[arg-type]
    assert labels[116] == (
        "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or "
        "anywhere outside)"
    )
    assert 37 not in labels
    _name, _path, _args, kwargs = field.deconstruct()
    assert "choices" not in kwargs
    assert kwargs["record"] == "Exit"


@pytest.mark.django_db
def test_invalid_code_is_refused_by_model_validation() -> None:
    source = Source.local()
    client = Client(
        source=source,
        hud_id="X",
        name_data_quality=1,
        ssn_data_quality=99,
        dob_data_quality=99,
        am_ind_ak_native=0,
        asian=0,
        black_af_american=0,
        hispanic_latinao=0,
        mid_east_n_african=0,
        native_hi_pacific=0,
        white=1,
        veteran_status=7,
        user_id="U",
        date_created="2025-01-01T00:00Z",
        date_updated="2025-01-01T00:00Z",
    )
    with pytest.raises(Exception, match="veteran_status"):
        client.full_clean()
    client.veteran_status = 99
    client.full_clean()
