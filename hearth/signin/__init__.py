"""Signing in and sessions (issue 4 §5; docs/adr/0014-sign-in-and-sessions.md).

Password sign-in with lockout and rate limits (``throttle``), multi-factor sign-in with an authenticator app
(``totp``), security keys and passkeys (``passkeys``) and one-time recovery codes (``recovery``), required per
role by the HMIS Lead (``policy``); sessions with an idle timeout, an absolute lifetime and a limit per account
(``sessions``); inactive accounts disabled (``inactive``); breached-password checks (``passwords``); security
headers (``headers``).
"""
