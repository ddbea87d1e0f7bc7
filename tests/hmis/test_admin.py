"""The Django admin is no second read path to client data (docs/adr/0005-access-and-audit.md)."""

from __future__ import annotations

from django.contrib import admin

from hearth.hmis.registry import all_maps


def test_only_project_descriptor_records_are_in_the_admin() -> None:
    registered = {model.__name__ for model in admin.site._registry if model._meta.app_label == "hmis"}
    client_level = {m.model.__name__ for m in all_maps() if getattr(m.model, "CLIENT_LEVEL", False)}
    assert registered & client_level == set()
    assert {"Organization", "Project", "Funder", "ProjectCoC", "Inventory"} <= registered
    assert "Client" not in registered
    assert "Enrollment" not in registered
