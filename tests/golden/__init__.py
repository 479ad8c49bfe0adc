"""Golden scored assessments: one realistic room per setting and its full scored result.

`make golden` (python -m tests.golden) rewrites the *.score.json files from the assessment files
beside them; review the diff before committing it. tests/test_golden.py fails on any difference.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from checklists.loader import default_catalogue
from scoring.engine import score_assessment

GOLDEN = Path(__file__).parent
ASSESSMENTS = sorted(GOLDEN.glob("*.assessment.yaml"))


def scored(path: Path) -> str:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = score_assessment(default_catalogue(), document)
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def score_path(path: Path) -> Path:
    return path.with_name(path.name.replace(".assessment.yaml", ".score.json"))
