"""Evidence: photos of an assessment's items, checked and normalised before they are stored, and read back.

SQLite keeps photos as files in the data folder, PostgreSQL in the database (see `_stores_files`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import Actor, UserLike, _acting, _assessment, _editable, _missing_or_refused, _refuse, _Scope
from assessments.answers import _clean_note, _resolved
from assessments.audit import _audit, _writing
from assessments.db import data_dir
from assessments.errors import InvalidAnswer, NotFound, PermissionDenied
from assessments.models import Evidence, utcnow
from checklists.i18n import _

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "MAX_PHOTO_SIDE",
    "PHOTO_FORMATS",
    "Photo",
    "add_evidence",
    "delete_evidence",
    "evidence_content",
    "evidence_path",
    "get_evidence",
    "list_evidence",
    "new_evidence",
    "prepare_photo",
    "read_evidence_bytes",
    "store_photo_file",
    "thumbnail",
]


# Photos larger than this are refused; larger sides are shrunk (a tablet camera gives 4000 px).
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDE = 2000
# Pillow format -> (content type, file extension) of the photos the store accepts.
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# A decoded photo above this many pixels is refused before it is decoded (a "decompression bomb").
MAX_PHOTO_PIXELS = 60_000_000


@dataclass(frozen=True)
class Photo:
    """A checked, normalised photo ready to store."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str


def check_photo(content: bytes) -> tuple[str, Image.Image]:
    """Check by content that this is a JPEG, PNG or WebP photo of a sensible size; returns its format
    and the decoded image. Raises InvalidAnswer otherwise. Uploaded and imported photos both pass here."""
    if len(content) > MAX_PHOTO_BYTES:
        raise InvalidAnswer(
            _("The photo is {size} MB; the limit is {limit} MB.").format(
                size=f"{len(content) / 1024 / 1024:.1f}", limit=MAX_PHOTO_BYTES // 1024 // 1024
            )
        )
    if not content:
        raise InvalidAnswer(_("The photo is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                kind = probe.format
                if kind not in PHOTO_FORMATS:
                    raise InvalidAnswer(
                        _("Only JPEG, PNG and WebP photos can be added (this is {kind}).").format(
                            kind=kind or _("unknown")
                        )
                    )
                if probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise InvalidAnswer(_("The photo has too many pixels to be a camera picture."))
                probe.verify()
            with Image.open(io.BytesIO(content)) as opened:
                image = ImageOps.exif_transpose(opened)
                image.load()
    except InvalidAnswer:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidAnswer(_("This file is not a photo the store can read (JPEG, PNG or WebP).")) from None
    except (OSError, SyntaxError, ValueError):
        raise InvalidAnswer(_("The photo file is damaged and cannot be read.")) from None
    assert kind is not None
    return kind, image


def prepare_photo(content: bytes) -> Photo:
    """Check by content that this is a JPEG, PNG or WebP photo; shrink it and strip its metadata.

    Re-encoding drops EXIF data, which on a phone photo includes where it was taken.
    """
    kind, image = check_photo(content)
    content_type, extension = PHOTO_FORMATS[kind]
    if max(image.size) > MAX_PHOTO_SIDE:
        image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=85)
    data = out.getvalue()
    return Photo(data, content_type, extension, image.width, image.height, hashlib.sha256(data).hexdigest())


def _stores_files(session: Session) -> bool:
    # SQLite keeps photos as files beside the database; PostgreSQL keeps them in the database,
    # since several app instances may not share a disk.
    return session.get_bind().dialect.name == "sqlite"


def evidence_path(sha256: str, extension: str) -> str:
    """Where a photo is kept, relative to the data folder: named by its content, so stored once."""
    return f"evidence/{sha256[:2]}/{sha256}.{extension}"


def store_photo_file(relative: str, content: bytes) -> None:
    """Write a photo under the data folder unless it is already there (atomically, via a temporary file)."""
    target = data_dir() / relative
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)


def _safe_file_name(file_name: str, extension: str) -> str:
    base = Path(file_name.replace("\\", "/")).name.strip()
    base = re.sub(r"[^\w.\- ]+", "_", base)[:200] or f"photo.{extension}"
    return base


def new_evidence(
    session: Session,
    *,
    assessment_id: int,
    item_id: str,
    file_name: str,
    photo: Photo,
    uploaded_by_id: int | None,
    uploaded_at: dt.datetime | None = None,
    caption: str | None = None,
) -> Evidence:
    """Store a prepared photo (file or database, see `_stores_files`) and its evidence record."""
    evidence = Evidence(
        assessment_id=assessment_id,
        item_id=item_id,
        file_name=_safe_file_name(file_name, photo.extension),
        content_type=photo.content_type,
        size=len(photo.content),
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        caption=caption,
        uploaded_by_id=uploaded_by_id,
        uploaded_at=uploaded_at or utcnow(),
    )
    if _stores_files(session):
        evidence.stored_path = evidence_path(photo.sha256, photo.extension)
        store_photo_file(evidence.stored_path, photo.content)
    else:
        evidence.content = photo.content
    session.add(evidence)
    return evidence


def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "assessment_id": evidence.assessment_id,
        "item_id": evidence.item_id,
        "file_name": evidence.file_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def add_evidence(
    session: Session,
    user: UserLike,
    assessment_id: int,
    item_id: str,
    filename: str,
    content: bytes,
    caption: str | None = None,
) -> Evidence:
    """Attach a photo to one item of an assessment; refused unless it is a JPEG, PNG or WebP up to 10 MB.

    Adding a photo does not change the assessment's version: a photo never conflicts with answers.
    """
    photo = prepare_photo(content)  # before the transaction: decoding a photo can take a while
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, None)
        _resolved(scope, item_id)
        evidence = new_evidence(
            session,
            assessment_id=assessment_id,
            item_id=item_id,
            file_name=filename,
            photo=photo,
            uploaded_by_id=actor.id,
            caption=_clean_note(caption),
        )
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "create", "evidence", evidence.id, None,
               _evidence_json(evidence))  # fmt: skip
    return evidence


def _evidence(session: Session, actor: Actor, evidence_id: int) -> tuple[Evidence, _Scope]:
    found = session.get(Evidence, evidence_id)
    if found is None:
        raise _missing_or_refused(actor, "photo", evidence_id)
    try:
        scope = _assessment(session, actor, found.assessment_id)
    except PermissionDenied:
        raise _refuse("photo", evidence_id) from None
    return found, scope


def get_evidence(session: Session, user: UserLike, evidence_id: int) -> Evidence:
    return _evidence(session, _acting(session, user), evidence_id)[0]


def list_evidence(session: Session, user: UserLike, assessment_id: int, item_id: str | None = None) -> list[Evidence]:
    actor = _acting(session, user)
    _assessment(session, actor, assessment_id)
    stmt = select(Evidence).where(Evidence.assessment_id == assessment_id)
    if item_id is not None:
        stmt = stmt.where(Evidence.item_id == item_id)
    return list(session.scalars(stmt.order_by(Evidence.item_id, Evidence.id)))


def read_evidence_bytes(evidence: Evidence) -> bytes:
    """The stored image of an evidence record (no scope check: callers have done it)."""
    if evidence.stored_path is None:
        if evidence.content is None:
            raise NotFound(_("The photo {name} has no stored image.").format(name=evidence.file_name))
        return evidence.content
    path = data_dir() / evidence.stored_path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            _("The photo {name} is missing from the data folder ({path}).").format(
                name=evidence.file_name, path=evidence.stored_path
            )
        ) from None


def evidence_content(session: Session, user: UserLike, evidence_id: int) -> bytes:
    """The image bytes of a photo, for display or a report."""
    evidence, _scope = _evidence(session, _acting(session, user), evidence_id)
    return read_evidence_bytes(evidence)


def delete_evidence(session: Session, user: UserLike, evidence_id: int) -> None:
    """Remove a photo from an assessment that may still be changed, and its image file from the data
    folder unless another photo record shares it (the audit event says whether it was removed)."""
    with _writing(session):
        actor = _acting(session, user)
        evidence, scope = _evidence(session, actor, evidence_id)
        _editable(session, actor, scope.assessment.id, None)
        files = _unshared_files(session, [evidence])
        old = _evidence_json(evidence) | {"file_removed": bool(files)}
        session.delete(evidence)
        _audit(session, actor, scope.site.organisation_id, "delete", "evidence", evidence_id, old, None)
    _remove_files(files)


def _unshared_files(session: Session, leaving: Sequence[Evidence]) -> list[str]:
    """The image files (relative to the data folder) of these photo records that no other record uses."""
    ids = [e.id for e in leaving]
    paths = sorted({e.stored_path for e in leaving if e.stored_path})
    if not paths:
        return []
    shared = session.scalars(
        select(Evidence.stored_path).where(Evidence.stored_path.in_(paths), Evidence.id.not_in(ids))
    ).all()
    return [p for p in paths if p not in set(shared)]


def _remove_files(relative_paths: Iterable[str]) -> None:
    """Delete image files from the data folder once the records that used them are gone."""
    root = data_dir().resolve()
    for relative in relative_paths:
        target = (root / relative).resolve()
        if root in target.parents:  # never outside the data folder, whatever the record says
            target.unlink(missing_ok=True)


def thumbnail(content: bytes, side: int) -> bytes | None:
    """A photo shrunk to fit in `side` x `side` pixels and turned upright, as a JPEG; None if it cannot be read.

    One thumbnail for every screen and report, so none of them sends or prints full-size photos.
    Bytes that are not an image Pillow can read (not an image at all, truncated or damaged) give
    None rather than an error: a page or a report then shows the other photos and leaves this one
    out. (The report's thumbnails already did so; the assessment screen's raised the error.)
    The image is made RGB before it is shrunk, so palette and black-and-white PNGs shrink smoothly
    rather than pixel by pixel; transparency is dropped. A photo already smaller than `side` keeps
    its size. JPEG quality 82 is sharp enough for a printed report. `side` must be 1 or more.
    """
    if side < 1:
        raise ValueError(f"A thumbnail needs a side of at least one pixel, not {side}.")
    try:
        with Image.open(io.BytesIO(content)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        image.thumbnail((side, side))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=82)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return out.getvalue()
