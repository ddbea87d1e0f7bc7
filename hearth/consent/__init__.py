"""Consent to share: the CoC's sharing policy, sharing groups, releases of information and the disclosure log
(issue 4; docs/adr/0012-consent-and-sharing.md)."""
