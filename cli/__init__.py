"""The `sensory-audit` command line: check and show the catalogue, score assessment files, and more.

The app is assembled here, in the order `--help` lists the commands; each command lives in the module of
its group (catalogue, criteria, store, accounts, fieldwork, reports, followup, actions, calendar), and
what they share is in `cli.common`.
Every failure a user can cause ends with a plain message on stderr and exit code 2, never a traceback.
The store and report modules are imported by the commands that use them, so checking the catalogue
or scoring a file stays quick.
"""

from __future__ import annotations

import sys

import typer

from cli import accounts, actions, calendar_feed, catalogue, criteria, fieldwork, followup, reports, store

__all__ = ["app", "main"]

app = typer.Typer(
    help="Assess how sensory-friendly and trauma-informed rooms are, and what to fix first.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(catalogue.catalogue_app, name="catalogue")
app.add_typer(criteria.criteria_app, name="criteria")
app.command()(catalogue.score)
app.command()(store.demo)
app.command()(store.export)
app.add_typer(accounts.users_app, name="users")
app.command()(accounts.orgs)
app.command()(accounts.sites)
app.command()(accounts.rooms)
app.add_typer(store.db_app, name="db")
app.command("import")(store.import_)
app.command()(fieldwork.xlsform)
app.command("import-submissions")(fieldwork.import_submissions)
app.command()(reports.report)
app.command()(followup.changes)
app.command()(followup.schedule)
app.add_typer(actions.actions_app, name="actions")
app.add_typer(calendar_feed.calendar_app, name="calendar")
app.command()(reports.checklist)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
