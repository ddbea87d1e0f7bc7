"""HUD's shared reporting concepts (FY2026 HMIS Standard Reporting Terminology Glossary), one module each.

Every function is a pure, vectorized Polars computation over HMIS-CSV-shaped frames (``HmisTables``) and
cites the Glossary section it implements. Reports assemble them; no report re-derives a Glossary rule.

- ``active``: report date range, active clients (Methods 1 and 2), the DQ universe's engagement rule
- ``age``: age as of the later of project start and report start; adult / child / unknown
- ``household``: household type (decided before the latest-stay filter), heads of household, youth and
  parenting youth
- ``stays``: latest stay, leavers and stayers
- ``chronic``: chronically homeless at project start (the flowchart, DK/PNTA and missing outcomes, household
  inheritance)
- ``income``: income and sources at a collection stage, total and earned income categories, yes/no-versus-
  sources consistency
- ``nights``: length of stay and night-by-night bed nights
- ``movein``: housing move-in date, validity and inheritance
- ``assessment``: the annual-assessment window
- ``destinations``: destination groups
"""
