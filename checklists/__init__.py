"""The checklist catalogue: what to ask about a room, and how an assessor's answers are checked.

Everything a script or a notebook needs is importable from here: load and validate a catalogue
folder (or take the shipped one), the catalogue's models, the wording the app uses for evidence
grades and item kinds, and the parsing of an assessment file's responses. The submodules hold the
code: `schema` (the models), `loader` (reading a folder), `responses` (answers), `stored_answers`
(answers as the store keeps them) and `describe` (plain words); `document` writes the criteria
page of the docs (`python -m checklists.document`).

    from checklists import default_catalogue, parse_assessment
    assessment = parse_assessment(default_catalogue(), {"setting": "school", ...})
"""

from checklists.describe import GRADE_MEANING, GRADE_TEXT, KIND_TEXT, TargetRow, answer_options, target_rows
from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, Problem, default_catalogue, load_catalogue
from checklists.responses import (
    NA,
    Answer,
    AnswerError,
    AnswerSheet,
    AssessmentError,
    Flicker,
    answer_to_json,
    parse_answer,
    parse_assessment,
)
from checklists.schema import (
    EFFORT_COST,
    PRINCIPLES,
    SCORED_KINDS,
    Catalogue,
    CatalogueIndex,
    CategoryFile,
    CategoryInfo,
    Effort,
    Grade,
    Item,
    ItemKind,
    Module,
    Option,
    PrincipleInfo,
    ProfileFile,
    ResolvedItem,
    RoomChecklist,
    RoomTypeProfile,
    Target,
)

__all__ = [
    "DEFAULT_CATALOGUE_DIR",
    "EFFORT_COST",
    "GRADE_MEANING",
    "GRADE_TEXT",
    "KIND_TEXT",
    "NA",
    "PRINCIPLES",
    "SCORED_KINDS",
    "Answer",
    "AnswerError",
    "AnswerSheet",
    "AssessmentError",
    "Catalogue",
    "CatalogueError",
    "CatalogueIndex",
    "CategoryFile",
    "CategoryInfo",
    "Effort",
    "Flicker",
    "Grade",
    "Item",
    "ItemKind",
    "Module",
    "Option",
    "PrincipleInfo",
    "Problem",
    "ProfileFile",
    "ResolvedItem",
    "RoomChecklist",
    "RoomTypeProfile",
    "Target",
    "TargetRow",
    "answer_options",
    "answer_to_json",
    "default_catalogue",
    "load_catalogue",
    "parse_answer",
    "parse_assessment",
    "target_rows",
]
