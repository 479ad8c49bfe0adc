"""A newer catalogue version built from the shipped one, as an author would write it: one threshold
moved, one item retired, one item renamed, each declared in the `changes:` section."""

from __future__ import annotations

import shutil
from pathlib import Path

from checklists.loader import DEFAULT_CATALOGUE_DIR

OLD_VERSION = "2026.1"
NEW_VERSION = "2027.1"
RETIRED = "lighting.glare"  # a yes/no item of every room type
MOVED = "noise.background_level"  # classroom: ideal up to 35 dBA, 0 at 50 -> ideal up to 30, 0 at 45
OLD_NAME, NEW_NAME = "textures.muted_colours", "textures.calm_colours"
CLASSROOM_BEFORE = "noise.background_level: {unit: dBA, ideal: [null, 35], limit: [null, 50]}"
CLASSROOM_AFTER = "noise.background_level: {unit: dBA, ideal: [null, 30], limit: [null, 45]}"


def new_version(where: Path, version: str = NEW_VERSION, previous: str = OLD_VERSION) -> Path:
    """Copy the shipped catalogue to `where` and make it the next version."""
    folder = where / f"catalogue-{version}"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, folder)
    index = folder / "catalogue.yaml"
    text = index.read_text()
    assert f'version: "{previous}"' in text or previous != OLD_VERSION
    text = text.replace(
        f'version: "{OLD_VERSION}"',
        f'version: "{version}"\nchanges:\n  previous: "{previous}"\n  renamed: {{{OLD_NAME}: {NEW_NAME}}}\n'
        f"  retired: [{RETIRED}]\n",
    )
    index.write_text(text)
    lighting = folder / "lighting.yaml"
    text = lighting.read_text()
    start = text.index(f"  - id: {RETIRED}\n")
    end = text.index("\n  - id:", start + 1) + 1
    lighting.write_text(text[:start] + text[end:])
    for path in folder.rglob("*.yaml"):
        if path != index:
            path.write_text(path.read_text().replace(OLD_NAME, NEW_NAME))
    school = folder / "profiles" / "school.yaml"
    text = school.read_text()
    assert CLASSROOM_BEFORE in text
    school.write_text(text.replace(CLASSROOM_BEFORE, CLASSROOM_AFTER, 1))
    return folder
