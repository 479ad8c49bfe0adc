"""Catalogue versions: the `changes:` section is checked like every other field, and answers carry
over from one version to the next where the versions say they mean the same thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, default_catalogue, load_catalogue
from checklists.stored_answers import decode_stored
from checklists.versions import carry_over, fingerprint, load_snapshot, rename_map, snapshot_of
from tests.catalogue_versions import NEW_NAME, NEW_VERSION, OLD_NAME, RETIRED, new_version

# (what replaces the changes section's body, expected "field: message" fragment, line of the field)
BAD_CHANGES = [
    ('  previous: "2027.1"\n', "changes.previous: '2027.1' is this catalogue's own version", 8),
    (f'  previous: "2026.1"\n  renamed: {{lighting.dimmable: {NEW_NAME}}}\n',
     "changes.renamed.lighting.dimmable: 'lighting.dimmable' is still an item of this catalogue", 9),
    ('  previous: "2026.1"\n  renamed: {textures.old_floor: textures.no_such_item}\n',
     "changes.renamed.textures.old_floor: 'textures.no_such_item' is not an item of this catalogue", 9),
    ('  previous: "2026.1"\n  retired: [lighting.illuminance]\n',
     "changes.retired[0]: 'lighting.illuminance' is still an item of this catalogue", 9),
    ('  previous: "2026.1"\n  new: [lighting.sparkle]\n',
     "changes.new[0]: 'lighting.sparkle' is not an item of this catalogue", 9),
    ('  previous: "2026.1"\n  retired: [lighting.gone, lighting.gone]\n',
     "changes.retired[1]: 'lighting.gone' is already listed at line 9", 9),
    ('  previous: "2026.1"\n  removed: [lighting.gone]\n', "changes.removed: unknown field", 9),
    ('  renamed: {}\n', "changes.previous: required field is missing", 8),
    ("", "changes: empty: name the previous version", 7),
    ('  previous: "2026.1"\n  retired: [Lighting Glare]\n', "changes.retired[0]: String should match pattern", 9),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected", "line"), BAD_CHANGES, ids=[b[1][:50] for b in BAD_CHANGES])
def test_bad_changes_are_refused_with_file_line_and_field(tmp_path: Path, body: str, expected: str, line: int) -> None:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    import shutil

    shutil.copytree(DEFAULT_CATALOGUE_DIR, folder, dirs_exist_ok=True)
    index = folder / "catalogue.yaml"
    text = index.read_text()
    index.write_text(text.replace('version: "2026.1"\n', f'version: "2027.1"\nchanges:\n{body}', 1))
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(folder)
    messages = [str(p) for p in raised.value.problems]
    assert any(m.startswith(f"catalogue/catalogue.yaml:{line}: {expected}") for m in messages), messages
    assert len(messages) <= 2, messages


def test_a_declared_new_version_loads_with_its_changes(tmp_path: Path) -> None:
    catalogue = load_catalogue(new_version(tmp_path))
    assert catalogue.version == NEW_VERSION
    assert catalogue.changes is not None
    assert catalogue.changes.previous == "2026.1"
    assert catalogue.changes.renamed == {OLD_NAME: NEW_NAME}
    ids = {item.id for item in catalogue.items}
    assert RETIRED not in ids
    assert OLD_NAME not in ids
    assert NEW_NAME in ids
    assert default_catalogue().changes is None  # the shipped catalogue is a first version


def test_a_snapshot_loads_back_to_the_same_catalogue(tmp_path: Path) -> None:
    folder = new_version(tmp_path)
    snapshot = snapshot_of(folder)
    assert "profiles/school.yaml" in snapshot
    assert "catalogue.yaml" in snapshot
    assert load_snapshot(snapshot) == load_catalogue(folder)
    assert fingerprint(snapshot) == fingerprint(snapshot_of(folder))
    assert fingerprint(snapshot) != fingerprint(snapshot_of(DEFAULT_CATALOGUE_DIR))


def test_answers_carry_over_through_renames_and_retire_with_their_item(tmp_path: Path) -> None:
    old = default_catalogue()
    middle = load_catalogue(new_version(tmp_path))
    # A third version renames the renamed item once more.
    third = tmp_path / "third"
    import shutil

    shutil.copytree(new_version(tmp_path / "b"), third)
    index = third / "catalogue.yaml"
    text = index.read_text()
    start = text.index('version: "2027.1"')
    end = text.index("\ntitle:")
    index.write_text(
        text[:start] + 'version: "2028.1"\nchanges:\n  previous: "2027.1"\n  renamed: {textures.calm_colours: '
        "textures.quiet_colours}" + text[end:]
    )
    for path in third.rglob("*.yaml"):
        if path != index:
            path.write_text(path.read_text().replace(NEW_NAME, "textures.quiet_colours"))
    newest = load_catalogue(third)
    known = {c.version: c for c in (old, middle, newest)}
    renames = rename_map("2026.1", newest, known)
    assert renames is not None
    assert renames[OLD_NAME] == "textures.quiet_colours"
    assert renames[RETIRED] is None
    assert rename_map("2025.9", newest, known) is None  # no chain from a version nobody declared

    raw = {OLD_NAME: "partial", RETIRED: "yes", "lighting.dimmable": "yes"}
    carried = carry_over(raw, "2026.1", newest, known)
    assert carried == {"textures.quiet_colours": "partial", RETIRED: "yes", "lighting.dimmable": "yes"}
    decoded = decode_stored(newest, newest.checklist("school", "classroom"), carried)
    assert "textures.quiet_colours" in decoded.answers
    assert [(r.item_id, r.reason) for r in decoded.retired] == [(RETIRED, "the item is no longer in the catalogue")]
