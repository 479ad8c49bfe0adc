"""Regenerate the golden scored results: python -m tests.golden."""

from tests.golden import ASSESSMENTS, score_path, scored

for path in ASSESSMENTS:
    score_path(path).write_text(scored(path), encoding="utf-8")
    print(f"wrote {score_path(path).name}")
