"""A tablet that never stops saving: the process the kill test SIGKILLs in the middle of a save.

    python -m tests.assessments.answer_writer DATABASE_URL USER_ID ASSESSMENT_ID

Save n writes the reading n to item n % len(ITEMS), then prints "n version" once committed.
"""

from __future__ import annotations

import itertools
import sys

from assessments import repository as repo
from assessments.db import open_store
from assessments.models import User

ITEMS = ("noise.background_level", "lighting.illuminance", "lighting.colour_temperature", "lighting.colour_rendering")


def reading(n: int, item: str) -> int:
    # Inside each item's physically possible range, different for every save.
    base = {"noise.background_level": 20, "lighting.illuminance": 100, "lighting.colour_temperature": 2000,
            "lighting.colour_rendering": 0}[item]  # fmt: skip
    return base + n % 97


def main() -> None:
    url, user_id, assessment_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = open_store(url, migrate=False)
    with store.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        actor = repo.Actor.of(user)
        version = repo.get_assessment(session, actor, assessment_id).version_id
        for n in itertools.count():
            item = ITEMS[n % len(ITEMS)]
            version = repo.save_answer(session, actor, assessment_id, item, reading(n, item), version)
            print(n, version, flush=True)


if __name__ == "__main__":
    main()
