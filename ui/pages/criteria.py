"""Criteria: the catalogue behind every score, generated from it: each item's question, guidance, how
to fix it, its targets and weights per room type, its source and evidence grade, and its principles.
Searchable, and narrowed by category, evidence grade, room type and critical items. Where an
organisation has criteria of its own, they are shown for it (its items added, switched off or made
critical, its targets and weights), and the shipped catalogue is one choice away."""

import streamlit as st

from checklists.describe import answer_options, grade_text, kind_text, target_rows
from checklists.schema import Grade, Item, ItemKind
from checklists.translations import localized
from ui import calibration_view, context, criteria_view, state
from ui.i18n import N_, _, language, ngettext

shipped = context.catalogue()
chosen_criteria = criteria_view.chosen_catalogue(context.current_user(), shipped)
criteria_view.consultant_editor(context.current_user(), shipped)
# Items an organisation added are its own words: shown as typed, never read as Markdown.
own_items = {item.id for item in chosen_criteria.items} - {item.id for item in shipped.items}
# The catalogue's words in the reader's language (untranslated texts in English, marked).
catalogue = localized(chosen_criteria, language()).catalogue
# Items assessors disagreed on in the newest calibration round (managers, consultants and admins).
disagreed = calibration_view.poor_items(context.current_user())
principles = {p.id: p.title for p in catalogue.principles}
categories = {c.id: c.title for c in catalogue.categories}
# (setting, room type) -> "Clinic · Waiting room"
room_types = {key: f"{c.setting_title} · {c.room_type_title}" for key, c in catalogue.checklists.items()}

st.title(_("Criteria"))
st.write(
    _(
        "Catalogue {version}: {items} in {categories}. Every item names its source and how firm the evidence "
        "behind it is."
    ).format(
        version=catalogue.version,
        items=ngettext("{n} item", "{n} items", len(catalogue.items)).format(n=len(catalogue.items)),
        categories=ngettext("{n} category", "{n} categories", len(catalogue.categories)).format(
            n=len(catalogue.categories)
        ),
    )
)
with st.expander(_("Evidence grades and trauma-informed principles")):
    st.markdown(
        "**{}**\n\n".format(_("Evidence grades"))
        + "\n".join(f"- {grade_text(grade)}" for grade in Grade)
        + "\n\n**{}** {}\n\n".format(_("Principles"), _("(every item is tagged with one or more)"))
        + "\n".join(f"- **{p.title}**: {p.description}" for p in catalogue.principles)
    )

# Short names for the evidence filter; the full wording is in the help and in each item.
GRADE_SHORT = {
    Grade.P: N_("P · standard"), Grade.R: N_("R · research"), Grade.D: N_("D · derived"),
    Grade.Q: N_("Q · good practice"),
}  # fmt: skip
EFFORTS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}

with st.container(border=True):
    top = st.columns([2, 1])
    query = top[0].text_input(
        _("Search the criteria"), placeholder=_("for example: flicker, reverberation, quiet room, WELL"),
        key=state.CRITERIA_QUERY,
    )  # fmt: skip
    room_type = top[1].selectbox(
        _("Room type"), [None, *room_types],
        format_func=lambda k: _("Every room type") if k is None else room_types[k],
        key=state.CRITERIA_ROOM_TYPE, help=_("Show only the items that apply to one room type, with its targets."),
    )  # fmt: skip
    chosen = st.pills(
        _("Categories"), list(categories), format_func=categories.__getitem__, selection_mode="multi",
        key=state.CRITERIA_CATEGORIES, wrap=True,
    )  # fmt: skip
    row = st.columns([2, 1], vertical_alignment="bottom")
    grades = row[0].pills(
        _("Evidence"), list(Grade), format_func=lambda grade: _(GRADE_SHORT[grade]), selection_mode="multi",
        key=state.CRITERIA_GRADES, wrap=True, help="\n".join(f"- {grade_text(grade)}" for grade in Grade),
    )  # fmt: skip
    critical_only = row[1].toggle(_("Critical items only"), key=state.CRITERIA_CRITICAL)

words = query.lower().split()
applies = catalogue.checklists[room_type].by_id() if room_type is not None else None


def _answer(item: Item) -> str:
    """The answers an item takes, said once: its options, or the kind of reading (with its unit)."""
    if item.kind is ItemKind.rating:
        return f"{kind_text(item.kind)}: {answer_options(item)}"
    if item.kind is ItemKind.measurement:
        return _("{kind}, in {unit}").format(kind=kind_text(item.kind), unit=item.unit)
    return answer_options(item)  # yes/no and choices list their answers; the rest name their kind


def _searchable(item: Item) -> str:
    parts = [item.id, item.question, item.guidance, item.how_to_fix, item.source, item.evidence_note or ""]
    parts += [principles[p] for p in item.principles]
    return " ".join(parts).lower()


def _shown(item: Item) -> bool:
    return (
        (not chosen or item.category in chosen)
        and (not grades or item.evidence in grades)
        and (not critical_only or item.critical)
        and (applies is None or item.id in applies)
        and all(w in _searchable(item) for w in words)
    )


matching = [item for item in catalogue.items if _shown(item)]
st.caption(
    ngettext("Showing {shown} of {total} item.", "Showing {shown} of {total} items.", len(catalogue.items)).format(
        shown=len(matching), total=len(catalogue.items)
    )
)
if not matching:
    st.info(_("No item matches. Try fewer words, or clear a filter."))

for category in catalogue.categories:
    items = [item for item in matching if item.category == category.id]
    if not items:
        continue
    st.header(f"{category.title} ({len(items)})", anchor=False)
    st.caption(category.description)
    for item in items:
        if item.id in own_items:
            item = criteria_view.as_text(item)
        flags = [_("evidence {grade}").format(grade=item.evidence.value)]
        flags += [_("critical")] if item.critical else []
        flags += [_("enhanced")] if item.module.value == "enhanced" else []
        flags += [_("assessors disagree")] if item.id in disagreed else []
        with st.expander(f"{item.question}  ({' · '.join([item.id, *flags])})"):
            if item.id in disagreed:
                st.text(disagreed[item.id])
            rows = target_rows(catalogue, item.id)
            if room_type is not None:
                checklist = catalogue.checklists[room_type]
                rows = [
                    r for r in rows if (r.setting, r.room_type) == (checklist.setting_title, checklist.room_type_title)
                ]
            # One markdown block per item, its targets as a markdown table: light in the browser even
            # with all 55 items listed (a data grid or a block per paragraph each cost a render).
            heads = (_("Setting"), _("Room type"), _("Weight"), _("Target"))
            table = ["| {} | {} | {} | {} |".format(*heads), "|---|---|---:|---|"]
            table += [f"| {r.setting} | {r.room_type} | {r.weight:g} | {r.text or '–'} |" for r in rows]
            note = f"  \n{item.evidence_note}" if item.evidence_note else ""
            effort = _(EFFORTS.get(item.effort.value, item.effort.value))
            st.markdown(
                f"**{_('What good looks like, and how to check.')}** {item.guidance}\n\n"
                f"**{_('How to fix.')}** {item.how_to_fix}  \n**{_('Effort to fix.')}** {effort}\n\n"
                f"**{_('Answer.')}** {_answer(item)}\n\n"
                f"**{_('Source.')}** {item.source}  \n**{_('Evidence.')}** {grade_text(item.evidence)}{note}\n\n"
                f"**{_('Principles.')}** {', '.join(principles[p] for p in item.principles)}\n\n"
                f"**{_('Where it applies.')}**\n\n" + "\n".join(table)
            )
