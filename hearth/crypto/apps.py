from __future__ import annotations

from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "hearth.crypto"
    label = "crypto"
    verbose_name = "Encryption at rest"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import setting_changed

        from hearth.crypto import blind, keys

        setting_changed.connect(keys.forget_on_setting_change)
        if settings.PRODUCTION or keys.configured_key("HEARTH_FIELD_KEY"):
            # A configured key is checked at start-up, so a malformed one stops Hearth before the first request
            # rather than on the first client read (production has no generated key to fall back on).
            keys.keyring()
        if settings.PRODUCTION or keys.configured_key(blind.SETTING):
            blind.blind_key()
