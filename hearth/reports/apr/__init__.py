"""CoC APR, ESG CAPER and CE APR (HUD "CoC APR and ESG CAPER – HMIS Programming Specifications" FY2026, and
"HMIS Programming Specifications for Coordinated Entry APR").

One small module per question group computes its tables on the APR client universe (``universe.py``); the
table shells (lettered columns, numbered rows, HUD's labels) are data in ``shells/``. See ADR 0018.
"""
