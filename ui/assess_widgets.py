"""The Assess screen's parts and what each tap on them does (the page file, ui/pages/assess.py,
puts them in order). The wording and the rules are in ui/assess_logic.py; this module holds the
Streamlit side: widgets, callbacks, and what this browser remembers between reruns.

Three promises the parts keep:

- The room on screen is the room assessed. The open assessment (state.ASSESS_OPEN, mirrored in the
  address as ?assessment=ID) stays open across screens and reloads; choosing another site or room
  closes it and says so; "Start a new assessment" starts one of the room chosen when it is tapped.
- Every field shows what the store holds. A refused entry puts the saved answer back in the field
  and says why beside it; only half a flicker reading, or a reading waiting for "Save anyway", stays
  as typed, marked as not saved.
- The summary at the top is current. Each item is its own fragment, and every saved answer reruns
  that item and the summary fragment (state.ASSESS_SUMMARY), item first, so "Saved" shows at once
  and the score follows. Every callback names the fragments it reruns: when two changes arrive in
  one message (text typed in one field, then a tap on another item) each still reruns its own item.

The parts live in one module per responsibility, gathered here under one name: `assess_memory`
(the desk and what this browser remembers), `assess_open` (address, pickers, loading),
`assess_items` (sections, items and their taps), `assess_evidence` (notes and photos) and
`assess_review` (header, live summary, submit and review).
"""

from __future__ import annotations

from ui.assess_items import sections
from ui.assess_memory import Desk, Opened
from ui.assess_open import assessment_picker, follow_address, notice, room_picker
from ui.assess_review import CSS, live_summary, opened_header, submit_panel

__all__ = [
    "CSS",
    "Desk",
    "Opened",
    "assessment_picker",
    "follow_address",
    "live_summary",
    "notice",
    "opened_header",
    "room_picker",
    "sections",
    "submit_panel",
]
