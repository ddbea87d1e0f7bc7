"""Fetch Hearth's front-end assets (USWDS, htmx; axe-core for tests) from the npm registry.

Standard library only, so it runs before the virtualenv exists and needs no Node.js. Each tarball is checked
against the SHA-512 pinned in requirements/assets.json before anything is extracted, and only the listed files
land in hearth/web/static/vendor/ (ignored by git: no third-party code is committed).

    python -m hearth.assets [--dev]
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCK = ROOT.parent / "requirements" / "assets.json"
VENDOR = ROOT / "web" / "static" / "vendor"
STAMP = VENDOR / ".assets-lock"


class AssetError(RuntimeError):
    pass


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - https URL from our lock file
        return bytes(response.read())


def _extract(package: dict[str, object], data: bytes) -> int:
    algorithm, _, expected = str(package["integrity"]).partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise AssetError(f"{package['name']} {package['version']}: the download does not match its pinned hash")
    mapping = dict(package["extract"])  # type: ignore[call-overload]
    skip: tuple[str, ...] = tuple(str(s) for s in package.get("skip_suffixes", []))  # type: ignore[attr-defined]
    written = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile() or member.name.endswith(skip):
                continue
            for source, target in mapping.items():
                if member.name == source or (source.endswith("/") and member.name.startswith(source)):
                    relative = target + member.name[len(source) :] if source.endswith("/") else target
                    destination = (VENDOR / relative).resolve()
                    if VENDOR.resolve() not in destination.parents:
                        raise AssetError(f"{package['name']}: unexpected path {member.name}")
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    handle = archive.extractfile(member)
                    assert handle is not None
                    destination.write_bytes(handle.read())
                    written += 1
    return written


def ensure(dev: bool = False) -> bool:
    """Fetch what is missing or out of date; returns whether anything was fetched."""
    lock = LOCK.read_bytes()
    wanted = hashlib.sha256(lock + (b"dev" if dev else b"")).hexdigest()
    if STAMP.exists() and STAMP.read_text() in {wanted, hashlib.sha256(lock + b"dev").hexdigest()}:
        return False
    for package in json.loads(lock)["packages"]:
        if package.get("dev") and not dev:
            continue
        print(f"Fetching {package['name']} {package['version']} from the npm registry …", flush=True)
        _extract(package, _fetch(package["tarball"]))
    STAMP.write_text(wanted)
    return True


def main(argv: list[str]) -> None:
    try:
        ensure(dev="--dev" in argv)
    except (OSError, AssetError) as error:
        raise SystemExit(f"Could not fetch the front-end assets: {error}") from None


if __name__ == "__main__":
    main(sys.argv[1:])
