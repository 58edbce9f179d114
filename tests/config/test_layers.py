"""Layers point down: common < accounts < consent, journal < care.

The contracts live in pyproject.toml; this runs them, so an import the wrong way is a
failing test, not a review comment.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 - our own venv's tool, fixed arguments
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
