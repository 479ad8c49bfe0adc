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

The file's form and its checks against the catalogue are `checklists.translation_files`; what is
read from the files without a catalogue (which locales there are, their names, the items' short
names) is `checklists.locale_files`; both are re-exported here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checklists.loader import Problem
from checklists.locale_files import (
    DEFAULT_LOCALES_DIR,
    ENGLISH,
    available_locales,
    file_locale,
    file_mtime,
    item_names,
    language_names,
)
from checklists.schema import Catalogue, CategoryInfo, Item, PrincipleInfo, ResolvedItem, RoomChecklist
from checklists.translation_files import ItemText, SettingText, TitleText, TranslationFile, check_translations

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
