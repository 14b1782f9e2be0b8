"""The public API: text in, one FileReport out, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_the_package_re_exports_the_api() -> None:
    assert digestlint.check_text is api.check_text
    assert digestlint.FileReport is api.FileReport


def test_checking_a_clean_digest_imports_no_cli_reporters_pool_jsonschema_or_pydantic() -> None:
    script = (
        "import sys, digestlint.api as api\n"
        f"text = open({str(SEEDS / '000_515fa1aceb584d49.md')!r}, encoding='utf-8').read()\n"
        "assert api.check_text(text, settings=api.load_settings(None)).findings == []\n"
        "heavy = ('click', 'jsonschema', 'pydantic', 'digestlint.reporters', 'digestlint.cli', "
        "'digestlint.runner', 'multiprocessing', 'concurrent.futures')\n"
        "print(','.join(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=SEEDS.anchor)
    assert done.stdout.strip() == ""
