"""The documentation cannot rot: every ```python block on every docs page runs, and the site
builds with ``mkdocs build --strict``."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# A fenced block: the opening fence with its language, the code, the closing fence.
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
NOT_RUN = "# not run"


def python_blocks(text: str) -> list[str]:
    """The page's ```python blocks in order, less those whose first line is ``# not run``."""
    blocks = [code for language, code in FENCE.findall(text) if language == "python"]
    return [code for code in blocks if not code.lstrip().startswith(NOT_RUN)]


def test_python_blocks_are_found_and_fragments_skipped():
    page = ("text\n```python\nx = 1\n```\n```bash\nls\n```\n"
            "```python\n# not run\nfragment(\n```\n```python\ny = x + 1\n```\n")
    assert python_blocks(page) == ["x = 1\n", "y = x + 1\n"]


PAGES_WITH_CODE = [page for page in sorted(DOCS.rglob("*.md"))
                   if python_blocks(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda page: str(page.relative_to(DOCS)))
def test_page_code_runs(page: Path, tmp_path: Path):
    """A page's blocks run in order in one namespace, in a fresh process and directory."""
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    script = tmp_path / "page.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    # offline: read_data_sets serves scikit-learn's bundled digits instead of downloading MNIST
    env = {**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg", "GRAPHFLOW_MNIST": "digits"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{page.relative_to(ROOT)}:\n{result.stderr[-3000:]}"


def test_every_lab_page_is_in_the_site_and_shows_its_graph():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((DOCS / "labs").glob("lab*.md")):
        assert f"labs/{page.name}" in nav
        pictures = re.findall(r"!\[[^\]]*\]\(\.\./(images/labs/[^)]+\.svg)\)", page.read_text())
        assert pictures and all((DOCS / picture).is_file() for picture in pictures), page.name


def test_mkdocs_build_strict(tmp_path: Path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                             str(tmp_path / "site")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-5000:]
    assert (tmp_path / "site" / "labs" / "lab02" / "index.html").is_file()
    api = (tmp_path / "site" / "reference" / "nn" / "index.html").read_text(encoding="utf-8")
    assert "softmax_cross_entropy_with_logits" in api
