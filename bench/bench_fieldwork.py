"""Offline field rounds: exporting a room type's XLSForm, and importing 1,000 submissions with photos.

Targets: the export under 1 s, the import (reading ODK Central's ZIP, checking every row and
photo, writing) under 60 s, on SQLite. Prints figures; asserts nothing. Run with `make bench` or
`python -m bench bench_fieldwork`.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments import repository as repo  # noqa: E402
from assessments.db import DATA_DIR_ENV, Store, open_store  # noqa: E402
from assessments.models import Organisation, Role, Room, Site, User  # noqa: E402
from checklists.loader import default_catalogue  # noqa: E402
from reports.xlsform import build_xlsform  # noqa: E402
from tests.field_exports import Submission, odk_zip  # noqa: E402

SUBMISSIONS = 1_000
ROOMS = 40
EXPORTS = 10

ANSWERS = {
    "lighting.illuminance": [420, 610, 380], "lighting.colour_temperature": 3500, "lighting.colour_rendering": 82,
    "lighting.flicker": {"percent": 2, "frequency_hz": 100}, "lighting.glare": "no", "lighting.daylight_control":
    "partial", "noise.background_level": [38, 41], "noise.reverberation_time": 0.6, "textures.natural_materials": 3,
    "textures.visual_clutter": 2, "textures.muted_colours": "n/a", "quiet_zones.walking_distance": 25,
}  # fmt: skip


def _world(store: Store) -> tuple[repo.Actor, int, list[int]]:
    with store.session() as s:
        org = Organisation(name="Field Trust")
        admin = User(name="Field Admin", email="field@example.test", role=Role.admin, organisations=[org])
        site = Site(organisation=org, name="Field School", setting="school")
        rooms = [Room(site=site, name=f"Classroom {n:02d}", room_type="classroom") for n in range(ROOMS)]
        s.add_all([org, admin, site, *rooms])
        s.commit()
        return repo.Actor.of(admin), org.id, [r.id for r in rooms]


def _photo(n: int) -> bytes:
    """A 640 x 480 JPEG with grain, so it neither compresses away nor repeats (photos are kept by content)."""
    grain = Image.effect_noise((640, 480), 40 + n % 50).convert("RGB")
    tint = Image.new("RGB", (640, 480), (n % 256, (n * 7) % 256, 120))
    out = io.BytesIO()
    Image.blend(grain, tint, 0.5).save(out, format="JPEG", quality=80)
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ[DATA_DIR_ENV] = folder
        store = open_store(f"sqlite+pysqlite:///{folder}/bench.db")
        try:
            admin, org_id, rooms = _world(store)
            timings = []
            for _ in range(EXPORTS):
                started = time.perf_counter()
                with store.session() as s:
                    form, xlsx = build_xlsform(s, admin, org_id, "classroom")
                timings.append(time.perf_counter() - started)
            print(
                f"XLSForm export of a classroom ({len(form.survey)} survey rows, {ROOMS} rooms): median "
                f"{statistics.median(timings) * 1000:.0f} ms over {EXPORTS} exports (target < 1 s)"
            )

            checklist = default_catalogue().checklist("school", "classroom")
            by_kind: dict[str, object] = {"yes_no": "yes", "choice": "partial", "rating": 2, "measurement": 10}
            answers = {r.item.id: ANSWERS.get(r.item.id, by_kind.get(r.item.kind.value)) for r in checklist.items}
            submissions = [
                Submission(rooms[n % ROOMS], answers, photos={"lighting.glare": (f"{n:05d}.jpg", _photo(n))})
                for n in range(SUBMISSIONS)
            ]
            data = odk_zip(xlsx, form.form_id, checklist, submissions)
            started = time.perf_counter()
            with store.session() as s:
                result = repo.import_submissions(s, admin, repo.read_submission_file(data))
            took = time.perf_counter() - started
            print(
                f"import of {SUBMISSIONS} submissions with photos ({len(data) / 1e6:.1f} MB ZIP, {result.created} "
                f"assessments, {result.photos} photos): {took:.1f} s (target < 60 s)"
            )
            started = time.perf_counter()
            with store.session() as s:
                again = repo.import_submissions(s, admin, repo.read_submission_file(data))
            print(f"the same ZIP again: {time.perf_counter() - started:.1f} s, {again.summary}")
        finally:
            store.dispose()
            os.environ.pop(DATA_DIR_ENV, None)


if __name__ == "__main__":
    main()
