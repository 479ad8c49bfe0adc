"""The public surface of `reports`: what the command line, the app and other code may import."""

from __future__ import annotations

import inspect

import reports


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in reports.__all__:
        member = getattr(reports, name)
        assert member is not None
        if inspect.isfunction(member) or inspect.isclass(member):
            assert (member.__doc__ or "").strip(), f"{name} has no docstring"
    assert sorted(reports.__all__) == sorted(set(reports.__all__))
