"""The PDF report read back with poppler: the numbers a reader checks equal the engine's, every page renders."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from assessments import repository as repo
from assessments.models import User
from assessments.repository import Actor
from checklists.loader import default_catalogue
from reports.collect import collect_report
from reports.data import ReportData, RoomReport, SiteReport, make_assessment, make_plan
from reports.errors import ChartRenderError, ReportError
from reports.labels import format_date, format_gain, format_percent, format_score, item_label
from reports.pdf import charts as pdf_charts
from reports.pdf import write_pdf_report
from scoring.engine import BAND_LABELS, Band, band_for
from tests.reports.conftest import Demo, good_answers, handmade_report, pdf_page_count, pdf_pages, render_pages


@pytest.fixture(scope="module")
def pages(clinic_pdf: Path) -> list[str]:
    return pdf_pages(clinic_pdf)


def _scorecard(pages: list[str], room: str) -> str:
    """The text of a room's scorecard page(s): from its first page to the next room's."""
    start = next(n for n, page in enumerate(pages) if f"· {room} {room} " in page and "Overall score" in page)
    text = pages[start]
    for page in pages[start + 1 :]:
        if f"· {room} " not in page[:200]:
            break
        text += " " + page
    return text


def test_every_room_has_a_scorecard_with_the_engines_overall_score_and_band(
    pages: list[str], clinic_report: ReportData
) -> None:
    for room in clinic_report.rooms:
        score = room.score
        assert score is not None
        card = _scorecard(pages, room.name)
        # The score panel: the overall score, the band letter and its words (pdftotext may order them freely).
        panel = card[card.index("Overall score") : card.index("Fixes in the plan")]
        assert f" {format_score(score.overall)} " in panel
        assert f" {score.band} " in panel
        assert BAND_LABELS[Band(score.band)] in panel
        assert f"Answered {format_percent(score.completeness)}" in card
        latest = room.latest
        assert latest is not None
        assert f"Assessed {format_date(latest.assessed_on)} by {latest.assessor}" in card
        for category in score.categories.values():
            if category.score is not None:
                assert format_score(category.score) in card
        for item in latest.readings:
            if item.score is not None:
                assert f"{item.score * 100:.1f}" in card


def test_the_site_page_compares_every_room(pages: list[str], clinic_report: ReportData) -> None:
    site = clinic_report.sites[0]
    page = next(p for p in pages if p.startswith(f"{clinic_report.organisation_name} {site.name} Site: {site.name}"))
    for room in site.rooms:
        assert room.score is not None
        assert room.latest is not None
        when = format_date(room.latest.assessed_on)
        row = f"{room.name} {room.room_type_title} {when} {format_score(room.score.overall)} {room.score.band}"
        assert row in page


def test_the_summary_names_the_rooms_most_in_need_failed_critical_items_and_top_fixes(
    pages: list[str], clinic_report: ReportData
) -> None:
    summary = " ".join(p for p in pages if "Executive summary" in p[:120])
    ranked = sorted(clinic_report.rooms, key=lambda r: (r.score.overall if r.score and r.score.overall else 0, r.name))
    weakest = ranked[0]
    assert weakest.score is not None
    assert f"{weakest.name} {format_score(weakest.score.overall)} {weakest.score.band}" in summary
    for room in clinic_report.rooms:
        for item_id in room.score.critical_failures if room.score else []:
            assert item_label(item_id) in summary
    for entry in clinic_report.action_plan[:10]:
        assert f"{entry.rank} {entry.room_name} {item_label(entry.item_id)}" in summary
        assert format_gain(entry.gain) in summary


def test_the_action_plan_and_methodology_are_there(pages: list[str], clinic_report: ReportData) -> None:
    text = " ".join(pages)
    catalogue = default_catalogue()
    first = clinic_report.action_plan[0]
    assert " ".join(first.how_to_fix.split())[:80] in text
    assert "Methodology" in text
    assert "How rooms are scored" in text
    assert "A (sensory-supportive) from 85; B (mostly supportive) from 70; C (partly supportive) from 50" in text
    for grade in ("P", "R", "D", "Q"):
        assert f"Evidence: {grade}," in text
    assert catalogue.item("lighting.illuminance").question in text
    assert "Waiting room (clinic): ideal 150 to 300 lx" in text


def test_contents_page_numbers_point_at_the_right_pages(pages: list[str], clinic_report: ReportData) -> None:
    contents = pages[1]
    assert contents.startswith(f"{clinic_report.organisation_name} Contents")
    for room in clinic_report.rooms:
        match = re.search(re.escape(room.name) + r" \.+ (\d+)", contents)
        assert match, room.name
        page = pages[int(match.group(1)) - 1]
        assert f"{room.name} {room.name} " in page  # running header, then the heading


def test_pages_are_numbered_and_all_render(clinic_pdf: Path, pages: list[str], tmp_path: Path) -> None:
    count = pdf_page_count(clinic_pdf)
    assert len(pages) == count
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {count}" in page
    images = render_pages(clinic_pdf, tmp_path, dpi=50)
    assert len(images) == count
    for image in images:
        with Image.open(image) as opened:
            assert opened.size[0] > 300
            # Not blank: a rendered page has ink on it.
            assert opened.convert("L").getextrema()[0] < 100


def test_metadata_outline_and_fonts(clinic_pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(clinic_pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Title: +Sensory and trauma-informed environment report: Riverside Community Health", info)
    assert "Chris Okafor" in info
    raw = clinic_pdf.read_bytes()
    assert b"/Lang (en-GB)" in raw
    assert b"/Outlines" in raw
    fonts = subprocess.run(["pdffonts", str(clinic_pdf)], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts
    assert "emb" in fonts.splitlines()[0]
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_provisional_scores_failed_critical_items_and_other_scripts(tmp_path: Path) -> None:
    data = handmade_report()
    out = write_pdf_report(data, tmp_path / "handmade.pdf", logo=_logo())
    text = " ".join(pdf_pages(out))
    provisional = data.rooms[1]
    assert provisional.score is not None
    assert provisional.score.provisional
    assert f"PROVISIONAL SCORE: only {format_percent(provisional.score.completeness)}" in text
    # The band of a provisional score says so beside it.
    assert f"provisional · {format_percent(provisional.score.completeness)} answered" in text
    assert "The sound meter was away for calibration." in text
    capped = "A critical item failed, which would cap this room at band C even with a higher score"
    assert f"{capped}: Retreat space (answer: no)" in text
    complete = data.rooms[0].score
    assert complete is not None
    assert complete.band == "C"
    alone = band_for(complete.overall, False)
    assert alone in (Band.A, Band.B)
    assert f"Band capped at C (the score alone would give {alone.value}): a critical item failed: Flicker" in text
    for words in (
        "Saúde Ünited",
        "Clínica São João",
        "Ruheraum für Kinder",
        "Ελληνικά",
        "Кабинет",
        "Zoë Ångström",
        "Дарья Иванова",
        "très calme",
    ):
        assert words in text
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
    # DejaVu Sans draws the Arabic letters; Devanagari, which it lacks, comes from Noto rather than empty boxes.
    assert "NotoSansDevanagari" in fonts
    assert len(render_pages(out, tmp_path / "png")) == pdf_page_count(out)


def test_a_failed_chart_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise ChartRenderError("a chart could not be drawn (Chromium is missing)")

    monkeypatch.setattr(pdf_charts, "figure_png", broken)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"an earlier report")
    with pytest.raises(ChartRenderError, match="Chromium"):
        write_pdf_report(handmade_report(), out)
    assert out.read_bytes() == b"an earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_logo_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "logo.png"
    bad.write_text("not an image")
    with pytest.raises(ReportError, match="PNG or JPEG"):
        write_pdf_report(handmade_report(), tmp_path / "r.pdf", logo=bad)
    with pytest.raises(ReportError, match="cannot be read"):
        write_pdf_report(handmade_report(), tmp_path / "r.pdf", logo=tmp_path / "missing.png")
    assert not (tmp_path / "r.pdf").exists()


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 80), (15, 92, 140)).save(out, format="PNG")
    return out.getvalue()


def test_a_room_without_any_score_yet_still_gets_a_readable_scorecard(demo_copy: Demo, tmp_path: Path) -> None:
    with demo_copy.store.session() as session:
        manager = Actor.of(session.scalars(select(User).where(User.email == "manager@demo.sensory-audit.test")).one())
        site = repo.list_sites(session, manager, demo_copy.clinic)[0]
        room = repo.create_room(session, manager, site.id, "Sensory garden", "quiet_room")
        repo.start_assessment(session, manager, room.id, dt.date(2026, 11, 2))
        other = repo.list_rooms(session, manager, site.id)[0]
        data = collect_report(
            session, demo_copy.user, org_id=demo_copy.clinic, room_ids=[room.id, other.id], include_drafts=True
        )
    out = write_pdf_report(data, tmp_path / "new-room.pdf")
    card = _scorecard(pdf_pages(out), "Sensory garden")
    panel = card[card.index("Overall score") : card.index("Fixes in the plan")]
    assert " – " in panel
    assert "no band yet" in panel
    assert "out of 100 · provisional" in panel
    assert "PROVISIONAL SCORE: only 0 %" in card
    assert len(render_pages(out, tmp_path / "png")) == pdf_page_count(out)


def test_a_logo_with_too_many_pixels_is_refused(tmp_path: Path) -> None:
    from reports.pdf.build import MAX_LOGO_PIXELS

    out = io.BytesIO()
    side = int(MAX_LOGO_PIXELS**0.5) + 1
    Image.new("1", (side, side)).save(out, format="PNG")  # a few KB on disk, millions of pixels in memory
    huge = out.getvalue()
    with pytest.raises(ReportError, match="million pixels"):
        write_pdf_report(handmade_report(), tmp_path / "r.pdf", logo=huge)


def test_a_provisional_scorecard_names_the_critical_items_left_unanswered(tmp_path: Path) -> None:
    catalogue = default_catalogue()
    answers = good_answers(catalogue, "school", "classroom", share=0.6)
    critical = [r.item for r in catalogue.checklist("school", "classroom").items if r.item.critical]
    for item in critical:
        answers.pop(item.id, None)
    assessment = make_assessment(
        catalogue, id=7, room_id=3, setting="school", room_type="classroom", assessed_on=dt.date(2026, 5, 4),
        assessor="Sam Patel", status="submitted", answers=answers, provisional_reason="The bell rang for lunch.",
    )  # fmt: skip
    assert assessment.score.provisional
    assert {i.item_id for i in assessment.critical_unanswered} == {i.id for i in critical}
    room = RoomReport(
        id=3, name="Year 2", room_type="classroom", room_type_title="Classroom", floor=None, capacity=None,
        site_id=1, site_name="Hill School", setting="school", assessments=(assessment,),
    )  # fmt: skip
    site = SiteReport(id=1, name="Hill School", setting="school", setting_title="School", address=None, rooms=(room,))
    sites = (site,)
    data = ReportData(organisation_id=1, organisation_name="Trust", scope="Whole organisation", sites=sites,
                      catalogue=catalogue, action_plan=make_plan(catalogue, sites))  # fmt: skip
    text = " ".join(pdf_pages(write_pdf_report(data, tmp_path / "gaps.pdf")))
    assert "Critical items left unanswered: " in text
    for item in critical:
        assert item.question.rstrip("?.") in text
