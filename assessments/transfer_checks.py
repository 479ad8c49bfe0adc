"""Checking an organisation file before anything is written: where each problem is in the file, and
the checks of its parts that stand on their own (photos, and the actions of a room).

`assessments.transfer_import` reads the file with these and writes it only when no problem is left.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.db import data_dir
from assessments.errors import InvalidAnswer, NotFound
from assessments.evidence import PHOTO_FORMATS, check_photo, evidence_path, read_evidence_bytes
from assessments.models import ActionStatus, Evidence
from assessments.transfer_format import EvidenceEntry, RoomEntry
from checklists.i18n import _, ngettext

__all__ = ["Photo", "aware", "check_actions", "check_photo_entry", "file_path", "item_applies", "pydantic_problems"]


def file_path(loc: tuple[int | str, ...]) -> str:
    # ('sites', 0, 'rooms', 2, 'name') -> 'sites[0].rooms[2].name'
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def pydantic_problems(error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors():
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = _("unknown field")
        elif detail["type"] == "missing":
            message = _("required field is missing")
        problems.append(f"{file_path(tuple(detail['loc']))}: {message}")
    return problems


def aware(value: dt.datetime | None) -> dt.datetime | None:
    # A timestamp without a zone in a hand-written file is taken as UTC.
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


@dataclass
class Photo:
    path: str
    entry: EvidenceEntry
    content: bytes | None  # None: already stored under the data folder or in the database


def check_actions(
    room_path: str,
    room: RoomEntry,
    applicable: Mapping[str, object],
    where: str,
    known_items: set[str],
    known_person: Callable[[str, str | None], None],
    problems: list[str],
) -> None:
    """A room's actions: items of its checklist, people listed, assessments of this room, and at most
    one action not yet verified per item (as the store allows)."""
    planned: dict[str, int] = {}
    count = len(room.assessments)
    for n, action in enumerate(room.actions):
        path = f"{room_path}.actions[{n}]"
        item_applies(f"{path}.item_id", action.item_id, applicable, where, known_items, problems)
        known_person(f"{path}.owner", action.owner)
        known_person(f"{path}.created_by", action.created_by)
        for field, place in (("planned_from", action.planned_from), ("checked_by", action.checked_by)):
            if place is not None and place >= count:
                said = ngettext(
                    "{path}: this room has {count} assessment, so {place} is not one of them (they count from 0)",
                    "{path}: this room has {count} assessments, so {place} is not one of them (they count from 0)",
                    count,
                )
                problems.append(said.format(path=f"{path}.{field}", count=count, place=place))
        if action.status is ActionStatus.verified:
            if action.checked_by is None:
                problems.append(
                    _("{path}: a verified action names the assessment that verified it").format(
                        path=f"{path}.checked_by"
                    )
                )
        elif action.item_id in planned:
            problems.append(
                _("{path}: {action} of this room plans the same fix and is not verified either").format(
                    path=f"{path}.item_id", action=f"actions[{planned[action.item_id]}]"
                )
            )
        else:
            planned[action.item_id] = n


def item_applies(
    path: str, item_id: str, applicable: Mapping[str, object], where: str, known: set[str], problems: list[str]
) -> bool:
    if item_id in applicable:
        return True
    said = _("{path}: does not apply to {where}") if item_id in known else _("{path}: unknown item id")
    problems.append(said.format(path=path, where=where))
    return False


def check_photo_entry(session: Session, path: str, entry: EvidenceEntry, problems: list[str]) -> Photo | None:
    types = {content_type for content_type, _extension in PHOTO_FORMATS.values()}
    if entry.content_type not in types:
        problems.append(
            _("{path}: {content_type} is not a photo type ({types})").format(
                path=f"{path}.content_type", content_type=repr(entry.content_type), types=", ".join(sorted(types))
            )
        )
        return None
    if entry.content is not None:
        try:
            content = base64.b64decode(entry.content, validate=True)
        except (binascii.Error, ValueError):
            problems.append(_("{path}: not valid base64").format(path=f"{path}.content"))
            return None
        if hashlib.sha256(content).hexdigest() != entry.sha256 or len(content) != entry.size:
            problems.append(_("{path}: the image does not match its sha256 and size").format(path=f"{path}.content"))
            return None
        # The same checks as an uploaded photo: a file can carry anything in its base64.
        try:
            kind, _image = check_photo(content)
        except InvalidAnswer as error:
            problems.append(f"{path}.content: {error}")
            return None
        if PHOTO_FORMATS[kind][0] != entry.content_type:
            problems.append(
                _("{path}: the image is {kind}, not {content_type}").format(
                    path=f"{path}.content", kind=kind, content_type=entry.content_type
                )
            )
            return None
        return Photo(path, entry, content)
    # No bytes in the file: the image must already be here, in the database or the data folder.
    extension = next(ext for kind, ext in PHOTO_FORMATS.values() if kind == entry.content_type)
    existing = session.scalars(select(Evidence).where(Evidence.sha256 == entry.sha256).limit(1)).first()
    sources: list[Callable[[], bytes]] = [lambda: (data_dir() / evidence_path(entry.sha256, extension)).read_bytes()]
    if existing is not None:
        sources.insert(0, lambda: read_evidence_bytes(existing))
    for source in sources:
        try:
            content = source()
        except (NotFound, FileNotFoundError):
            continue
        if hashlib.sha256(content).hexdigest() == entry.sha256:
            return Photo(path, entry, content)
    problems.append(
        _(
            "{path}: the image {name} ({digest}...) is not in this store; "
            "export with photos or copy the evidence folder"
        ).format(path=path, name=entry.file_name, digest=entry.sha256[:12])
    )
    return None
