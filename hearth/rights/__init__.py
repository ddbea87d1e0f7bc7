"""Client rights and retention (issue 4 §7; docs/adr/0016-client-rights-and-retention.md).

A client's full record exported on request (PDF and JSON), correction requests and their outcome, and the
retention job that de-identifies clients unused for seven years while keeping what HUD reports count.
"""
