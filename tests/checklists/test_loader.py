"""The loader rejects a bad catalogue with file:line: field: what is wrong, for every kind of mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, load_catalogue

# (file, text to find, replacement, expected "file:line: field: message" fragment)
MISTAKES = [
    ("noise.yaml", "  - id: noise.background_level\n", "  - id: noise.background_level\n    colour: blue\n",
     "noise.yaml:{next}: items[0].colour: unknown field"),
    ("noise.yaml", "  - id: noise.reverberation_time\n", "  - id: noise.background_level\n",
     "noise.yaml:{line}: items[1].id: duplicate id, first defined at"),
    ("lighting.yaml", "principles: [regulation, safety]", "principles: [regulation, calm]",
     "principles[1]: Input should be"),
    ("lighting.yaml", "kind: flicker", "kind: slider", "kind: Input should be"),
    ("profiles/school.yaml", "room_types:", "weights: {lighting.sparkle: 2}\nroom_types:",
     "unknown item 'lighting.sparkle'"),
    ("lighting.yaml", "target: {unit: lx, ideal: [300, 500], limit: [150, 1000]}",
     "target: {unit: lx, ideal: [100, 500], limit: [150, 1000]}", "reaches below limit"),
    ("textures.yaml", "score: 0.5", "score: 1.5", "score: Input should be less than or equal to 1"),
    ("lighting.yaml", "    kind: measurement\n    question:",
     "    kind: measurement\n    question: ''\n    old_question:", "question: must not be empty"),
    ("quiet_zones.yaml", "good_answer: yes", "good_answer: maybe", "good_answer: Input should be a valid boolean"),
    ("noise.yaml", "category: noise", "category: sound", "differs from the file name"),
    ("profiles/clinic.yaml", "setting: clinic", "setting: clinic\nsetting: hospital", "key given twice"),
    ("lighting.yaml", "items:", "items: [\n", "not valid YAML"),
]  # fmt: skip


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, folder)
    return folder


@pytest.mark.parametrize(("file", "find", "replace", "expected"), MISTAKES, ids=[m[3][:40] for m in MISTAKES])
def test_mistakes_are_reported_with_file_line_and_field(
    tmp_path: Path, file: str, find: str, replace: str, expected: str
) -> None:
    folder = _copy(tmp_path)
    path = folder / file
    text = path.read_text()
    assert find in text, f"the shipped {file} no longer has {find!r}; update this test"
    path.write_text(text.replace(find, replace, 1))
    line = text[: text.index(find)].count("\n") + 1
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(folder)
    messages = [str(p) for p in raised.value.problems]
    wanted = expected.format(line=line, next=line + 1)
    assert any(wanted in m for m in messages), messages
    assert all(m.split(":")[1].isdigit() for m in messages), "every problem names a line"
    # One mistake gives a short list, not a cascade through the profiles (a duplicated id
    # also leaves the profiles naming the id it replaced).
    assert len(messages) <= 3 or "duplicate" in expected, messages


def test_a_catalogue_without_its_index_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "catalogue.yaml").unlink()
    with pytest.raises(CatalogueError, match=r"catalogue\.yaml"):
        load_catalogue(folder)


def test_a_profile_must_cover_every_category(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "profiles" / "school.yaml"
    path.write_text(
        path.read_text().replace("room_types:", "room_types:\n  gym:\n    title: Gym\n    modules: [enhanced]", 1)
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(folder)
    assert any("room_types.gym" in str(p) and "no item of category" in str(p) for p in raised.value.problems)
