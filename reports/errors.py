"""The errors a report can end with, each carrying a sentence that can be shown to the person who asked for it.

The command line prints `str(error)` and exits with code 2; the Reports page shows it in an error box.
"""

from __future__ import annotations

__all__ = ["ChartRenderError", "ReportError", "ReportOutputError", "ReportScopeError"]


class ReportError(Exception):
    """Base of every error a report raises on purpose; `str(error)` is a user-facing sentence."""


class ReportScopeError(ReportError, ValueError):
    """The chosen scope holds nothing to report: no rooms, unknown ids, or no assessed room."""


class ReportOutputError(ReportError, OSError):
    """The report cannot be written where it was asked to go (missing folder, no permission, a folder name)."""


class ChartRenderError(ReportError, RuntimeError):
    """A chart could not be drawn as an image (usually: Chromium is missing or crashed)."""
