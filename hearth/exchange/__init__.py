"""HMIS CSV exchange: read, validate, import and export HUD's HMIS CSV format."""
