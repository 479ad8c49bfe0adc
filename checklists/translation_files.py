"""A translation file's form and its checks: `checklists/locales/<locale>.yaml` read as strict
models, and checked against the catalogue. Every problem is reported as `file:line: field: what is
wrong`, like the catalogue loader; an entry naming an unknown item, field, choice, category or room
type is refused and the entries that fit are kept. Applying the words is `checklists.translations`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from checklists.loader import Problem, _YamlFile
from checklists.locale_files import DEFAULT_LOCALES_DIR
from checklists.schema import Catalogue, Item, ItemKind

__all__ = ["ItemText", "SettingText", "TitleText", "TranslationFile", "check_translations"]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LocaleCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TitleText(_Strict):
    title: NonEmpty | None = None
    description: NonEmpty | None = None


class SettingText(_Strict):
    title: NonEmpty | None = None
    room_types: dict[str, NonEmpty] = {}


class ItemText(_Strict):
    """One item's words; the field names are the catalogue's own, but for `name`: the item's short
    name on charts and in the reports' tables ("Éclairement"), which English derives from its id."""

    name: NonEmpty | None = None
    question: NonEmpty | None = None
    guidance: NonEmpty | None = None
    how_to_fix: NonEmpty | None = None
    options: dict[str, NonEmpty] | None = None
    levels: list[NonEmpty] | None = None

    @field_validator("options", mode="before")
    @classmethod
    def _yaml_booleans_are_words(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted `yes:` key as true; an option's value is always a word.
        if isinstance(value, dict):
            return {("yes" if k else "no") if isinstance(k, bool) else k: v for k, v in value.items()}
        return value


class TranslationFile(_Strict):
    """One locale's file, e.g. locales/fr.yaml."""

    locale: LocaleCode
    language: NonEmpty
    title: NonEmpty | None = None
    # The words that start the "how to measure / check" part of a guidance ("Comment mesurer :"),
    # so the Assess screen can show its first sentence under the question, as in English.
    how_markers: list[NonEmpty] = []
    categories: dict[str, TitleText] = {}
    principles: dict[str, TitleText] = {}
    settings: dict[str, SettingText] = {}
    items: dict[str, ItemText] = {}


class _TranslationYaml(_YamlFile):
    """The loader's YAML file, with each entry's line being the line of its key: an unknown item
    id points at the line the id is written on, not at its first field."""

    def _index(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        super()._index(node, path)
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                self.lines[path + (str(key.value),)] = key.start_mark.line + 1


def check_translations(
    catalogue: Catalogue, locale: str, folder: Path | str = DEFAULT_LOCALES_DIR
) -> tuple[TranslationFile | None, list[Problem]]:
    """Read and check one locale's file against a catalogue: the file (None when unreadable) with the
    entries that fit the catalogue, and every problem found."""
    path = Path(folder) / f"{locale}.yaml"
    display = f"{Path(folder).name}/{path.name}"
    if not path.is_file():
        return None, [Problem(display, 1, "(file)", f"no translation file for locale '{locale}'")]
    problems: list[Problem] = []
    source = _TranslationYaml(path, display, problems)
    parsed = _validate(source)
    if parsed is None:
        return None, problems
    if parsed.locale != locale:
        source.problem(("locale",), f"'{parsed.locale}' differs from the file name '{locale}'")
    return _fit(source, parsed, catalogue), problems


def _validate(source: _YamlFile) -> TranslationFile | None:
    """Validate the file, each item on its own, so one bad item neither hides the others nor the
    rest of the file."""
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        return source.validate(TranslationFile)
    items: dict[str, ItemText] = {}
    for item_id, raw in data["items"].items():
        text = source.validate(ItemText, raw if raw is not None else {}, ("items", str(item_id)))
        if text is not None:
            items[str(item_id)] = text
    rest = source.validate(TranslationFile, {**data, "items": {}})
    return None if rest is None else rest.model_copy(update={"items": items})


def _fit(source: _YamlFile, parsed: TranslationFile, catalogue: Catalogue) -> TranslationFile:
    """Report every entry that names something the catalogue does not have; keep the others."""
    categories = {c.id for c in catalogue.categories}
    principles: set[str] = {p.id for p in catalogue.principles}
    room_types: dict[str, set[str]] = {}
    for setting, room_type in catalogue.checklists:
        room_types.setdefault(setting, set()).add(room_type)
    items = {item.id: item for item in catalogue.items}

    def known(section: str, names: dict[str, Any], allowed: set[str], what: str) -> dict[str, Any]:
        kept = {}
        for name, value in names.items():
            if name in allowed:
                kept[name] = value
            else:
                source.problem((section, name), f"unknown {what} '{name}' (known: {', '.join(sorted(allowed))})")
        return kept

    kept_settings = {}
    for setting, text in known("settings", parsed.settings, set(catalogue.settings), "setting").items():
        rooms: dict[str, str] = {}
        for room_type, title in text.room_types.items():
            if room_type in room_types.get(setting, set()):
                rooms[room_type] = title
            else:
                source.problem(
                    ("settings", setting, "room_types", room_type),
                    f"unknown room type '{room_type}' of setting '{setting}' "
                    f"(known: {', '.join(sorted(room_types.get(setting, set())))})",
                )
        kept_settings[setting] = text.model_copy(update={"room_types": rooms})

    kept_items = {}
    for item_id, text in parsed.items.items():
        item = items.get(item_id)
        if item is None:
            source.problem(("items", item_id), f"unknown item '{item_id}'")
            continue
        kept_items[item_id] = _fit_item(source, item, text)
    return parsed.model_copy(
        update={
            "categories": known("categories", parsed.categories, categories, "category"),
            "principles": known("principles", parsed.principles, principles, "principle"),
            "settings": kept_settings,
            "items": kept_items,
        }
    )


def _fit_item(source: _YamlFile, item: Item, text: ItemText) -> ItemText:
    base = ("items", item.id)
    update: dict[str, Any] = {}
    if text.options is not None:
        if item.kind is not ItemKind.choice or not item.options:
            source.problem(base + ("options",), f"'options' does not belong to a {item.kind.value} item")
            update["options"] = None
        else:
            values = [o.value for o in item.options]
            for value in text.options:
                if value not in values:
                    source.problem(
                        base + ("options", value), f"unknown choice '{value}' (the item's choices: {', '.join(values)})"
                    )
            update["options"] = {v: label for v, label in text.options.items() if v in values}
    if text.levels is not None:
        if item.kind is not ItemKind.rating or not item.levels:
            source.problem(base + ("levels",), f"'levels' does not belong to a {item.kind.value} item")
            update["levels"] = None
        elif len(text.levels) != len(item.levels):
            source.problem(
                base + ("levels",),
                f"{len(text.levels)} levels given; the item has {len(item.levels)} "
                f"(describing 0 to {len(item.levels) - 1}), one translation each",
            )
            update["levels"] = None
    return text.model_copy(update=update) if update else text
