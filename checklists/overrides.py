"""An organisation's own criteria: an override file read, checked against a base catalogue, and applied.

An organisation adapts the shipped criteria without copying them: a children's hospital wants quieter
wards, a school trust switches off items that do not apply to its buildings, a consultant adds two
items a client asked for. The override file (YAML) says only what differs:

    title: Quieter wards
    thresholds:                  # ideal and limit of a measurement, per room type
      clinic/waiting_room:
        noise.background_level: {ideal: [null, 30], limit: [null, 45]}
    weights:                     # item weights, per room type (or `clinic` for all its room types)
      school/classroom: {noise.background_level: 3}
    switched_off: [textures.natural_materials]
    critical: [noise.background_level]
    items:                       # new items, with the anatomy of shipped ones
      - id: lighting.night_light
        ...                      # question, guidance, how_to_fix, effort, principles, source, evidence
        applies_to: [clinic/waiting_room]

It is read by the loader's machinery, so every problem is `file:line: field: what is wrong`, and it is
checked against the catalogue it is applied to (items, room types, units). `apply_override` gives a
`Catalogue` whose version names both the base and the organisation's criteria version
(`override_version`: "2026.1+org7.3" is catalogue 2026.1 under version 3 of organisation 7's criteria).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from checklists.loader import CatalogueError, Problem, YamlFile
from checklists.schema import Bound, Catalogue, Item, ItemKind, NonEmpty, ResolvedItem, RoomChecklist, Target

__all__ = [
    "MAX_WEIGHT",
    "OrganisationVersion",
    "OverrideFile",
    "apply_override",
    "base_version",
    "check_override",
    "override_version",
    "parse_override_version",
    "read_override",
]

# Weights an organisation may give: more than 0 (switch an item off to drop it) and at most this.
MAX_WEIGHT = 10.0

# Where a threshold or weight applies: "setting/room_type", or "setting" for all its room types.
RoomKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?$")]
ItemId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]


def _weight_in_range(value: float) -> float:
    if not math.isfinite(value) or value <= 0 or value > MAX_WEIGHT:
        raise ValueError(
            f"must be more than 0 and at most {MAX_WEIGHT:g} (got {value:g}); to drop an item, switch it off"
        )
    return value


Weight = Annotated[float, AfterValidator(_weight_in_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    """A measurement's ideal and limit in one room type; the unit is the item's (written or not)."""

    unit: NonEmpty | None = None
    ideal: tuple[Bound, Bound]
    limit: tuple[Bound, Bound]

    @model_validator(mode="after")
    def _a_valid_target(self) -> Threshold:
        try:
            Target(unit=self.unit or "-", ideal=self.ideal, limit=self.limit)
        except ValidationError as error:
            message = error.errors()[0]["msg"]
            raise ValueError(message.removeprefix("Value error, ")) from None
        return self

    def target(self, unit: str) -> Target:
        return Target(unit=unit, ideal=self.ideal, limit=self.limit)


class AddedItem(Item):
    """A new item: the anatomy of a shipped one, plus where it applies and its weight there.

    An organisation's own policy is a source like any other (e.g. "Ward noise policy WNP-3, 2026")."""

    applies_to: Annotated[list[RoomKey], Field(min_length=1)]
    weight: Weight = 1.0

    def as_item(self) -> Item:
        return Item.model_validate(self.model_dump(exclude={"applies_to", "weight"}))


class OverrideFile(_Strict):
    """An organisation's criteria file, as written."""

    title: NonEmpty | None = None
    thresholds: dict[RoomKey, dict[ItemId, Threshold]] = {}
    weights: dict[RoomKey, dict[ItemId, Weight]] = {}
    switched_off: list[ItemId] = []
    critical: list[ItemId] = []
    items: list[AddedItem] = []

    @property
    def empty(self) -> bool:
        return not (self.thresholds or self.weights or self.switched_off or self.critical or self.items)


# --------------------------------------------------------------------------------------------
# Versions
# --------------------------------------------------------------------------------------------

_VERSION = re.compile(r"^(?P<base>.+)\+org(?P<org>\d+)\.(?P<number>\d+)$")


@dataclass(frozen=True)
class OrganisationVersion:
    """What a version string such as "2026.1+org7.3" names: base catalogue, organisation, its version."""

    base: str
    organisation_id: int
    number: int


def override_version(base: str, organisation_id: int, number: int) -> str:
    """The version of a catalogue under an organisation's criteria: "2026.1+org7.3"."""
    return f"{base}+org{organisation_id}.{number}"


def parse_override_version(version: str) -> OrganisationVersion | None:
    """The parts of an organisation version string; None for a plain catalogue version."""
    found = _VERSION.match(version)
    if found is None:
        return None
    return OrganisationVersion(found["base"], int(found["org"]), int(found["number"]))


def base_version(version: str) -> str:
    """The catalogue version under an organisation's criteria ("2026.1+org7.3" -> "2026.1")."""
    parsed = parse_override_version(version)
    return version if parsed is None else parsed.base


# --------------------------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------------------------


def read_override(text: str, base: Catalogue, display: str = "organisation-criteria.yaml") -> OverrideFile:
    """Read an override file and check it against `base`; raise CatalogueError listing every problem."""
    problems: list[Problem] = []
    source = YamlFile(None, display, problems, text=text)
    override = None
    if source.data is None and not problems:
        override = OverrideFile()  # an empty file: no changes
    elif source.data is not None:
        if not isinstance(source.data, dict):
            source.problem((), "must be a mapping of thresholds, weights, switched_off, critical and items")
        else:
            override = source.validate(OverrideFile)
    if override is not None:
        _check(source, override, base)
    if problems:
        raise CatalogueError(problems)
    assert override is not None
    return override


def check_override(text: str, base: Catalogue, display: str = "organisation-criteria.yaml") -> list[Problem]:
    """Every problem of an override file against `base` (empty when it applies cleanly)."""
    try:
        read_override(text, base, display)
    except CatalogueError as error:
        return error.problems
    return []


def _room_types(base: Catalogue, key: str) -> list[tuple[str, str]]:
    setting, _, room_type = key.partition("/")
    return [(s, r) for (s, r) in base.checklists if s == setting and (not room_type or r == room_type)]


def _check(source: YamlFile, override: OverrideFile, base: Catalogue) -> None:
    """What the schema cannot see: ids, room types and units must be those of the base catalogue."""
    shipped = {item.id: item for item in base.items}
    categories = [c.id for c in base.categories]
    added: dict[str, AddedItem] = {}
    for n, new in enumerate(override.items):
        path: tuple[str | int, ...] = ("items", n, "id")
        if new.id in shipped:
            source.problem(path, f"'{new.id}' is already an item of catalogue {base.version}; choose a new id")
        elif new.id in added:
            source.problem(path, f"'{new.id}' is added twice")
        elif new.category not in categories:
            source.problem(path, f"unknown category '{new.category}' (known: {', '.join(categories)})")
        added[new.id] = new
        for m, key in enumerate(new.applies_to):
            _check_room_key(source, base, ("items", n, "applies_to", m), key)
    switched_off = set(override.switched_off)
    known = {**shipped, **{i: a.as_item() for i, a in added.items()}}

    def item_of(path: tuple[str | int, ...], item_id: str, *, shipped_only: bool = False) -> Item | None:
        item = (shipped if shipped_only else known).get(item_id)
        if item is None:
            what = "item of catalogue" if shipped_only or not added else "item of catalogue or of this file,"
            source.problem(path, f"unknown item '{item_id}' (not an {what} {base.version})")
        elif item_id in switched_off and path[0] != "switched_off":
            source.problem(path, f"'{item_id}' is switched off in this file")
        return item

    def applies(key: str, item_id: str) -> bool:
        if item_id in added:
            rooms = {place for k in added[item_id].applies_to for place in _room_types(base, k)}
            return any(place in rooms for place in _room_types(base, key))
        return any(item_id in base.checklists[place].by_id() for place in _room_types(base, key))

    for n, item_id in enumerate(override.switched_off):
        item_of(("switched_off", n), item_id, shipped_only=True)
        if override.switched_off.index(item_id) != n:
            source.problem(("switched_off", n), f"'{item_id}' is listed twice")
    for n, item_id in enumerate(override.critical):
        item = item_of(("critical", n), item_id)
        if item is not None and not item.scored:
            source.problem(("critical", n), f"'{item_id}' is a {item.kind.value} item: not scored, so never critical")
        if override.critical.index(item_id) != n:
            source.problem(("critical", n), f"'{item_id}' is listed twice")
    for key, weights in override.weights.items():
        if not _check_room_key(source, base, ("weights", key), key):
            continue
        for item_id in weights:
            path = ("weights", key, item_id)
            item = item_of(path, item_id)
            if item is not None and not item.scored:
                source.problem(path, f"'{item_id}' is a {item.kind.value} item: evidence, always weight 0")
            elif item is not None and not applies(key, item_id):
                source.problem(path, f"'{item_id}' does not apply to {key}")
    for key, thresholds in override.thresholds.items():
        if not _check_room_key(source, base, ("thresholds", key), key):
            continue
        for item_id, threshold in thresholds.items():
            path = ("thresholds", key, item_id)
            item = item_of(path, item_id)
            if item is None:
                continue
            if item.kind is not ItemKind.measurement:
                source.problem(path, f"'{item_id}' is a {item.kind.value} item; only measurements have thresholds")
            elif threshold.unit is not None and threshold.unit != item.unit:
                source.problem(path + ("unit",), f"'{threshold.unit}' differs from the item's unit '{item.unit}'")
            elif not applies(key, item_id):
                source.problem(path, f"'{item_id}' does not apply to {key}")
    for n, new in enumerate(override.items):
        if new.kind is ItemKind.measurement and new.target is None:
            for key in new.applies_to:
                covered = override.thresholds.get(key, {}).get(new.id) or override.thresholds.get(
                    key.partition("/")[0], {}
                ).get(new.id)
                if covered is None:
                    source.problem(("items", n), f"a measurement needs a target (none in the item or for {key})")


def _check_room_key(source: YamlFile, base: Catalogue, path: tuple[str | int, ...], key: str) -> bool:
    setting, _, room_type = key.partition("/")
    if setting not in base.settings:
        source.problem(path, f"unknown setting '{setting}' (known: {', '.join(base.settings)})")
        return False
    if room_type and (setting, room_type) not in base.checklists:
        known = ", ".join(base.room_types(setting))
        source.problem(path, f"unknown room type '{room_type}' of setting '{setting}' (known: {known})")
        return False
    return True


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


def _for_room(values: dict[str, dict[str, object]], setting: str, room_type: str, item_id: str) -> object | None:
    """A room type's own value first, then the setting-wide one."""
    own = values.get(f"{setting}/{room_type}", {})
    if item_id in own:
        return own[item_id]
    return values.get(setting, {}).get(item_id)


def apply_override(base: Catalogue, override: OverrideFile, version: str) -> Catalogue:
    """`base` under an organisation's criteria, as a catalogue of its own version (see `override_version`).

    Semantics (DESIGN.md, "The engine"): a switched-off item applies nowhere, so it counts neither in
    the score nor in completeness; a critical item caps the band at C when failed and comes first in
    the action plan; a weight is the item's w_i in its category; a threshold is the measurement's
    target in that room type; an added item applies where `applies_to` says, with its weight.
    The override must have been read against `base` (`read_override`)."""
    off = set(override.switched_off)
    critical = set(override.critical)
    order = {c.id: n for n, c in enumerate(base.categories)}

    def adapted(item: Item) -> Item:
        return item.model_copy(update={"critical": True}) if item.id in critical and not item.critical else item

    new_items = [(added, adapted(added.as_item())) for added in override.items]
    items = [adapted(item) for item in base.items if item.id not in off] + [item for _, item in new_items]
    items.sort(key=lambda item: order.get(item.category, len(order)))  # stable: new items end their category
    thresholds: dict[str, dict[str, object]] = {k: dict(v) for k, v in override.thresholds.items()}
    weights: dict[str, dict[str, object]] = {k: dict(v) for k, v in override.weights.items()}

    checklists: dict[tuple[str, str], RoomChecklist] = {}
    for (setting, room_type), checklist in base.checklists.items():
        resolved: list[ResolvedItem] = []
        for entry in checklist.items:
            if entry.id in off:
                continue
            resolved.append(
                _resolved(adapted(entry.item), entry.weight, entry.target, weights, thresholds, setting, room_type)
            )
        for added, item in new_items:
            if any((setting, room_type) in _room_types(base, key) for key in added.applies_to):
                weight = added.weight if item.scored else 0.0
                resolved.append(_resolved(item, weight, item.target, weights, thresholds, setting, room_type))
        resolved.sort(key=lambda r: order.get(r.item.category, len(order)))
        checklists[(setting, room_type)] = checklist.model_copy(
            update={"items": tuple(resolved), "catalogue_version": version}
        )
    return base.model_copy(update={"version": version, "items": tuple(items), "checklists": checklists})


def _resolved(
    item: Item,
    weight: float,
    target: Target | None,
    weights: dict[str, dict[str, object]],
    thresholds: dict[str, dict[str, object]],
    setting: str,
    room_type: str,
) -> ResolvedItem:
    own_weight = _for_room(weights, setting, room_type, item.id)
    if own_weight is not None and item.scored:
        assert isinstance(own_weight, float | int)
        weight = float(own_weight)
    threshold = _for_room(thresholds, setting, room_type, item.id)
    if isinstance(threshold, Threshold) and item.unit is not None:
        target = threshold.target(item.unit)
    return ResolvedItem(item=item, weight=weight, target=target)
