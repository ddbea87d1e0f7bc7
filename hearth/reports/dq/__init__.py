"""The HMIS Data Quality report (FY2026 Reporting Glossary: Q1–Q7, each with its detail lists).

The same tables are the CoC APR / ESG CAPER's Q5a and Q6a–Q6f: each builder takes the table name to write, so
the APR/CAPER call them with their names (docs/reports/dq.md).
"""
