"""An organisation's own criteria in what it prints and exports: the blank checklist, the XLSForm and
the methodology appendix follow them, read back as a person would (pdftotext, openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from assessments import repository as repo
from checklists.loader import default_catalogue
from reports.api import build_checklist, build_report
from reports.collect import collect_report
from reports.pdf import write_pdf_report
from reports.xlsform import build_xlsform
from tests.reports.conftest import Demo, pdf_pages

CRITERIA = """\
switched_off: [textures.natural_materials]
thresholds:
  school/classroom:
    noise.background_level: {ideal: [null, 30], limit: [null, 45]}
items:
  - id: lighting.night_light
    kind: yes_no
    question: Is there a dim night light on its own switch by the door?
    guidance: Good - a low, warm light at floor level, on its own switch.
    how_to_fix: Fit a plug-in night light on its own switch.
    effort: low
    principles: [safety]
    source: Hillview estates policy EP-4 (2026)
    evidence: D
    good_answer: yes
    applies_to: [school/classroom]
"""


def _with_criteria(demo: Demo) -> str:
    with demo.store.session() as session:
        saved = repo.save_criteria(session, demo.user, demo.school, CRITERIA, "Hillview estates policy")
    return saved.version


def test_the_blank_checklist_and_the_xlsform_follow_the_organisations_criteria(demo_copy: Demo, tmp_path: Path) -> None:
    version = _with_criteria(demo_copy)
    with demo_copy.store.session() as session:
        catalogue = repo.criteria_catalogue(session, demo_copy.user, demo_copy.school)
        form, content = build_xlsform(session, demo_copy.user, demo_copy.school, "classroom")
        shipped_form, _ = build_xlsform(session, demo_copy.user, demo_copy.clinic, "waiting_room")
    text = " ".join(pdf_pages(build_checklist("school", "classroom", tmp_path / "own.pdf", catalogue=catalogue)))
    assert "Is there a dim night light on its own switch by the door?" in text
    assert f"Criteria version {version}" in text
    assert "ideal at most 30 dBA" in text
    shipped = " ".join(pdf_pages(build_checklist("school", "classroom", tmp_path / "shipped.pdf")))
    assert "night light" not in shipped
    natural = default_catalogue().item("textures.natural_materials").question
    assert natural in shipped
    assert natural not in text

    book = load_workbook(io.BytesIO(content), read_only=True)
    names = [row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert any("night_light" in str(n) for n in names)
    assert not any("natural_materials" in str(n) for n in names)
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["catalogue_version"] == version
    assert form.form_version.startswith(version)
    assert shipped_form.settings["catalogue_version"] == default_catalogue().version


def test_the_methodology_appendix_describes_the_organisations_criteria(demo_copy: Demo, tmp_path: Path) -> None:
    version = _with_criteria(demo_copy)
    with demo_copy.store.session() as session:
        data = collect_report(session, demo_copy.user, org_id=demo_copy.school, photos=False)
    assert data.catalogue.version == version
    out = tmp_path / "school.pdf"
    write_pdf_report(data, out)
    text = " ".join(pdf_pages(out))
    assert f"version {version}" in text
    assert "Hillview Primary School uses criteria of its own (version 1), adapting the shipped catalogue 2026.1" in text
    assert "Is there a dim night light on its own switch by the door?" in text


def test_every_format_builds_under_organisation_criteria(demo_copy: Demo, tmp_path: Path) -> None:
    version = _with_criteria(demo_copy)
    with demo_copy.store.session() as session:
        room = next(
            r for r in repo.list_rooms(session, demo_copy.user)
            if r.room_type == "classroom" and repo.get_site(session, demo_copy.user, r.site_id).organisation_id
            == demo_copy.school
        )  # fmt: skip
        draft = repo.start_assessment(session, demo_copy.user, room.id)
        answered = repo.save_answer(session, demo_copy.user, draft.id, "lighting.night_light", "no", draft.version_id)
        repo.submit(session, demo_copy.user, draft.id, answered, provisional_reason="night light only this time")
        for fmt in ("xlsx", "csv", "json"):
            out = build_report(session, demo_copy.user, org_id=demo_copy.school, fmt=fmt, out=tmp_path / f"r.{fmt}")
            assert out.stat().st_size > 0
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert version in cells
    assert version in (tmp_path / "r.json").read_text(encoding="utf-8")
