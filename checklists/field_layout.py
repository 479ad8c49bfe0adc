"""The field form of a room type: which form fields carry each checklist item, for offline rounds.

An offline round uses a form (an XLSForm for ODK Collect or KoboToolbox, written by
`reports.xlsform`) and comes back as a table of submissions (read by `assessments.submissions`).
Both sides take the names of the fields from here, so the form and its import always agree.

Per item, inside a group named after its category:

| kind | fields |
|---|---|
| yes_no, choice, rating | `<name>`: one choice; `na` where the item allows n/a |
| measurement | `<name>_na` (only where n/a is allowed), `<name>_1` .. `<name>_6`: decimal readings |
| flicker | `<name>_na` (where allowed), `<name>_percent`, `<name>_frequency_hz` |
| text | `<name>`: text; photo: `<name>`: an image |
| every item | `<name>_note`: the assessor's note; `<name>_photo`: a photo (photo items have theirs) |

`<name>` is the part of the item id after the category (`lighting.illuminance` -> `illuminance`).
Every measurement item takes several readings (the engine scores their mean), so each gets six
reading slots, the next one shown once the previous is filled. No repeat group is used: a
KoboToolbox CSV export only carries a form's main table, so readings kept in a repeat would be
lost on the way back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checklists.schema import Item, ItemKind, ResolvedItem, RoomChecklist

__all__ = [
    "NA_CHOICE",
    "NA_LABEL",
    "PROVISIONAL_FIELD",
    "READING_SLOTS",
    "VISIT_FIELDS",
    "FieldRole",
    "FormField",
    "ItemFields",
    "choice_list",
    "item_fields",
    "layout",
]

# How many readings a measurement item offers in the form.
READING_SLOTS = 6
# The choice name of "not applicable" in every list that offers it (parse_answer reads "na" as n/a).
NA_CHOICE = "na"
NA_LABEL = "Not applicable"

# The fields of the visit itself, outside any group: hidden form facts first, then the questions.
VISIT_FIELDS = ("catalogue_version", "form_version", "setting", "room_type", "room", "assessor", "visit_date")
PROVISIONAL_FIELD = "provisional_reason"


class FieldRole(StrEnum):
    answer = "answer"  # a choice, a text, or the photo of a photo item
    na = "na"  # "not applicable" of a measurement or flicker item
    reading = "reading"  # one reading of a measurement
    percent = "percent"  # flicker modulation
    frequency = "frequency"  # flicker frequency
    note = "note"
    photo = "photo"


@dataclass(frozen=True)
class FormField:
    name: str  # unique in the form
    group: str  # the category
    role: FieldRole
    slot: int = 0  # readings: 1 .. READING_SLOTS

    @property
    def path(self) -> str:
        return f"{self.group}/{self.name}"


@dataclass(frozen=True)
class ItemFields:
    resolved: ResolvedItem
    name: str
    fields: tuple[FormField, ...]

    def of(self, role: FieldRole) -> list[FormField]:
        return [f for f in self.fields if f.role is role]


def choice_list(item: Item) -> list[tuple[str, str]]:
    """The (name, label) choices of a yes/no, choice or rating item in the form, n/a last where allowed.

    Labels are the catalogue's words: 'Yes', an option's label, '3: <what level 3 looks like>'.
    """
    if item.kind is ItemKind.yes_no:
        options = [("yes", "Yes"), ("no", "No")]
    elif item.kind is ItemKind.choice:
        options = [(o.value, o.label) for o in item.options or ()]
    elif item.kind is ItemKind.rating:
        options = [(str(n), f"{n}: {level}") for n, level in enumerate(item.levels or ())]
    else:
        raise ValueError(f"{item.id}: a {item.kind.value} item has no choices")
    if item.allow_na:
        options.append((NA_CHOICE, NA_LABEL))
    return options


def _base_name(resolved: ResolvedItem, taken: set[str]) -> str:
    short = resolved.item.id.split(".", 1)[1]
    if short in taken:
        short = resolved.item.id.replace(".", "_")
    taken.add(short)
    return short


def item_fields(resolved: ResolvedItem, name: str) -> ItemFields:
    item, group = resolved.item, resolved.item.category
    fields: list[FormField] = []
    if item.kind in (ItemKind.measurement, ItemKind.flicker) and item.allow_na:
        fields.append(FormField(f"{name}_na", group, FieldRole.na))
    if item.kind is ItemKind.measurement:
        fields += [FormField(f"{name}_{n}", group, FieldRole.reading, n) for n in range(1, READING_SLOTS + 1)]
    elif item.kind is ItemKind.flicker:
        fields += [
            FormField(f"{name}_percent", group, FieldRole.percent),
            FormField(f"{name}_frequency_hz", group, FieldRole.frequency),
        ]
    else:
        fields.append(FormField(name, group, FieldRole.answer))
    fields.append(FormField(f"{name}_note", group, FieldRole.note))
    if item.kind is not ItemKind.photo:
        fields.append(FormField(f"{name}_photo", group, FieldRole.photo))
    return ItemFields(resolved, name, tuple(fields))


def layout(checklist: RoomChecklist) -> list[ItemFields]:
    """The fields of every item of a room type's checklist, in checklist order."""
    taken: set[str] = set(VISIT_FIELDS) | {PROVISIONAL_FIELD}
    return [item_fields(resolved, _base_name(resolved, taken)) for resolved in checklist.items]
