"""The public API: text in, one FileReport out, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import digestlint
from digestlint import api

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_check_text_reports_a_seed_finding_and_its_records() -> None:
    text = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")
    report = api.check_text(text, path="003.md")
    assert [finding.code for finding in report.findings] == ["DL206"]
    assert report.is_digest
    assert report.text is None
    assert len(report.records) == len(api.records(text, path="003.md")) > 0


def test_fix_text_returns_the_fixed_text_and_what_it_fixed() -> None:
    text = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")
    report = api.fix_text(text, path="003.md")
    assert report.text is not None and report.text != text
    assert [finding.code for finding in report.fixed] == ["DL206"]
    assert report.findings == []
    assert api.check_text(report.text, path="003.md").findings == []


def test_format_text_leaves_a_canonical_seed_byte_identical() -> None:
    text = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    assert api.format_text(text).text == text


def paper(number: int, padded: bool = True) -> str:
    cells = [
        f"[P{number}](https://arxiv.org/abs/2411.0000{number})",
        "A. Author",
        "S.",
        f"[Read more](https://arxiv.org/abs/2411.0000{number})",
    ]
    return ("| " + " | ".join(cells) + " |" if padded else "|" + "|".join(cells) + "|") + "\n"


def test_format_text_keeps_the_rendering_and_formats_around_a_split_row() -> None:
    from markdown_it import MarkdownIt

    heading = "## Papers for 2024-11-05\n\n| Title | Authors | Summary | Link |\n"
    aligned = "|:------|---------|---------|------|\n"  # the layout's is |-------|: it would drop the alignment
    split = paper(2).replace("| S. |", "| First half\nsecond half. |")  # two rows in HTML
    text = heading + aligned + paper(1, padded=False) + split + paper(3, padded=False)
    assert api.fix_text(text).text == heading + "|-------|---------|---------|------|\n" + paper(1) + paper(2).replace(
        "| S. |", "| First half second half. |"
    ) + paper(3)

    report = api.format_text(text)
    assert report.text == heading + aligned + paper(1) + split + paper(3)
    assert sorted(finding.code for finding in report.findings) == ["DL103", "DL502"]
    render = MarkdownIt("commonmark").enable("table").render
    assert render(report.text) == render(text)


def test_the_package_re_exports_the_api() -> None:
    assert digestlint.check_text is api.check_text
    assert digestlint.FileReport is api.FileReport


@pytest.mark.parametrize("call", ["check_text", "fix_text", "format_text", "records"])
def test_the_api_on_a_clean_digest_imports_no_cli_reporters_pool_jsonschema_or_pydantic(call: str) -> None:
    """In a fresh interpreter: what `import digestlint.api` and one call load (no config file: from `/`)."""
    script = (
        "import sys, digestlint.api as api\n"
        f"text = open({str(SEEDS / '000_515fa1aceb584d49.md')!r}, encoding='utf-8').read()\n"
        "settings = api.load_settings(None)\n"
        f"result = api.{call}(text, '2024-11-05.md', settings)\n"
        "assert (result if isinstance(result, list) else result.findings) is not None\n"
        "assert getattr(result, 'findings', []) == [] and getattr(result, 'text', text) in (None, text)\n"
        "heavy = ('click', 'jsonschema', 'pydantic', 'digestlint.reporters', 'digestlint.cli', "
        "'digestlint.runner', 'digestlint.cache', 'digestlint.parallel', 'multiprocessing', 'concurrent.futures')\n"
        "print(','.join(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=SEEDS.anchor)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def _readme_section(title: str) -> str:
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else len(readme)]


def test_the_readme_python_example_runs_and_prints_what_it_shows() -> None:
    section = _readme_section("Use from Python")
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert "from digestlint import api" in code
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=SEEDS.parent, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
