"""Text that people typed (site and room names, notes, reasons, emails), made safe to show.

Streamlit draws most strings as Markdown: a room called `![x](https://elsewhere/pixel.png)` would load
a picture from another site, `[Urgent](https://…)` would become a link, and `:red[...]` or
`:material/...:` change colour and icons. `literal` escapes every character Markdown (and Streamlit's
additions to it) gives a meaning, so the text is shown exactly as it was typed.
"""

from __future__ import annotations

import re

__all__ = ["literal"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&])")


def literal(text: str) -> str:
    """`text` escaped for st.markdown, st.caption, st.success and the like; newlines become spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))
