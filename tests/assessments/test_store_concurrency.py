"""Two tablets on one assessment, and a writer killed in the middle of a save."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import ConflictError
from assessments.models import AnswerRow, Response
from checklists.stored_answers import answer_rows
from tests.assessments.answer_writer import ITEMS, reading
from tests.assessments.conftest import TODAY, World

ROOT = Path(__file__).resolve().parents[2]


def test_a_stale_version_is_a_conflict_not_an_overwrite(store: Store, world: World) -> None:
    with store.session() as tablet_1, store.session() as tablet_2:
        a = repo.start_assessment(tablet_1, world.staff_a, world.room_a, TODAY)
        seen = repo.get_assessment(tablet_2, world.manager_a, a.id).version_id
        v = repo.save_answer(tablet_1, world.staff_a, a.id, "noise.background_level", 38, seen)
        with pytest.raises(ConflictError, match="changed by someone else") as error:
            repo.save_answer(tablet_2, world.manager_a, a.id, "noise.background_level", 45, seen)
        assert error.value.current_version == v
        for stale in (
            lambda: repo.save_note(tablet_2, world.manager_a, a.id, "lighting.glare", "x", seen),
            lambda: repo.clear_answer(tablet_2, world.manager_a, a.id, "noise.background_level", seen),
            lambda: repo.submit(tablet_2, world.manager_a, a.id, seen, "reason"),
            lambda: repo.delete_assessment(tablet_2, world.manager_a, a.id, seen),
        ):
            with pytest.raises(ConflictError):
                stale()
        # Reloading and answering again keeps both answers.
        fresh = repo.get_assessment(tablet_2, world.manager_a, a.id).version_id
        repo.save_answer(tablet_2, world.manager_a, a.id, "lighting.glare", "no", fresh)
        answers = repo.assessment_answers(tablet_1, world.staff_a, a.id)
        assert answers == {"lighting.glare": False, "noise.background_level": (38.0,)}


def test_simultaneous_saves_on_one_version_let_exactly_one_through(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    items = [
        "noise.background_level",
        "lighting.illuminance",
        "lighting.colour_temperature",
        "lighting.colour_rendering",
    ]
    values = [40, 400, 3500, 85]
    barrier = threading.Barrier(len(items))
    outcomes: dict[str, object] = {}

    def tablet(item: str, value: int) -> None:
        with store.session() as session:
            barrier.wait()
            try:
                outcomes[item] = repo.save_answer(session, world.staff_a, a.id, item, value, 1)
            except Exception as error:  # collected and checked below
                outcomes[item] = error

    threads = [threading.Thread(target=tablet, args=pair) for pair in zip(items, values, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [item for item, outcome in outcomes.items() if outcome == 2]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(items) - 1, outcomes
    with store.session() as s:
        assert list(repo.assessment_answers(s, world.staff_a, a.id)) == winners


def _start_writer(store: Store, user_id: int, assessment_id: int) -> subprocess.Popen[str]:
    url = store.engine.url.render_as_string(hide_password=False)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.assessments.answer_writer", url, str(user_id), str(assessment_id)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_a_writer_killed_mid_save_loses_no_committed_answer(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    rng = random.Random(7)
    for _round in range(2):
        writer = _start_writer(store, world.staff_a.id, a.id)
        assert writer.stdout is not None
        committed: list[tuple[int, int]] = []
        deadline = time.monotonic() + 60
        while len(committed) < 40:
            line = writer.stdout.readline()
            if not line:
                pytest.fail(f"the writer stopped: {writer.stderr.read() if writer.stderr else ''}")
            n, version = map(int, line.split())
            committed.append((n, version))
            assert time.monotonic() < deadline
        time.sleep(rng.uniform(0, 0.02))  # land the kill somewhere inside a save
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        assert writer.stdout is not None
        assert writer.stderr is not None
        rest = writer.stdout.read()  # committed and printed before the kill
        for line in rest.splitlines(keepends=True):
            if line.endswith("\n"):  # the kill may cut the last line short: that save is in flight
                committed.append(tuple(map(int, line.split())))
        writer.stdout.close()
        writer.stderr.close()

        last_n, last_version = committed[-1]
        with store.session() as s:
            if store.engine.dialect.name == "sqlite":
                assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            current = repo.get_assessment(s, world.staff_a, a.id).version_id
            # The save in flight either committed whole (not yet printed) or left no trace.
            assert current in (last_version, last_version + 1)
            latest = {ITEMS[n % len(ITEMS)]: n for n, _ in committed}
            if current == last_version + 1:
                # Save last_n + 1 committed but was killed before it could say so.
                latest[ITEMS[(last_n + 1) % len(ITEMS)]] = last_n + 1
            answers = repo.assessment_answers(s, world.staff_a, a.id)
            for item, n in latest.items():
                assert answers[item] == (float(reading(n, item)),), item
            # The answers table was rewritten in the same transactions as the answers.
            for item, answer in answers.items():
                rows = s.execute(
                    select(AnswerRow.na, AnswerRow.num, AnswerRow.freq, AnswerRow.text)
                    .where(AnswerRow.assessment_id == a.id, AnswerRow.item_id == item)
                    .order_by(AnswerRow.seq)
                ).all()
                assert [tuple(r) for r in rows] == answer_rows(answer)
            assert len(s.scalars(select(Response.id).where(Response.assessment_id == a.id)).all()) == len(ITEMS)
