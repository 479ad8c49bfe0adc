"""The Reports and Admin pages run by streamlit.testing.v1.AppTest on the demo store, through app.py as
the browser runs them (the sign-in sidebar, then the page), and their logic modules on their own.

The pages are opened through app.py rather than as scripts of their own, as the browser opens them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import reports.api
from assessments import repository, transfer
from assessments.db import Store
from assessments.demo import CLINIC, DEMO_USERS
from assessments.errors import ConflictError, StoreError
from assessments.models import Role, User
from tests.ui.conftest import shown
from ui import admin_forms, admin_transfer, context, state
from ui import reports_logic as logic

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ADMIN, MANAGER = DEMO_USERS[3].email, DEMO_USERS[1].email
CLINIC_SITE = "Riverside Community Clinic"


def person(store: Store, email: str) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, email)
    assert found is not None
    return found


def open_page(store: Store, page: str, email: str = ADMIN) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = person(store, email).id
    at.run()  # the navigation registers its pages (with their URL paths) on the first run
    at.switch_page(f"ui/pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def organisation_id(store: Store, name: str) -> int:
    with store.session() as session:
        found = next(o for o in repository.list_organisations(session, person(store, ADMIN)) if o.name == name)
    return found.id


def button(at: AppTest, label: str) -> Any:
    """A button (a form's submit button included) by its label."""
    return next(b for b in at.button if b.label == label)


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def successes(at: AppTest) -> list[str]:
    return [shown(s.value) for s in at.success]


def table_with(at: AppTest, column: str) -> Any:
    """The first data grid or plain table with that column, as a DataFrame."""
    return next(t.value for t in [*at.dataframe, *at.table] if column in t.value.columns)


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def test_the_scope_offers_the_organisations_then_their_sites_or_rooms(demo_store: Store) -> None:
    at = open_page(demo_store, "report_downloads")
    assert at.title[0].value == "Reports"
    organisations = at.selectbox(key=state.REPORTS_ORGANISATION)
    assert set(organisations.options) >= {CLINIC, "Hillview Primary School", "Harbour Street Partners"}
    organisations.set_value(organisation_id(demo_store, CLINIC)).run()

    at.button_group(key=state.REPORTS_SCOPE).set_value("site").run()
    assert at.selectbox(key=state.REPORTS_SITE).options == [CLINIC_SITE]
    assert "9 rooms in Riverside Community Clinic." in [c.value for c in at.caption]

    at.button_group(key=state.REPORTS_SCOPE).set_value("rooms").run()
    rooms = at.multiselect(key=state.REPORTS_ROOMS).options
    assert len(rooms) == 9
    assert f"Quiet room · {CLINIC_SITE}" in rooms


def test_an_empty_scope_is_refused_in_words(demo_store: Store) -> None:
    at = open_page(demo_store, "report_downloads")
    at.selectbox(key=state.REPORTS_ORGANISATION).set_value(organisation_id(demo_store, CLINIC))
    at.button_group(key=state.REPORTS_FORMAT).set_value("xlsx")
    at.button_group(key=state.REPORTS_SCOPE).set_value("rooms").run()
    at.button(key=state.REPORTS_MAKE).click().run()
    assert not at.exception
    assert errors(at) == ["No rooms were chosen: pick at least one room for the report."]
    assert [b.label for b in at.get("download_button")] == ["Download the blank checklist (PDF)"]

    with demo_store.session() as session:
        empty = repository.create_organisation(session, person(demo_store, ADMIN), "Empty Trust (reports test)")
    at = open_page(demo_store, "report_downloads")
    at.selectbox(key=state.REPORTS_ORGANISATION).set_value(empty.id)
    at.button_group(key=state.REPORTS_FORMAT).set_value("csv").run()
    at.button(key=state.REPORTS_MAKE).click().run()
    assert errors(at) == [
        "Empty Trust (reports test) has no rooms yet: add rooms and assess them before making a report."
    ]

    # A room, but no assessment of it yet.
    with demo_store.session() as session:
        site = repository.create_site(session, person(demo_store, ADMIN), empty.id, "Empty House", "workplace")
        repository.create_room(session, person(demo_store, ADMIN), site.id, "Back office", "enclosed_office")
    at.button(key=state.REPORTS_MAKE).click().run()
    assert errors(at) == [
        "No report: the only room of Empty Trust (reports test), Back office, has no submitted assessment yet."
    ]
    assert at.session_state[state.REPORTS_FILES] == {}


def test_a_made_excel_report_is_offered_for_download_and_not_made_again(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(demo_store, "report_downloads")
    at.selectbox(key=state.REPORTS_ORGANISATION).set_value(organisation_id(demo_store, CLINIC))
    at.button_group(key=state.REPORTS_FORMAT).set_value("xlsx").run()
    made = []
    build = reports.api.build_report

    def counting(*args: Any, **kwargs: Any) -> Path:
        made.append(kwargs["fmt"])
        return build(*args, **kwargs)

    monkeypatch.setattr("ui.reports_logic.build_report", counting)
    at.button(key=state.REPORTS_MAKE).click().run()
    assert not at.exception
    assert errors(at) == []
    name = f"riverside-community-health-{dt.date.today().isoformat()}.xlsx"
    assert successes(at)[0].startswith(f"Excel report ready: {name} (")
    assert at.get("download_button")[0].label == "Download the Excel report"
    files = at.session_state[state.REPORTS_FILES]
    (request, file), *_ = files.items()
    assert (file.name, file.mime) == (name, logic.MIME_TYPES["xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(file.content), read_only=True)
    rooms = {row[1] for row in book["Rooms"].iter_rows(min_row=2, values_only=True)}
    book.close()
    assert "Quiet room" in rooms
    assert len(rooms) == 9

    # A rerun, and even another click, hands out the same bytes without making them again.
    at.run()
    at.button(key=state.REPORTS_MAKE).click().run()
    assert made == ["xlsx"]
    assert at.get("download_button")[0].label == "Download the Excel report"
    assert at.session_state[state.REPORTS_FILES][request].content == file.content


def test_the_logo_is_checked_by_its_content(demo_store: Store) -> None:
    at = open_page(demo_store, "report_downloads")
    at.button_group(key=state.REPORTS_FORMAT).set_value("pdf").run()
    assert at.text_input(key=state.REPORTS_CONSULTANT).value == "Alex Kim"
    at.file_uploader(key=state.REPORTS_LOGO).set_value(("logo.png", b"not an image at all", "image/png")).run()
    assert errors(at) == ["Logo: this file is not an image. Choose a PNG or JPEG file, or leave the logo out."]
    assert at.button(key=state.REPORTS_MAKE).disabled

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "#0F5C8C").save(png, format="PNG")
    at.file_uploader(key=state.REPORTS_LOGO).set_value(("logo.png", png.getvalue(), "image/png")).run()
    assert errors(at) == []
    assert not at.button(key=state.REPORTS_MAKE).disabled


def test_the_blank_checklist_is_ready_to_download(demo_store: Store) -> None:
    at = open_page(demo_store, "report_downloads")
    at.selectbox(key=state.REPORTS_CHECKLIST_SETTING).set_value("school").run()
    at.selectbox(key=state.REPORTS_CHECKLIST_ROOM_TYPE).set_value("classroom").run()
    assert not at.exception
    assert at.get("download_button")[-1].label == "Download the blank checklist (PDF)"
    catalogue = context.catalogue()
    assert logic.make_checklist(catalogue, "school", "classroom").startswith(b"%PDF")


def test_report_file_names_and_requests() -> None:
    day = dt.date(2026, 11, 22)
    assert logic.report_file_name(CLINIC, "pdf", day) == "riverside-community-health-2026-11-22.pdf"
    assert (
        logic.report_file_name(CLINIC, "xlsx", day, site=CLINIC_SITE)
        == "riverside-community-health-riverside-community-clinic-2026-11-22.xlsx"
    )
    assert logic.report_file_name("Café Ökologie", "csv", day, rooms=1) == "cafe-okologie-1-room-2026-11-22.csv"
    assert logic.checklist_file_name("Clinic", "Waiting room") == "blank-checklist-clinic-waiting-room.pdf"
    assert logic.progress_text("Report written to /tmp/x/report.pdf") == "Report ready"
    assert logic.progress_text("Room 4 of 9: Therapy room") == "Room 4 of 9: Therapy room"
    scope = logic.Scope(1, site_id=2)
    excel = logic.ReportRequest.of(1, scope, "xlsx", include_drafts=False, data_version=7, consultant="A", logo=b"x")
    assert (excel.consultant, excel.logo_sha256) == (None, None)
    pdf = logic.ReportRequest.of(1, scope, "pdf", include_drafts=False, data_version=7, consultant=" A ", logo=b"x")
    assert pdf.consultant == "A"
    assert pdf.logo_sha256 is not None
    files: dict[logic.ReportRequest, logic.ReportFile] = {}
    for version in range(6):
        request = logic.ReportRequest.of(1, scope, "csv", include_drafts=False, data_version=version)
        logic.remember(files, request, logic.ReportFile(f"{version}.csv", "text/csv", b""))
    assert [f.name for f in files.values()] == ["2.csv", "3.csv", "4.csv", "5.csv"]


# --------------------------------------------------------------------------------------------
# Admin
# --------------------------------------------------------------------------------------------


def test_a_manager_manages_sites_and_rooms_only(demo_store: Store) -> None:
    at = open_page(demo_store, "admin", MANAGER)
    assert [t.label for t in at.tabs] == ["Sites and rooms", "Re-assessment", "Recent changes", "Criteria"]
    assert "Add the user" not in [b.label for b in at.button]
    assert "Prepare the export file" not in [b.label for b in at.button]


def test_admin_adds_a_site_and_a_room_and_refuses_duplicate_names(demo_store: Store) -> None:
    at = open_page(demo_store, "admin")
    clinic = organisation_id(demo_store, CLINIC)
    at.selectbox(key=state.ADMIN_ORGANISATION).set_value(clinic).run()
    field = state.admin_field

    at.text_input(key=field("new_site", "name")).input("Northside Annex")
    at.selectbox(key=field("new_site", "setting")).set_value("clinic")
    button(at, "Add the site").click().run()
    assert not at.exception
    assert successes(at) == ["Added the site “Northside Annex”."]
    assert "Northside Annex" in list(table_with(at, "Site")["Site"])
    assert at.text_input(key=field("new_site", "name")).value == ""  # ready for the next one

    at.text_input(key=field("new_site", "name")).input("Northside Annex")
    at.selectbox(key=field("new_site", "setting")).set_value("clinic")
    button(at, "Add the site").click().run()
    assert errors(at) == ["Name: This organisation already has a site called 'Northside Annex'."]
    with demo_store.session() as session:
        sites = [s.name for s in repository.list_sites(session, person(demo_store, ADMIN), clinic)]
    assert sites.count("Northside Annex") == 1

    with demo_store.session() as session:
        site = next(
            s for s in repository.list_sites(session, person(demo_store, ADMIN), clinic) if s.name == CLINIC_SITE
        )
    at.selectbox(key=state.ADMIN_SITE).set_value(site.id).run()
    assert at.selectbox(key=field("new_room", "room_type")).options == [
        "Consultation or therapy room", "Corridor", "Examination room", "Quiet room", "Waiting room",
    ]  # fmt: skip
    at.text_input(key=field("new_room", "name")).input("Sensory room")
    at.selectbox(key=field("new_room", "room_type")).set_value("quiet_room")
    at.number_input(key=field("new_room", "floor")).set_value(1)
    at.number_input(key=field("new_room", "capacity")).set_value(4)
    button(at, "Add the room").click().run()
    assert not at.exception
    assert successes(at) == ["Added the room “Sensory room”."]
    rooms = table_with(at, "Room type")
    added = rooms[rooms["Room"] == "Sensory room"].iloc[0]
    assert (added["Room type"], added["Floor"], added["Capacity"]) == ("Quiet room", 1, 4)

    at.text_input(key=field("new_room", "name")).input("Quiet room")
    at.selectbox(key=field("new_room", "room_type")).set_value("quiet_room")
    button(at, "Add the room").click().run()
    assert errors(at) == ["Name: This site already has a room called 'Quiet room'."]
    assert list(table_with(at, "Room type")["Room"]).count("Quiet room") == 1

    # A refused room keeps what was typed; without a room type it is refused again, by that field.
    at.text_input(key=field("new_room", "name")).input("Store cupboard")
    at.selectbox(key=field("new_room", "room_type")).set_value(None)
    button(at, "Add the room").click().run()
    assert errors(at) == ["Room type: choose the kind of room; it decides the checklist."]


def test_admin_changes_a_room(demo_store: Store) -> None:
    at = open_page(demo_store, "admin")
    clinic = organisation_id(demo_store, CLINIC)
    at.selectbox(key=state.ADMIN_ORGANISATION).set_value(clinic).run()
    with demo_store.session() as session:
        room = next(r for r in repository.list_rooms(session, person(demo_store, ADMIN)) if r.name == "Therapy room")
    at.selectbox(key=state.ADMIN_SITE).set_value(room.site_id).run()
    at.selectbox(key=state.ADMIN_EDIT_ROOM).set_value(room.id).run()
    form = f"room:{room.id}"
    assert at.text_input(key=state.admin_field(form, "name")).value == "Therapy room"
    at.number_input(key=state.admin_field(form, "capacity")).set_value(6)
    button(at, "Save the room").click().run()
    assert successes(at) == ["Saved the room “Therapy room”."]
    rooms = table_with(at, "Room type")
    assert rooms[rooms["Room"] == "Therapy room"].iloc[0]["Capacity"] == 6


def test_admin_adds_a_user_and_cannot_lock_themself_out(demo_store: Store) -> None:
    at = open_page(demo_store, "admin")
    field = state.admin_field
    at.text_input(key=field("new_user", "name")).input("Dana Lee")
    at.text_input(key=field("new_user", "email")).input("Dana.Lee@example.org")
    at.selectbox(key=field("new_user", "role")).set_value(Role.manager)
    at.multiselect(key=field("new_user", "organisations")).select(organisation_id(demo_store, CLINIC))
    button(at, "Add the user").click().run()
    assert not at.exception
    assert successes(at) == [
        "Added Dana Lee (dana.lee@example.org) as manager. Hand them this one-time invite link (valid for 72 "
        "hours); they choose their own password with it."
    ]
    # The link to hand over is shown as text to copy, and opens the password screen for Dana.
    link = at.code[0].value
    assert link.startswith("/?link=")
    with demo_store.session() as session:
        invited = repository.link_user(session, link.removeprefix("/?link="))
    assert invited is not None
    assert invited.email == "dana.lee@example.org"
    users = table_with(at, "Email")
    assert users[users["Email"] == "dana.lee@example.org"].iloc[0]["Organisations"] == CLINIC

    at.text_input(key=field("new_user", "name")).input("Dana Again")
    at.text_input(key=field("new_user", "email")).input("dana.lee@example.org")
    at.selectbox(key=field("new_user", "role")).set_value(Role.staff)
    button(at, "Add the user").click().run()
    assert errors(at) == ["Email: There is already a user with the email dana.lee@example.org."]

    me = person(demo_store, ADMIN)
    at.selectbox(key=state.ADMIN_EDIT_USER).set_value(me.id).run()
    at.checkbox(key=field(f"user:{me.id}", "active")).uncheck()
    button(at, "Save the user").click().run()
    assert errors(at) == ["Active: you cannot switch off your own account; ask another admin."]
    assert person(demo_store, ADMIN).active


def organisation_document(store: Store, name: str = CLINIC) -> dict[str, Any]:
    with store.session() as session:
        return transfer.export_organisation(
            session, person(store, ADMIN), organisation_id(store, name), include_photos=True
        )


def what_is_stored(store: Store) -> tuple[int, int]:
    """The store's data version (it moves with every change) and its number of organisations."""
    with store.session() as session:
        return repository.data_version(session), len(repository.list_organisations(session, person(store, ADMIN)))


def import_file(at: AppTest, content: bytes) -> AppTest:
    nonce = at.session_state.get(state.ADMIN_IMPORT_NONCE, 0)
    at.file_uploader(key=f"{state.ADMIN_IMPORT_FILE}:{nonce}").set_value(("org.json", content, "application/json"))
    at.run()
    button(at, "Check and import").click().run()
    assert not at.exception
    return at


def test_a_bad_organisation_file_lists_its_problems_and_changes_nothing(demo_store: Store) -> None:
    document = organisation_document(demo_store)  # its name is taken here: a problem already
    document["sites"][0]["setting"] = "zoo"
    with demo_store.session() as session:
        before = (
            repository.data_version(session),
            len(repository.list_organisations(session, person(demo_store, ADMIN))),
        )
    at = import_file(open_page(demo_store, "admin"), json.dumps(document).encode())
    assert errors(at) == ["Nothing was imported: the file has 2 problems. Fix them and import it again."]
    problems = table_with(at, "Problem")
    assert list(problems["Where in the file"]) == ["organisation.name", "sites[0].setting"]
    assert "already exists" in problems["Problem"].iloc[0]
    with demo_store.session() as session:
        after = (
            repository.data_version(session),
            len(repository.list_organisations(session, person(demo_store, ADMIN))),
        )
    assert after == before

    at = import_file(at, b'{"format": "sensory-audit.organisation", oops}')
    assert errors(at)[0].startswith("Nothing was imported: the file is not valid JSON (line 1, column")


def test_many_problems_are_listed_fifty_at_a_time(demo_store: Store) -> None:
    document = organisation_document(demo_store)
    document["organisation"]["name"] = "Many Problems Trust"
    for room in (room for site in document["sites"] for room in site["rooms"]):
        for assessment in room["assessments"]:
            for item in list(assessment["responses"])[:3]:
                assessment["responses"][item] = {"not": "an answer"}
    at = import_file(open_page(demo_store, "admin"), json.dumps(document).encode())
    headline = errors(at)[0]
    count = int(headline.split("has ")[1].split(" problems")[0].replace(",", ""))
    assert count > admin_transfer.SHOWN_PROBLEMS
    assert len(table_with(at, "Problem")) == admin_transfer.SHOWN_PROBLEMS
    assert f"{count - admin_transfer.SHOWN_PROBLEMS} more are not shown" in " ".join(c.value for c in at.caption)
    assert "Many Problems Trust" not in at.selectbox(key=state.ADMIN_ORGANISATION).options


def test_an_exported_organisation_imports_as_a_new_one(demo_store: Store) -> None:
    at = open_page(demo_store, "admin")
    at.selectbox(key=state.ADMIN_EXPORT_ORGANISATION).set_value(organisation_id(demo_store, CLINIC)).run()
    button(at, "Prepare the export file").click().run()
    assert not at.exception
    download = at.get("download_button")[0]
    name = f"riverside-community-health-export-{dt.date.today().isoformat()}.json"
    assert shown(download.label) == f"Download {name}"
    (exported,) = at.session_state[state.ADMIN_EXPORTS].values()
    document = json.loads(exported.content)
    photos = [e for s in document["sites"] for r in s["rooms"] for a in r["assessments"] for e in a["evidence"]]
    assert photos
    assert all(p["content"] for p in photos)  # photos travel inside the file

    document["organisation"]["name"] = "Riverside Copy"
    at = import_file(at, json.dumps(document).encode())
    assert errors(at) == []
    (headline,) = successes(at)
    sites, rooms = len(document["sites"]), sum(len(s["rooms"]) for s in document["sites"])
    assert headline.startswith(f"Imported “Riverside Copy”: {sites} site{'s' if sites > 1 else ''}, {rooms} rooms, ")
    assert "Riverside Copy" in at.selectbox(key=state.ADMIN_ORGANISATION).options
    changes = table_with(at, "What")
    assert changes.iloc[0]["What"].startswith("imported the organisation “Riverside Copy”")
    assert changes.iloc[0]["Who"] == "Alex Kim"


def test_field_names_follow_the_store_refusals(demo_store: Store) -> None:
    """Each refusal of the store names its field; the form shows the message beside that input."""
    admin = person(demo_store, ADMIN)
    with demo_store.session() as session:
        site = repository.list_sites(session, admin)[0]
        room = repository.list_rooms(session, admin, site.id)[0]
        refusals = {}
        for label, call in {
            "duplicate room": lambda: repository.create_room(session, admin, site.id, room.name, room.room_type),
            "floor": lambda: repository.update_room(session, admin, room.id, floor=1.5),
            "capacity": lambda: repository.update_room(session, admin, room.id, capacity=-1),
            "organisations": lambda: repository.create_user(
                session, admin, name="A B", email="ab@example.org", role="staff", organisation_ids=[999]
            ),
            "email": lambda: repository.create_user(session, admin, name="A B", email="not-an-email", role="staff"),
        }.items():
            with pytest.raises(StoreError) as caught:
                call()
            refusals[label] = caught.value
    form = ["Name", "Room type", "Floor", "Capacity", "Email", "Organisations"]
    assert {label: admin_forms.field_of(error, form) for label, error in refusals.items()} == {
        "duplicate room": "Name",
        "floor": "Floor",
        "capacity": "Capacity",
        "organisations": "Organisations",
        "email": "Email",
    }
    # A field the form does not have is not named: the message stands alone.
    assert admin_forms.field_of(refusals["floor"], ["Name"]) is None
    assert admin_forms.field_of(ConflictError("Someone else changed it."), form) is None
