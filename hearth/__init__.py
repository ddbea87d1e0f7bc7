"""Hearth: an open-source HMIS built on HUD's FY2026 HMIS data standards."""

__version__ = "0.1.0"
