"""Charts as PNG images for the PDF report, drawn by kaleido in a headless Chromium.

Starting Chromium costs about two seconds, so one shared kaleido server is started on the first
image and reused for every later one (about 0.2 s an image); it is closed when the process exits.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

import kaleido
import plotly.graph_objects as go

from reports.errors import ChartRenderError

__all__ = ["figure_png", "shutdown"]

_lock = threading.Lock()
_running = False


def _ensure_server() -> None:
    global _running
    if _running:
        return
    # mathjax=False: charts use no formulas, and kaleido would otherwise fetch MathJax from a CDN.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _running = True
    atexit.register(shutdown)


def shutdown() -> None:
    """Close the shared Chromium (safe to call when it is not running; it restarts on the next image)."""
    global _running
    with _lock:
        if _running:
            kaleido.stop_sync_server(silence_warnings=True)
            _running = False


def figure_png(fig: go.Figure, width: int, height: int, scale: float = 2) -> bytes:
    """The figure as PNG bytes, `width` x `height` CSS pixels drawn at `scale` times for crisp print."""
    opts: dict[str, Any] = {"format": "png", "width": width, "height": height, "scale": scale}
    # The kaleido server answers one request at a time and is not safe to share across threads
    # (the app serves each visitor in its own thread), so requests queue here.
    with _lock:
        try:
            _ensure_server()
            result = kaleido.calc_fig_sync(fig, opts=opts)
        except Exception as error:
            raise ChartRenderError(
                f"a chart could not be drawn ({type(error).__name__}: {error}); kaleido needs Chromium "
                "(install the chromium package, or run `kaleido_get_chrome`)"
            ) from error
    if not isinstance(result, bytes | bytearray) or not bytes(result[:8]) == b"\x89PNG\r\n\x1a\n":
        raise ChartRenderError("a chart could not be drawn: kaleido returned no PNG image")
    return bytes(result)
