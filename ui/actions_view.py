"""Actions on the screens: the planned-actions table, the forms that plan and change an action, a room's
actions, and the inbox's list of one's own actions.

Every change goes to the store from a button's callback, before the page is drawn again, so the
tables already show it; the store checks the role and the organisation and its refusal is shown
under the form. Text people typed (notes, names) is shown as text (`ui.text.literal`, or table cells).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.repository import ActionView, UserLike
from assessments.roles import allowed
from reports.labels import format_date, format_gain, format_gains
from ui import context
from ui.i18n import N_, _
from ui.table_words import number_cells
from ui.text import literal

__all__ = [
    "STATUS_TITLES",
    "actions_table",
    "change_action_form",
    "may_plan",
    "my_actions",
    "plan_action_form",
    "planned_status",
    "read_actions",
    "room_actions",
    "status_title",
    "status_titles",
    "with_action_states",
]

STATUS_TITLES = {"open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done"), "verified": N_("Verified")}
# What a person may set by hand; verified comes from a later assessment.
SETTABLE = ("open", "in_progress", "done")
# Session-state keys of the forms here (one place, like ui.state).
_OUTCOME = "actions_outcome"
_PLAN_FIX = "actions_plan_fix"
_PLAN_OWNER = "actions_plan_owner"
_PLAN_DUE = "actions_plan_due"
_PLAN_COST = "actions_plan_cost"
_PLAN_NOTE = "actions_plan_note"
_CHANGE_ACTION = "actions_change_action"


def status_title(status: str) -> str:
    """An action's state in words, in the reader's language ('unplanned' for a fix with no action)."""
    return status_titles([status])[0]


def status_titles(statuses: Iterable[str]) -> list[str]:
    """`status_title` of each of `statuses` (a plan's column of tens of thousands): each word once."""
    words = {status: _(title) for status, title in STATUS_TITLES.items()}
    unplanned = _("unplanned")
    return [words.get(status, unplanned) for status in statuses]


def may_plan(user: UserLike) -> bool:
    return user.role in allowed("plan_actions")


def read_actions(user: UserLike, *, room_id: int | None = None, owner_id: int | None = None) -> list[ActionView]:
    with context.store().session() as session:
        return repository.list_actions(session, user, room_id=room_id, owner_id=owner_id)


def planned_status(actions: Sequence[ActionView]) -> dict[tuple[int, str], str]:
    """(room, item) -> the state of its action not yet verified (the fixes someone has taken on)."""
    return {(a.room_id, a.item_id): a.status for a in actions if a.status != "verified"}


def with_action_states(plan: pd.DataFrame, actions: Sequence[ActionView]) -> pd.DataFrame:
    """`plan` (rows with room_id and item_id) with an `action` column: the state of the fix's action
    not yet verified, or "" where nobody has taken it on. Matched by index, not row by row, as the
    plan can hold tens of thousands of fixes."""
    taken = planned_status(actions)
    if not taken:
        return plan.assign(action="")
    states = pd.Series(list(taken.values()), index=pd.MultiIndex.from_tuples(list(taken), names=["room", "item"]))
    keys = pd.MultiIndex.from_arrays([plan["room_id"].astype(int), plan["item_id"].astype(str)], names=["room", "item"])
    return plan.assign(action=states.reindex(keys).fillna("").to_numpy(dtype=object))


def _status_text(action: ActionView, today: dt.date) -> str:
    text = status_title(action.status)
    return _("{state} · overdue").format(state=text) if action.overdue(today) else text


def actions_table(actions: Sequence[ActionView], *, today: dt.date | None = None, room: bool = True) -> None:
    """The actions as a table: room, item, owner, due date, state (overdue said in words), gain, cost, notes."""
    today = today or dt.date.today()
    frame = pd.DataFrame(
        {
            _("Room"): [f"{a.room_name} · {a.site_name}" for a in actions],
            _("Item"): [a.question for a in actions],
            _("Owner"): [a.owner_name or _("nobody") for a in actions],
            _("Due"): [format_date(a.due_on) for a in actions],
            _("State"): [_status_text(a, today) for a in actions],
            _("Gain"): [format_gain(a.gain) if a.gain is not None else "" for a in actions],
            _("Cost"): [a.cost_estimate for a in actions],
            _("Note"): [a.note or "" for a in actions],
            _("Last check"): [a.check_note or "" for a in actions],
        }
    )
    if not room:
        frame = frame.drop(columns=_("Room"))
    st.dataframe(
        number_cells(frame, {_("Cost"): 2}),
        hide_index=True,
        column_config={
            _("Item"): st.column_config.TextColumn(width="large"),
            _("Gain"): st.column_config.TextColumn(
                help=_("Points the room's overall score rises when the item scores full")
            ),
            _("Cost"): st.column_config.NumberColumn(help=_("Cost estimate")),
            _("Last check"): st.column_config.TextColumn(
                width="large", help=_("What the latest submitted assessment after the plan found")
            ),
        },
    )


def _remember(form: str, ok: bool, message: str) -> None:
    st.session_state[_OUTCOME] = (form, ok, message)


def _show_outcome(form: str) -> None:
    last = st.session_state.get(_OUTCOME)
    if last is None or last[0] != form:
        return
    _form, ok, message = last
    if ok:
        st.success(literal(message), icon=":material/check_circle:")
    else:
        st.error(literal(message), icon=":material/error:")


# --------------------------------------------------------------------------------------------
# Planning a fix (managers, consultants, admins)
# --------------------------------------------------------------------------------------------


def _on_plan(user: UserLike, fixes: dict[str, tuple[int, str, str]]) -> None:
    chosen = st.session_state.get(_PLAN_FIX)
    owner = st.session_state.get(_PLAN_OWNER)
    if chosen not in fixes:
        _remember("plan", False, _("Choose the fix to plan."))
        return
    if owner is None:
        _remember("plan", False, _("Choose who owns the action."))
        return
    room_id, item_id, label = fixes[chosen]
    cost = st.session_state.get(_PLAN_COST)
    try:
        with context.store().session() as session:
            made = repository.create_action(
                session, user, room_id, item_id, owner_id=int(owner), due_on=st.session_state[_PLAN_DUE],
                cost_estimate=None if cost is None else float(cost), note=st.session_state.get(_PLAN_NOTE) or None,
            )  # fmt: skip
    except StoreError as error:
        _remember("plan", False, str(error))
        return
    st.session_state[_PLAN_NOTE] = ""
    st.session_state[_PLAN_COST] = None
    _remember(
        "plan",
        True,
        _("Planned: {fix}, owned by {owner}, due {due}.").format(
            fix=label, owner=made.owner_name, due=format_date(made.due_on)
        ),
    )


def _owner_names(owners: Sequence[tuple[int, str, str]]) -> dict[int, str]:
    """Owner id -> "name (role)", the role in the reader's language."""
    from ui.admin_records import ROLE_TITLES

    titles = {role.value: _(title).lower() for role, title in ROLE_TITLES.items()}
    return {owner_id: f"{name} ({titles.get(role, role)})" for owner_id, name, role in owners}


def plan_action_form(user: UserLike, plan: pd.DataFrame, actions: Sequence[ActionView]) -> None:
    """Turn one of the unplanned fixes of `plan` (the ranked action plan) into an action."""
    open_fixes = with_action_states(plan, actions)
    open_fixes = open_fixes[open_fixes["action"] == ""]
    room_ids, item_ids = open_fixes["room_id"].astype(int).to_list(), open_fixes["item_id"].astype(str).to_list()
    labels = [
        f"#{rank} {room} · {question} ({gain})"
        for rank, room, question, gain in zip(
            open_fixes["rank"].to_list(), open_fixes["label"].to_list(), open_fixes["question"].to_list(),
            format_gains(open_fixes["gain"].astype(float).to_list()), strict=True,
        )
    ]  # fmt: skip
    fixes = {
        f"{room_id}:{item_id}": (room_id, item_id, label)
        for room_id, item_id, label in zip(room_ids, item_ids, labels, strict=True)
    }
    with st.container(border=True):
        st.markdown("**{}**".format(_("Plan an action")))
        if not fixes:
            st.write(_("Every fix shown is planned already."))
            return
        chosen = st.selectbox(
            _("Fix"), list(fixes), format_func=lambda key: fixes[key][2], key=_PLAN_FIX,
            help=_("The unplanned fixes, best first"),
        )  # fmt: skip
        room_id = fixes[chosen][0] if chosen in fixes else next(iter(fixes.values()))[0]
        with context.store().session() as session:
            owners = repository.action_owners(session, user, room_id)
        names = _owner_names(owners)
        left, right = st.columns(2)
        left.selectbox(_("Owner"), list(names), format_func=names.__getitem__, key=_PLAN_OWNER, index=None,
                       placeholder=_("Choose a person"))  # fmt: skip
        right.date_input(_("Due"), value=dt.date.today() + dt.timedelta(days=28), key=_PLAN_DUE, format="DD/MM/YYYY")
        left.number_input(_("Cost estimate (optional)"), min_value=0.0, step=50.0, value=None, key=_PLAN_COST)
        right.text_input(_("Note (optional)"), max_chars=4000, key=_PLAN_NOTE)
        st.button(_("Plan this action"), type="primary", on_click=_on_plan, args=(user, fixes), key="actions_plan_go")
        _show_outcome("plan")


# --------------------------------------------------------------------------------------------
# Changing an action
# --------------------------------------------------------------------------------------------


def _on_change(user: UserLike, action_id: int, prefix: str, *, full: bool) -> None:
    values: dict[str, object] = {
        "status": st.session_state[f"{prefix}_status"],
        "note": st.session_state.get(f"{prefix}_note") or None,
    }
    if full:
        values["owner_id"] = int(st.session_state[f"{prefix}_owner"])
        values["due_on"] = st.session_state[f"{prefix}_due"]
        cost = st.session_state.get(f"{prefix}_cost")
        values["cost_estimate"] = None if cost is None else float(cost)
    try:
        with context.store().session() as session:
            changed = repository.update_action(session, user, action_id, **values)  # type: ignore[arg-type]
    except StoreError as error:
        _remember(prefix, False, str(error))
        return
    _remember(
        prefix,
        True,
        _("Saved: {item} in {room} is {state}.").format(
            item=changed.question, room=changed.room_name, state=status_title(changed.status)
        ),
    )


def _status_inputs(action: ActionView, prefix: str) -> None:
    options = list(SETTABLE) if action.status in SETTABLE else [action.status, *SETTABLE]
    st.selectbox(
        _("State"), options, index=options.index(action.status), format_func=status_title,
        key=f"{prefix}_status",
        help=_("Verified comes by itself, when a later submitted assessment scores full marks."),
    )  # fmt: skip
    st.text_input(_("Note"), value=action.note or "", max_chars=4000, key=f"{prefix}_note")


def change_action_form(user: UserLike, actions: Sequence[ActionView]) -> None:
    """Change any action in scope: state, owner, due date, cost and note (those who plan actions)."""
    with st.container(border=True):
        st.markdown("**{}**".format(_("Change an action")))
        if not actions:
            st.write(_("No action planned yet."))
            return
        by_id = {a.id: a for a in actions}
        chosen = st.selectbox(
            _("Action"), list(by_id), key=_CHANGE_ACTION,
            format_func=lambda i: f"{by_id[i].room_name} · {by_id[i].question} ({status_title(by_id[i].status)})",
        )  # fmt: skip
        action = by_id[int(chosen)] if chosen in by_id else actions[0]
        prefix = f"actions_change_{action.id}"
        with context.store().session() as session:
            owners = repository.action_owners(session, user, action.room_id)
        names = _owner_names(owners)
        left, right = st.columns(2)
        with left:
            _status_inputs(action, prefix)
            st.number_input(_("Cost estimate"), min_value=0.0, step=50.0, value=action.cost_estimate,
                            key=f"{prefix}_cost")  # fmt: skip
        with right:
            ids = list(names)
            st.selectbox(_("Owner"), ids, format_func=names.__getitem__, key=f"{prefix}_owner",
                         index=ids.index(action.owner_id) if action.owner_id in ids else 0)  # fmt: skip
            st.date_input(_("Due"), value=action.due_on, key=f"{prefix}_due", format="DD/MM/YYYY")
        st.button(_("Save the action"), on_click=_on_change, args=(user, action.id, prefix), kwargs={"full": True},
                  key=f"{prefix}_go")  # fmt: skip
        _show_outcome(prefix)


def my_actions(user: UserLike, *, today: dt.date | None = None) -> None:
    """The actions the user owns that are not verified yet, each with its state and note to change."""
    today = today or dt.date.today()
    mine = [a for a in read_actions(user, owner_id=user.id) if a.status != "verified"]
    st.subheader(_("Your actions"), anchor=False)
    if not mine:
        st.write(_("No action is assigned to you."))
        return
    for action in mine:
        with st.container(border=True):
            st.markdown(f"**{literal(action.question)}**")
            due = _("Due {date}").format(date=format_date(action.due_on))
            st.caption(literal(f"{action.room_name} · {action.site_name} · {due} · {_status_text(action, today)}"))
            if action.check_note:
                st.warning(literal(action.check_note), icon=":material/rule:")
            prefix = f"actions_mine_{action.id}"
            _status_inputs(action, prefix)
            st.button(_("Save"), on_click=_on_change, args=(user, action.id, prefix), kwargs={"full": False},
                      key=f"{prefix}_go")  # fmt: skip
            _show_outcome(prefix)


def room_actions(user: UserLike, room_id: int) -> None:
    """The Room page's section: every action on this room, open and done first, verified last."""
    st.subheader(_("Actions"), anchor=False)
    actions = read_actions(user, room_id=room_id)
    if not actions:
        st.write(_("No fix of this room is planned yet: plan one on the Action plan page."))
        return
    order = {"open": 0, "in_progress": 0, "done": 1, "verified": 2}
    actions = sorted(actions, key=lambda a: (order[a.status], a.due_on, a.id))
    today = dt.date.today()
    verified = [a for a in actions if a.status == "verified"]
    st.caption(
        _("{to_do} to do or to confirm, {verified} verified by a later assessment, {overdue} overdue.").format(
            to_do=len(actions) - len(verified), verified=len(verified), overdue=sum(a.overdue(today) for a in actions)
        )
    )
    actions_table(actions, today=today, room=False)
