"""HUD reports: pure, vectorized Polars computations over HMIS-CSV-shaped tables (docs/adr/0017-report-engine.md).

``tables`` loads the input (an HMIS CSV export or the database), ``glossary`` holds HUD's shared reporting
concepts, ``cells`` the result (tables of cells and the people behind each cell), ``sage`` HUD's upload zip,
``registry`` the reports; each report is a subpackage (``dq``, …) with a ``report`` module.
"""
