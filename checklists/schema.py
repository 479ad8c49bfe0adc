"""The checklist catalogue as strict pydantic models.

Two layers live here: the *file* models mirror the YAML files one to one (so a validation error's
location is a path into the file, which the loader turns into a line number), and the *resolved*
models (`Catalogue`, `RoomChecklist`) are what the engine, the store and the screens use.
One cohesive thing, kept whole on purpose: the catalogue's schema, both layers side by side.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

__all__ = [
    "DEFAULT_PLAUSIBLE_FACTOR",
    "EFFORT_COST",
    "PRINCIPLES",
    "SCORED_KINDS",
    "Catalogue",
    "CatalogueChanges",
    "CatalogueIndex",
    "CategoryFile",
    "CategoryInfo",
    "Effort",
    "Grade",
    "Item",
    "ItemKind",
    "Module",
    "Option",
    "PrincipleInfo",
    "ProfileFile",
    "ResolvedItem",
    "RoomChecklist",
    "RoomTypeProfile",
    "Target",
]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
PositiveWeight = Annotated[float, Field(gt=0, allow_inf_nan=False)]

# The trauma-informed principles of shared CRITERIA.md; every item is tagged with some of them.
PRINCIPLES: tuple[str, ...] = ("safety", "regulation", "choice", "predictability", "dignity", "inclusion")
Principle = Literal["safety", "regulation", "choice", "predictability", "dignity", "inclusion"]


class ItemKind(StrEnum):
    yes_no = "yes_no"
    choice = "choice"
    rating = "rating"
    measurement = "measurement"
    flicker = "flicker"
    text = "text"
    photo = "photo"


# Text and photo items are evidence: they are shown and exported but never scored (weight 0).
SCORED_KINDS = frozenset({ItemKind.yes_no, ItemKind.choice, ItemKind.rating, ItemKind.measurement, ItemKind.flicker})


class Effort(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


# The action plan ranks fixes by gain per unit of effort.
EFFORT_COST: dict[Effort, float] = {Effort.low: 1.0, Effort.medium: 2.0, Effort.high: 4.0}


class Grade(StrEnum):
    """Evidence grades of CRITERIA.md."""

    P = "P"  # a published standard or guideline value
    R = "R"  # a peer-reviewed research finding
    D = "D"  # a design choice of ours, derived from P or R values
    Q = "Q"  # qualitative good practice (no number exists)


# A reading beyond its target's limit by more than this factor (above limit x factor, or below limit /
# factor) is unlikely in the room; the Assess screen asks before saving it. Items may set their own.
DEFAULT_PLAUSIBLE_FACTOR = 10.0


class Module(StrEnum):
    core = "core"
    enhanced = "enhanced"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Bound = float | None


class Target(_Strict):
    """A measurement target: 1 inside `ideal`, 0 outside `limit`, linear in between; null = open end."""

    unit: NonEmpty
    ideal: tuple[Bound, Bound]
    limit: tuple[Bound, Bound]

    @field_validator("ideal", "limit")
    @classmethod
    def _finite_and_ordered(cls, value: tuple[Bound, Bound]) -> tuple[Bound, Bound]:
        lo, hi = value
        for end in (lo, hi):
            if end is not None and not math.isfinite(end):
                raise ValueError("bounds must be finite numbers or null")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"lower bound {lo:g} is above upper bound {hi:g}")
        return value

    @model_validator(mode="after")
    def _ideal_inside_limit(self) -> Target:
        (ilo, ihi), (llo, lhi) = self.ideal, self.limit
        if llo is not None and (ilo is None or ilo < llo):
            raise ValueError(f"ideal {_fmt_range(self.ideal)} reaches below limit {_fmt_range(self.limit)}")
        if lhi is not None and (ihi is None or ihi > lhi):
            raise ValueError(f"ideal {_fmt_range(self.ideal)} reaches above limit {_fmt_range(self.limit)}")
        return self

    def describe(self, *, compact: bool = False, locale: str | None = None) -> str:
        """Plain words for an assessor: 'ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx', or
        with `compact`, for a narrow table column: 'ideal 300–500 lx; 0 below 150 or above 1000 lx';
        in `locale`'s words and numbers (worded once, in checklists.describe)."""
        from checklists.describe import describe

        return describe(self, compact=compact, locale=locale)

    def ideal_text(self, *, compact: bool = False, locale: str | None = None) -> str:
        """The ideal band alone: 'ideal 300 to 500 lx' ('ideal 300–500 lx' with `compact`)."""
        from checklists.describe import ideal_words

        return ideal_words(self, compact=compact, locale=locale)


def _fmt_range(bounds: tuple[Bound, Bound]) -> str:
    lo, hi = bounds
    return f"[{'null' if lo is None else f'{lo:g}'}, {'null' if hi is None else f'{hi:g}'}]"


class Option(_Strict):
    value: NonEmpty
    label: NonEmpty
    score: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

    @field_validator("value", mode="before")
    @classmethod
    def _yaml_booleans_are_words(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted `yes` as true; an option's value is always a word.
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value


class Item(_Strict):
    """One checklist item, as written in a category file."""

    id: ItemId
    kind: ItemKind
    question: NonEmpty
    guidance: NonEmpty
    how_to_fix: NonEmpty
    effort: Effort
    principles: Annotated[list[Principle], Field(min_length=1)]
    source: NonEmpty
    evidence: Grade
    evidence_note: NonEmpty | None = None
    critical: bool = False
    allow_na: bool = False
    module: Module = Module.core
    # yes_no: the answer that scores 1.
    good_answer: bool | None = None
    # choice: the options and their scores.
    options: list[Option] | None = None
    # rating: what each level 0..4 looks like.
    levels: list[NonEmpty] | None = None
    # measurement: the unit, physically possible readings, and the default target.
    unit: NonEmpty | None = None
    valid: tuple[Bound, Bound] | None = None
    target: Target | None = None
    # measurement: how far past the target's limit a reading may go before the Assess screen asks
    # "Save it anyway?" (default DEFAULT_PLAUSIBLE_FACTOR; above limit x factor, below limit / factor).
    plausible_factor: float | None = None

    @property
    def category(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS

    @field_validator("valid")
    @classmethod
    def _valid_ordered(cls, value: tuple[Bound, Bound] | None) -> tuple[Bound, Bound] | None:
        if value is not None and value[0] is not None and value[1] is not None and value[0] > value[1]:
            raise ValueError(f"lower bound {value[0]:g} is above upper bound {value[1]:g}")
        return value

    @field_validator("plausible_factor")
    @classmethod
    def _factor_above_one(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or value <= 1):
            raise ValueError(
                f"must be a number above 1 (got {value:g}): 1 or less would question readings inside the limit"
            )
        return value

    @property
    def unlikely_factor(self) -> float:
        """The plausibility factor of a measurement: its own, or the catalogue's default."""
        return self.plausible_factor if self.plausible_factor is not None else DEFAULT_PLAUSIBLE_FACTOR

    @field_validator("principles")
    @classmethod
    def _no_repeated_principles(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a principle is listed twice")
        return value

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Item:
        kind = self.kind
        allowed = {
            ItemKind.yes_no: {"good_answer"},
            ItemKind.choice: {"options"},
            ItemKind.rating: {"levels"},
            ItemKind.measurement: {"unit", "valid", "target", "plausible_factor"},
        }.get(kind, set())
        for name in ("good_answer", "options", "levels", "unit", "valid", "target", "plausible_factor"):
            if getattr(self, name) is not None and name not in allowed:
                raise ValueError(f"'{name}' does not belong to a {kind.value} item")
        if kind is ItemKind.yes_no and self.good_answer is None:
            raise ValueError("a yes_no item needs good_answer (yes or no)")
        if kind is ItemKind.choice:
            if not self.options or len(self.options) < 2:
                raise ValueError("a choice item needs at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
        if kind is ItemKind.rating and (self.levels is None or len(self.levels) != 5):
            raise ValueError("a rating item needs exactly five levels, describing 0 to 4")
        if kind is ItemKind.measurement:
            if self.unit is None:
                raise ValueError("a measurement item needs a unit")
            if self.target is not None and self.target.unit != self.unit:
                raise ValueError(f"target unit '{self.target.unit}' differs from the item's unit '{self.unit}'")
        if self.critical and not self.scored:
            raise ValueError(f"a {kind.value} item is not scored and cannot be critical")
        return self


class CategoryFile(_Strict):
    """One category file, e.g. data/lighting.yaml."""

    category: Slug
    items: Annotated[list[Item], Field(min_length=1)]


class CategoryInfo(_Strict):
    id: Slug
    title: NonEmpty
    description: NonEmpty


class PrincipleInfo(_Strict):
    id: Principle
    title: NonEmpty
    description: NonEmpty


class CatalogueChanges(_Strict):
    """How a catalogue version's items relate to the version before it (`changes:` in catalogue.yaml).

    `renamed` maps an old item id to the id that now asks the same thing: its answers count for the
    new id. `retired` items are gone: their answers are kept and shown as retired. `new` items had no
    counterpart. Items in neither list are the same item under the same id.
    """

    previous: NonEmpty
    renamed: dict[ItemId, ItemId] = {}
    retired: list[ItemId] = []
    new: list[ItemId] = []


class CatalogueIndex(_Strict):
    """data/catalogue.yaml: the version, the categories in order, and the principles."""

    version: NonEmpty
    title: NonEmpty
    changes: CatalogueChanges | None = None
    categories: Annotated[list[CategoryInfo], Field(min_length=1)]
    principles: Annotated[list[PrincipleInfo], Field(min_length=1)]


class RoomTypeProfile(_Strict):
    """What one room type changes against its setting's defaults."""

    title: NonEmpty
    description: NonEmpty | None = None
    modules: list[Module] | None = None
    include: list[ItemId] = []
    exclude: list[ItemId] = []
    category_weights: dict[Slug, PositiveWeight] = {}
    weights: dict[ItemId, PositiveWeight] = {}
    targets: dict[ItemId, Target] = {}


class ProfileFile(_Strict):
    """One setting's profile file, e.g. data/profiles/school.yaml."""

    setting: Slug
    title: NonEmpty
    modules: Annotated[list[Module], Field(min_length=1)] = [Module.core]
    category_weights: dict[Slug, PositiveWeight] = {}
    weights: dict[ItemId, PositiveWeight] = {}
    targets: dict[ItemId, Target] = {}
    room_types: Annotated[dict[Slug, RoomTypeProfile], Field(min_length=1)]


class ResolvedItem(_Strict):
    """An item as it applies to one room type: effective weight and target."""

    item: Item
    weight: float
    target: Target | None

    @property
    def id(self) -> str:
        return self.item.id


class RoomChecklist(_Strict):
    """The resolved checklist of one room type of one setting."""

    setting: str
    setting_title: str
    room_type: str
    room_type_title: str
    catalogue_version: str
    category_weights: dict[str, float]
    items: tuple[ResolvedItem, ...]

    def by_id(self) -> dict[str, ResolvedItem]:
        return {r.item.id: r for r in self.items}

    def to_json(self) -> dict[str, object]:
        """The `catalogue show --format json` contract of DESIGN.md."""
        return {
            "setting": self.setting,
            "room_type": self.room_type,
            "catalogue_version": self.catalogue_version,
            "categories": {c: {"weight": w} for c, w in self.category_weights.items()},
            "items": [
                {
                    "id": r.item.id,
                    "category": r.item.category,
                    "kind": r.item.kind.value,
                    "weight": r.weight,
                    "critical": r.item.critical,
                    "allow_na": r.item.allow_na,
                    "effort": r.item.effort.value,
                    "principles": list(r.item.principles),
                    "good_answer": None if r.item.good_answer is None else ("yes" if r.item.good_answer else "no"),
                    "options": None
                    if r.item.options is None
                    else [{"value": o.value, "score": o.score} for o in r.item.options],
                    "target": None
                    if r.target is None
                    else {"unit": r.target.unit, "ideal": list(r.target.ideal), "limit": list(r.target.limit)},
                }
                for r in self.items
            ],
        }


class Catalogue(_Strict):
    """The whole validated catalogue, with every room type resolved."""

    version: str
    title: str
    categories: tuple[CategoryInfo, ...]
    principles: tuple[PrincipleInfo, ...]
    items: tuple[Item, ...]
    settings: dict[str, str]  # setting id -> title
    checklists: dict[tuple[str, str], RoomChecklist]
    # How this version's items relate to the previous version (None for a first version).
    changes: CatalogueChanges | None = None

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def room_types(self, setting: str) -> list[str]:
        return [rt for (s, rt) in self.checklists if s == setting]

    def checklist(self, setting: str, room_type: str) -> RoomChecklist:
        try:
            return self.checklists[(setting, room_type)]
        except KeyError:
            if setting not in self.settings:
                raise KeyError(f"unknown setting '{setting}' (known: {', '.join(self.settings)})") from None
            raise KeyError(
                f"unknown room type '{room_type}' for setting '{setting}' "
                f"(known: {', '.join(self.room_types(setting))})"
            ) from None
