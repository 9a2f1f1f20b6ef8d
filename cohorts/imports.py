"""Bulk roster import: a CSV or XLSX list of learners checked row by row, then added to a cohort
all at once or not at all.

Steps (``RosterImport.status``): the upload is kept in private storage (``checking``); every row
is checked and the report is stored (``invalid`` or ``ready``, nothing written to the cohort);
the trainer confirms and the import commits in one transaction (``importing`` → ``done``). A
file of more than a few hundred rows is checked and committed by Celery tasks
(``cohorts.tasks``); the page polls a small JSON status view for the progress bar.

The roster format (documented on the upload page, offered as a template file):

- ``E-mail`` (required) and ``Full name`` (required); ``Language`` (optional: fr, en or ar, the
  language of the invitation e-mail; the cohort's language when empty). Headers are recognised
  in French, English and Arabic, whatever their capitals, spacing, accents or punctuation, and
  may sit below a title row. Other columns are listed as ignored, never stored.
- **Why no sex, year of birth, country or organisation columns.** They feed donor indicators,
  but here they are the person's own answers: an existing account already holds them (and they
  belong to its owner, who may have chosen "prefer not to say"), and a new person gives them,
  with consent, when signing up and completing their profile. Copying a migrant's sex and age
  from someone else's spreadsheet would collect sensitive data twice, without consent, with no
  way for the person to see where it came from. So the import collects the minimum: who to add.

What a row does (a mature LMS's choice, adapted to consent):

- an e-mail of an active account → that person becomes an **active member** (a withdrawn,
  invited or waiting membership is reactivated; the same side effects as
  ``services.membership_add``: enrolled in the cohort's modules by the organiser, navigation
  cache forgotten). Their profile is not changed.
- a person already active or completed in the cohort → reported as *already a member*, a
  notice, not an error: importing the same list twice is harmless.
- an e-mail without an account → an **invitation** (``cohorts.Invitation``, the flow of
  ``services.invitation_create``): the e-mail, in the row's language, carries the sign-up link
  that lands the person in the cohort. Moodle's upload creates accounts and mails passwords; we
  do not create accounts for people, because sign-up is where a person accepts the privacy
  policy (``consent_at``) and chooses their password, and a typo in an address must not create
  an account someone else can claim. An open invitation for the address is sent again.
- an e-mail of a deactivated account → an error (the person cannot sign up again).

Bad input: a file above 20 MB is refused before it is read; a file that is not a spreadsheet
(an image renamed ``.csv``, an old ``.xls``, a PDF) is refused by its first bytes; every row with
a problem is named by its row number as the spreadsheet shows it, and nothing is written unless
every row is valid. The commit locks the import row and the cohort row, re-reads the file and
checks it again (an account may have changed since the preview), then bulk-inserts memberships,
enrolments and invitations; unique constraints decide against concurrent additions
(``ignore_conflicts`` then one conditional ``UPDATE``), so a membership added by hand meanwhile
is not duplicated.

The uploaded file is deleted as soon as nothing more can be done with it (after a check that
found problems, or after the commit): the report keeps the problems and the first rows.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses.models import Enrolment, EnrolmentStatus
from lms.celery import delay_on_commit
from lms.validators import no_bidi_controls, plain_name

from . import services
from .models import Cohort, Invitation, Membership, MembershipState, RosterImport

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# Below these the check (file size) and the commit (rows) run in the request; above, in Celery.
SYNC_CHECK_BYTES = 32 * 1024
SYNC_COMMIT_ROWS = 300
PREVIEW_ROWS = 10
REPORT_LIMIT = 500  # problems kept in the report (the count is always exact)
HEADER_SEARCH_ROWS = 20
BATCH = 1000
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


logger = logging.getLogger(__name__)
# A check or commit still running after this long has lost its task (a broker down when it was
# queued, a worker killed): the page says so and offers a new upload.
STALE_AFTER = timedelta(minutes=15)


class RosterFileError(ValueError):
    """The file cannot be read as a roster (with a message for the trainer)."""


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy: the header of the template, in the page's language
    required: bool
    help: object


COLUMNS = (
    Column("email", gettext_lazy("E-mail"), True,
           gettext_lazy("The address the person reads; one row per person.")),
    Column("full_name", gettext_lazy("Full name"), True,
           gettext_lazy("First name and surname, as on the participant's papers (or two "
                        "columns, First name and Surname).")),
    Column("language", gettext_lazy("Language"), False,
           gettext_lazy("fr, en or ar: the language of the invitation e-mail (the cohort's "
                        "language when empty).")),
)
# Headers recognised besides the template's own (compared folded, see ``_fold``): strong ones,
# then weak ones, used only when no strong header names the same column ("Nom" beside "Nom
# complet"; beside "Prénom", a weak "Nom" is the surname).
HEADER_ALIASES = {
    "email": (("email", "e-mail", "courriel", "email address", "e-mail address",
               "adresse e-mail", "adresse email", "adresse électronique", "adresse mail",
               "البريد الإلكتروني", "البريد الالكتروني", "الإيميل"), ("mail", "البريد")),
    "full_name": (("full name", "nom complet", "nom et prénom", "prénom et nom", "nom prénom",
                   "prénom nom", "nom et prénoms", "الاسم الكامل", "الاسم واللقب",
                   "الاسم و اللقب"), ("name", "nom", "الاسم")),
    "first_name": (("first name", "given name", "prénom", "prénoms", "الاسم الأول"), ()),
    "last_name": (("last name", "surname", "family name", "nom de famille", "اللقب",
                   "اسم العائلة", "الاسم العائلي"), ()),
    "language": (("language", "langue", "اللغة"), ("lang",)),
}
STRONG, WEAK = 2, 1
LANGUAGE_ALIASES = {
    "fr": ("fr", "french", "français", "francais", "الفرنسية", "فرنسي"),
    "en": ("en", "english", "anglais", "الإنجليزية", "الانجليزية", "إنجليزي"),
    "ar": ("ar", "arabic", "arabe", "العربية", "عربي"),
}


def _fold(text: str) -> str:
    """Compare headers and values loosely: no accents, no case, no spaces nor punctuation."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _header_index() -> dict[str, tuple[str, int]]:
    """Folded header → (column key, strength)."""
    index: dict[str, tuple[str, int]] = {}
    for key, (strong, weak) in HEADER_ALIASES.items():
        for name in weak:
            index[_fold(name)] = (key, WEAK)
        for name in strong:
            index[_fold(name)] = (key, STRONG)
    for column in COLUMNS:  # the template's headers, whatever the catalogues say
        for code in LANGUAGE_CODES:
            with translation.override(code):
                index[_fold(str(column.label))] = (column.key, STRONG)
    return index


def _columns_resolve(cells: list[str], index: dict, check: Check) -> dict[str, int]:
    """Which position holds which column; the others are listed as ignored."""
    found: dict[str, tuple[int, int, str]] = {}  # key → (strength, position, header)
    for position, cell in enumerate(cells):
        hit = index.get(_fold(cell))
        if hit is None:
            if cell:
                check.ignored_columns.append(cell)
            continue
        key, strength = hit
        if key in found and found[key][0] >= strength:
            check.ignored_columns.append(cell)
            continue
        if key in found:
            check.ignored_columns.append(found[key][2])
        found[key] = (strength, position, cell)
    if ("first_name" in found and "last_name" not in found and "full_name" in found
            and found["full_name"][0] == WEAK):
        found["last_name"] = found.pop("full_name")
    if "full_name" in found:
        for key in ("first_name", "last_name"):
            if key in found:
                check.ignored_columns.append(found.pop(key)[2])
    check.columns = {key: header for key, (_s, _p, header) in found.items()}
    return {key: position for key, (_s, position, _h) in found.items()}


def _language_index() -> dict[str, str]:
    return {_fold(alias): code for code, aliases in LANGUAGE_ALIASES.items() for alias in aliases}


# --- Reading files ------------------------------------------------------------------------------


def file_kind(head: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the first bytes of a file, or ``RosterFileError``.

    The content decides, not the name: an image renamed ``.csv`` is refused, an XLSX named
    ``.csv`` is read as what it is."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(_("This is an old Excel file (.xls): save it as .xlsx or .csv "
                                "and upload it again."))
    binary = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"RIFF", b"BM", b"\x1f\x8b",
              b"Rar!", b"7z\xbc\xaf")
    text_boms = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")
    if head.startswith(binary) or (b"\x00" in head and not head.startswith(text_boms)):
        raise RosterFileError(_("This file is not a spreadsheet. Upload a .csv or .xlsx file "
                                "(the template below is one)."))
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    An explicit order rather than a statistical guess (charset-normalizer): the candidates are
    the few that spreadsheet programs write here (UTF-8, UTF-8 with a BOM from Excel's
    "CSV UTF-8", UTF-16 from "Unicode text", Windows-1252 from French Excel), and strict UTF-8
    decoding practically never succeeds on Windows-1252 text with accents, whereas a guess
    over a short file of names can pick a wrong code page. Windows-1252 comes before
    Latin-1 (they differ only where Latin-1 has control characters); Latin-1 never fails.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def detect_delimiter(text: str) -> str:
    """Comma, semicolon (French Excel) or tab: the one most frequent outside quotes in the
    first lines (csv.Sniffer guesses wrong on a two-column header)."""
    counts = {",": 0, ";": 0, "\t": 0}
    lines = [line for line in text[:64 * 1024].splitlines()[:10] if line.strip()][:5]
    for line in lines:
        unquoted = re.sub(r'"[^"]*"', "", line)
        for delimiter in counts:
            counts[delimiter] += unquoted.count(delimiter)
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value).strip()


@dataclass
class Table:
    """A sheet as (row number as the spreadsheet shows it, cells as text)."""

    kind: str
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    # {row: [empty column indexes]} → those of them holding a formula whose value was not saved
    formula_cells: Callable[[dict], dict] | None = None


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, [cell.strip() for cell in cells]


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    # data_only: a formula gives the value Excel saved with it (None if it was never computed).
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value) for value in values]
    finally:
        workbook.close()


def _xlsx_formulas(data: bytes, wanted: dict[int, list[int]]) -> dict[int, list[int]]:
    """Of the empty cells ``wanted`` ({row: [column indexes]}), those holding a formula."""
    import openpyxl

    found: dict[int, list[int]] = {}
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        last = max(wanted)
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > last:
                break
            for index in wanted.get(number, ()):
                value = values[index] if index < len(values) else None
                if isinstance(value, str) and value.startswith("="):
                    found.setdefault(number, []).append(index)
    finally:
        workbook.close()
    return found


def table_read(data: bytes) -> Table:
    """Open a roster file (bytes) as a ``Table``, or ``RosterFileError``."""
    kind = file_kind(data[:4096])
    if kind == "xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise RosterFileError(_("This file is not a spreadsheet. Upload a .csv or "
                                            ".xlsx file (the template below is one)."))
        except zipfile.BadZipFile as error:
            raise RosterFileError(_("This Excel file is damaged: open it and save it again.")) \
                from error
        return Table(kind="xlsx", rows=_xlsx_rows(data),
                     formula_cells=lambda wanted: _xlsx_formulas(data, wanted))
    text, encoding = decode_text(data)
    delimiter = detect_delimiter(text)
    return Table(kind="csv", rows=_csv_rows(text, delimiter), encoding=encoding,
                 delimiter=delimiter, formula_cells=lambda wanted: {})


# --- Checking -----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    email: str
    full_name: str
    language: str


@dataclass
class Check:
    """Everything the check found: valid rows, problems by row, and how the file was read."""

    rows: list[Row] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    notices: list[dict] = field(default_factory=list)
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""

    def error(self, row: int | None, message: str, *, missing: bool = False) -> None:
        self.error_count += 1
        if len(self.errors) < REPORT_LIMIT:
            item = {"row": row, "message": message}
            if missing:  # an empty required cell (perhaps a formula never computed)
                item["missing"] = True
            self.errors.append(item)


def _find_header(rows: Iterator, index: dict[str, str]) -> tuple[int, list[str]] | None:
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        if any(_fold(cell) in index for cell in cells):
            return number, cells
    return None


def _column_names() -> str:
    return ", ".join(f"« {c.label} »" for c in COLUMNS if c.required)


def roster_parse(*, data: bytes, cohort: Cohort, progress=None) -> Check:
    """Read and check every row of a roster file; nothing is written. ``progress(n)`` is
    called every ``BATCH`` rows."""
    check = Check()
    try:
        table = table_read(data)
    except RosterFileError as error:
        check.error(None, str(error))
        return check
    check.kind, check.encoding, check.delimiter = table.kind, table.encoding, table.delimiter
    index = _header_index()
    rows = table.rows
    try:
        header = _find_header(rows, index)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        check.error(None, _("This file could not be read (%(error)s): open it in a spreadsheet "
                            "program and save it again as .xlsx or .csv.") % {"error": error})
        return check
    if header is None:
        check.error(None, _("No header row found: the first row must name the columns, "
                            "at least %(columns)s.") % {"columns": _column_names()})
        return check
    check.header_row, header_cells = header
    positions = _columns_resolve(header_cells, index, check)
    if "first_name" in positions or "last_name" in positions:
        positions.setdefault("full_name", -1)  # composed from the two below
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        check.error(check.header_row, ngettext(
            "Required column missing: %(columns)s.", "Required columns missing: %(columns)s.",
            len(missing)) % {"columns": ", ".join(f"« {m} »" for m in missing)})
        return check
    languages = _language_index()
    validate_email = EmailValidator()
    seen: dict[str, int] = {}
    empty_required: dict[int, list[int]] = {}
    count = 0
    try:
        for number, cells in rows:
            if not any(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                limit = number_format(MAX_ROWS, force_grouping=True)
                check.error(number, _("The file has more than %(max)s rows: split it into "
                                      "several files.") % {"max": limit})
                break
            if progress is not None and count % BATCH == 0:
                progress(count)
            values = {key: (cells[pos] if 0 <= pos < len(cells) else "")
                      for key, pos in positions.items()}
            if positions["full_name"] < 0:
                values["full_name"] = " ".join(
                    v for v in (values.get("first_name"), values.get("last_name")) if v)
            ok = True
            email = values["email"]
            if not email:
                check.error(number, _("The e-mail address is missing."), missing=True)
                empty_required.setdefault(number, []).append(positions["email"])
                ok = False
            else:
                try:
                    no_bidi_controls(email)
                except ValidationError as error:
                    check.error(number, " ".join(error.messages))
                    ok = False
                try:
                    validate_email(email)
                except ValidationError:
                    check.error(number, _("« %(value)s » is not a valid e-mail address.")
                                % {"value": _shown(email)})
                    ok = False
            name = ""
            if not values["full_name"]:
                check.error(number, _("The full name is missing."), missing=True)
                empty_required.setdefault(number, []).extend(
                    positions[k] for k in ("full_name", "first_name", "last_name")
                    if positions.get(k, -1) >= 0)
                ok = False
            else:
                try:
                    name = plain_name(values["full_name"])
                except ValidationError as error:
                    check.error(number, " ".join(error.messages))
                    ok = False
            language = ""
            if values.get("language"):
                language = languages.get(_fold(values["language"]), "")
                if not language:
                    check.error(number, _("Unknown language « %(value)s »: write fr, en or ar, "
                                          "or leave it empty.")
                                % {"value": _shown(values["language"])})
                    ok = False
            if ok:
                key = email.casefold()
                if key in seen:
                    check.error(number, _("Rows %(first)s and %(second)s have the same e-mail "
                                          "address %(email)s.") % {
                        "first": seen[key], "second": number, "email": email})
                    continue
                seen[key] = number
                check.rows.append(Row(number, email, name, language))
    except Exception as error:
        check.error(None, _("This file could not be read (%(error)s): open it in a spreadsheet "
                            "program and save it again as .xlsx or .csv.") % {"error": error})
        return check
    if empty_required and table.kind == "xlsx":
        _formulas_explain(check, table.formula_cells(empty_required))
    if not check.rows and not check.error_count:
        check.error(None, _("The file has no learner below its header row."))
    return check


def _formulas_explain(check: Check, rows: dict[int, list[int]]) -> None:
    """An empty required cell that holds a formula: say why it is empty, once per row."""
    message = _("A cell of this row holds a formula whose result was not saved: open the file "
                "in Excel or LibreOffice and save it again, or paste the values instead of the "
                "formulas.")
    kept, explained = [], set()
    for item in check.errors:
        if item["row"] in rows and item.get("missing"):
            if item["row"] in explained:
                check.error_count -= 1
                continue
            explained.add(item["row"])
            item = {"row": item["row"], "message": message}
        kept.append(item)
    check.errors = kept


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:79] + "…"


# --- What each row will do ----------------------------------------------------------------------

ADD, ACTIVATE, INVITE, MEMBER = "add", "activate", "invite", "member"


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _accounts(emails: list[str]) -> dict[str, object]:
    """Accounts by case-folded e-mail (the unique index is on ``lower(email)``)."""
    from lms.models import User

    found = {}
    for chunk in _chunks([e.lower() for e in emails]):
        for user in (User.objects.annotate(email_lower=Lower("email"))
                     .filter(email_lower__in=chunk)
                     .only("pk", "email", "full_name", "is_active")):
            found[user.email.casefold()] = user
    return found


def _plan(*, cohort: Cohort, check: Check) -> dict[int, tuple[str, object]]:
    """Row number → (outcome, account or None); deactivated accounts become errors."""
    accounts = _accounts([row.email for row in check.rows])
    states = {}
    ids = [user.pk for user in accounts.values()]
    for chunk in _chunks(ids):
        states.update(Membership.objects.filter(cohort=cohort, user_id__in=chunk)
                      .values_list("user_id", "state"))
    plan = {}
    for row in check.rows:
        user = accounts.get(row.email.casefold())
        if user is None:
            plan[row.number] = (INVITE, None)
        elif not user.is_active:
            check.error(row.number, _("The account of %(email)s is deactivated: ask an "
                                      "administrator.") % {"email": row.email})
        elif states.get(user.pk) in (MembershipState.ACTIVE, MembershipState.COMPLETED):
            plan[row.number] = (MEMBER, user)
        elif user.pk in states:
            plan[row.number] = (ACTIVATE, user)
        else:
            plan[row.number] = (ADD, user)
    return plan


def _report(check: Check, plan: dict, *, language: str) -> dict:
    counts = {ADD: 0, ACTIVATE: 0, INVITE: 0, MEMBER: 0}
    notices = []
    for row in check.rows:
        outcome = plan.get(row.number, (None,))[0]
        if outcome is None:
            continue
        counts[outcome] += 1
        if outcome == MEMBER and len(notices) < REPORT_LIMIT:
            notices.append({"row": row.number, "message": _(
                "%(email)s is already a member of this cohort: nothing changes.") % {
                "email": row.email}})
    preview = [{"row": r.number, "email": r.email, "full_name": r.full_name,
                "language": r.language, "outcome": plan.get(r.number, ("",))[0]}
               for r in check.rows[:PREVIEW_ROWS]]
    return {
        "language": language, "kind": check.kind, "encoding": check.encoding,
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}.get(check.delimiter, ""),
        "header_row": check.header_row, "columns": check.columns,
        "ignored_columns": check.ignored_columns, "rows": len(check.rows),
        "errors": check.errors, "error_count": check.error_count,
        "notices": notices, "notice_count": counts[MEMBER], "counts": counts,
        "preview": preview,
    }


# --- Services -----------------------------------------------------------------------------------


def _progress_key(pk: int) -> str:
    return f"cohorts:roster-import:{pk}:progress"


def roster_import_progress(*, roster_import: RosterImport) -> int:
    """Rows done so far: the commit's transaction is invisible to other connections until it
    ends, so it reports progress through the cache; the check writes ``processed_rows``."""
    return max(roster_import.processed_rows, cache.get(_progress_key(roster_import.pk)) or 0)


def roster_import_is_stale(*, roster_import: RosterImport) -> bool:
    return (roster_import.status in (RosterImport.Status.CHECKING, RosterImport.Status.IMPORTING)
            and roster_import.created_at < timezone.now() - STALE_AFTER)


def roster_import_create(*, cohort: Cohort, upload: UploadedFile, by, language: str = ""
                         ) -> RosterImport:
    """Keep an uploaded roster (privately) and check it: in the request for a small file,
    in Celery above ``SYNC_CHECK_BYTES``. The caller has checked size and kind already."""
    roster_import = RosterImport(
        cohort=cohort, original_name=(upload.name or "")[-255:], created_by=by,
        report={"language": language or translation.get_language() or cohort.language},
    )
    roster_import.file.save(f"cohort-{cohort.pk}.bin", upload, save=False)
    roster_import.save()
    if upload.size <= SYNC_CHECK_BYTES:
        roster_import_check(roster_import=roster_import)
    else:
        from .tasks import roster_import_check_task

        delay_on_commit(roster_import_check_task, roster_import.pk)
    return roster_import


def _read(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def roster_import_check(*, roster_import: RosterImport) -> RosterImport:
    """Check every row (nothing written to the cohort): ``invalid`` or ``ready``."""
    if roster_import.status != RosterImport.Status.CHECKING:
        return roster_import
    language = roster_import.report.get("language") or roster_import.cohort.language
    pk = roster_import.pk

    def progress(count: int) -> None:
        RosterImport.objects.filter(pk=pk).update(processed_rows=count)

    with translation.override(language):
        check = roster_parse(data=_read(roster_import), cohort=roster_import.cohort,
                             progress=progress)
        plan = _plan(cohort=roster_import.cohort, check=check) if not check.error_count else {}
        report = _report(check, plan, language=language)
    status = RosterImport.Status.INVALID if check.error_count else RosterImport.Status.READY
    RosterImport.objects.filter(pk=pk, status=RosterImport.Status.CHECKING).update(
        status=status, report=report, total_rows=len(check.rows), processed_rows=0,
    )
    roster_import.refresh_from_db()
    if roster_import.status == RosterImport.Status.INVALID:
        _file_forget(roster_import)
    return roster_import


def _file_forget(roster_import: RosterImport) -> None:
    """Delete the uploaded file once nothing can be done with it any more (an invalid check,
    a finished import): a roster lists people's names and addresses, and the report keeps
    what the trainer needs to read (the problems and the first rows)."""
    name = roster_import.file.name
    if not name:
        return
    RosterImport.objects.filter(pk=roster_import.pk).update(file="")
    roster_import.file.name = ""
    storage = roster_import.file.storage
    transaction.on_commit(lambda: storage.delete(name))


def roster_import_start(*, roster_import: RosterImport, by) -> bool:
    """The trainer confirms a ready import: ``importing`` (once: a second click or a replayed
    POST changes nothing), then the commit, in the request or in Celery. True if started."""
    started = RosterImport.objects.filter(
        pk=roster_import.pk, status=RosterImport.Status.READY
    ).update(status=RosterImport.Status.IMPORTING, processed_rows=0)
    if not started:
        return False
    roster_import.status = RosterImport.Status.IMPORTING
    if roster_import.total_rows <= SYNC_COMMIT_ROWS:
        try:
            roster_import_commit(roster_import_id=roster_import.pk,
                                 by_id=getattr(by, "pk", None))
        except Exception:  # nothing was written (one transaction): say so, don't hang
            logger.exception("roster import %s failed", roster_import.pk)
            roster_import_fail(roster_import_id=roster_import.pk)
        roster_import.refresh_from_db()
    else:
        from .tasks import roster_import_commit_task

        delay_on_commit(roster_import_commit_task, roster_import.pk, getattr(by, "pk", None))
    return True


def roster_import_commit(*, roster_import_id: int, by_id: int | None) -> str:
    """Add every row of an ``importing`` roster, all or nothing; the final status.

    Idempotent: the import row is locked first and only an ``importing`` import proceeds, so a
    task delivered twice commits once."""
    from lms.models import User

    try:
        with transaction.atomic():
            roster_import = (RosterImport.objects.select_for_update()
                             .select_related("cohort").filter(pk=roster_import_id).first())
            if roster_import is None or roster_import.status != RosterImport.Status.IMPORTING:
                return roster_import.status if roster_import else ""
            cohort = Cohort.objects.select_for_update().get(pk=roster_import.cohort_id)
            by = User.objects.filter(pk=by_id).first() if by_id else None
            language = roster_import.report.get("language") or cohort.language
            with translation.override(language):
                check = roster_parse(data=_read(roster_import), cohort=cohort)
                plan = _plan(cohort=cohort, check=check) if not check.error_count else {}
                report = _report(check, plan, language=language)
            if check.error_count:
                # Something changed since the preview (an account deactivated, the file…).
                roster_import.status = RosterImport.Status.INVALID
            else:
                report["invitation_ids"] = _commit_rows(
                    cohort=cohort, check=check, plan=plan, by=by, pk=roster_import.pk)
                roster_import.status = RosterImport.Status.DONE
                roster_import.processed_rows = len(check.rows)
            roster_import.report = report
            roster_import.finished_at = timezone.now()
            roster_import.save(update_fields=["status", "report", "processed_rows",
                                              "finished_at"])
            _file_forget(roster_import)  # done, or invalid now: a new upload starts again
            if roster_import.status == RosterImport.Status.DONE and report["invitation_ids"]:
                from .tasks import roster_import_mail_task

                delay_on_commit(roster_import_mail_task, roster_import.pk)
    finally:
        cache.delete(_progress_key(roster_import_id))
    return roster_import.status


def roster_import_fail(*, roster_import_id: int) -> None:
    """An unexpected fault in a task: the import is marked failed (nothing was written)."""
    RosterImport.objects.filter(
        pk=roster_import_id,
        status__in=(RosterImport.Status.CHECKING, RosterImport.Status.IMPORTING),
    ).update(status=RosterImport.Status.FAILED, finished_at=timezone.now())


def _commit_rows(*, cohort: Cohort, check: Check, plan: dict, by, pk: int) -> list[int]:
    """The bulk version of ``membership_add`` and ``invitation_create`` (inside the commit's
    transaction, the cohort row locked). The invitations' ids, for the e-mail task."""
    now = timezone.now()
    total = len(check.rows) or 1
    done = 0

    def progress(step: int) -> None:
        nonlocal done
        done += step
        cache.set(_progress_key(pk), min(done, total), 3600)

    users = [plan[row.number][1] for row in check.rows if plan[row.number][0] in (ADD, ACTIVATE)]
    user_ids = [user.pk for user in users]
    for chunk in _chunks(users):
        Membership.objects.bulk_create(
            [Membership(cohort=cohort, user=user, state=MembershipState.ACTIVE,
                        joined_at=now, added_by=by) for user in chunk],
            ignore_conflicts=True,  # a membership added by hand meanwhile wins; updated below
        )
        progress(len(chunk) // 2)
    modules = list(cohort.modules.all())
    active_ids: list[int] = []
    for chunk in _chunks(user_ids):
        # Like services._transition: only from the states membership_add reactivates.
        Membership.objects.filter(
            cohort=cohort, user_id__in=chunk,
            state__in=(MembershipState.WITHDRAWN, MembershipState.INVITED,
                       MembershipState.REQUESTED),
        ).update(state=MembershipState.ACTIVE, joined_at=now, left_at=None)
        active_ids += Membership.objects.filter(
            cohort=cohort, user_id__in=chunk, state=MembershipState.ACTIVE
        ).values_list("user_id", flat=True)
    if modules:
        _enrol_bulk(user_ids=active_ids, modules=modules)
    progress(len(users) - len(users) // 2)
    invitation_ids = _invite_bulk(cohort=cohort, check=check, plan=plan, by=by)
    progress(total)
    if user_ids:
        from lms.navigation import workspaces_forget

        transaction.on_commit(lambda: workspaces_forget(user_pks=user_ids))
    return invitation_ids


def _enrol_bulk(*, user_ids: list[int], modules: list) -> None:
    """``services._enrol`` for many people: new enrolments inserted together (the unique
    constraint skips those that exist); a withdrawn one goes through ``enrolment_create``,
    which reactivates it and re-evaluates its completion."""
    from courses.services import enrolment_create

    for chunk in _chunks(user_ids):
        Enrolment.objects.bulk_create(
            [Enrolment(user_id=uid, course=module) for uid in chunk for module in modules],
            ignore_conflicts=True,
        )
        withdrawn = (Enrolment.objects.filter(user_id__in=chunk, course__in=modules,
                                              status=EnrolmentStatus.WITHDRAWN)
                     .select_related("user", "course"))
        for enrolment in withdrawn:
            enrolment_create(user=enrolment.user, course=enrolment.course, by_organiser=True)


def _invite_bulk(*, cohort: Cohort, check: Check, plan: dict, by) -> list[int]:
    rows = [row for row in check.rows if plan[row.number][0] == INVITE]
    ids: list[int] = []
    for chunk in _chunks(rows):
        language = {row.email.lower(): row.language or cohort.language for row in chunk}
        open_invitations = {
            inv.email.lower(): inv for inv in
            Invitation.objects.annotate(email_lower=Lower("email")).filter(
                cohort=cohort, accepted_at__isnull=True, email_lower__in=list(language))
        }
        Invitation.objects.bulk_create(
            [Invitation(cohort=cohort, email=row.email, language=language[row.email.lower()],
                        invited_by=by)
             for row in chunk if row.email.lower() not in open_invitations],
            ignore_conflicts=True,
        )
        for inv in open_invitations.values():  # sent again, in the language asked now
            if inv.language != language[inv.email.lower()]:
                Invitation.objects.filter(pk=inv.pk).update(language=language[inv.email.lower()])
        ids += Invitation.objects.annotate(email_lower=Lower("email")).filter(
            cohort=cohort, accepted_at__isnull=True, email_lower__in=list(language)
        ).values_list("pk", flat=True)
    return ids


def roster_import_mail(*, roster_import: RosterImport) -> int:
    """Send the invitations of a committed import (the e-mail of ``invitation_create``, in
    each invitation's language), over one connection per hundred messages. Sent once: the
    ids are removed from the report as their batch goes out."""
    report = roster_import.report
    pending = list(report.get("invitation_ids") or [])
    sent = 0
    while pending:
        batch, pending = pending[:100], pending[100:]
        invitations = (Invitation.objects.filter(pk__in=batch, accepted_at__isnull=True)
                       .select_related("cohort", "invited_by"))
        messages = [_invitation_message(invitation) for invitation in invitations]
        with get_connection() as connection:
            sent += connection.send_messages(messages) or 0
        report["invitation_ids"] = pending
        RosterImport.objects.filter(pk=roster_import.pk).update(report=report)
    return sent


def _invitation_message(invitation: Invitation) -> EmailMessage:
    context = {"cohort": invitation.cohort, "invitation": invitation,
               "inviter": invitation.invited_by, "url": services.invitation_url(invitation),
               "site_url": settings.SITE_URL}
    with translation.override(invitation.language):
        subject = render_to_string("cohorts/email/invitation_subject.txt", context).strip()
        body = render_to_string("cohorts/email/invitation.txt", context)
    return EmailMessage(subject, body, None, [invitation.email])


# --- The template file --------------------------------------------------------------------------


def template_headers() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def template_example() -> list[str]:
    return ["amina.diallo@example.org", "Amina Diallo", ""]


def template_csv() -> bytes:
    """The roster template as CSV: UTF-8 with a BOM (Excel then reads accents and Arabic)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_headers())
    writer.writerow(template_example())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Learners")[:31]
    sheet.append(template_headers())
    sheet.append(template_example())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (34, 30, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    if translation.get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
