"""The synthetic Continuum of Care's geography: its CoC codes and the places its projects operate in.

One HMIS implementation serving two CoCs (a city CoC and the surrounding balance of county), as many HMIS
implementations do. "XX" is HUD's own placeholder for CoC codes in examples, so these never name a real CoC;
the state is written "XX" too. Geocodes (DE 2.03.2) are six digits; ZIP codes (DE 2.03.7) five.
"""

from __future__ import annotations

from dataclasses import dataclass

COC_CODES = ("XX-501", "XX-502")
STATE = "XX"


@dataclass(frozen=True)
class Place:
    city: str
    zip_codes: tuple[str, ...]
    geocode: str
    geography_type: int  # list 2.03.4: 1 urban, 2 suburban, 3 rural
    coc: int  # index into COC_CODES


PLACES = (
    Place("Riverton", ("99101", "99102", "99103", "99104", "99105", "99107"), "999001", 1, 0),
    Place("East Riverton", ("99108", "99109"), "999001", 1, 0),
    Place("Millbrook", ("99120", "99121"), "999010", 2, 1),
    Place("Cedar Heights", ("99124",), "999012", 2, 1),
    Place("Harlow", ("99130",), "999020", 3, 1),
    Place("Pine Hollow", ("99136",), "999024", 3, 1),
)

STREETS = (
    "Main St",
    "Oak St",
    "Maple Ave",
    "Washington Blvd",
    "Lincoln Ave",
    "Park Ave",
    "River Rd",
    "Church St",
    "Elm St",
    "Market St",
    "Mill Rd",
    "Union St",
    "Broad St",
    "Center St",
    "Highland Ave",
    "Chestnut St",
    "Franklin St",
    "Jefferson Ave",
    "Spring St",
    "Water St",
    "Railroad Ave",
    "Grove St",
    "Cedar Ln",
    "Bridge St",
)

# Where outreach workers meet people (DE 4.12.4 LocationDetails) and where assessments happen (DE 4.19.2).
OUTREACH_LOCATIONS = (
    "Under the River Rd bridge",
    "Riverton Transit Center",
    "Encampment behind Market St warehouses",
    "Library steps, Main St",
    "Millbrook park pavilion",
    "Vehicle in Walmart lot, Highland Ave",
    "Riverside trail camp",
    "Bus shelter, Broad St",
    "Abandoned building on Railroad Ave",
    "Harlow rest area",
)
ASSESSMENT_LOCATIONS = (
    "Coordinated entry access center",
    "Phone: 211 line",
    "Emergency shelter intake office",
    "Street outreach",
    "Public library office hours",
    "Hospital discharge unit",
    "Virtual (video call)",
)
