"""The errors the store raises, each with a message that can be shown to the person using the app.

Screens and commands catch `StoreError` and show `str(error)`; nothing in these messages leaks
whether an id outside the user's organisations exists.
"""

from __future__ import annotations

import datetime as dt

from checklists.i18n import _, ngettext

__all__ = [
    "AnswerConflict",
    "ConflictError",
    "ImportProblems",
    "IncompleteAssessment",
    "InvalidAnswer",
    "NotFound",
    "PermissionDenied",
    "StoreError",
]


class StoreError(Exception):
    """Base of every error the store raises on purpose; `str(error)` is a user-facing sentence.

    `field`, when set, names the record's field the sentence is about ("name", "email", "role",
    "organisations", "setting", "room_type", "floor", "capacity"), so a form can show the sentence
    beside that input.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class PermissionDenied(StoreError):  # noqa: N818 (names other modules code against)
    """The acting user's role or organisations do not allow this read or write."""


class NotFound(StoreError):  # noqa: N818 (names other modules code against)
    """A record that does not exist (only an admin, who sees every organisation, is told so)."""


class ConflictError(StoreError):
    """The assessment changed since the caller read it: reload, then apply the change again."""

    def __init__(self, message: str, *, current_version: int | None = None):
        super().__init__(message)
        self.current_version = current_version


class AnswerConflict(ConflictError):  # noqa: N818 (a kind of ConflictError, named like it)
    """Someone else changed this item's answer since the caller read it (other items never conflict).

    Carries what the store holds now, so the later person can see it and choose: `value` (the
    stored JSON, None when the answer was cleared), who gave it and when, and `answer_version`,
    the version to name when saving theirs over it.
    """

    def __init__(
        self,
        message: str,
        *,
        item_id: str,
        value: object,
        answered_by: str | None,
        answered_at: dt.datetime | None,
        answer_version: int,
        current_version: int | None = None,
    ):
        super().__init__(message, current_version=current_version)
        self.item_id = item_id
        self.value = value
        self.answered_by = answered_by
        self.answered_at = answered_at
        self.answer_version = answer_version


class InvalidAnswer(StoreError, ValueError):  # noqa: N818 (names other modules code against)
    """An answer, note, photo or record field that the store refuses."""


class IncompleteAssessment(StoreError, ValueError):  # noqa: N818 (names other modules code against)
    """An assessment submitted with unanswered items and no reason for submitting it provisional."""

    def __init__(self, message: str, *, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class ImportProblems(StoreError, ValueError):  # noqa: N818 (names other modules code against)
    """An organisation file that does not validate; `problems` holds one line per problem, naming its path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        shown = "\n".join(problems[:50])
        more = "\n" + _("... and {count} more").format(count=count - 50) if count > 50 else ""
        heading = ngettext(
            "the file was not imported ({count} problem):", "the file was not imported ({count} problems):", count
        ).format(count=count)
        super().__init__(heading + "\n" + shown + more)
