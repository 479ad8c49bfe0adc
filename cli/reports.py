"""Report commands: `report` writes an organisation's PDF, Excel, CSV or JSON report, `checklist` a blank form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from checklists.loader import DEFAULT_CATALOGUE_DIR
from checklists.schema import Catalogue
from cli.common import ActingUser, CatalogueDir, acting_user, catalogue_or_fail, fail, store_session


class TerminalProgress:
    """Progress on stderr: one line redrawn in a terminal, a line per step of 10 % in a log."""

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.last = -10

    def __call__(self, done: int, total: int, message: str) -> None:
        percent = int(100 * done / total) if total else 100
        if self.interactive:
            sys.stderr.write(f"\r[{percent:3d} %] {message[:70]:<70}")
            if percent >= 100:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif percent >= self.last + 10 or percent >= 100 > self.last:
            self.last = percent
            typer.echo(f"[{percent:3d} %] {message}", err=True)


def report(
    org: Annotated[int, typer.Option("--org", help="Organisation id.")],
    format: Annotated[str, typer.Option("--format", help="pdf, xlsx, csv or json.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    site: Annotated[int | None, typer.Option("--site", help="Only this site.")] = None,
    room: Annotated[list[int] | None, typer.Option("--room", help="Only these rooms (repeat the option).")] = None,
    consultant: Annotated[str | None, typer.Option("--consultant", help="Name on the cover.")] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="PNG or JPEG logo for the cover.")] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Use draft assessments too.")] = False,
    locale: Annotated[
        str, typer.Option("--locale", help="Language of a PDF or Excel report: en, fr, es, de or ar.")
    ] = "en",
    acting: ActingUser = None,
) -> None:
    """Write a report of an organisation, a site or chosen rooms: PDF, Excel, CSV or JSON."""
    from checklists.i18n import REPORT_LANGUAGES
    from reports.api import FORMATS, build_report
    from reports.errors import ReportError

    if format not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if locale not in REPORT_LANGUAGES:
        fail(f"--locale: expected one of {', '.join(REPORT_LANGUAGES)}, got {locale!r}")
    if locale != "en" and format not in ("pdf", "xlsx"):
        fail(f"--locale: a {format} file is data and is written in English; leave --locale out")
    if logo is not None and not logo.is_file():
        fail(f"--logo: {logo}: no such file")
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            written = build_report(
                session, user, org_id=org, site_id=site, room_ids=room or None, fmt=format,
                out=out, progress=TerminalProgress(), consultant=consultant, logo=logo, include_drafts=drafts,
                locale=locale,
            )  # fmt: skip
        except ReportError as error:
            fail(f"report: {error}")
    typer.echo(f"Wrote {written}")


def checklist(
    setting: Annotated[str, typer.Option(help="clinic, school or workplace.")],
    room_type: Annotated[str, typer.Option("--room-type", help="A room type of that setting.")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
    locale: Annotated[str, typer.Option("--locale", help="Language of the checklist: en, or fr, de, es, ar.")] = "en",
    org: Annotated[int | None, typer.Option("--org", help="Organisation id: its own criteria, if it has them.")] = None,
    acting: ActingUser = None,
) -> None:
    """Write a printable blank checklist of a room type, for rounds without a tablet."""
    from checklists.translations import available_locales
    from reports.api import build_checklist
    from reports.errors import ReportError

    cat = catalogue_or_fail(catalogue)
    if org is not None:
        cat = _organisation_catalogue(org, acting)
    try:
        cat.checklist(setting, room_type)
    except KeyError as error:
        fail(str(error.args[0]))
    if locale != "en" and locale not in available_locales():
        fail(f"--locale: no translation for '{locale}' (known: en, {', '.join(available_locales())})")
    try:
        written = build_checklist(setting, room_type, out, catalogue=cat, locale=locale)
    except ReportError as error:
        fail(f"checklist: {error}")
    typer.echo(f"Wrote {written}")


def _organisation_catalogue(org: int, acting: str | None) -> Catalogue:
    """The catalogue under the organisation's own criteria (the current one when it has none)."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            return repository.criteria_catalogue(session, user, org)
        except StoreError as error:
            fail(f"checklist: {error}")
