"""Load and validate a catalogue folder; every problem is reported as `file:line: field: what is wrong`.

A folder holds `catalogue.yaml` (version, categories, principles), one `<category>.yaml` per
category, and `profiles/<setting>.yaml` per setting. All problems are collected before the loader
gives up, so an author fixes a whole folder in one pass.

One cohesive thing, kept whole on purpose: reading a catalogue folder and reporting every problem
in it with its file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from checklists.schema import (
    Catalogue,
    CatalogueChanges,
    CatalogueIndex,
    CategoryFile,
    Item,
    ItemKind,
    Module,
    ProfileFile,
    ResolvedItem,
    RoomChecklist,
    Target,
)

__all__ = [
    "CATALOGUE_DIR_ENV",
    "DEFAULT_CATALOGUE_DIR",
    "CatalogueError",
    "Problem",
    "YamlFile",
    "catalogue_dir",
    "default_catalogue",
    "load_catalogue",
]

DEFAULT_CATALOGUE_DIR = Path(__file__).parent / "data"
# A catalogue folder the app and the commands use instead of the shipped one (a newer version).
CATALOGUE_DIR_ENV = "SENSORY_AUDIT_CATALOGUE_DIR"

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CatalogueError(Exception):
    """A catalogue folder that does not validate; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class _YamlFile:
    """A parsed YAML file plus the line of every node, so problems can point at a line."""

    def __init__(self, path: Path | None, display: str, problems: list[Problem], text: str | None = None):
        # `text` instead of a path: a file that is not on disk (an upload, a stored override).
        self.display = display
        self.data: Any = None
        self.lines: dict[Path_, int] = {(): 1}
        self._problems = problems
        try:
            if text is None:
                assert path is not None
                text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            self.problem((), f"not UTF-8 text ({error.reason} at byte {error.start})")
            return
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            what = getattr(error, "problem", None) or str(error)
            self._problems.append(Problem(display, line, "(yaml)", f"not valid YAML: {what}"))
            return
        if node is not None:
            self._index(node, ())

    def _index(self, node: yaml.Node, path: Path_) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    self._problems.append(
                        Problem(self.display, key.start_mark.line + 1, _dotted(path + (name,)), "key given twice")
                    )
                seen.add(name)
                self._index(value, path + (name,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                self._index(value, path + (index,))

    def line(self, path: Path_) -> int:
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]

    def problem(self, path: Path_, message: str) -> None:
        self._problems.append(Problem(self.display, self.line(path), _dotted(path) or "(file)", message))

    def validate(self, model: type[M], data: Any = None, at: Path_ = ()) -> M | None:
        """Validate the file (or the part of it at path `at`) against a model; report problems."""
        if data is None:
            data = self.data
        if data is None:
            if not any(p.file == self.display for p in self._problems):
                self.problem(at, "the file is empty")
            return None
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for detail in error.errors():
                path = _strip_model_tags(tuple(detail["loc"]))
                self.problem(at + path, _message(detail))
            return None


# The same reader for other files checked against a catalogue (an organisation's criteria).
YamlFile = _YamlFile


def _strip_model_tags(loc: tuple[Any, ...]) -> Path_:
    # pydantic puts the union member's name in the location (e.g. 'float', 'tagged-union'); drop it.
    return tuple(part for part in loc if isinstance(part, int) or not str(part).startswith(("function-", "float")))


def _message(detail: Any) -> str:
    kind, msg = detail["type"], detail["msg"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_too_short":
        return "must not be empty"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "literal_error" or kind == "enum":
        return f"{msg} (got {detail.get('input')!r})"
    return str(msg)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_catalogue(folder: Path | str = DEFAULT_CATALOGUE_DIR) -> Catalogue:
    """Read, validate and resolve a catalogue folder; raise CatalogueError listing every problem."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        raise CatalogueError([Problem(str(folder), 1, "(folder)", "no such catalogue folder")])

    def display(path: Path) -> str:
        return str(path.relative_to(folder.parent)) if folder.parent != Path() else str(path)

    index_path = folder / "catalogue.yaml"
    if not index_path.exists():
        raise CatalogueError(
            [Problem(display(index_path), 1, "(file)", "missing: every catalogue needs catalogue.yaml")]
        )
    index_file = _YamlFile(index_path, display(index_path), problems)
    index = _validate_index(index_file)

    # Category files: every YAML file beside catalogue.yaml.
    items: list[Item] = []
    where: dict[str, tuple[_YamlFile, Path_]] = {}
    category_ids = [c.id for c in index.categories] if index else []
    found_categories: set[str] = set()
    # Ids of items that failed validation: references to them are not reported again as unknown.
    broken_ids: set[str] = set()
    broken_categories: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "catalogue.yaml":
            continue
        source = _YamlFile(path, display(path), problems)
        category_file = _validate_category_file(source, broken_ids)
        if category_file is None:
            broken_categories.add(path.stem)
            continue
        # The file name is the category: a mismatch is one problem, not one per item.
        category = path.stem
        if category_file.category != category:
            source.problem(("category",), f"'{category_file.category}' differs from the file name '{category}'")
        elif index and category not in category_ids:
            source.problem(("category",), f"unknown category (catalogue.yaml lists {', '.join(category_ids)})")
        found_categories.add(category)
        for n, item in enumerate(category_file.items):
            if item.category != category:
                source.problem(("items", n, "id"), f"must start with '{category}.'")
            if item.id in where:
                other, other_path = where[item.id]
                source.problem(
                    ("items", n, "id"), f"duplicate id, first defined at {other.display}:{other.line(other_path)}"
                )
                continue
            where[item.id] = (source, ("items", n))
            items.append(item)
    for category in category_ids:
        if category not in found_categories | broken_categories:
            index_file.problem(("categories",), f"category '{category}' has no file {category}.yaml")

    # Keep catalogue order: categories as catalogue.yaml lists them, items as their file lists them.
    order = {c: i for i, c in enumerate(category_ids)}
    items.sort(key=lambda it: order.get(it.category, len(order)))
    by_id = {item.id: item for item in items}

    settings: dict[str, str] = {}
    checklists: dict[tuple[str, str], RoomChecklist] = {}
    profile_paths = sorted((folder / "profiles").glob("*.yaml"))
    if not profile_paths:
        problems.append(
            Problem(display(folder / "profiles"), 1, "(folder)", "no profiles: add profiles/<setting>.yaml")
        )
    for path in profile_paths:
        source = _YamlFile(path, display(path), problems)
        profile = source.validate(ProfileFile)
        if profile is None:
            continue
        if profile.setting != path.stem:
            source.problem(("setting",), f"'{profile.setting}' differs from the file name '{path.stem}'")
        settings[profile.setting] = profile.title
        _check_references(source, profile, by_id, category_ids, broken_ids, broken_categories)
        for room_type in profile.room_types:
            checklist = _resolve(profile, room_type, items, category_ids, index.version if index else "")
            base: Path_ = ("room_types", room_type)
            for category in category_ids:
                if category not in broken_categories and not any(r.item.category == category for r in checklist.items):
                    source.problem(base, f"no item of category '{category}' applies to this room type")
            for resolved in checklist.items:
                if resolved.item.kind is ItemKind.measurement and resolved.target is None:
                    source.problem(base, f"{resolved.item.id}: a measurement needs a target (none in item or profile)")
            checklists[(profile.setting, room_type)] = checklist

    if index is not None and index.changes is not None:
        _check_changes(
            index_file, index, by_id, broken_ids | {i for i in where if i.split(".", 1)[0] in broken_categories}
        )

    if problems:
        raise CatalogueError(problems)
    assert index is not None
    return Catalogue(
        version=index.version,
        title=index.title,
        categories=tuple(index.categories),
        principles=tuple(index.principles),
        items=tuple(items),
        settings=settings,
        checklists=checklists,
        changes=index.changes,
    )


def _check_changes(source: _YamlFile, index: CatalogueIndex, by_id: dict[str, Item], broken: set[str]) -> None:
    """The `changes:` section must describe this folder: renamed and new items exist here, old ids
    of renamed items and retired items do not, and no id is listed twice."""
    changes = index.changes
    assert changes is not None
    base: Path_ = ("changes",)
    if changes.previous == index.version:
        source.problem(
            base + ("previous",), f"'{changes.previous}' is this catalogue's own version; name the version before it"
        )

    def present(item_id: str) -> bool:
        return item_id in by_id or item_id in broken

    listed: dict[str, Path_] = {}

    def once(item_id: str, path: Path_) -> None:
        if item_id in listed:
            source.problem(path, f"'{item_id}' is already listed at line {source.line(listed[item_id])}")
        else:
            listed[item_id] = path

    for old, new in changes.renamed.items():
        path = base + ("renamed", old)
        once(old, path)
        if present(old):
            source.problem(path, f"'{old}' is still an item of this catalogue; a renamed item's old id must be gone")
        if not present(new):
            source.problem(path, f"'{new}' is not an item of this catalogue (the new id of a renamed item)")
    targets = list(changes.renamed.values())
    for new in {t for t in targets if targets.count(t) > 1}:
        source.problem(base + ("renamed",), f"two old items are renamed to '{new}'; an item is renamed from one id")
    for n, item_id in enumerate(changes.retired):
        once(item_id, base + ("retired", n))
        if present(item_id):
            source.problem(
                base + ("retired", n), f"'{item_id}' is still an item of this catalogue; a retired item is gone"
            )
    for n, item_id in enumerate(changes.new):
        once(item_id, base + ("new", n))
        if not present(item_id):
            source.problem(base + ("new", n), f"'{item_id}' is not an item of this catalogue")
        elif item_id in targets:
            source.problem(base + ("new", n), f"'{item_id}' is the new id of a renamed item, not a new item")


def _validate_index(source: _YamlFile) -> CatalogueIndex | None:
    """Validate catalogue.yaml; its `changes:` section on its own, so a mistake there is one problem
    and not a cascade through every file that names a category."""
    data = source.data
    if not isinstance(data, dict) or "changes" not in data:
        return source.validate(CatalogueIndex)
    index = source.validate(CatalogueIndex, {k: v for k, v in data.items() if k != "changes"})
    if data["changes"] is None:
        source.problem(("changes",), "empty: name the previous version, and the items renamed, retired or new")
        return index
    changes = source.validate(CatalogueChanges, data["changes"], ("changes",))
    if index is None or changes is None:
        return index
    return index.model_copy(update={"changes": changes})


def _validate_category_file(source: _YamlFile, broken_ids: set[str]) -> CategoryFile | None:
    """Validate a category file item by item, so one bad item does not hide the others."""
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data["items"]:
        source.validate(CategoryFile)  # reports what is wrong, an empty list of items included
        return None
    items: list[Item] = []
    for n, raw in enumerate(data["items"]):
        item = source.validate(Item, raw, ("items", n))
        if item is not None:
            items.append(item)
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            broken_ids.add(raw["id"])
    if not items:
        return None
    # Keep the good items (the bad ones are reported above) so profiles can still be checked.
    return source.validate(CategoryFile, {**data, "items": [i.model_dump() for i in items]})


def _check_references(
    source: _YamlFile,
    profile: ProfileFile,
    by_id: dict[str, Item],
    categories: list[str],
    broken_ids: set[str],
    broken_categories: set[str],
) -> None:
    """Every id and category a profile names must exist, and targets must suit their item.

    Ids of items, or of whole category files, that failed validation are not reported again here.
    """

    def _broken(item_id: str) -> bool:
        return item_id in broken_ids or item_id.split(".", 1)[0] in broken_categories

    def check_ids(path: Path_, ids: Iterable[str]) -> None:
        for n, item_id in enumerate(ids):
            where = path + (item_id,) if not isinstance(ids, list) else path + (n,)
            if item_id not in by_id and not _broken(item_id):
                source.problem(where, f"unknown item '{item_id}'")

    def check_targets(path: Path_, targets: dict[str, Target]) -> None:
        for item_id, target in targets.items():
            item = by_id.get(item_id)
            if item is None and _broken(item_id):
                continue
            if item is None:
                source.problem(path + (item_id,), f"unknown item '{item_id}'")
            elif item.kind is not ItemKind.measurement:
                source.problem(
                    path + (item_id,), f"'{item_id}' is a {item.kind.value} item; only measurements have targets"
                )
            elif target.unit != item.unit:
                source.problem(path + (item_id, "unit"), f"'{target.unit}' differs from the item's unit '{item.unit}'")

    def check_categories(path: Path_, weights: dict[str, float]) -> None:
        for category in weights:
            if category not in categories:
                source.problem(path + (category,), f"unknown category (known: {', '.join(categories)})")

    check_categories(("category_weights",), profile.category_weights)
    check_ids(("weights",), profile.weights)
    check_targets(("targets",), profile.targets)
    for room_type, room in profile.room_types.items():
        base: Path_ = ("room_types", room_type)
        check_ids(base + ("include",), room.include)
        check_ids(base + ("exclude",), room.exclude)
        check_ids(base + ("weights",), room.weights)
        check_targets(base + ("targets",), room.targets)
        check_categories(base + ("category_weights",), room.category_weights)
        for n, item_id in enumerate(room.include):
            if item_id in room.exclude:
                source.problem(base + ("include", n), f"'{item_id}' is both included and excluded")


def _resolve(
    profile: ProfileFile, room_type: str, items: list[Item], categories: list[str], version: str
) -> RoomChecklist:
    """Apply setting defaults, then the room type's own changes: which items, weights, targets."""
    room = profile.room_types[room_type]
    modules: list[Module] = room.modules or profile.modules
    included = set(room.include)
    excluded = set(room.exclude)
    resolved = []
    for item in items:
        applies = (item.module in modules or item.id in included) and item.id not in excluded
        if not applies:
            continue
        # Text and photo items are evidence: weight 0 whatever the profile says.
        weight = room.weights.get(item.id, profile.weights.get(item.id, 1.0)) if item.scored else 0.0
        target = room.targets.get(item.id) or profile.targets.get(item.id) or item.target
        resolved.append(ResolvedItem(item=item, weight=weight, target=target))
    category_weights = {c: room.category_weights.get(c, profile.category_weights.get(c, 1.0)) for c in categories}
    return RoomChecklist(
        setting=profile.setting,
        setting_title=profile.title,
        room_type=room_type,
        room_type_title=room.title,
        catalogue_version=version,
        category_weights=category_weights,
        items=tuple(resolved),
    )


def catalogue_dir() -> Path:
    """The current catalogue's folder: SENSORY_AUDIT_CATALOGUE_DIR when set, else the shipped one."""
    configured = os.environ.get(CATALOGUE_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_CATALOGUE_DIR


@cache
def default_catalogue() -> Catalogue:
    """The current catalogue (the shipped one unless SENSORY_AUDIT_CATALOGUE_DIR names another
    folder), loaded once per process."""
    return load_catalogue(catalogue_dir())
