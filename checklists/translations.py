"""The catalogue's words in other languages: one file per locale, checked against the catalogue.

`checklists/locales/<locale>.yaml` holds, keyed by item id and by the catalogue's own field names,
each item's short name (`name`, on charts and in the reports' tables), question,
guidance, how_to_fix, choice labels (`options`, by option value) and rating `levels`, and the
titles of the catalogue, its categories, principles, settings and room types.
Every problem is reported as `file:line: field: what is wrong`, like the catalogue loader: a
translation naming an unknown item, field, choice, category or room type is refused.

`localized(catalogue, locale)` gives the same catalogue with its words in that locale: ids, kinds,
scores, weights, targets and the version stay exactly as they are, so scoring never changes. A
text the locale does not translate yet stays in English, marked with ENGLISH_MARK so the reader
sees it is not their language, and is listed in `Localized.missing`.

The files live outside the catalogue folder on purpose: the store keeps every catalogue version
whole (checklists.versions.snapshot_of reads every YAML file under the folder) and fingerprints it,
so a translation inside the folder would make the shipped version differ from the one already kept,
and a corrected translation would need a new catalogue version. Words are not criteria.

One cohesive thing, kept whole: the translation file's form, its checks and how it is applied.
What is read from the files without a catalogue (which locales there are, their names, the items'
short names) is `checklists.locale_files`, re-exported here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from checklists.loader import Problem, _YamlFile
from checklists.locale_files import (
    DEFAULT_LOCALES_DIR,
    ENGLISH,
    available_locales,
    file_locale,
    file_mtime,
    item_names,
    language_names,
)
from checklists.schema import Catalogue, CategoryInfo, Item, ItemKind, PrincipleInfo, ResolvedItem, RoomChecklist

__all__ = [
    "DEFAULT_LOCALES_DIR",
    "ENGLISH",
    "ENGLISH_MARK",
    "Localized",
    "TranslationFile",
    "available_locales",
    "check_translations",
    "item_names",
    "language_names",
    "localized",
    "shown_item",
    "translated_hint",
]

# Put before a text shown in English because the locale does not translate it yet.
ENGLISH_MARK = "(English)"

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Localized:
    """A catalogue in one locale, what still shows in English, and any problem in its file."""

    locale: str
    language: str
    catalogue: Catalogue
    # 'lighting.illuminance: guidance', 'categories.noise: title': texts shown in English, marked.
    missing: tuple[str, ...]
    problems: tuple[Problem, ...]
    how_markers: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems


def marked(text: str) -> str:
    """An English text shown in another locale: '(English) How much light ...'."""
    return f"{ENGLISH_MARK} {text}"


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


def localized(catalogue: Catalogue, locale: str, folder: Path | str = DEFAULT_LOCALES_DIR) -> Localized:
    """The catalogue with its words in `locale`; untranslated texts in English, marked and listed.

    English (or an empty locale) is the catalogue itself. A regional locale without its own file
    ('fr_CA', 'fr-CA') uses its language's ('fr'). A locale without a file, or a file with problems,
    still gives a catalogue: whatever fits is translated, the rest shows marked English.
    """
    locale = file_locale((locale or ENGLISH).strip() or ENGLISH, Path(folder))
    if locale == ENGLISH:
        return Localized(ENGLISH, "English", catalogue, (), ())
    return _localized(catalogue, locale, str(Path(folder).resolve()), file_mtime(Path(folder) / f"{locale}.yaml"))


_CACHE: dict[tuple[int, str, str, float], Localized] = {}


def _localized(catalogue: Catalogue, locale: str, folder: str, mtime: float) -> Localized:
    key = (id(catalogue), locale, folder, mtime)
    found = _CACHE.get(key)
    if found is not None and found.catalogue.version == catalogue.version:
        return found
    translation, problems = check_translations(catalogue, locale, folder)
    problems = sorted(set(problems))
    if problems:
        log.info("translations of %s: %s", locale, "; ".join(str(p) for p in problems))
    result = _apply(catalogue, locale, translation or TranslationFile.model_construct(locale=locale, language=locale))
    result = Localized(
        result.locale, result.language, result.catalogue, result.missing, tuple(problems), result.how_markers
    )
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _apply(catalogue: Catalogue, locale: str, tr: TranslationFile) -> Localized:
    missing: list[str] = []

    def pick(translated: str | None, english: str, where: str) -> str:
        if translated is not None:
            return translated
        missing.append(where)
        return marked(english)

    title = pick(tr.title, catalogue.title, "title")
    categories = []
    for c in catalogue.categories:
        text = tr.categories.get(c.id, TitleText())
        categories.append(
            CategoryInfo(
                id=c.id,
                title=pick(text.title, c.title, f"categories.{c.id}: title"),
                description=pick(text.description, c.description, f"categories.{c.id}: description"),
            )
        )
    principles = []
    for p in catalogue.principles:
        text = tr.principles.get(p.id, TitleText())
        principles.append(
            PrincipleInfo(
                id=p.id,
                title=pick(text.title, p.title, f"principles.{p.id}: title"),
                description=pick(text.description, p.description, f"principles.{p.id}: description"),
            )
        )
    settings = {
        s: pick(tr.settings.get(s, SettingText()).title, t, f"settings.{s}: title")
        for s, t in catalogue.settings.items()
    }
    items = {item.id: _item(item, tr.items.get(item.id, ItemText()), pick, missing) for item in catalogue.items}
    checklists = {}
    for (s, rt), checklist in catalogue.checklists.items():
        room_title = pick(
            tr.settings.get(s, SettingText()).room_types.get(rt), checklist.room_type_title, f"settings.{s}.{rt}: title"
        )
        checklists[(s, rt)] = RoomChecklist.model_construct(
            **{
                **dict(checklist),
                "setting_title": settings[s],
                "room_type_title": room_title,
                "items": tuple(
                    ResolvedItem.model_construct(item=items[r.item.id], weight=r.weight, target=r.target)
                    for r in checklist.items
                ),
            }
        )
    shown = catalogue.model_copy(
        update={
            "title": title,
            "categories": tuple(categories),
            "principles": tuple(principles),
            "items": tuple(items.values()),
            "settings": settings,
            "checklists": checklists,
        }
    )
    return Localized(locale, tr.language, shown, tuple(missing), (), tuple(tr.how_markers))


def _item(item: Item, text: ItemText, pick: Any, missing: list[str]) -> Item:
    update: dict[str, Any] = {
        "question": pick(text.question, item.question, f"{item.id}: question"),
        "guidance": pick(text.guidance, item.guidance, f"{item.id}: guidance"),
        "how_to_fix": pick(text.how_to_fix, item.how_to_fix, f"{item.id}: how_to_fix"),
    }
    if text.name is None:
        missing.append(f"{item.id}: name")
    if item.options:
        labels = text.options or {}
        update["options"] = [
            o.model_copy(update={"label": pick(labels.get(o.value), o.label, f"{item.id}: options.{o.value}")})
            for o in item.options
        ]
    if item.levels:
        if text.levels is not None:
            update["levels"] = list(text.levels)
        else:
            update["levels"] = [marked(level) for level in item.levels]
            missing.append(f"{item.id}: levels")
    return item.model_copy(update=update)


def shown_item(catalogue: Catalogue, item: Item, locale: str) -> Item:
    """One item's words in `locale`, for display only (answers and scores keep using `item`): the
    item itself in English, or when `catalogue` (the current one) does not hold its id."""
    if (locale or ENGLISH) == ENGLISH:
        return item
    try:
        return localized(catalogue, locale).catalogue.item(item.id)
    except KeyError:
        return item


# A sentence ends at '.', '!', '?' or the Arabic question mark, before a space.
_SENTENCE = re.compile(r"(?<=[.!?\u061f])\s+")


def translated_hint(catalogue: Catalogue, item: Item, locale: str) -> tuple[str, str | None] | None:
    """The short hint under a question in `locale`: the first sentence of what good looks like, and
    the first sentence of how to measure or check (from the locale's `how_markers`); None in English."""
    shown = localized(catalogue, locale)
    if shown.locale == ENGLISH:
        return None
    guidance = " ".join(item.guidance.split())
    starts = [guidance.find(marker) for marker in shown.how_markers if marker in guidance]
    cut = min(starts) if starts else len(guidance)

    def first(text: str) -> str:
        return _SENTENCE.split(text.strip(), maxsplit=1)[0]

    how = first(guidance[cut:]) if starts else None
    return first(guidance[:cut]), how
