"""The demo portfolio: a community clinic, a primary school and an office, assessed over eighteen months.

Loaded on the first `make run` when the database is empty, and by `sensory-audit demo`. It is
deterministic (fixed seeds and dates ending 2026-11-01), so the same demo gives the same scores
everywhere. Readings are drawn around each room type's targets from the resolved checklist: some
rooms are clearly poor, some improve after fixes, most are good with a few gaps. The demo goes in
through `transfer.import_organisation`, so every demo answer passes the same checks as real ones.
The manager then plans actions (open, in progress, done), and a follow-up visit to the HR office on
FOLLOW_UP_DAY is answered and submitted through the workflow: its submission verifies two of the
office's actions and reopens the third, as a real visit would.

This module is one cohesive data generator and is kept whole on purpose: the portfolio (sites,
rooms and how good each is), the readings drawn from it, the drawn photos and the documents they
make all share one seeded random stream per room, and reading them side by side is what keeps
the demo deterministic.

Demo users (password `demo` for all of them):

| email                                 | role       | organisations                 |
|---------------------------------------|------------|-------------------------------|
| staff@demo.sensory-audit.test         | staff      | all three                     |
| manager@demo.sensory-audit.test       | manager    | all three                     |
| consultant@demo.sensory-audit.test    | consultant | all three                     |
| admin@demo.sensory-audit.test         | admin      | all three (an admin sees all) |
| teacher@demo.sensory-audit.test       | staff      | Hillview Primary School only  |
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import Actor
from assessments.actions import create_action, update_action
from assessments.answering import save_answer
from assessments.answers import stored_answers, stored_value
from assessments.audit import _audit
from assessments.calibration import mark_calibration_round
from assessments.db import DATABASE_URL_ENV, Store, open_store
from assessments.evidence import prepare_photo
from assessments.models import Assessment, AssessmentStatus, Organisation, Role, Room, Site, User
from assessments.transfer import FORMAT, FORMAT_VERSION, import_organisation
from assessments.workflow import start_assessment, submit
from checklists.loader import default_catalogue
from checklists.responses import NA, Answer, Flicker, parse_answer
from checklists.schema import ItemKind, ResolvedItem, RoomChecklist, Target
from scoring.actions import plan_key
from scoring.engine import evaluate

__all__ = [
    "CALIBRATION_ROUND",
    "DEMO_END",
    "DEMO_ENV",
    "DEMO_PASSWORD",
    "DEMO_START",
    "DEMO_USERS",
    "FOLLOW_UP_DAY",
    "FOLLOW_UP_ROOMS",
    "DemoUser",
    "demo_documents",
    "demo_may_serve",
    "demo_mode",
    "is_empty",
    "load_demo",
    "open_app_store",
]

# Demo mode: "1" on, "0" off, "remote" on and reachable from other machines. Unset: on with the
# default SQLite store, off when DATABASE_URL points elsewhere.
DEMO_ENV = "SENSORY_AUDIT_DEMO"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

DEMO_START = dt.date(2025, 5, 1)
DEMO_END = dt.date(2026, 11, 1)
DEMO_PASSWORD = "demo"
SEED = 20261101


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    # None: a member of every demo organisation.
    organisation: str | None = None


CLINIC = "Riverside Community Health"
SCHOOL = "Hillview Primary School"
OFFICE = "Harbour Street Partners"

DEMO_USERS = (
    DemoUser("staff@demo.sensory-audit.test", "Sam Patel", Role.staff),
    DemoUser("manager@demo.sensory-audit.test", "Morgan Reid", Role.manager),
    DemoUser("consultant@demo.sensory-audit.test", "Chris Okafor", Role.consultant),
    DemoUser("admin@demo.sensory-audit.test", "Alex Kim", Role.admin),
    DemoUser("teacher@demo.sensory-audit.test", "Jo Bennett", Role.staff, organisation=SCHOOL),
)
_STAFF, _MANAGER, _TEACHER = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[4]


@dataclass(frozen=True)
class DemoRoom:
    name: str
    room_type: str
    floor: int
    capacity: int
    # How sensory-friendly the room is at the first and at the last visit, 0 to 1.
    first: float
    last: float
    visits: int


@dataclass(frozen=True)
class DemoSite:
    organisation: str
    name: str
    setting: str
    address: str
    assessor: DemoUser
    rooms: tuple[DemoRoom, ...]


DEMO_SITES = (
    DemoSite(
        CLINIC,
        "Riverside Community Clinic",
        "clinic",
        "14 Mill Lane, Riverside",
        _STAFF,
        (
            DemoRoom("Main waiting room", "waiting_room", 0, 24, 0.35, 0.85, 4),  # improved after a refit
            DemoRoom("Children's waiting area", "waiting_room", 0, 10, 0.70, 0.80, 2),
            DemoRoom("Consultation room 1", "consultation_room", 0, 3, 0.85, 0.90, 3),
            DemoRoom("Consultation room 2", "consultation_room", 1, 3, 0.55, 0.60, 2),
            DemoRoom("Therapy room", "consultation_room", 1, 4, 0.80, 0.92, 3),
            DemoRoom("Examination room A", "examination_room", 0, 3, 0.75, 0.80, 3),
            DemoRoom("Examination room B", "examination_room", 0, 3, 0.30, 0.35, 2),  # still poor
            DemoRoom("Ground floor corridor", "corridor", 0, 0, 0.45, 0.50, 2),
            DemoRoom("Quiet room", "quiet_room", 1, 2, 0.90, 0.95, 3),
        ),
    ),
    DemoSite(
        SCHOOL,
        "Hillview Primary School",
        "school",
        "2 Orchard Road, Hillview",
        _TEACHER,
        (
            DemoRoom("Year 1 classroom", "classroom", 0, 28, 0.75, 0.80, 3),
            DemoRoom("Year 2 classroom", "classroom", 0, 28, 0.65, 0.70, 2),
            DemoRoom("Year 3 classroom", "classroom", 1, 30, 0.40, 0.85, 4),  # acoustic panels, new LEDs
            DemoRoom("Year 5 classroom", "classroom", 1, 30, 0.70, 0.75, 3),
            DemoRoom("Year 6 classroom", "classroom", 1, 32, 0.80, 0.85, 2),
            DemoRoom("Rainbow room", "special_needs_classroom", 0, 8, 0.60, 0.90, 3),
            DemoRoom("Dining hall", "dining_hall", 0, 120, 0.25, 0.30, 3),  # loud and echoing
            DemoRoom("Main corridor", "corridor", 0, 0, 0.50, 0.55, 2),
            DemoRoom("Upper corridor", "corridor", 1, 0, 0.60, 0.65, 2),
            DemoRoom("Calm room", "quiet_room", 0, 3, 0.85, 0.95, 3),
        ),
    ),
    DemoSite(
        OFFICE,
        "Harbour Street Office",
        "workplace",
        "40 Harbour Street, Quayside",
        _STAFF,
        (
            DemoRoom("Second floor open office", "open_office", 2, 60, 0.30, 0.75, 4),  # sound masking added
            DemoRoom("Third floor open office", "open_office", 3, 55, 0.50, 0.55, 2),
            DemoRoom("Director's office", "enclosed_office", 3, 2, 0.85, 0.85, 2),
            DemoRoom("HR office", "enclosed_office", 2, 3, 0.75, 0.80, 2),
            DemoRoom("Boardroom", "meeting_room", 3, 16, 0.70, 0.75, 3),
            DemoRoom("Small meeting room", "meeting_room", 2, 6, 0.45, 0.50, 2),
            DemoRoom("Staff kitchen", "break_room", 2, 20, 0.35, 0.40, 3),
            DemoRoom("Reception", "reception", 0, 10, 0.80, 0.85, 2),
            DemoRoom("Wellbeing room", "quiet_room", 2, 2, 0.90, 0.90, 3),
        ),
    ),
)

# Notes an assessor might write when an item falls short, by category.
_SHORTFALL_NOTES = {
    "lighting": (
        "Two of the ceiling tubes flicker; reported to facilities.",
        "Blinds throw stripes across the tables in the afternoon.",
        "Light switches are behind the door and not labelled.",
        "Bare lamps visible from most seats.",
        "Readings taken at 10:00 and 14:30 on an overcast day.",
    ),
    "noise": (
        "Ventilation hum clearly audible with the door closed.",
        "Corridor noise carries in through the gap under the door.",
        "Chairs have no felt pads; loud scraping whenever people move.",
        "Measured with the room empty and the windows shut.",
        "Hand dryer next door is loud and sudden.",
    ),
    "textures": (
        "Bold zig-zag carpet at the entrance; two children stepped over it.",
        "Walls covered with displays, very little empty space.",
        "Strong smell of air freshener near the door.",
        "Glossy floor reflects the ceiling lights.",
    ),
    "quiet_zones": (
        "The nearest quiet space is on another floor.",
        "The quiet room was being used as a store during the visit.",
        "Nobody we asked knew the quiet room could be booked.",
        "No seat away from the door or the main walkway.",
    ),
}
# Notes on later visits to rooms that were fixed, on the item the fix was for.
_FIX_NOTES = {
    "noise.sound_absorption": "Acoustic ceiling panels fitted since the last visit; the room sounds much calmer.",
    "lighting.flicker": "The old tubes were replaced with flicker-free LED panels in the spring.",
    "lighting.dimmable": "New dimmer switches by the door, labelled in plain words.",
    "textures.visual_clutter": "Displays cut back to one wall; storage now has doors.",
    "noise.background_level": "Ventilation serviced; the hum is gone.",
}
_REVIEW_COMMENTS = (
    "Checked with the site lead; readings agree with the last visit.",
    "Thanks, clear notes. Flicker fix is in next term's budget.",
    None,
    None,
)
_PROVISIONAL_REASON = "The sound level meter was away for calibration; noise readings to follow."


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _round_reading(value: float, target: Target) -> float:
    # Round like a meter would display: whole lux and kelvin, tenths of a decibel, hundredths of a second.
    bounds = [abs(b) for b in (*target.ideal, *target.limit) if b is not None]
    scale = max(bounds) if bounds else abs(value)
    digits = 0 if scale >= 100 else (1 if scale >= 5 else 2)
    return round(value, digits)


def _reading(rng: random.Random, resolved: ResolvedItem, quality: float) -> float:
    """A reading whose score is about `quality`: inside the ideal when good, towards the limit when not."""
    target = resolved.target
    assert target is not None
    (ideal_lo, ideal_hi), (limit_lo, limit_hi) = target.ideal, target.limit
    valid_lo, valid_hi = resolved.item.valid or (None, None)
    score = _clamp(quality + rng.gauss(0, 0.12))
    if score >= 0.9:
        if ideal_lo is not None and ideal_hi is not None:
            value = rng.uniform(ideal_lo, ideal_hi)
        elif ideal_hi is not None:
            span = (limit_hi - ideal_hi) if limit_hi is not None else ideal_hi
            value = rng.uniform(max(ideal_hi - 0.8 * span, ideal_hi * 0.3), ideal_hi)
        else:
            assert ideal_lo is not None
            span = (ideal_lo - limit_lo) if limit_lo is not None else ideal_lo
            value = rng.uniform(ideal_lo, ideal_lo + 0.8 * span)
    else:
        sides = []
        if ideal_lo is not None and limit_lo is not None:
            sides.append((ideal_lo, limit_lo))
        if ideal_hi is not None and limit_hi is not None:
            sides.append((ideal_hi, limit_hi))
        edge, limit = rng.choice(sides)
        # Linear between the ideal edge (score 1) and the limit (score 0), a little past it when very poor.
        value = edge + (1 - score) * (limit - edge) + (0.1 * (limit - edge) if score < 0.05 else 0.0)
    if valid_lo is not None:
        value = max(valid_lo, value)
    if valid_hi is not None:
        value = min(valid_hi, value)
    return _round_reading(value, target)


def _flicker(rng: random.Random, quality: float) -> dict[str, float]:
    score = _clamp(quality + rng.gauss(0, 0.15))
    if score > 0.7:
        # Good LED drivers: high frequency, or shallow modulation at mains ripple.
        return rng.choice([{"percent": round(rng.uniform(0.5, 3.0), 1), "frequency_hz": 100.0},
                           {"percent": round(rng.uniform(5, 20), 1), "frequency_hz": 3200.0}])  # fmt: skip
    if score > 0.4:
        return {"percent": round(rng.uniform(4.0, 7.5), 1), "frequency_hz": 100.0}
    return {"percent": round(rng.uniform(15, 45), 1), "frequency_hz": 100.0}


def _answer(rng: random.Random, resolved: ResolvedItem, quality: float) -> object:
    """A raw answer (as a form would give it) for one item in a room of this quality."""
    item = resolved.item
    kind = item.kind
    if kind is ItemKind.measurement:
        first = _reading(rng, resolved, quality)
        if item.id == "lighting.illuminance" and rng.random() < 0.4:
            # Morning and afternoon readings.
            assert resolved.target is not None
            return [first, _round_reading(first * rng.uniform(0.7, 1.3), resolved.target)]
        return first
    if kind is ItemKind.flicker:
        return _flicker(rng, quality)
    if kind is ItemKind.yes_no:
        good = rng.random() < 0.1 + 0.85 * quality
        return "yes" if good == item.good_answer else "no"
    if kind is ItemKind.choice:
        assert item.options is not None
        wanted = _clamp(quality + rng.gauss(0, 0.2))
        return min(item.options, key=lambda o: (abs(o.score - wanted), o.value)).value
    if kind is ItemKind.rating:
        return round(4 * _clamp(quality + rng.gauss(0, 0.15)))
    if kind is ItemKind.text:
        return rng.choice(("Seen during a normal morning session.", "Room in use by a small group during the visit."))
    return None  # photo items are answered by attaching a photo


def _visit_dates(rng: random.Random, visits: int) -> list[dt.date]:
    days = (DEMO_END - DEMO_START).days
    dates = []
    for n in range(visits):
        centre = days * (0.04 + 0.92 * n / max(1, visits - 1))
        day = int(_clamp(centre + rng.uniform(-20, 20), 0, days))
        dates.append(DEMO_START + dt.timedelta(days=day))
    dates[-1] = DEMO_END - dt.timedelta(days=rng.randint(0, 30))
    return sorted(dates)


def _at(day: dt.date, hour: int, seconds: int = 0) -> str:
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    return moment.isoformat()


# --------------------------------------------------------------------------------------------
# Photos: simple drawn pictures, standing in for what an assessor would take on a tablet.
# --------------------------------------------------------------------------------------------


def _canvas(colour: tuple[int, int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (1280, 960), colour)
    return image, ImageDraw.Draw(image)


def _striped_blinds() -> Image.Image:
    image, draw = _canvas((226, 222, 212))
    draw.rectangle((240, 120, 1040, 760), fill=(250, 250, 240))
    for y in range(120, 760, 24):  # the high-contrast stripes the item warns about
        draw.rectangle((240, y, 1040, y + 11), fill=(40, 40, 48))
    draw.rectangle((0, 800, 1280, 960), fill=(150, 120, 90))
    return image


def _ceiling_tubes() -> Image.Image:
    image, draw = _canvas((200, 200, 205))
    for row in range(3):
        for col in range(4):
            x, y = 120 + col * 290, 140 + row * 240
            draw.rectangle((x, y, x + 220, y + 36), fill=(255, 255, 245), outline=(120, 120, 120), width=4)
    return image


def _calm_room() -> Image.Image:
    image, draw = _canvas((196, 214, 204))
    draw.rectangle((0, 700, 1280, 960), fill=(170, 150, 125))
    draw.ellipse((180, 560, 520, 820), fill=(120, 140, 170))
    draw.ellipse((640, 580, 960, 820), fill=(200, 170, 130))
    draw.rectangle((980, 220, 1180, 520), fill=(236, 226, 200))  # a dimmable lamp shade
    return image


def _display_wall(rng: random.Random) -> Image.Image:
    image, draw = _canvas((240, 236, 226))
    palette = [(230, 40, 40), (250, 200, 0), (30, 120, 220), (40, 170, 70), (240, 110, 20), (160, 60, 190)]
    for _ in range(90):
        x, y = rng.randint(0, 1180), rng.randint(0, 700)
        draw.rectangle((x, y, x + rng.randint(60, 200), y + rng.randint(50, 160)), fill=rng.choice(palette))
    return image


def _acoustic_panels() -> Image.Image:
    image, draw = _canvas((214, 210, 200))
    for col in range(5):
        x = 80 + col * 240
        draw.rounded_rectangle((x, 160, x + 200, 560), radius=18, fill=(90, 110, 120))
    draw.rectangle((0, 760, 1280, 960), fill=(120, 110, 100))
    return image


def _waiting_seats() -> Image.Image:
    image, draw = _canvas((222, 226, 230))
    for row in range(2):
        for seat in range(7):
            x, y = 90 + seat * 160, 420 + row * 230
            draw.rectangle((x, y, x + 120, y + 110), fill=(0, 90, 160))
            draw.rectangle((x, y + 110, x + 120, y + 140), fill=(60, 60, 60))
    return image


# (site, room, visit: -1 = the last, item, file name, caption, drawing)
_PHOTOS: tuple[tuple[str, str, int, str, str, str, Callable[[random.Random], Image.Image]], ...] = (
    (SCHOOL, "Year 3 classroom", 0, "lighting.blind_patterns", "year3-blinds.jpg",
     "Striped blinds on the south windows", lambda rng: _striped_blinds()),
    (SCHOOL, "Year 3 classroom", 0, "textures.visual_clutter", "year3-display-wall.jpg",
     "Display wall behind the teacher's desk", _display_wall),
    (SCHOOL, "Calm room", -1, "quiet_zones.quiet_room_furnishing", "calm-room.jpg",
     "Calm room with beanbags and a warm lamp", lambda rng: _calm_room()),
    (OFFICE, "Second floor open office", 0, "lighting.glare", "open-office-tubes.jpg",
     "Bare fluorescent tubes over the desks", lambda rng: _ceiling_tubes()),
    (OFFICE, "Second floor open office", -1, "noise.sound_absorption", "open-office-panels.jpg",
     "Acoustic panels fitted on the long wall", lambda rng: _acoustic_panels()),
    (CLINIC, "Main waiting room", 0, "textures.seating_variety", "waiting-room-seats.jpg",
     "Fixed rows of identical chairs", lambda rng: _waiting_seats()),
)  # fmt: skip


def _photo_entry(
    rng: random.Random, draw: Callable[[random.Random], Image.Image], item_id: str, name: str, caption: str,
    by: str, day: dt.date,
) -> dict[str, Any]:  # fmt: skip
    out = io.BytesIO()
    draw(rng).save(out, format="JPEG", quality=90)
    photo = prepare_photo(out.getvalue())
    return {
        "item_id": item_id,
        "file_name": name,
        "content_type": photo.content_type,
        "size": len(photo.content),
        "sha256": photo.sha256,
        "caption": caption,
        "uploaded_by": by,
        "uploaded_at": _at(day, 11),
        "content": base64.b64encode(photo.content).decode("ascii"),
    }


# --------------------------------------------------------------------------------------------
# The documents
# --------------------------------------------------------------------------------------------


def _assessment(
    rng: random.Random,
    site: DemoSite,
    room: DemoRoom,
    checklist: RoomChecklist,
    visit: int,
    day: dt.date,
    bias: dict[str, float],
    na_items: set[str],
    status: AssessmentStatus,
    skip: set[str],
) -> dict[str, Any]:
    share = visit / max(1, room.visits - 1)
    quality = room.first + (room.last - room.first) * share
    improved = room.last - room.first >= 0.2 and visit == room.visits - 1
    assessor = site.assessor if visit % 3 != 2 else _MANAGER
    responses: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for resolved in checklist.items:
        item_id = resolved.item.id
        if item_id in skip:
            continue
        if item_id in na_items:
            responses[item_id] = NA
            continue
        raw = _answer(rng, resolved, _clamp(quality + bias[item_id]))
        if raw is None:
            continue
        answer: Answer = parse_answer(resolved, raw)
        responses[item_id] = stored_value(answer)
        if improved and item_id in _FIX_NOTES:
            notes[item_id] = _FIX_NOTES[item_id]
        elif _falls_short(resolved, answer) and rng.random() < 0.12:
            notes[item_id] = rng.choice(_SHORTFALL_NOTES.get(resolved.item.category, ("Needs a closer look.",)))
    answered = {
        item_id: {"by": assessor.email, "at": _at(day, 9, 40 * n)}
        for n, item_id in enumerate(sorted(set(responses) | set(notes)))
    }
    reviewed = status is AssessmentStatus.reviewed
    return {
        "date": day.isoformat(),
        "assessor": assessor.name,
        "assessor_email": assessor.email,
        "status": status.value,
        "catalogue_version": checklist.catalogue_version,
        "review_comment": rng.choice(_REVIEW_COMMENTS) if reviewed else None,
        "provisional_reason": None,
        "submitted_at": None if status is AssessmentStatus.draft else _at(day, 12),
        "reviewed_at": _at(day + dt.timedelta(days=3), 10) if reviewed else None,
        "reviewed_by": _MANAGER.email if reviewed else None,
        "responses": responses,
        "notes": notes,
        "answered": answered,
        "evidence": [],
    }


def _falls_short(resolved: ResolvedItem, answer: Answer) -> bool:
    item = resolved.item
    if item.kind is ItemKind.yes_no:
        return answer != item.good_answer
    if item.kind is ItemKind.choice:
        return answer != "yes"
    if item.kind is ItemKind.rating:
        return isinstance(answer, int) and answer <= 1
    if item.kind is ItemKind.flicker:
        return isinstance(answer, Flicker) and answer.percent > 3.3
    if item.kind is ItemKind.measurement and resolved.target is not None and isinstance(answer, tuple):
        lo, hi = resolved.target.ideal
        return any((lo is not None and v < lo) or (hi is not None and v > hi) for v in answer)
    return False


# The demo calibration round: Sam Patel and Morgan Reid assess six clinic rooms two days apart.
CALIBRATION_ROUND = "Autumn calibration: clinic"
_CALIBRATION_DAYS = (dt.date(2026, 9, 14), dt.date(2026, 9, 16))
_CALIBRATION_ROOMS = 6


def _calibration_pair(
    site: DemoSite, room: DemoRoom, checklist: RoomChecklist, bias: dict[str, float], na_items: set[str]
) -> list[dict[str, Any]]:
    """Two independent assessments of one room; the assessors read a few items differently.

    Visual clutter is a judgement call (the rating drifts by one or two levels), glare depends on
    where one stands, and the background level depends on when the meter is read; the rest agrees
    but for the odd slip.
    """
    rng = random.Random(f"{SEED}:calibration:{room.name}")
    middle = DemoRoom(room.name, room.room_type, room.floor, room.capacity, room.first, room.last, 3)
    first = _assessment(rng, site, middle, checklist, 1, _CALIBRATION_DAYS[0], bias, na_items,
                        AssessmentStatus.reviewed, set())  # fmt: skip
    second = copy.deepcopy(first)
    by_id = checklist.by_id()
    for item_id, value in first["responses"].items():
        if value == NA:
            continue
        kind = by_id[item_id].item.kind
        if item_id == "textures.visual_clutter" and rng.random() < 0.7:
            second["responses"][item_id] = max(0, min(4, value + rng.choice((-2, -1, 1, 2))))
        elif item_id == "lighting.glare" and rng.random() < 0.5:
            second["responses"][item_id] = not value
        elif item_id == "noise.background_level":
            readings = value if isinstance(value, list) else [value]
            second["responses"][item_id] = [round(v + rng.uniform(-8, 8)) for v in readings]
        elif kind is ItemKind.yes_no and rng.random() < 0.03:
            second["responses"][item_id] = not value
        # Stored as the store keeps it (one reading as a number, whole numbers as integers).
        second["responses"][item_id] = stored_value(parse_answer(by_id[item_id], second["responses"][item_id]))
    second["date"] = _CALIBRATION_DAYS[1].isoformat()
    second["assessor"], second["assessor_email"] = _MANAGER.name, _MANAGER.email
    second["answered"] = {k: {"by": _MANAGER.email, "at": _at(_CALIBRATION_DAYS[1], 9, 40 * n)}
                          for n, k in enumerate(sorted(second["answered"]))}  # fmt: skip
    second["submitted_at"] = _at(_CALIBRATION_DAYS[1], 12)
    second["reviewed_at"] = _at(_CALIBRATION_DAYS[1] + dt.timedelta(days=3), 10)
    second["reviewed_by"] = DEMO_USERS[3].email
    second["notes"] = {}
    for entry, assessor in ((first, _STAFF), (second, _MANAGER)):
        entry["assessor"], entry["assessor_email"] = assessor.name, assessor.email
        entry["answered"] = {k: {"by": assessor.email, "at": v["at"]} for k, v in entry["answered"].items()}
    return [first, second]


def demo_documents() -> list[dict[str, Any]]:
    """The three demo organisations as export documents (`transfer.OrganisationFile`), deterministic."""
    return copy.deepcopy(_demo_documents())


@cache
def _demo_documents() -> list[dict[str, Any]]:
    # Drawing the photos and the answers takes a moment; the result never changes within a process.
    catalogue = default_catalogue()
    documents = []
    for site in DEMO_SITES:
        # Every demo record names a member, so the people of each organisation are its members.
        people = [
            {"email": u.email, "name": u.name, "role": u.role.value, "member": True}
            for u in sorted(DEMO_USERS, key=lambda u: u.email)
            if u.organisation in (None, site.organisation)
        ]
        rooms: list[dict[str, Any]] = []
        for number, room in enumerate(site.rooms):
            rng = random.Random(f"{SEED}:{site.name}:{room.name}")
            checklist = catalogue.checklist(site.setting, room.room_type)
            # A room keeps its character between visits: each item leans the same way every time.
            bias = {r.item.id: rng.gauss(0, 0.12) for r in checklist.items}
            na_items = {r.item.id for r in checklist.items if r.item.allow_na and rng.random() < 0.2}
            dates = _visit_dates(rng, room.visits)
            assessments = []
            for visit, day in enumerate(dates):
                last = visit == len(dates) - 1
                status = AssessmentStatus.reviewed
                skip: set[str] = set()
                if last and number % 4 == 1:
                    status = AssessmentStatus.draft
                elif last and number % 4 == 2:
                    status = AssessmentStatus.submitted
                if last and status is AssessmentStatus.draft and number == 1 and site.setting == "school":
                    # An assessment in progress: the assessor has not reached the later sections yet.
                    skip = {r.item.id for r in checklist.items[len(checklist.items) * 2 // 3 :]}
                if last and status is AssessmentStatus.submitted and number == 2 and site.setting == "clinic":
                    skip = {"noise.background_level", "noise.reverberation_time"}
                entry = _assessment(rng, site, room, checklist, visit, day, bias, na_items, status, skip)
                if skip and status is AssessmentStatus.submitted:
                    entry["provisional_reason"] = _PROVISIONAL_REASON
                assessments.append(entry)
            if site.organisation == CLINIC and number < _CALIBRATION_ROOMS:
                assessments.extend(_calibration_pair(site, room, checklist, bias, na_items))
                assessments.sort(key=lambda a: str(a["date"]))
            for org, room_name, visit_index, item_id, file_name, caption, draw in _PHOTOS:
                if org == site.organisation and room_name == room.name and item_id in checklist.by_id():
                    entry = assessments[visit_index]
                    entry["evidence"].append(
                        _photo_entry(rng, draw, item_id, file_name, caption, entry["assessor_email"],
                                     dt.date.fromisoformat(entry["date"]))
                    )  # fmt: skip
            rooms.append(
                {"name": room.name, "room_type": room.room_type, "floor": room.floor,
                 "capacity": room.capacity or None, "assessments": assessments}
            )  # fmt: skip
        rooms.sort(key=lambda r: str(r["name"]))
        site_entry = {"name": site.name, "setting": site.setting, "address": site.address, "rooms": rooms}
        documents.append(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "organisation": {"name": site.organisation},
                "people": people,
                "sites": [site_entry],
            }
        )
    return documents


def _session_of(target: Session | Store) -> tuple[Session, bool]:
    if isinstance(target, Store):
        return target.sessions(), True
    return target, False


def is_empty(target: Session | Store) -> bool:
    """True when the store has no organisations yet (a first start: time to load the demo)."""
    session, owned = _session_of(target)
    try:
        return session.scalar(select(Organisation.id).limit(1)) is None
    finally:
        if owned:
            session.close()


def load_demo(target: Session | Store) -> list[int]:
    """Load the demo organisations that are not there yet; returns the ids of those loaded.

    Running it twice loads nothing the second time. Demo users get the password `demo`.
    """
    session, owned = _session_of(target)
    try:
        loaded = []
        for document in demo_documents():
            name = document["organisation"]["name"]
            if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
                continue
            loaded.append(import_organisation(session, document).organisation_id)
            if name == CLINIC:
                _mark_demo_round(session, loaded[-1])
        if loaded:
            _demo_actions(session)
        _set_demo_passwords(session)
        return loaded
    finally:
        if owned:
            session.close()


# --------------------------------------------------------------------------------------------
# Actions: fixes the demo's manager planned after the last visits, and a follow-up visit checking them
# --------------------------------------------------------------------------------------------

# The follow-up visit: after it, two fixes of the HR office are verified and one is reopened.
FOLLOW_UP_DAY = DEMO_END + dt.timedelta(days=19)
FOLLOW_UP_ROOMS = ((OFFICE, "HR office"),)


@dataclass(frozen=True)
class DemoAction:
    organisation: str
    room: str
    # Which of the room's fixes (0 the first in plan order, among yes/no and choice items).
    fix: int
    owner: DemoUser
    due_on: dt.date
    # What the owner says: "open", "in_progress" or "done".
    status: str
    cost: float | None = None
    note: str | None = None
    # For the follow-up visit: whether it finds the fix made (verified) or not (reopened).
    fixed: bool | None = None


_DEMO_ACTIONS = (
    DemoAction(
        OFFICE,
        "HR office",
        0,
        _STAFF,
        dt.date(2026, 11, 15),
        "done",
        180.0,
        "Order from the usual supplier",
        fixed=True,
    ),
    DemoAction(OFFICE, "HR office", 1, _STAFF, dt.date(2026, 11, 15), "done", None, None, fixed=True),
    DemoAction(
        OFFICE, "HR office", 2, _STAFF, dt.date(2026, 11, 10), "done", 60.0, "Facilities say it is done", fixed=False
    ),
    DemoAction(
        CLINIC,
        "Examination room B",
        0,
        _STAFF,
        dt.date(2026, 11, 20),
        "in_progress",
        450.0,
        "Quote requested from the electrician",
    ),
    DemoAction(CLINIC, "Examination room B", 1, _STAFF, dt.date(2027, 2, 1), "open"),
    DemoAction(SCHOOL, "Main corridor", 0, _TEACHER, dt.date(2027, 1, 15), "open", 90.0, "Ask the caretaker"),
    DemoAction(
        OFFICE,
        "Third floor open office",
        0,
        _STAFF,
        dt.date(2026, 11, 25),
        "done",
        1200.0,
        "Installed over the weekend; check at the next visit",
    ),
)


def _full_marks(resolved: ResolvedItem) -> object:
    """An answer that scores the item at full marks (yes/no and choice items)."""
    item = resolved.item
    if item.kind is ItemKind.yes_no:
        return "yes" if item.good_answer else "no"
    assert item.options is not None
    return next(o.value for o in item.options if o.score >= 1)


def _demo_actions(session: Session) -> None:
    """Plan the demo's actions and make the follow-up visit, all through the store's own workflow:
    the follow-up's submission is what verifies and reopens the HR office's actions."""
    catalogue = default_catalogue()
    people = {
        u.email: Actor.of(u) for u in session.scalars(select(User).where(User.email.in_([d.email for d in DEMO_USERS])))
    }
    manager = people[_MANAGER.email]
    planned: dict[tuple[str, str], list[tuple[DemoAction, str]]] = {}
    for demo in _DEMO_ACTIONS:
        room, site = session.execute(
            select(Room, Site)
            .join(Site)
            .join(Organisation)
            .where(Organisation.name == demo.organisation, Room.name == demo.room)
        ).one()
        latest = session.scalar(
            select(Assessment)
            .where(Assessment.room_id == room.id, Assessment.status != AssessmentStatus.draft)
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            .limit(1)
        )
        assert latest is not None
        checklist = catalogue.checklist(site.setting, room.room_type)
        answers = stored_answers(session, manager, latest.id).answers
        evaluation = evaluate(checklist, answers, tuple(p.id for p in catalogue.principles))
        kinds = {r.item.id: r.item.kind for r in checklist.items}
        fixes = sorted(
            (c for c in evaluation.candidates if kinds[c.item] in (ItemKind.yes_no, ItemKind.choice)),
            key=lambda c: plan_key(c.failed_critical, c.gain, c.effort, c.item),
        )
        item_id = fixes[demo.fix].item
        action = create_action(session, manager, room.id, item_id, owner_id=people[demo.owner.email].id,
                               due_on=demo.due_on, cost_estimate=demo.cost, note=demo.note)  # fmt: skip
        if demo.status != "open":
            update_action(session, people[demo.owner.email], action.id, status=demo.status)
        planned.setdefault((demo.organisation, demo.room), []).append((demo, item_id))
    for organisation, room_name in FOLLOW_UP_ROOMS:
        _follow_up(session, people[_STAFF.email], organisation, room_name, planned[(organisation, room_name)])


def _follow_up(session: Session, assessor: Actor, organisation: str, room_name: str,
               checked: list[tuple[DemoAction, str]]) -> None:  # fmt: skip
    """A visit that finds the room as it was, but for the fixes made, and is submitted."""
    room, site = session.execute(
        select(Room, Site)
        .join(Site)
        .join(Organisation)
        .where(Organisation.name == organisation, Room.name == room_name)
    ).one()
    previous = session.scalar(
        select(Assessment).where(Assessment.room_id == room.id).order_by(Assessment.assessed_on.desc()).limit(1)
    )
    assert previous is not None
    by_id = default_catalogue().checklist(site.setting, room.room_type).by_id()
    answers: dict[str, object] = {
        k: stored_value(v) for k, v in stored_answers(session, assessor, previous.id).answers.items()
    }
    for demo, item_id in checked:
        if demo.fixed:
            answers[item_id] = _full_marks(by_id[item_id])
    visit = start_assessment(session, assessor, room.id, FOLLOW_UP_DAY)
    version = visit.version_id
    for item_id, value in answers.items():
        version = save_answer(session, assessor, visit.id, item_id, value, version)
    # Items the last visit left unanswered stay so (a reason is then needed; otherwise it is not kept).
    submit(session, assessor, visit.id, version, provisional_reason="Follow-up visit to check the planned fixes")


def _mark_demo_round(session: Session, organisation_id: int) -> None:
    admin = session.scalar(select(User).where(User.email == DEMO_USERS[3].email))
    assert admin is not None
    ids = session.scalars(
        select(Assessment.id)
        .join(Room, Assessment.room_id == Room.id)
        .join(Site)
        .where(Site.organisation_id == organisation_id, Assessment.assessed_on.in_(_CALIBRATION_DAYS))
    ).all()
    mark_calibration_round(session, admin, CALIBRATION_ROUND, list(ids), window_days=7)


def _set_demo_passwords(session: Session) -> None:
    emails = [u.email for u in DEMO_USERS]
    users = session.scalars(select(User).where(User.email.in_(emails), User.password_hash.is_(None))).all()
    if not users:
        return
    hasher = PasswordHasher()
    for user in users:
        user.password_hash = hasher.hash(DEMO_PASSWORD)
        _audit(session, None, None, "set_password", "users", user.id)
    session.commit()


def demo_mode() -> bool:
    """Whether the app runs as a demo (see DEMO_ENV)."""
    value = os.environ.get(DEMO_ENV, "").strip().lower()
    if value in ("0", "1", "remote"):
        return value != "0"
    if value:
        raise ValueError(f"{DEMO_ENV} is 1, 0 or remote, not {value!r}")
    return not os.environ.get(DATABASE_URL_ENV, "").strip()


def demo_may_serve(address: str | None) -> bool:
    """A demo (whose accounts and password are on the sign-in screen) only listens on the machine
    itself, unless SENSORY_AUDIT_DEMO=remote says so explicitly. No address means every interface."""
    if os.environ.get(DEMO_ENV, "").strip().lower() == "remote":
        return True
    return (address or "").strip().strip("[]") in LOOPBACK


def open_app_store() -> Store:
    """The store as the app opens it: migrated, and in demo mode on the first start with an empty
    database filled with the demo portfolio, so a new user has something to look at."""
    store = open_store()
    if demo_mode() and is_empty(store):
        load_demo(store)
    return store
