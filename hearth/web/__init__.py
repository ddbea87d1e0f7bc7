"""Hearth's pages: server-rendered Django views with htmx, in the US Web Design System look.

Views read client data only through hearth.access.lookups and change it only through actions
(hearth.casework, hearth.access.actions); tests/web/test_guarded_reads.py keeps it so.
"""
