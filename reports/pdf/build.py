"""Writing the whole report: the parts in their order, the document's metadata and fonts, progress for the
person waiting, and a file that appears only once it is complete."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from checklists.i18n import DEFAULT_LANGUAGE, _, language, using
from reports.data import ReportData
from reports.errors import ReportError
from reports.labels import format_date
from reports.output import Progress, atomic_output, check_output_path, no_progress
from reports.pdf.actions import actions_section
from reports.pdf.calibration import calibration
from reports.pdf.charts import Charts, queue_charts
from reports.pdf.cover import contents_entries, contents_page_count, cover, render_contents
from reports.pdf.document import REPORT_TITLE, Document
from reports.pdf.methodology import methodology
from reports.pdf.plan import action_plan
from reports.pdf.room import scorecard
from reports.pdf.site import site_page
from reports.pdf.summary import summary
from reports.pdfkit import close_fonts, document_language, hex_rgb, register_fonts
from reports.theme import INK

__all__ = ["MAX_LOGO_BYTES", "MAX_LOGO_PIXELS", "write_pdf_report"]

# A logo is printed a few centimetres wide: more than this is a mistake, or a file made to exhaust memory.
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 16_000_000


def write_pdf_report(
    data: ReportData,
    out_path: Path | str,
    *,
    consultant: str | None = None,
    logo: Path | str | bytes | None = None,
    progress: Progress | None = None,
    locale: str = DEFAULT_LANGUAGE,
) -> Path:
    """Write the PDF report of `data` to `out_path` (atomically) and return the path written.

    `consultant` is printed on the cover as who prepared the report; `logo` (a PNG or JPEG file or its
    bytes) goes at the top of the cover. `locale` is the reader's language (REPORT_LANGUAGES): the
    report's words, numbers and dates; Arabic is shaped and set right to left. The catalogue's words
    (questions, titles, answers) are those `data` was gathered in: gather it under `using(locale)`, as
    reports.api.build_report does.
    Raises ReportOutputError when the file cannot be written, ReportError for an unreadable logo,
    ChartRenderError when charts cannot be drawn.
    """
    path = check_output_path(out_path)
    logo_bytes = _read_logo(logo)
    with using(locale):
        doc = Document(data.organisation_name, format_date(data.generated_at.date()), Charts())
        try:
            _build(doc, data, consultant=consultant, logo=logo_bytes, progress=progress or no_progress)
            with atomic_output(path) as temporary:
                doc.pdf.output(str(temporary))
        finally:
            doc.charts.close()
            close_fonts(doc.pdf)
    return path


def _read_logo(logo: Path | str | bytes | None) -> bytes | None:
    if logo is None:
        return None
    if isinstance(logo, bytes):
        content = logo
    else:
        try:
            content = Path(logo).expanduser().read_bytes()
        except OSError as error:
            raise ReportError(f"the logo {logo} cannot be read: {error.strerror or error}") from error
    if len(content) > MAX_LOGO_BYTES:
        raise ReportError(f"the logo is larger than {MAX_LOGO_BYTES // 1024 // 1024} MB: use a smaller file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                pixels = image.width * image.height
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombWarning) as error:
        raise ReportError("the logo is not an image fpdf can embed: use a PNG or JPEG file") from error
    except Image.DecompressionBombError:
        pixels = MAX_LOGO_PIXELS + 1
    if pixels > MAX_LOGO_PIXELS:
        raise ReportError(f"the logo has more than {MAX_LOGO_PIXELS // 1_000_000} million pixels: use a smaller one")
    return content


def _build(doc: Document, data: ReportData, *, consultant: str | None, logo: bytes | None, progress: Progress) -> None:
    """Lay out every page: cover, contents, summary, each site with its rooms, the plan, the appendix."""
    pdf = doc.pdf
    catalogue = data.catalogue
    # Steps after the cover and contents: the summary, each site, each room, the plan, the appendix.
    total = 3 + len(data.sites) + len(data.assessed_rooms)
    done = 0

    def step(message: str) -> None:
        nonlocal done
        progress(done, total, message)
        done += 1

    register_fonts(pdf, [*_texts(data, consultant), _(REPORT_TITLE)])
    pdf.set_title(f"{_(REPORT_TITLE)}: {data.organisation_name}")
    pdf.set_subject(_("{scope}; catalogue {version}").format(scope=data.scope, version=catalogue.version))
    pdf.set_author(consultant or "sensory-audit")
    pdf.set_creator("sensory-audit")
    pdf.set_keywords(["sensory", "trauma-informed", "assessment", data.organisation_name])
    pdf.set_lang(document_language(language()))
    pdf.set_creation_date(data.generated_at)
    pdf.set_display_mode(zoom="fullwidth", layout="continuous")
    pdf.set_text_color(*hex_rgb(INK))

    entries = contents_entries(data)
    queue_charts(doc.charts, data)
    step(_("Cover and contents"))
    contents_pages = contents_page_count(pdf, entries)
    pdf.contents_pages = range(2, 2 + contents_pages)
    pdf.add_page()
    cover(doc, data, consultant=consultant, logo=logo)
    pdf.add_page()
    # The placeholder ends with a page break, so the summary starts on the fresh page it leaves.
    pdf.running = _("Executive summary")
    pdf.insert_toc_placeholder(lambda _pdf, outline: render_contents(doc, outline), pages=contents_pages)
    doc.fresh_page = True
    step(_("Executive summary"))
    summary(doc, data)
    rooms_done = 0
    for site in data.sites:
        step(_("Site {name}").format(name=site.name))
        site_page(doc, site)
        for room in site.assessed_rooms:
            rooms_done += 1
            step(_("Room {n} of {total}: {name}").format(n=rooms_done, total=len(data.assessed_rooms), name=room.name))
            scorecard(doc, catalogue, site, room)
    step(_("Action plan"))
    action_plan(doc, data)
    actions_section(doc, data)
    calibration(doc, data)
    step(_("Methodology"))
    methodology(doc, data)
    progress(total, total, _("PDF ready"))


def _texts(data: ReportData, consultant: str | None) -> Iterable[str]:
    """Every piece of user-written text, to pick fallback fonts for scripts DejaVu Sans lacks."""
    yield data.organisation_name
    yield data.scope
    if consultant:
        yield consultant
    for section in data.calibration:
        yield section.summary.name
        yield from section.agreement.raters
        yield from section.summary.rooms
    for site in data.sites:
        yield site.name
        yield site.address or ""
        for room in site.rooms:
            yield room.name
            for assessment in room.assessments:
                yield assessment.assessor
                yield assessment.provisional_reason or ""
                for item in assessment.items:
                    yield item.note or ""
                for photo in assessment.photos:
                    yield photo.caption or ""
                    yield photo.file_name
    for action in data.actions:
        yield action.owner or ""
