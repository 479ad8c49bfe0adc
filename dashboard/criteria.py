"""Criteria: the catalogue behind every score: questions, targets per room type, sources and evidence."""

import streamlit as st

from checklists.describe import GRADE_TEXT, KIND_TEXT, answer_options, target_rows
from dashboard import context

catalogue = context.catalogue()
st.title("Criteria")
st.write(
    f"Catalogue {catalogue.version}: {len(catalogue.items)} items in {len(catalogue.categories)} categories. "
    "Every item names its source and how firm the evidence is."
)
with st.expander("Evidence grades"):
    for text in GRADE_TEXT.values():
        st.markdown(f"- {text}")

query = st.text_input("Search the criteria", placeholder="for example: flicker, reverberation, quiet room")
categories = {c.id: c.title for c in catalogue.categories}
chosen = st.pills("Categories", list(categories), format_func=lambda c: categories[c], selection_mode="multi")
words = query.lower().split()

for category in catalogue.categories:
    if chosen and category.id not in chosen:
        continue
    items = [
        item
        for item in catalogue.items
        if item.category == category.id
        and all(w in f"{item.id} {item.question} {item.guidance} {item.source}".lower() for w in words)
    ]
    if not items:
        continue
    st.header(f"{category.title} ({len(items)})")
    st.caption(category.description)
    for item in items:
        flags = (" · critical" if item.critical else "") + (" · enhanced" if item.module.value == "enhanced" else "")
        with st.expander(f"{item.question}  ({item.id}{flags})"):
            st.markdown(f"**What good looks like, and how to check.** {item.guidance}")
            st.markdown(f"**How to fix.** {item.how_to_fix}")
            st.markdown(f"**Answer.** {KIND_TEXT[item.kind]}: {answer_options(item)}")
            st.markdown(
                f"**Source.** {item.source}  \n**Evidence.** {GRADE_TEXT[item.evidence]}"
                + (f"  \n{item.evidence_note}" if item.evidence_note else "")
            )
            st.markdown(f"**Principles.** {', '.join(item.principles)} · **Effort to fix.** {item.effort.value}")
            rows = target_rows(catalogue, item.id)
            st.dataframe(
                [
                    {"Setting": r.setting, "Room type": r.room_type, "Weight": r.weight, "Target": r.text}
                    if r.target
                    else {"Setting": r.setting, "Room type": r.room_type, "Weight": r.weight}
                    for r in rows
                ],
                hide_index=True,
                width="stretch",
            )
