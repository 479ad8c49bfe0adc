"""The dashboard's portfolio is cached per organisation: a save in one organisation recomputes that
organisation's part only, and the combined portfolio equals one built from scratch."""

from __future__ import annotations

import pandas as pd
import pytest

from assessments import repository
from assessments.db import Store
from checklists.loader import default_catalogue
from ui import portfolio_view as view

ADMIN = "admin@demo.sensory-audit.test"


def test_a_save_in_one_organisation_leaves_the_others_warm(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        organisations = [o.id for o in repository.list_organisations(session, admin)]
    assert len(organisations) == 3
    built: list[int] = []
    real = view.build_portfolio

    def counting(*args, organisation_id=None, **kwargs):
        built.append(-1 if organisation_id is None else organisation_id)
        return real(*args, organisation_id=organisation_id, **kwargs)

    monkeypatch.setattr(view, "build_portfolio", counting)
    first = view.cached_portfolio(admin)
    assert sorted(built) == sorted(organisations)
    built.clear()
    again = view.cached_portfolio(admin)
    assert built == []
    assert again.assessments.equals(first.assessments)

    # A save in the school: only the school's part is scored again.
    with demo_store.session() as session:
        school = next(o for o in repository.list_organisations(session, admin) if "School" in o.name)
        room = next(
            r
            for r in repository.list_rooms(session, admin)
            if repository.get_site(session, admin, r.site_id).organisation_id == school.id
        )
        draft = repository.start_assessment(session, admin, room.id)
        repository.save_answer(session, admin, draft.id, "lighting.dimmable", "yes", draft.version_id)
        versions = repository.data_versions(session, organisations)
    assert versions[school.id] > max(v for org, v in versions.items() if org != school.id)
    after = view.cached_portfolio(admin)
    assert built == [school.id]
    assert draft.id in set(after.assessments["assessment_id"])

    # The combined portfolio is the one built in one go, room for room and fix for fix.
    with demo_store.session() as session:
        whole = real(session, admin, default_catalogue())
    columns = ["assessment_id", "room_id", "label", "status", "overall", "band", "completeness", "critical_failures"]
    pd.testing.assert_frame_equal(
        after.assessments.sort_values("assessment_id").reset_index(drop=True)[columns],
        whole.assessments.sort_values("assessment_id").reset_index(drop=True)[columns],
    )
    assert after.rooms["label"].is_unique
    assert list(after.actions["item_id"] + after.actions["label"]) == list(
        whole.actions["item_id"] + whole.actions["label"]
    )
