"""Open an HMIS CSV export — a .zip (the HUD form) or a folder of CSVs — as one file per record type.

Zip members are extracted to a private temporary folder (streamed, CRC-checked), so later stages read plain
files of any size. Everything a user may hand in by mistake gets a message that says what to do instead:
a single CSV, another archive type, a zip inside the zip, CSVs inside a folder in the zip, a truncated or
encrypted zip, an empty file.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hearth.exchange.issues import IssueLog, Severity
from hearth.spec import Spec

ARCHIVE = ""  # the "file" named in archive-level issues
# A zip whose members would expand beyond this many times the free disk space is refused, not extracted.
_COPY_CHUNK = 1024 * 1024
# Files of older CSV versions that the current one dropped, read only to translate them (hearth.exchange.fy2022).
OLDER_FILES = {"enrollmentcoc.csv": "EnrollmentCoC"}


class UnreadableExportError(Exception):
    """The input cannot be read as an HMIS CSV export at all; the issue log says why."""


@dataclass
class ExportFiles:
    label: str
    files: dict[str, Path]  # record type -> CSV path
    names: dict[str, str]  # record type -> file name as found (for messages)
    unknown: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    older: dict[str, Path] = field(default_factory=dict)  # OLDER_FILES found (record -> path)
    translated_from: str | None = None  # "fy2022" when the files are a translation (hearth.exchange.fy2022)
    _more: list[tempfile.TemporaryDirectory[str]] = field(default_factory=list)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        while self._more:
            self._more.pop().cleanup()

    def __enter__(self) -> ExportFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fatal(log: IssueLog, message: str, rule: str, eva_id: int | None = None) -> UnreadableExportError:
    log.add(Severity.ERROR, ARCHIVE, "", rule, message, eva_id=eva_id)
    return UnreadableExportError(message)


def open_export(path: Path, spec: Spec, log: IssueLog, *, workdir: Path | None = None) -> ExportFiles:
    """Locate the export's CSV files; raise UnreadableExportError (with the reason in ``log``) if there are none.

    An FY2022 export is translated to FY2024 here (hearth.exchange.fy2022), so every reader sees FY2024 or
    FY2026 files.
    """
    from hearth.exchange import fy2022

    files = _open(path, spec, log, workdir)
    try:
        return fy2022.translate_if_fy2022(files, spec, log, workdir=workdir)
    except BaseException:
        files.close()
        raise


def _open(path: Path, spec: Spec, log: IssueLog, workdir: Path | None) -> ExportFiles:
    label = str(path)
    if not path.exists():
        raise _fatal(log, f"{label} does not exist.", "input.missing")
    if path.is_dir():
        return _from_folder(path, label, spec, log)
    if path.stat().st_size == 0:
        raise _fatal(log, f"{path.name} is empty (0 bytes).", "input.empty", eva_id=127)
    if zipfile.is_zipfile(path):
        return _from_zip(path, label, spec, log, workdir)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raise _fatal(
            log,
            f"{path.name} is a single CSV file. An HMIS CSV export is all of its files together: pass the "
            ".zip your HMIS produced, or the folder that holds the CSV files.",
            "input.single_csv",
            eva_id=127,
        )
    if suffix == ".zip":
        raise _fatal(
            log,
            f"{path.name} is not a readable zip file: it is truncated or damaged. Download or copy it again.",
            "input.bad_zip",
            eva_id=127,
        )
    raise _fatal(
        log,
        f"{path.name} is not a .zip file or a folder (HMIS CSV exports are .zip files; "
        f"{suffix or 'this file type'} cannot be read).",
        "input.not_zip",
        eva_id=127,
    )


def _match_names(
    candidates: dict[str, str], spec: Spec, log: IssueLog, where: str
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Map record types to member names (case-insensitively); report duplicates and unknown files.

    Returns (record -> name, unknown names, older-version record -> name)."""
    matched: dict[str, str] = {}
    unknown: list[str] = []
    older: dict[str, str] = {}
    for lower, original in sorted(candidates.items()):
        if lower in OLDER_FILES:
            older[OLDER_FILES[lower]] = original
            continue
        record = spec.by_filename_lower.get(lower)
        if record is None:
            unknown.append(original)
            continue
        if record.name in matched:
            raise _fatal(
                log,
                f"{where} holds both {matched[record.name]} and {original}; keep one {record.filename}.",
                "input.duplicate_file",
            )
        matched[record.name] = original
        if original != record.filename:
            log.add(
                Severity.WARNING,
                original,
                "",
                "file.name_case",
                f"File name {original} differs in letter case from the specification's {record.filename}; "
                "read as that file.",
            )
    for name in unknown:
        if name.lower().endswith(".csv"):
            log.add(
                Severity.WARNING,
                name,
                "",
                "file.unknown",
                f"{name} is not one of the HMIS CSV files (a vendor's own file); it was not read.",
            )
    return matched, unknown, older


def _from_folder(path: Path, label: str, spec: Spec, log: IssueLog) -> ExportFiles:
    csvs = {p.name.lower(): p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"}
    if not csvs:
        subfolders = [p for p in path.iterdir() if p.is_dir()]
        nested = [p for p in subfolders if any(q.suffix.lower() == ".csv" for q in p.iterdir() if q.is_file())]
        if len(nested) == 1:
            log.add(
                Severity.WARNING,
                ARCHIVE,
                "",
                "input.nested_folder",
                f"The CSV files are in the subfolder {nested[0].name}; read from there.",
                eva_id=122,
            )
            return _from_folder(nested[0], label, spec, log)
        zips = [p for p in path.iterdir() if p.suffix.lower() == ".zip"]
        hint = f" It holds {zips[0].name}: pass that file instead." if len(zips) == 1 else ""
        raise _fatal(log, f"The folder {label} holds no CSV files.{hint}", "input.no_csv", eva_id=125)
    matched, unknown, older = _match_names(csvs, spec, log, f"The folder {label}")
    return ExportFiles(
        label=label,
        files={record: path / name for record, name in matched.items()},
        names=matched,
        unknown=unknown,
        older={record: path / name for record, name in older.items()},
    )


def _from_zip(path: Path, label: str, spec: Spec, log: IssueLog, workdir: Path | None) -> ExportFiles:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fatal(log, f"{path.name} cannot be opened as a zip file ({exc}).", "input.bad_zip", 127) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if not members:
            raise _fatal(log, f"{path.name} is an empty zip file.", "input.empty_zip", eva_id=125)
        if any(m.flag_bits & 0x1 for m in members):
            raise _fatal(
                log,
                f"{path.name} is password-protected. Export it again without a password, or unzip it "
                "and pass the folder.",
                "input.encrypted_zip",
            )
        root = [m for m in members if "/" not in m.filename.strip("/") and m.filename.lower().endswith(".csv")]
        chosen = root
        if not root:
            folders: dict[str, list[zipfile.ZipInfo]] = {}
            for member in members:
                pure = PurePosixPath(member.filename)
                if pure.suffix.lower() == ".csv" and len(pure.parts) >= 2:
                    folders.setdefault(str(pure.parent), []).append(member)
            inner_zips = [m for m in members if m.filename.lower().endswith(".zip")]
            if len(folders) == 1:
                folder, chosen = next(iter(folders.items()))
                log.add(
                    Severity.WARNING,
                    ARCHIVE,
                    "",
                    "input.nested_folder",
                    f"The CSV files are inside the folder {folder}/ in the zip, not at its top level (HUD's Eva "
                    "rejects this); read from that folder.",
                    eva_id=122,
                )
            elif not folders and len(inner_zips) == 1:
                return _nested_zip(archive, inner_zips[0], path, label, spec, log, workdir)
            elif len(folders) > 1:
                raise _fatal(
                    log,
                    f"{path.name} holds CSV files in several folders ({', '.join(sorted(folders))}); an export "
                    "has its CSV files at the top of the zip.",
                    "input.nested_folder",
                    eva_id=122,
                )
            else:
                raise _fatal(log, f"{path.name} holds no CSV files.", "input.no_csv", eva_id=125)
        names = {PurePosixPath(m.filename).name.lower(): PurePosixPath(m.filename).name for m in chosen}
        by_name = {PurePosixPath(m.filename).name: m for m in chosen}
        matched, unknown, older_names = _match_names(names, spec, log, path.name)
        needed = sum(by_name[name].file_size for name in [*matched.values(), *older_names.values()])
        target = workdir or Path(tempfile.gettempdir())
        target.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(target).free
        if needed > free:
            raise _fatal(
                log,
                f"{path.name} expands to {needed / 1e9:.1f} GB but only {free / 1e9:.1f} GB of disk is free in "
                f"{target}; free space or set TMPDIR to a larger disk.",
                "input.disk_space",
            )
        tmp = tempfile.TemporaryDirectory(prefix="hearth-import-", dir=target)
        files: dict[str, Path] = {}
        older: dict[str, Path] = {}
        try:
            for record, name in [*matched.items(), *older_names.items()]:
                destination = Path(tmp.name) / f"{record}.csv"
                try:
                    with archive.open(by_name[name]) as source, destination.open("wb") as sink:
                        shutil.copyfileobj(source, sink, _COPY_CHUNK)
                except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error, ValueError) as exc:
                    raise _fatal(
                        log,
                        f"{name} in {path.name} cannot be read: the zip is truncated or damaged ({exc}).",
                        "input.bad_zip",
                        eva_id=127,
                    ) from None
                (older if record in older_names else files)[record] = destination
        except BaseException:
            tmp.cleanup()
            raise
        return ExportFiles(label=label, files=files, names=matched, unknown=unknown, _tmp=tmp, older=older)


def _nested_zip(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    path: Path,
    label: str,
    spec: Spec,
    log: IssueLog,
    workdir: Path | None,
) -> ExportFiles:
    """A zip whose only content is another zip: open the inner one (one level deep, no further)."""
    log.add(
        Severity.WARNING,
        ARCHIVE,
        "",
        "input.nested_zip",
        f"{path.name} holds another zip, {member.filename}; read the export from it.",
        eva_id=122,
    )
    tmp = tempfile.TemporaryDirectory(prefix="hearth-nested-", dir=workdir)
    inner = Path(tmp.name) / PurePosixPath(member.filename).name
    try:
        with archive.open(member) as source, inner.open("wb") as sink:
            shutil.copyfileobj(source, sink, _COPY_CHUNK)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError) as exc:
        tmp.cleanup()
        raise _fatal(log, f"{member.filename} cannot be read ({exc}).", "input.bad_zip", eva_id=127) from None
    if not zipfile.is_zipfile(inner):
        tmp.cleanup()
        raise _fatal(log, f"{member.filename} inside {path.name} is not a readable zip.", "input.bad_zip", 127)
    with zipfile.ZipFile(inner) as check:
        if any(m.filename.lower().endswith(".zip") for m in check.infolist()) and not any(
            m.filename.lower().endswith(".csv") for m in check.infolist()
        ):
            tmp.cleanup()
            raise _fatal(
                log,
                f"{path.name} nests zip files more than one level deep; unzip it and pass the export itself.",
                "input.nested_zip",
                eva_id=122,
            )
    try:
        files = _from_zip(inner, label, spec, log, workdir)
    except BaseException:
        tmp.cleanup()
        raise
    outer_tmp = tmp

    original_close = files.close

    def close() -> None:
        original_close()
        outer_tmp.cleanup()

    files.close = close  # type: ignore[method-assign]
    return files
