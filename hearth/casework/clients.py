"""Register and correct clients: the universal data elements 3.01-3.07 (HMIS Data Standards FY2026)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.access.models import ClientOrigin
from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.casework.stamps import stamp
from hearth.hmis.models import Client, Organization

# HUD 3.04 race and ethnicity: one yes/no column per category, several may be chosen.
RACE_COLUMNS = (
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinao",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
)


@dataclass
class ClientData:
    """What an intake form collects (validated by the form; see hearth.web.forms.clients)."""

    first_name: str | None
    middle_name: str | None
    last_name: str | None
    name_suffix: str | None
    name_data_quality: int
    ssn: str | None
    ssn_data_quality: int
    dob: date | None
    dob_data_quality: int
    races: list[str] = field(default_factory=list)
    race_none: int | None = None
    additional_race_ethnicity: str | None = None
    sex: int | None = None
    veteran_status: int = 99

    def apply(self, client: Client) -> dict[str, tuple[object, object]]:
        """Set the client's fields; returns each changed field with its old and new value."""
        values = asdict(self)
        races = set(values.pop("races"))
        for column in RACE_COLUMNS:
            values[column] = 1 if column in races else 0
        # 3.04: RaceNone carries 8/9/99 only when no category is chosen.
        values["race_none"] = None if races else (self.race_none or 99)
        changed: dict[str, tuple[object, object]] = {}
        for name, value in values.items():
            if getattr(client, name) != value:
                changed[name] = (getattr(client, name), value)
                setattr(client, name, value)
        return changed


def _index(client: Client) -> None:
    from hearth.search.index import index_clients

    index_clients([client.pk])


@transaction.atomic
def register_client(*, data: ClientData, organization: Organization, by: Actor) -> Client:
    """A new client entered by ``organization``'s staff (in that organization's scope until enrolled)."""
    client = Client(**stamp(by))
    values = data.apply(client)
    client.full_clean(exclude=["source", "export"])
    client.save()
    ClientOrigin.objects.create(client=client, organization=organization)
    _index(client)
    event = by.record("client.created", object_type="Client", object_id=client.pk, organization=organization.pk)
    record_changes(event, {name: (None, new) for name, (_, new) in values.items() if new is not None})
    return client


@transaction.atomic
def update_client(*, client: Client, data: ClientData, by: Actor) -> list[str]:
    """Correct a client's universal data elements; returns the fields changed (old and new values go to the
    audit trail's field changes, shown only on the guarded history page)."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    changed = data.apply(locked)
    if not changed:
        return []
    locked.date_updated = timezone.now()
    locked.user_id = hmis_user_id(by.user)
    locked.full_clean(exclude=["source", "export"])
    locked.save(update_fields=[*changed, "date_updated", "user_id"])
    _index(locked)
    event = by.record("client.updated", object_type="Client", object_id=locked.pk, fields=list(changed))
    record_changes(event, changed)
    return list(changed)
