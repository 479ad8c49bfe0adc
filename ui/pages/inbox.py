"""Inbox: what the signed-in person should know about (assessments to review or sent back, actions
assigned, verified, reopened, due or overdue, rooms due for re-assessment), newest first, then the
actions they own, to move on (open, in progress, done), and their calendar address."""

import datetime as dt

import streamlit as st

from assessments import repository
from assessments.roles import allowed
from ui import actions_view, calendar_view, context, unread
from ui.dates import format_day
from ui.i18n import _
from ui.text import literal

SHOWN = 100

user = context.current_user()
store = context.store()
today = dt.date.today()
with store.session() as session:
    # Reminders of what has come due since the last visit (each one lands once).
    repository.refresh_reminders(session, user, today)
    notifications = repository.list_notifications(session, user, limit=SHOWN)
    unread_count = repository.unread_count(session, user)
    session.expunge_all()
# The navigation's count follows what was just read (a reminder may have landed on opening).
unread.sync(unread_count)

st.title(_("Inbox"))


def _mark_all_read() -> None:
    with context.store().session() as session:
        repository.mark_read(session, user)


top = st.columns([3, 1], vertical_alignment="center")
top[0].caption(
    _("{unread} unread of {total}").format(unread=unread_count, total=len(notifications))
    if notifications
    else _("Nothing here yet."),
)
if unread_count:
    top[1].button(_("Mark all as read"), on_click=_mark_all_read, icon=":material/done_all:")

st.subheader(_("Notifications"), anchor=False)
if not notifications:
    st.write(_("No notifications yet. You will find here assessments to review or sent back, and actions for you."))
for notification in notifications:
    with st.container(border=True):
        new = notification.read_at is None
        heading = literal(notification.subject)
        badge = "  :blue-badge[{}]".format(_("new")) if new else ""
        st.markdown(f"**{heading}**{badge}")
        st.caption(format_day(notification.created_at.date()))
        st.write(literal(notification.body))

if user.role in allowed("work_actions"):
    actions_view.my_actions(user, today=today)

calendar_view.subscription(user)
