"""Text that people typed (site and room names, notes, reasons, emails), made safe to show.

Streamlit draws most strings as Markdown: a room called `![x](https://elsewhere/pixel.png)` would load
a picture from another site, `[Urgent](https://…)` would become a link, and `:red[...]` or
`:material/...:` change colour and icons. `literal` escapes every character Markdown (and Streamlit's
additions to it) gives a meaning, so the text is shown exactly as it was typed.

Escaping is not enough for web addresses and email addresses: Streamlit's Markdown also turns bare
`http://…`, `www.…` and `name@domain` into links after the escapes are read. Such a link is only
made where the address follows a space, a punctuation mark or the start of the text, so `literal`
puts an invisible WORD JOINER (U+2060) in front of each: the text looks the same, and stays text.
"""

from __future__ import annotations

import re

__all__ = ["WORD_JOINER", "literal"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&])")
WORD_JOINER = "\u2060"
# Where Markdown would start a link of its own: a web address, or the name part of an email address.
_ADDRESS = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.|mailto:|xmpp:|[\w.+-]+@[\w-]+\.)")


def literal(text: str) -> str:
    """`text` escaped for st.markdown, st.caption, st.success and the like; newlines become spaces."""
    one_line = " ".join(text.splitlines())
    unlinked = _ADDRESS.sub(lambda found: WORD_JOINER + found.group(0), one_line)
    return _SPECIAL.sub(r"\\\1", unlinked)
