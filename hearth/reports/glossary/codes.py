"""HUD code values the Glossary rules name (HMIS Data Standards FY2026 lists; HMIS CSV FY2026 Appendix)."""

from __future__ import annotations

# 2.02.6 Project type
ES_EE, ES_NBN, TH, PSH, SO, SSO, DAY, SH, PH_HOUSING_ONLY, PH_WITH_SERVICES, HP, RRH, CE = (
    0, 1, 2, 3, 4, 6, 11, 8, 9, 10, 12, 13, 14,
)  # fmt: skip
OTHER = 7
PH_TYPES = (PSH, PH_HOUSING_ONLY, PH_WITH_SERVICES, RRH)  # types with a housing move-in date (3.20)
# 3.917A is asked in ES, SO and SH; every other type asks 3.917B (Data Standards 3.917).
HOMELESS_SITUATION_TYPES = (ES_EE, ES_NBN, SO, SH)

# 1.8 No/Yes/Reasons for missing data
NO, YES, DONT_KNOW, PREFERS_NOT, NOT_COLLECTED = 0, 1, 8, 9, 99
DK_PNTA = (DONT_KNOW, PREFERS_NOT)
MISSING_CODES = (NOT_COLLECTED,)

# 3.15.1 Relationship to head of household
SELF_HOH, CHILD_OF_HOH, SPOUSE_OF_HOH = 1, 2, 3

# 4.14 bed night (Services RecordType 200)
BED_NIGHT = 200

# 5.03 DataCollectionStage
STAGE_START, STAGE_UPDATE, STAGE_EXIT, STAGE_ANNUAL, STAGE_POST_EXIT = 1, 2, 3, 5, 6

# 2.06.1 Funder: HHS PATH (street outreach and services only)
FUNDER_PATH = 21

# 3.917.2 length of stay (list 4.17 / "ResidenceLength"): 10 one night or less, 11 two to six nights,
# 2 one week to less than one month, 3 one month to less than 90 days, 4 90 days to less than a year,
# 5 one year or longer.
LOS_UNDER_7_NIGHTS = (10, 11)
LOS_UNDER_90_DAYS = (10, 11, 2, 3)

# 3.917.4 times homeless: 1..3 once to three times, 4 four or more; 3.917.5 months: 101..112 (1..12), 113 more
TIMES_FOUR_OR_MORE = 4
MONTHS_TWELVE_OR_MORE = (112, 113)
