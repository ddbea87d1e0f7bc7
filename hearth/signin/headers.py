"""Security headers on every response (OWASP ASVS 5.0 V3.4): a strict Content-Security-Policy (no inline
script or style: every script is a static file), a Permissions-Policy that turns off what Hearth never uses.
Django's SecurityMiddleware and settings add HSTS (production), Referrer-Policy, nosniff and COOP; the
clickjacking middleware X-Frame-Options: DENY."""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for the empty favicon and the authenticator-app QR code (an SVG made on the server).
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)

# publickey-credentials-*: WebAuthn sign-in (hearth.signin.passkeys) on Hearth's own pages only.
PERMISSIONS_POLICY = ", ".join(
    (
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    )
)
