"""The translation files read without a catalogue: which locales have a file, each language under
its own name, and the items' short names (what `reports.labels.item_label` shows, where no
catalogue is at hand). Checking a file against the catalogue and applying it is
`checklists.translations`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

__all__ = [
    "DEFAULT_LOCALES_DIR",
    "ENGLISH",
    "available_locales",
    "file_locale",
    "file_mtime",
    "item_names",
    "language_names",
]

DEFAULT_LOCALES_DIR = Path(__file__).parent / "locales"
ENGLISH = "en"


def language_names(folder: Path | str = DEFAULT_LOCALES_DIR) -> dict[str, str]:
    """English first, then each locale with a file, by its own name: {'en': 'English', 'fr': 'Français'}."""
    names = {ENGLISH: "English"}
    for locale in available_locales(folder):
        try:
            data = yaml.safe_load((Path(folder) / f"{locale}.yaml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            data = None
        language = data.get("language") if isinstance(data, dict) else None
        names[locale] = language.strip() if isinstance(language, str) and language.strip() else locale
    return names


def available_locales(folder: Path | str = DEFAULT_LOCALES_DIR) -> list[str]:
    """The locales with a translation file, in name order (English, the catalogue's own, not listed)."""
    return sorted(path.stem for path in Path(folder).glob("*.yaml"))


def file_locale(locale: str, folder: Path) -> str:
    """'fr_CA' or 'fr-CA' -> 'fr_CA' when it has a file, else its language 'fr' (English: 'en')."""
    locale = locale.replace("-", "_")
    language = locale.split("_", 1)[0].lower()
    if language == ENGLISH or (locale != language and not (folder / f"{locale}.yaml").is_file()):
        return language
    return locale


def file_mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def item_names(locale: str, folder: Path | str = DEFAULT_LOCALES_DIR) -> Mapping[str, str]:
    """The items' short names in `locale` ({'lighting.illuminance': 'Éclairement'}), read from its
    translation file once per version of the file; empty for English, a locale without a file, or
    a file that does not read (the loader's check says why)."""
    locale = file_locale((locale or ENGLISH).strip() or ENGLISH, Path(folder))
    if locale == ENGLISH:
        return {}
    path = Path(folder) / f"{locale}.yaml"
    return _item_names(str(path.resolve()), file_mtime(path))


@lru_cache(maxsize=32)
def _item_names(path: str, mtime: float) -> Mapping[str, str]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        return {}
    names = {}
    for item_id, text in items.items():
        name = text.get("name") if isinstance(text, dict) else None
        if isinstance(name, str) and name.strip():
            names[str(item_id)] = name.strip()
    return MappingProxyType(names)
