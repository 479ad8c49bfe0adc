"""Organisation criteria in the store (SQLite and PostgreSQL): every version kept with who, when and
why; assessments scored under the version they were taken with; only admins, the organisation's
managers and its consultants may change them."""

from __future__ import annotations

import pytest

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser, catalogue_for
from assessments.db import Store
from assessments.errors import ConflictError, InvalidAnswer, PermissionDenied
from assessments.models import Organisation, Role, User
from assessments.org_criteria import InvalidCriteria
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from scoring.engine import score_assessment
from scoring.portfolio_versions import score_portfolio_versions
from tests.assessments.conftest import World

QUIETER = "thresholds:\n  school/classroom:\n    noise.background_level: {ideal: [null, 30], limit: [null, 45]}\n"
QUIETEST = "thresholds:\n  school/classroom:\n    noise.background_level: {ideal: [null, 25], limit: [null, 40]}\n"
NIGHT_LIGHT = """\
items:
  - id: lighting.night_light
    kind: yes_no
    question: Is there a dim night light on its own switch?
    guidance: Good - a low, warm light at floor level, on its own switch by the door.
    how_to_fix: Fit a plug-in night light on its own switch.
    effort: low
    principles: [safety]
    source: Hillview Trust estates policy EP-4 (2026)
    evidence: D
    good_answer: yes
    applies_to: [school/classroom]
"""


def _submitted(store: Store, world: World, room_id: int, answers: dict[str, object]) -> int:
    with store.session() as session:
        assessment = repository.start_assessment(session, world.admin, room_id)
        version = assessment.version_id
        for item_id, value in answers.items():
            version = repository.save_answer(session, world.admin, assessment.id, item_id, value, version)
        repository.submit(session, world.admin, assessment.id, version, provisional_reason="a first look")
        return assessment.id


def _noise_score(store: Store, world: World, assessment_id: int) -> tuple[str, float | None]:
    with store.session() as session:
        assessment = repository.get_assessment(session, world.admin, assessment_id)
        scoring = repository.scoring_input(session, world.admin, assessment_id)
        catalogue = catalogue_for(
            session, assessment.catalogue_version, assessment.status, None, (scoring.setting, scoring.room_type)
        )
        result = score_assessment(catalogue, scoring)
        return result.catalogue_version, result.items["noise.background_level"].score


def test_saving_keeps_every_version_with_who_when_and_why(store: Store, world: World) -> None:
    with store.session() as session:
        first = repository.save_criteria(session, world.manager_a, world.org_a, QUIETER, "Quieter classrooms")
        second = repository.save_criteria(
            session, world.consultant_a, world.org_a, QUIETEST, "  Trust board asked for 25 dBA  ", expected_number=1
        )
        assert (first.number, second.number) == (1, 2)
        assert second.version == f"{default_catalogue().version}+org{world.org_a}.2"
        kept = repository.criteria_versions(session, world.staff_a, world.org_a)
        assert [(k.number, k.content, k.reason, k.saved_by) for k in kept] == [
            (1, QUIETER, "Quieter classrooms", "mo@a.test"),
            (2, QUIETEST, "Trust board asked for 25 dBA", "cy@a.test"),
        ]
        current = repository.current_criteria(session, world.staff_a, world.org_a)
        assert current is not None
        assert current.number == 2
        assert repository.current_criteria(session, world.staff_b, world.org_b) is None
        events = repository.list_audit_events(
            session, world.admin, organisation_id=world.org_a, entity="organisation_criteria"
        )
        assert [(e.actor, e.action, e.new_value["number"], e.new_value["reason"]) for e in events] == [
            ("cy@a.test", "save_criteria", 2, "Trust board asked for 25 dBA"),
            ("mo@a.test", "save_criteria", 1, "Quieter classrooms"),
        ]
        assert events[0].old_value == {"number": 1}
        assert events[0].at >= events[1].at


def test_a_bad_file_a_missing_reason_or_a_stale_version_saves_nothing(store: Store, world: World) -> None:
    with store.session() as session:
        with pytest.raises(InvalidCriteria) as raised:
            repository.save_criteria(
                session, world.admin, world.org_a, "critical: [noise.quietness]\n", "why", display="hillview.yaml"
            )
        assert [str(p) for p in raised.value.problems] == [
            "hillview.yaml:1: critical[0]: unknown item 'noise.quietness' (not an item of catalogue 2026.1)"
        ]
        with pytest.raises(InvalidAnswer, match="Say why the criteria change"):
            repository.save_criteria(session, world.admin, world.org_a, QUIETER, "   ")
        repository.save_criteria(session, world.admin, world.org_a, QUIETER, "first")
        with pytest.raises(ConflictError, match="Someone else saved version 1 of these criteria"):
            repository.save_criteria(session, world.manager_a, world.org_a, QUIETEST, "mine", expected_number=0)
        assert [k.number for k in repository.criteria_versions(session, world.admin, world.org_a)] == [1]


def test_only_admins_managers_and_granted_consultants_change_criteria(store: Store, world: World) -> None:
    with store.session() as session:
        organisation = session.get(Organisation, world.org_a)
        assert organisation is not None
        viewer = User(name="Vi Viewer", email="vi@a.test", role=Role.viewer, organisations=[organisation])
        session.add(viewer)
        session.commit()
        viewer_actor = repository.Actor.of(viewer)
        for who, role in ((world.staff_a, "staff"), (viewer_actor, "viewer")):
            with pytest.raises(
                PermissionDenied,
                match=f"Only managers, consultants and admins can change an organisation's criteria; "
                f"you are signed in as {role}.",
            ):
                repository.save_criteria(session, who, world.org_a, QUIETER, "why not")
        # A manager or staff member of another organisation is refused as if it did not exist.
        for outsider in (world.manager_b, world.staff_b):
            with pytest.raises(PermissionDenied, match=f"do not have access to organisation {world.org_a}"):
                repository.save_criteria(session, outsider, world.org_a, QUIETER, "why not")
            with pytest.raises(PermissionDenied, match=f"do not have access to organisation {world.org_a}"):
                repository.criteria_versions(session, outsider, world.org_a)
        assert repository.criteria_versions(session, world.admin, world.org_a) == []
        for allowed in (world.admin, world.manager_a, world.consultant_a):
            repository.save_criteria(session, allowed, world.org_a, QUIETER, f"by {allowed.email}")
        assert len(repository.criteria_versions(session, world.admin, world.org_a)) == 3


def test_an_assessment_keeps_the_score_of_the_criteria_it_was_taken_with(store: Store, world: World) -> None:
    before = _submitted(store, world, world.room_a, {"noise.background_level": 42})
    with store.session() as session:
        repository.save_criteria(session, world.manager_a, world.org_a, QUIETER, "Quieter classrooms")
    under_first = _submitted(store, world, world.room_a, {"noise.background_level": 42})
    with store.session() as session:
        repository.save_criteria(session, world.manager_a, world.org_a, QUIETEST, "Quieter still")
    under_second = _submitted(store, world, world.room_a, {"noise.background_level": 42})
    base = default_catalogue().version
    assert _noise_score(store, world, before) == (base, 0.533)
    # (45 - 42) / 15 under version 1, and still so after version 2 arrived.
    assert _noise_score(store, world, under_first) == (f"{base}+org{world.org_a}.1", 0.2)
    # 42 dBA is beyond the limit of 40 under version 2.
    assert _noise_score(store, world, under_second) == (f"{base}+org{world.org_a}.2", 0.0)


def test_criteria_change_their_own_organisations_scores_only(store: Store, world: World) -> None:
    with store.session() as session:
        repository.save_criteria(session, world.manager_b, world.org_b, "switched_off: [noise.background_level]\n", "x")
    a = _submitted(store, world, world.room_a, {"noise.background_level": 42})
    assert _noise_score(store, world, a) == (default_catalogue().version, 0.533)
    with store.session() as session:
        assessment = repository.get_assessment(session, world.admin, a)
        assert assessment.catalogue_version == default_catalogue().version


def test_drafts_follow_the_newest_criteria_and_added_items_are_answerable(store: Store, world: World) -> None:
    with store.session() as session:
        draft = repository.start_assessment(session, world.staff_a, world.room_a)
        with pytest.raises(InvalidAnswer, match=r"lighting\.night_light: not an item"):
            repository.save_answer(session, world.staff_a, draft.id, "lighting.night_light", "no", draft.version_id)
        version = draft.version_id
        repository.save_criteria(session, world.manager_a, world.org_a, NIGHT_LIGHT, "Night lights on every ward")
        moved = repository.get_assessment(session, world.staff_a, draft.id)
        assert moved.catalogue_version == f"{default_catalogue().version}+org{world.org_a}.1"
        assert moved.version_id == version  # a tablet with the draft open saves its next answer
        version = repository.save_answer(session, world.staff_a, draft.id, "lighting.night_light", "no", version)
        assert repository.stored_answers(session, world.staff_a, draft.id).answers["lighting.night_light"] is False
        # The other organisation's checklist has no such item.
        other = repository.start_assessment(session, world.staff_b, world.room_b)
        with pytest.raises(InvalidAnswer, match="not an item"):
            repository.save_answer(session, world.staff_b, other.id, "lighting.night_light", "no", other.version_id)


def test_the_portfolio_scorer_agrees_with_the_engine_under_organisation_criteria(store: Store, world: World) -> None:
    answers = {"noise.background_level": 38, "lighting.dimmable": "no", "quiet_zones.retreat_space": "yes"}
    ids = [_submitted(store, world, world.room_a, answers)]
    with store.session() as session:
        repository.save_criteria(session, world.manager_a, world.org_a, QUIETER + NIGHT_LIGHT, "first")
    ids.append(_submitted(store, world, world.room_a, answers | {"lighting.night_light": "no"}))
    ids.append(_submitted(store, world, world.room_b, {"noise.background_level": 38}))
    with store.session() as session:
        repository.save_criteria(session, world.manager_a, world.org_a, "critical: [lighting.dimmable]\n", "second")
    ids.append(_submitted(store, world, world.room_a, answers))
    with store.session() as session:
        current: Catalogue = default_catalogue()
        heads, rows = repository.load_portfolio_frames(session, world.admin)
        scores = score_portfolio_versions(current, heads, rows, CatalogueChooser(session, current)).summary()
        by_id = scores.set_index("assessment_id")
        for assessment_id in ids:
            assessment = repository.get_assessment(session, world.admin, assessment_id)
            scoring = repository.scoring_input(session, world.admin, assessment_id)
            catalogue = catalogue_for(session, assessment.catalogue_version, assessment.status, current)
            engine = score_assessment(catalogue, scoring)
            assert by_id.loc[assessment_id, "overall"] == engine.overall
            assert by_id.loc[assessment_id, "band"] == engine.band
            assert by_id.loc[assessment_id, "scored_version"] == engine.catalogue_version
        versions = [by_id.loc[i, "scored_version"] for i in ids]
        base = current.version
        assert versions == [base, f"{base}+org{world.org_a}.1", base, f"{base}+org{world.org_a}.2"]
        assert by_id.loc[ids[3], "band"] == "C"  # lighting.dimmable failed, and is critical under version 2


def test_an_imported_assessment_records_the_catalogue_version_alone(store: Store, world: World) -> None:
    from assessments import transfer

    with store.session() as session:
        repository.save_criteria(session, world.manager_a, world.org_a, QUIETER, "Quieter classrooms")
    taken = _submitted(store, world, world.room_a, {"noise.background_level": 42})
    with store.session() as session:
        document = transfer.export_organisation(session, world.admin, world.org_a, include_photos=False)
        assert repository.get_assessment(session, world.admin, taken).catalogue_version.endswith(f"+org{world.org_a}.1")
        document["organisation"]["name"] = "Hillview Trust (copy)"
        result = transfer.import_organisation(session, document)
        copied = repository.list_assessments(session, world.admin, organisation_id=result.organisation_id)
    assert [a.catalogue_version for a in copied] == [default_catalogue().version]


def test_a_field_round_of_an_organisation_with_its_own_criteria_is_imported_under_them(
    store: Store, world: World
) -> None:
    from assessments.submission_files import read_odk_zip
    from reports.xlsform import build_xlsform
    from tests.field_exports import Submission, odk_zip

    with store.session() as session:
        saved = repository.save_criteria(session, world.manager_a, world.org_a, NIGHT_LIGHT, "Night lights")
        form, xlsx = build_xlsform(session, world.manager_a, world.org_a, "classroom")
    assert form.settings["catalogue_version"] == saved.version
    answers = {"lighting.night_light": "no", "noise.background_level": 38}
    data = odk_zip(xlsx, form.form_id, form.checklist, [Submission(world.room_a, answers, reason="two items only")])
    with store.session() as session:
        result = repository.import_submissions(session, world.staff_a, read_odk_zip(data))
        (imported,) = result.assessment_ids
        assessment = repository.get_assessment(session, world.manager_a, imported)
        assert assessment.catalogue_version == saved.version
        assert repository.assessment_answers(session, world.manager_a, imported)["lighting.night_light"] is False
