"""The printable blank checklist: every question of the room type, with boxes, blanks, units and targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.loader import default_catalogue
from checklists.schema import ItemKind
from reports.checklist_pdf import write_blank_checklist
from reports.errors import ReportOutputError, ReportScopeError
from tests.reports.conftest import pdf_page_count, pdf_pages, render_pages


@pytest.mark.parametrize(("setting", "room_type"), [("clinic", "quiet_room"), ("school", "classroom")])
def test_every_question_with_its_answer_space(setting: str, room_type: str, tmp_path: Path) -> None:
    catalogue = default_catalogue()
    checklist = catalogue.checklist(setting, room_type)
    out = write_blank_checklist(catalogue, setting, room_type, tmp_path / "checklist.pdf")
    pages = pdf_pages(out)
    text = " ".join(pages)
    assert f"Room checklist: {checklist.room_type_title}" in text
    for label in ("Organisation", "Site", "Room", "Date", "Assessor"):
        assert label in pages[0]
    for number, resolved in enumerate(checklist.items, start=1):
        item = resolved.item
        assert item.question in text
        assert f"{number}." in text
        if item.kind is ItemKind.measurement:
            assert resolved.target is not None
            assert f"Target: {resolved.target.describe()}" in text
            assert f"Reading 1 {item.unit} Reading 2 {item.unit} Reading 3 {item.unit}" in text
        if item.kind is ItemKind.rating:
            for level, description in enumerate(item.levels or []):
                assert f"{level} {description}" in text
        if item.kind is ItemKind.choice:
            for option in item.options or []:
                assert option.label in text
    assert "Percent flicker % at frequency Hz" in text
    assert text.count("Notes") >= len(checklist.items)
    assert text.count("n/a") >= sum(r.item.allow_na for r in checklist.items)
    count = pdf_page_count(out)
    assert f"Page {count} of {count}" in pages[-1]
    assert len(render_pages(out, tmp_path / "png")) == count


def test_unknown_room_types_and_unwritable_places_are_refused(tmp_path: Path) -> None:
    catalogue = default_catalogue()
    with pytest.raises(ReportScopeError, match="unknown room type 'ballroom' for setting 'school'"):
        write_blank_checklist(catalogue, "school", "ballroom", tmp_path / "c.pdf")
    with pytest.raises(ReportScopeError, match="unknown setting 'zoo'"):
        write_blank_checklist(catalogue, "zoo", "classroom", tmp_path / "c.pdf")
    with pytest.raises(ReportOutputError, match="does not exist"):
        write_blank_checklist(catalogue, "school", "classroom", tmp_path / "missing" / "c.pdf")
    assert list(tmp_path.iterdir()) == []
