"""What changed between two catalogues: items added, retired and renamed; wording, thresholds,
targets and weights (`sensory-audit catalogue diff OLD NEW`).

Renames come from the newer catalogue's `changes:` section; an item that disappears or appears
without being declared there is listed as retired or added, and named in `undeclared`, because
its answers will not carry over the way the author may expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checklists.schema import Catalogue, Item, Target

__all__ = ["CatalogueDiff", "Change", "diff_catalogues"]

# Fields of an item, in the order a reader checks them; the wording ones change no score.
WORDING_FIELDS = ("question", "guidance", "how_to_fix", "source", "evidence_note", "levels")
SCORING_FIELDS = (
    "kind", "critical", "allow_na", "module", "good_answer", "options", "unit", "valid", "target", "effort",
    "principles", "evidence",
)  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One difference: where (an item, or a room type of a setting), what, and the two values in words."""

    where: str
    what: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: {self.old} -> {self.new}"


@dataclass
class CatalogueDiff:
    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)  # scoring fields of items in both
    wording: list[Change] = field(default_factory=list)  # wording of items in both
    room_types: list[Change] = field(default_factory=list)  # weights, targets, which items apply
    catalogue: list[Change] = field(default_factory=list)  # title, categories, principles
    undeclared: list[str] = field(default_factory=list)  # what the newer `changes:` should have said

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.retired or self.renamed or self.items or self.wording or self.room_types
            or self.catalogue or self.old_version != self.new_version
        )  # fmt: skip

    def lines(self) -> list[str]:
        """The diff for a person at a terminal, one section per kind of change."""
        out = [f"Catalogue {self.old_version} -> {self.new_version}"]
        if self.empty:
            return [*out, "No differences."]

        def section(title: str, rows: list[str]) -> None:
            if rows:
                out.extend(["", f"{title} ({len(rows)})", *(f"  {row}" for row in rows)])

        section("Items added", self.added)
        section("Items retired", self.retired)
        section("Items renamed", [f"{old} -> {new}" for old, new in self.renamed])
        section("Thresholds, targets and scoring of items", [str(c) for c in self.items])
        section("Weights, targets and items per room type", [str(c) for c in self.room_types])
        section("Wording", [str(c) for c in self.wording])
        section("Catalogue", [str(c) for c in self.catalogue])
        section("Not declared in the newer catalogue's changes: section", self.undeclared)
        return out

    def to_json(self) -> dict[str, object]:
        def rows(changes: list[Change]) -> list[dict[str, str]]:
            return [{"where": c.where, "what": c.what, "old": c.old, "new": c.new} for c in changes]

        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": self.added,
            "retired": self.retired,
            "renamed": [{"old": o, "new": n} for o, n in self.renamed],
            "items": rows(self.items),
            "room_types": rows(self.room_types),
            "wording": rows(self.wording),
            "catalogue": rows(self.catalogue),
            "undeclared": self.undeclared,
        }


def _words(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, Target):
        return value.describe(compact=True)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_words(v) for v in value) + "]"
    if hasattr(value, "model_dump"):
        dumped = value.model_dump(mode="json")
        return ", ".join(f"{k}={_words(v)}" for k, v in dumped.items())
    text = str(getattr(value, "value", value))
    return text if len(text) <= 80 else text[:77] + "..."


def _item_changes(old: Item, new: Item, where: str) -> tuple[list[Change], list[Change]]:
    scoring, wording = [], []
    for name in SCORING_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            scoring.append(Change(where, name, _words(a), _words(b)))
    for name in WORDING_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            wording.append(Change(where, name, _words(a), _words(b)))
    return scoring, wording


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Every difference between two validated catalogues, in catalogue order."""
    diff = CatalogueDiff(old.version, new.version)
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    changes = new.changes
    declared_renames = dict(changes.renamed) if changes is not None else {}
    renamed = {o: n for o, n in declared_renames.items() if o in old_items and n in new_items}
    into = {n: o for o, n in renamed.items()}
    diff.renamed = sorted(renamed.items())
    diff.retired = [i for i in old_items if i not in new_items and i not in renamed]
    diff.added = [i for i in new_items if i not in old_items and i not in into]

    # The newer catalogue's declarations, checked against what really changed.
    if changes is not None and changes.previous != old.version:
        diff.undeclared.append(f"changes.previous names {changes.previous}, not {old.version}")
    declared_retired = set(changes.retired) if changes is not None else set()
    declared_new = set(changes.new) if changes is not None else set()
    diff.undeclared += [f"{i} is gone but not listed under retired or renamed" for i in diff.retired
                        if i not in declared_retired]  # fmt: skip
    diff.undeclared += [f"{i} is new but not listed under new or renamed" for i in diff.added if i not in declared_new]

    for item_id, item in new_items.items():
        before = old_items.get(into.get(item_id, item_id))
        if before is None:
            continue
        scoring, wording = _item_changes(before, item, item_id)
        diff.items += scoring
        diff.wording += wording

    for key, checklist in new.checklists.items():
        where = f"{key[0]}/{key[1]}"
        was = old.checklists.get(key)
        if was is None:
            diff.room_types.append(Change(where, "room type", "absent", "added"))
            continue
        for category, weight in checklist.category_weights.items():
            before_weight = was.category_weights.get(category)
            if before_weight is not None and before_weight != weight:
                diff.room_types.append(
                    Change(where, f"weight of category {category}", _words(before_weight), _words(weight))
                )
        before_items = was.by_id()
        for resolved in checklist.items:
            previous = before_items.get(into.get(resolved.id, resolved.id))
            if previous is None:
                if resolved.id not in diff.added:
                    diff.room_types.append(Change(where, resolved.id, "does not apply", "applies"))
                continue
            if previous.weight != resolved.weight:
                diff.room_types.append(
                    Change(where, f"weight of {resolved.id}", _words(previous.weight), _words(resolved.weight))
                )
            if previous.target != resolved.target:
                diff.room_types.append(
                    Change(where, f"target of {resolved.id}", _words(previous.target), _words(resolved.target))
                )
        applying = {r.id for r in checklist.items}
        for item_id in before_items:
            now = renamed.get(item_id, item_id)
            if now in new_items and now not in applying:
                diff.room_types.append(Change(where, now, "applies", "does not apply"))
    for key in old.checklists:
        if key not in new.checklists:
            diff.room_types.append(Change(f"{key[0]}/{key[1]}", "room type", "present", "removed"))

    if old.title != new.title:
        diff.catalogue.append(Change("catalogue", "title", old.title, new.title))
    for kind, before_list, after_list in (
        ("category", old.categories, new.categories),
        ("principle", old.principles, new.principles),
    ):
        before_map = {c.id: c for c in before_list}
        after_map = {c.id: c for c in after_list}
        for cid in before_map.keys() | after_map.keys():
            a, b = before_map.get(cid), after_map.get(cid)
            if a is None or b is None:
                diff.catalogue.append(Change(f"{kind} {cid}", kind, "absent" if a is None else "present",
                                             "added" if a is None else "removed"))  # fmt: skip
            elif a != b:
                what = "title" if a.title != b.title else "description"
                diff.catalogue.append(Change(f"{kind} {cid}", what, _words(getattr(a, what)), _words(getattr(b, what))))
    diff.catalogue.sort(key=lambda c: c.where)
    return diff
