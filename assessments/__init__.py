"""Persistence: what assessors saw, stored per organisation, site, room and visit.

`db` opens the store (SQLite by default, PostgreSQL with DATABASE_URL) and migrates it;
`models` are the tables; `repository` is the only way screens, reports and commands read and
write, scoped to the acting user; `transfer` exports and imports whole organisations; `demo`
loads the demo portfolio.
"""
