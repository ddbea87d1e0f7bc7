"""No personal data in logs, URLs, error pages or the audit trail (issue 4 §4).

Synthetic people with unmistakable names, dates of birth and SSNs are registered and imported, then the
application is exercised broadly — intake with a duplicate check, searches by name, date and SSN, profiles,
forms with errors, 404s, a 405, a 500, the SSN reveal, HMIS CSV imports with errors (from the page, through the
worker, and from the command line) and their problem reports, exports (command, hashed, and as a background job)
— while every log record of every logger (root, django.request, the worker's, at DEBUG) is captured. None of
their personal data may appear in a log line, a URL or redirect, an error page, a problem report, a command's
output, or an audit event.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client as Browser

from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from hearth.jobs.worker import Worker
from tests.builders import ExportBuilder
from tests.web.personas import World

# (first, last, date of birth, SSN): nobody real, and no word Hearth's own text could contain.
PEOPLE = [
    ("Zebulon", "Quillfeather", date(1961, 7, 23), "900478813"),
    ("Ottoline", "Marchbanks", date(1994, 2, 11), "900315577"),
    ("Thaddeus", "Wrenwhistle", date(1958, 12, 30), "900602291"),
]


def needles() -> dict[str, str]:
    """Every form a person's data could take in text, by what it is."""
    found: dict[str, str] = {}
    for first, last, dob, ssn in PEOPLE:
        found |= {
            first.lower(): f"first name of {first}",
            last.lower(): f"last name of {first}",
            dob.isoformat(): f"date of birth of {first}",
            dob.strftime("%m/%d/%Y"): f"date of birth of {first}",
            dob.strftime("%Y%m%d"): f"date of birth of {first}",
            ssn: f"SSN of {first}",
            f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}": f"SSN of {first}",
        }
    return found


def leaks(where: str, text: str) -> list[str]:
    lowered = text.lower()
    return [f"{what} in {where}" for needle, what in needles().items() if needle in lowered]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The formatted line with its traceback, and the raw parts a structured log shipper would send too.
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))
        self.lines.append(repr({k: v for k, v in vars(record).items() if k not in {"args", "msg", "exc_info"}}))


@pytest.fixture
def captured() -> Iterator[Capture]:
    """Every logger, at DEBUG: the root and those that do not propagate to it (django.server, ...)."""
    handler = Capture()
    manager = logging.root.manager
    loggers = [logging.root, *(lg for lg in manager.loggerDict.values() if isinstance(lg, logging.Logger))]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        if lg is logging.root or not lg.propagate:
            lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    try:
        yield handler
    finally:
        for lg, level, disabled in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.disabled = disabled


def _export(first: str, last: str, dob: date, ssn: str) -> ExportBuilder:
    """The minimal export with its first client replaced by this person."""
    builder = ExportBuilder.minimal()
    builder.set("Client", "C1", FirstName=first, LastName=last, DOB=dob.isoformat(), SSN=ssn)
    return builder


@pytest.mark.slow
def test_no_personal_data_in_logs_urls_error_pages_or_the_audit_trail(
    world: World, captured: Capture, tmp_path: Path, settings: Any
) -> None:
    settings.HEARTH_ALERT_CLIENTS_PER_HOUR = 2  # alerts are raised on the way, and must name no one
    found: list[str] = []
    urls: list[str] = []

    def browse(persona: str) -> Browser:
        browser = Browser(raise_request_exception=False)
        browser.force_login(world.users[persona])
        return browser

    def call(browser: Browser, method: str, url: str, data: Any = None, *, page_is_error: bool = True, **extra: Any):
        response = getattr(browser, method)(url, data, **extra) if data is not None else getattr(browser, method)(url)
        urls.append(url)
        if response.has_header("Location"):
            urls.append(response["Location"])
        if response.status_code >= 400 and response.status_code != 400 and page_is_error:
            found.extend(leaks(f"the {response.status_code} page of {url}", response.content.decode()))
        return response

    manager, lead, other = browse("manager_a"), browse("lead_a"), browse("lead_b")
    zebulon, ottoline, thaddeus = PEOPLE

    # Intake: two people registered, then Zebulon again (the duplicate check lists him first).
    ids = []
    for first, last, dob, ssn in (zebulon, ottoline, thaddeus):
        form = {
            "first_name": first,
            "last_name": last,
            "name_data_quality": 1,
            "ssn": f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}",
            "ssn_data_quality": 1,
            "dob": dob.isoformat(),
            "dob_data_quality": 1,
            "races": ["white"],
            "sex": 1,
            "veteran_status": 0,
            "organization": str(world.orgs["a"].pk),
            "confirmed": "new",
        }
        response = call(manager, "post", "/clients/new/", form)
        assert response.status_code == 302, response.content.decode()[:500]
        ids.append(int(response["Location"].strip("/").split("/")[-1]))
    duplicate = {**form, "first_name": zebulon[0], "last_name": zebulon[1], "dob": zebulon[2].isoformat()}
    duplicate.pop("confirmed")
    assert call(manager, "post", "/clients/new/", duplicate).status_code == 200
    z_id, o_id, t_id = ids

    # Searches by name, date of birth, whole SSN and last four; as htmx and as pages.
    for query in ("Zebulon Quillfeather", "Quillfeather, Zebulon 07/23/1961", "900-47-8813", "8813", "1961-07-23"):
        call(manager, "post", "/clients/", {"q": query})
        call(manager, "post", "/clients/", {"q": query}, HTTP_HX_REQUEST="true")
        call(other, "post", "/clients/", {"q": query})  # another CoC's lead: found nothing

    # Profiles, history, the reveal, the correction form with errors.
    for client_id in (z_id, o_id):
        call(manager, "get", f"/clients/{client_id}/")
        call(lead, "get", f"/clients/{client_id}/history/")
        call(manager, "post", f"/clients/{client_id}/ssn/", {"show": "1"}, HTTP_HX_REQUEST="true")
        call(manager, "get", f"/clients/{client_id}/edit/")
        bad = {**form, "first_name": "Zebulon", "ssn": "9004788", "dob": "2999-07-23", "name_data_quality": 1}
        assert call(manager, "post", f"/clients/{client_id}/edit/", bad).status_code == 400

    # Not found, not allowed, wrong method.
    assert call(other, "get", f"/clients/{z_id}/").status_code == 404
    assert call(other, "get", f"/clients/{z_id}/edit/").status_code == 404
    assert call(other, "post", f"/clients/{z_id}/ssn/", {"show": "1"}).status_code == 404
    assert call(manager, "get", "/clients/987654321/").status_code == 404
    assert call(manager, "get", f"/clients/{z_id}/ssn/").status_code == 405

    # A server error while showing a client (a value written past the encryption): a 500 with a traceback logged.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hmis_client SET ssn = %s WHERE id = %s", [thaddeus[3], t_id])
    assert call(manager, "get", f"/clients/{t_id}/").status_code == 500
    Client.objects.filter(pk=t_id).update(ssn=None)

    # HMIS CSV import with errors from the page, run by the worker; its page and problem report.
    broken = _export(zebulon[0], zebulon[1], zebulon[2], zebulon[3])
    broken.set("Client", "C1", SSN=zebulon[3] + "0", DOB="1961-07-32", FirstName=zebulon[0] * 10)
    broken.set("Client", "C2", FirstName=ottoline[0], LastName=ottoline[1], DOB=ottoline[2].isoformat())
    upload = SimpleUploadedFile("vendor.zip", broken.write_zip(tmp_path / "broken.zip").read_bytes())
    response = call(lead, "post", "/exchange/import/", {"export": upload})
    job_url = response["Location"]
    assert Worker("pii-test-worker", threaded=False).run(burst=True) == 1
    job_page = call(lead, "get", job_url)
    assert "(hidden: personal data)" in job_page.content.decode()  # the problems are listed, their values not
    found.extend(leaks("the import's job page", job_page.content.decode()))
    report = call(lead, "get", f"{job_url}files/report/")
    assert report.status_code == 200
    found.extend(leaks("the import's problem report", b"".join(report.streaming_content).decode()))

    # The same from the command line: its output and report; then a good import and exports.
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", str(tmp_path / "broken.zip"), "--report", str(tmp_path / "r.csv"), stdout=out, stderr=err
        )
    found.extend(leaks("the import command's output", out.getvalue() + err.getvalue()))
    found.extend(leaks("the import command's report", (tmp_path / "r.csv").read_text()))
    good = _export(*zebulon).write_zip(tmp_path / "good.zip")
    out = io.StringIO()
    call_command("import", str(good), "--report", str(tmp_path / "g.csv"), stdout=out, stderr=out)
    call_command("export", "--out", str(tmp_path / "all.zip"), stdout=out, stderr=out)
    call_command("export", "--hashed", "--out", str(tmp_path / "hashed.zip"), stdout=out, stderr=out)
    found.extend(leaks("the export commands' output", out.getvalue()))
    exported = call(lead, "post", "/exchange/export/", {"period": "other", "directive": "full", "acknowledge": "on"})
    assert exported.status_code == 302
    assert Worker("pii-test-worker", threaded=False).run(burst=True) == 1
    assert call(lead, "get", f"{exported['Location']}files/export/").status_code == 200

    # The exports did carry the people (so the checks above looked at real data), and the logs did run.
    assert b"Quillfeather" in (tmp_path / "all.zip").read_bytes() or Client.objects.filter(last_name="Quillfeather")
    assert any("hearth." in line for line in captured.lines)
    assert any(line.startswith("django.request ERROR") for line in captured.lines)  # the 500 was logged

    for line in captured.lines:
        found.extend(leaks("a log record", line))
    for url in urls:
        found.extend(leaks(f"the URL {url}", url))
    for event in AuditEvent.objects.all():
        found.extend(leaks(f"audit event {event.action}", f"{event.object_id} {event.details}"))
    assert sorted(set(found)) == []
