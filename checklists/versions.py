"""Catalogue versions: a folder's full text as one value the store keeps, and how answers carry over.

Every catalogue version the store has seen is kept whole (`snapshot_of`: every YAML file of the folder,
by path), so an assessment is always scored under the version it was taken with, however the shipped
catalogue moves on. `load_snapshot` turns a kept version back into a `Catalogue` (once per process).

A version's `changes:` section (catalogue.yaml) says how its items relate to the version before it:
`carry_over` follows those declarations from an old version to a newer one, so a renamed item's
answers count for its new id when a room's history is re-scored under the current criteria.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from checklists.loader import load_catalogue
from checklists.overrides import base_version
from checklists.schema import Catalogue, CatalogueChanges

__all__ = ["Snapshot", "carry_over", "fingerprint", "load_snapshot", "rename_map", "snapshot_of"]

# Relative path (posix) -> file text, for every YAML file of a catalogue folder.
Snapshot = dict[str, str]


def snapshot_of(folder: Path | str) -> Snapshot:
    """Every YAML file of a catalogue folder, by its path inside the folder, in path order."""
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.yaml"))
    }


def fingerprint(snapshot: Mapping[str, str]) -> str:
    """A digest of a snapshot's content: two folders with the same files give the same fingerprint."""
    text = json.dumps(dict(sorted(snapshot.items())), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_snapshot(snapshot: Mapping[str, str]) -> Catalogue:
    """The catalogue a snapshot holds, validated by the loader (raises CatalogueError); cached by content."""
    return _load(fingerprint(snapshot), json.dumps(dict(sorted(snapshot.items()))))


@lru_cache(maxsize=32)
def _load(_digest: str, content: str) -> Catalogue:
    files: dict[str, str] = json.loads(content)
    with tempfile.TemporaryDirectory(prefix="catalogue-") as tmp:
        folder = Path(tmp) / "catalogue"
        for relative, text in files.items():
            if ".." in Path(relative).parts or Path(relative).is_absolute():
                continue  # a snapshot only ever holds paths inside its folder
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return load_catalogue(folder)


def rename_map(from_version: str, to: Catalogue, known: Mapping[str, Catalogue]) -> dict[str, str | None] | None:
    """Old item id -> its id in `to` (None once retired), following every `changes:` section from
    `from_version` up to `to`; ids not in the map are the same item under the same id. None when the
    chain of versions cannot be followed (a version in between is not known)."""
    steps: list[CatalogueChanges] = []
    current = to
    while True:
        if current.changes is None or len(steps) > len(known):
            return None
        steps.append(current.changes)
        if current.changes.previous == from_version:
            break
        found = known.get(current.changes.previous)
        if found is None:
            return None
        current = found
    renames: dict[str, str | None] = {}
    for changes in reversed(steps):  # oldest first
        for old, now in renames.items():
            if now is not None and now in changes.retired:
                renames[old] = None
            elif now is not None and now in changes.renamed:
                renames[old] = changes.renamed[now]
        for old, new in changes.renamed.items():
            renames.setdefault(old, new)
        for old in changes.retired:
            renames.setdefault(old, None)
    return renames


def carry_over(
    raw: Mapping[str, object], from_version: str, to: Catalogue, known: Mapping[str, Catalogue]
) -> dict[str, object]:
    """Stored answers of an assessment taken under `from_version`, with the ids of `to`: a renamed
    item's answer moves to its new id; a retired item's answer keeps its old id, so decoding it
    against `to` shows it as retired."""
    # An organisation's criteria keep the ids of the catalogue they adapt ("2026.1+org7.3" is 2026.1).
    from_version, to_version = base_version(from_version), base_version(to.version)
    if from_version == to_version:
        return dict(raw)
    mapping = rename_map(from_version, to, known)
    if mapping is None:
        return dict(raw)
    carried: dict[str, object] = {}
    for item_id, value in raw.items():
        new_id = mapping.get(item_id, item_id) or item_id
        carried.setdefault(new_id, value)
    return carried
