"""What the store holds, with ids: `orgs`, `sites`, `rooms` and `users`, scoped to the acting user like everything else.

`users create-admin` makes the first administrator of a new installation.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import ActingUser, acting_user, fail, store_session

users_app = typer.Typer(help="The user accounts: list them (the default), or create the first administrator.")


def print_table(rows: list[tuple[object, ...]], empty: str) -> None:
    if not rows:
        typer.echo(empty)
        return
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def orgs(acting: ActingUser = None) -> None:
    """The organisations the acting user may see, with their ids."""
    from assessments import repository

    with store_session() as session:
        user = acting_user(session, acting)
        found = repository.list_organisations(session, user)
        print_table([("id", "organisation"), *((o.id, o.name) for o in found)] if found else [], "No organisations.")


def sites(
    org: Annotated[int | None, typer.Option("--org", help="Organisation id (default: every one you see).")] = None,
    acting: ActingUser = None,
) -> None:
    """The sites of an organisation (or of every organisation the acting user sees), with their ids."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            found = repository.list_sites(session, user, organisation_id=org)
        except StoreError as error:
            fail(f"sites: {error}")
        rows = [(s.id, s.organisation_id, s.setting, s.name) for s in found]
        print_table([("id", "org", "setting", "site"), *rows] if rows else [], "No sites.")


def rooms(
    site: Annotated[int | None, typer.Option("--site", help="Site id (default: every site you see).")] = None,
    acting: ActingUser = None,
) -> None:
    """The rooms of a site (or of every site the acting user sees), with their ids."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            found = repository.list_rooms(session, user, site_id=site)
        except StoreError as error:
            fail(f"rooms: {error}")
        rows = [(r.id, r.site_id, r.room_type, r.name) for r in found]
        print_table([("id", "site", "room type", "room"), *rows] if rows else [], "No rooms.")


@users_app.callback(invoke_without_command=True)
def users(ctx: typer.Context, acting: ActingUser = None) -> None:
    """The user accounts the acting user may see (admins: all; managers: their organisations')."""
    if ctx.invoked_subcommand is not None:
        return
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            found = repository.list_users(session, user)
        except StoreError as error:
            fail(f"users: {error}")
        rows = [(u.id, u.role.value, "active" if u.active else "disabled", u.email, u.name) for u in found]
        print_table([("id", "role", "status", "email", "name"), *rows] if rows else [], "No users.")


@users_app.command("create-admin")
def users_create_admin(
    email: Annotated[str, typer.Option("--email", help="The administrator's email address.")],
    name: Annotated[str, typer.Option("--name", help="The administrator's name.")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 12 characters (asked for when not given).",
        ),
    ],
) -> None:
    """Create the first administrator of an installation (refused once one exists)."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        try:
            created = repository.create_first_admin(session, name=name, email=email, password=password)
        except StoreError as error:
            fail(f"users create-admin: {error}")
    typer.echo(f"Created the administrator {created.email} (user {created.id}). Sign in to the app with it.")
