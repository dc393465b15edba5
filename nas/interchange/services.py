"""Import and export dossier files (INTERCHANGE.md section 2).

Import: each line is one person; it is checked, then recorded through the application's
services inside its own savepoint, so a line that breaks a rule leaves nothing behind while the
other lines load. Lines are committed in chunks (one transaction per chunk, one savepoint per
line), which is what makes a large file fast. A line whose person `ref` is already recorded is
not imported again: if the recorded person exports to exactly the line's canonical dossier it
is *unchanged*; otherwise it is a *conflict*, reported, and the recorded data is kept as it is
(never half-updated).

The acting user of an import is the system account `nas-import` (see `import_account`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.services import ensure_roles
from nas.audit.models import AuditEvent
from nas.audit.services import audit_batch, audit_batch_part, audit_log
from nas.common.database import nested_savepoints_skipped
from nas.common.validation import refuse
from nas.interchange.dossiers import Dossier, dumps, parse_dossier
from nas.interchange.exporting import iter_dossiers, iter_person_dossiers
from nas.interchange.importing import LineRejected, record_dossier
from nas.interchange.reference import ReferenceLists
from nas.interchange.validation import DossierError
from nas.people.models import Person

IMPORT_USERNAME = "nas-import"
AUDIT_PART = 1000

LOADED = "loaded"
UNCHANGED = "unchanged"
REJECTED = "rejected"
CONFLICT = "conflict"


def import_account() -> User:
    """Return the system account that imports act as, creating it the first time.

    It cannot sign in (no usable password; sign-in also needs a second factor it never has),
    is neither staff nor superuser, and holds its rights through the decision-maker group: an
    import records decisions, reflection periods, identifications and ends of assistance.
    """
    user = User.objects.filter(username=IMPORT_USERNAME).first()
    if user is None:
        user = User(username=IMPORT_USERNAME, first_name="Import", last_name="(system account)")
        user.set_unusable_password()
        user.save()
        audit_log(
            actor="system",
            kind=AuditEvent.Kind.CREATE,
            action="account.create_import",
            target=user,
            changes={"username": IMPORT_USERNAME, "groups": [str(Role.DECISION_MAKER)]},
        )
    group = Group.objects.filter(name=Role.DECISION_MAKER).first()
    if group is None or not group.permissions.filter(codename="decide_admission").exists():
        ensure_roles()  # the roles' groups and permissions, as after migrate
        group = Group.objects.get(name=Role.DECISION_MAKER)
    user.groups.add(group)
    return User.objects.get(pk=user.pk)  # a fresh copy: no stale permission cache


# --------------------------------------------------------------------------- import


@dataclass
class LineOutcome:
    """What became of one line of a dossier file."""

    line: int
    ref: str | None
    status: str
    reason: str = ""


@dataclass
class ImportReport:
    """The outcome of an import: counts, and every line not loaded with its reason."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((LOADED, UNCHANGED, REJECTED, CONFLICT), 0)
    )
    problems: list[LineOutcome] = field(default_factory=list)

    def add(self, outcome: LineOutcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status in (REJECTED, CONFLICT):
            self.problems.append(outcome)

    @property
    def lines(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            **self.counts,
            "problems": [asdict(problem) for problem in self.problems],
        }


def _read_line(number: int, raw: bytes, refs: ReferenceLists) -> Dossier | LineOutcome:
    """Return the canonical dossier of a line, or the outcome that rejects it."""
    try:
        data = json.loads(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return LineOutcome(number, None, REJECTED, _("not UTF-8 text"))
    except json.JSONDecodeError as error:
        reason = _("not valid JSON: %(error)s (column %(column)d)") % {
            "error": error.msg,
            "column": error.colno,
        }
        return LineOutcome(number, None, REJECTED, reason)
    ref = data.get("ref") if isinstance(data, dict) else None
    try:
        return parse_dossier(data, refs)
    except DossierError as error:
        return LineOutcome(number, ref if isinstance(ref, str) else None, REJECTED, str(error))


def _chunks(lines: Iterable[bytes], size: int) -> Iterator[list[tuple[int, bytes]]]:
    numbered = ((n, raw) for n, raw in enumerate(lines, 1) if raw.strip())
    while chunk := list(islice(numbered, size)):
        yield chunk


class _Importer:
    def __init__(self, acting_user: User) -> None:
        self.user = acting_user
        self.refs = ReferenceLists.load()
        self.report = ImportReport()
        self.loaded: set[str] = set()

    def chunk(self, lines: list[tuple[int, bytes]]) -> None:
        read = [(number, _read_line(number, raw, self.refs)) for number, raw in lines]
        wanted = [item["ref"] for _n, item in read if isinstance(item, dict)]
        recorded = {d["ref"]: d for d in iter_dossiers(Person.objects.filter(ref__in=wanted))}
        with transaction.atomic(), audit_batch():
            for number, item in read:
                if isinstance(item, LineOutcome):
                    self.report.add(item)
                else:
                    self.report.add(self.line(number, item, recorded))

    def line(self, number: int, dossier: Dossier, recorded: dict[str, Dossier]) -> LineOutcome:
        ref = dossier["ref"]
        if ref in self.loaded and ref not in recorded:
            # The same ref twice in one file: compare with what the first line recorded.
            recorded.update((d["ref"], d) for d in iter_dossiers(Person.objects.filter(ref=ref)))
        if ref in recorded:
            if recorded[ref] == dossier:
                return LineOutcome(number, ref, UNCHANGED)
            return LineOutcome(
                number,
                ref,
                CONFLICT,
                _(
                    "%(ref)s is already recorded with other data; the recorded data is kept "
                    "and this line is not imported"
                )
                % {"ref": ref},
            )
        try:
            with audit_batch_part(), transaction.atomic(), nested_savepoints_skipped():
                # The line's savepoint undoes all of it: the services need none of their own.
                record_dossier(dossier, refs=self.refs, acting_user=self.user)
        except LineRejected as error:
            return LineOutcome(number, ref, REJECTED, str(error))
        except IntegrityError as error:
            return LineOutcome(number, ref, REJECTED, _("refused by the database: %s") % error)
        self.loaded.add(ref)
        return LineOutcome(number, ref, LOADED)


def dossiers_import(
    *,
    lines: Iterable[bytes],
    acting_user: User,
    source: str = "",
    chunk_size: int = 500,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Import the dossiers of LINES (raw lines of a JSON Lines file); return the report."""
    importer = _Importer(acting_user)
    for chunk in _chunks(lines, chunk_size):
        importer.chunk(chunk)
        if progress is not None:
            progress(len(chunk))
    report = importer.report
    with transaction.atomic():
        audit_log(
            actor=acting_user,
            kind=AuditEvent.Kind.IMPORT,
            action="dossiers.import",
            changes={"source": source, **report.counts},
        )
    return report


# --------------------------------------------------------------------------- export


def dossiers_export(
    *,
    path: Path,
    purpose: str,
    actor: Any,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write every referred person's dossier to PATH, by ref; audit it; return the count.

    The file is written beside PATH, readable by its owner only, and moved into place in the
    transaction that records the export, with every exported person, in the audit log.
    """
    if not purpose.strip():
        raise refuse(_("Give the purpose of the export."), field="purpose")
    path = Path(path)
    # mkstemp creates the file readable and writable by its owner only.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    exported: list[int] = []
    try:
        with transaction.atomic():
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                for person_id, dossier in iter_person_dossiers():
                    out.write(dumps(dossier) + "\n")
                    exported.append(person_id)
                    if progress is not None:
                        progress(1)
            _audit_export(actor, purpose, path, exported)
            os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return len(exported)


def _audit_export(actor: Any, purpose: str, path: Path, person_ids: list[int]) -> None:
    """Record who exported whose data, and why: the persons are listed in `person_ids`.

    The audit log indexes every listed person, so the export shows in each person's access
    history; a large export is recorded in parts of AUDIT_PART persons.
    """
    parts = [person_ids[i : i + AUDIT_PART] for i in range(0, len(person_ids), AUDIT_PART)]
    for number, part in enumerate(parts or [[]], 1):
        audit_log(
            actor=actor,
            kind=AuditEvent.Kind.EXPORT,
            action="dossiers.export",
            changes={
                "file": path.name,
                "persons": len(person_ids),
                "part": number,
                "parts": max(len(parts), 1),
                "person_ids": part,
            },
            reason=purpose,
        )
