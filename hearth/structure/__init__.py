"""Hearth's structure: CoCs, their organizations, and projects with HUD's project descriptor data
(HMIS Data Standards FY2026 2.01-2.09), written only through the actions in this package.

Not to be confused with ``hearth.access.structure``, which places imported organizations in their CoC.
"""
