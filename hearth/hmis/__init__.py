"""The HUD HMIS record types (HMIS CSV FY2026), one model module per record type."""
