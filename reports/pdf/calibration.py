"""The calibration part: do the organisation's assessors see the same room? Agreement per round, the
category and overall scores' ICC, and the items whose guidance needs to be clearer."""

from __future__ import annotations

from reports.calibration import CalibrationSection, poor_rows, score_rows
from reports.data import ReportData
from reports.pdf.document import Document
from reports.theme import MUTED_INK

__all__ = ["calibration", "calibration_sections"]


def calibration_sections(data: ReportData) -> list[str]:
    """The rounds, as they appear in the contents."""
    return [f"Round: {section.summary.name}" for section in data.calibration]


def calibration(doc: Document, data: ReportData) -> None:
    """One page or more per calibration round of the organisation; nothing when there is none."""
    if not data.calibration:
        return
    pdf = doc.pdf
    doc.section("Calibration", 0)
    doc.text(
        "Comparing rooms is only fair when different assessors would rate the same room the same way. In a "
        "calibration round two or more assessors assess the same rooms independently. Agreement on yes/no, choice "
        "and rating items is the share of identical answers and a chance-corrected kappa (weighted Cohen's kappa "
        "for two assessors, Fleiss' kappa for more); on readings and scores it is the intraclass correlation "
        "ICC(2,1) with its 95 % confidence interval, and the mean absolute difference. Where too few rooms were "
        "rated by every assessor, no figure is given."
    )
    pdf.ln(1)
    for section in data.calibration:
        _round(doc, data, section)


def _round(doc: Document, data: ReportData, section: CalibrationSection) -> None:
    pdf = doc.pdf
    summary, agreement = section.summary, section.agreement
    title = f"Round: {summary.name}"
    pdf.start_section(title, level=1)
    doc.subheading(title, keep=50)
    exact = "no figure" if agreement.overall_exact is None else f"{100 * agreement.overall_exact:.0f} %"
    doc.text(
        f"{agreement.units} rooms rated by every assessor ({', '.join(agreement.raters)}), from "
        f"{summary.starts_on:%d %B %Y} within {summary.window_days} days. Exact agreement over every yes/no, "
        f"choice and rating answer: {exact}.",
        colour=MUTED_INK,
        size=9,
    )
    pdf.ln(1)
    rows = score_rows(data.catalogue, agreement)
    doc.table(
        ["Score", "Rooms", "ICC(2,1)", "95 % CI", "Mean abs. difference", "Why no figure"],
        [[str(r["Score"]), str(r["Rooms"]), r["ICC(2,1)"], r["95 % CI"], r["Mean abs. difference (points)"],
          r["Why no figure"]] for r in rows],
        (26, 8, 10, 14, 14, 28),
    )  # fmt: skip
    thresholds = agreement.thresholds
    doc.subheading("Items to clarify", keep=30)
    poor = poor_rows(agreement)
    if not poor:
        doc.text(
            f"No item has poor agreement (kappa under {thresholds.kappa_poor:g}, ICC under {thresholds.icc_poor:g}).",
            size=9,
        )
        return
    doc.text(
        f"Agreement is poor below a kappa of {thresholds.kappa_poor:g} or an ICC of {thresholds.icc_poor:g}. Cost is "
        "the mean, over the rooms, of how far the overall score moves between the assessors' answers to the item.",
        colour=MUTED_INK,
        size=9,
    )
    doc.table(
        ["Item", "Question and guidance", "Agreement", "Cost", "Answers"],
        [[r["Item"], f"{r['Question']}\n{r['Guidance']}", r["Figure"], r["Cost (points)"], r["Answers"]]
         for r in poor],
        (18, 38, 12, 7, 25),
        size=7.5,
    )  # fmt: skip
