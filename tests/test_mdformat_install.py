"""The mdformat plugin installed as a user installs it, and run as the `mdformat` command.

Each supported end of the version range gets a fresh venv with a normal `pip install` of this
project from its folder with the `mdformat` extra (dependencies resolved by pip, its cache reused):
`lowest` pins mdformat and mdformat-gfm to the oldest releases the extra allows, `highest` lets pip
pick the newest it allows. Skipped only when pip cannot reach a package index (CI has one).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.network]

LOWEST = {"mdformat": "1.0.0", "mdformat-gfm": "1.0.0"}
PINS = {"lowest": [f"{name}=={version}" for name, version in LOWEST.items()], "highest": []}


def _index_reachable(folder: Path) -> bool:
    """Whether pip can fetch the lowest mdformat-gfm (from an index or from its cache)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(folder), "mdformat-gfm==1.0.0"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module", params=sorted(PINS))
def venv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(f"mdformat-{request.param}")
    if not _index_reachable(folder / "probe"):
        pytest.skip("pip cannot reach a package index")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{ROOT}[mdformat]", *PINS[request.param]],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    versions = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('mdformat'), m.version('mdformat-gfm'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if request.param == "lowest":
        assert versions == list(LOWEST.values())
    return folder / "venv" / "bin"


def run(bin_folder: Path, command: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_folder / command), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_plugin_is_listed_by_mdformat_version(venv: Path, tmp_path: Path) -> None:
    shown = run(venv, "mdformat", "--version", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "digestlint" in shown.stdout and "mdformat-gfm" in shown.stdout


def test_the_seeds_digestlint_format_passes_mdformat_check_passes(venv: Path, tmp_path: Path) -> None:
    seeds = [shutil.copy(seed, tmp_path / seed.name) for seed in sorted(SEEDS.glob("*.md"))]
    assert len(seeds) == 5
    before = {seed: Path(seed).read_bytes() for seed in seeds}
    assert run(venv, "digestlint", "format", "--check", *seeds, cwd=tmp_path).returncode == 0
    checked = run(venv, "mdformat", "--check", *seeds, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    formatted = run(venv, "mdformat", *seeds, cwd=tmp_path)  # with mdformat's HTML check
    assert formatted.returncode == 0, formatted.stderr
    assert {seed: Path(seed).read_bytes() for seed in seeds} == before


def _formatting_codes(venv: Path, path: Path) -> list[str]:
    shown = run(venv, "digestlint", "check", "--no-cache", "-o", "json", path, cwd=path.parent)
    return [finding["code"] for finding in json.loads(shown.stdout) if finding["code"].startswith("DL5")]


def test_a_digest_mdformat_alone_pads_comes_out_canonical_and_stays(venv: Path, tmp_path: Path) -> None:
    path = tmp_path / "2024-11-05.md"
    shutil.copy(SEEDS / "000_515fa1aceb584d49.md", path)
    alone = run(venv, "mdformat", "--extensions", "gfm", "--extensions", "tables", path, cwd=tmp_path)
    assert alone.returncode == 0, alone.stderr
    padded = path.read_text(encoding="utf-8")
    assert max(len(line) for line in padded.splitlines()) > 1500
    assert _formatting_codes(venv, path)
    first = run(venv, "mdformat", path, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    formatted = path.read_bytes()
    assert _formatting_codes(venv, path) == []
    second = run(venv, "mdformat", path, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert path.read_bytes() == formatted
    assert run(venv, "mdformat", "--check", path, cwd=tmp_path).returncode == 0
    assert run(venv, "digestlint", "format", "--check", path, cwd=tmp_path).returncode == 0


def test_a_split_row_passes_mdformats_html_check_unrepaired(venv: Path, tmp_path: Path) -> None:
    seed = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    split = seed.replace("Robustness of Vision Language Models](", "Robustness of Vision\nLanguage Models](", 1)
    assert split != seed
    path = tmp_path / "2024-11-05.md"
    path.write_text(split, encoding="utf-8")
    formatted = run(venv, "mdformat", path, cwd=tmp_path)
    assert formatted.returncode == 0, formatted.stderr
    assert path.read_text(encoding="utf-8") == split
    assert run(venv, "digestlint", "--fix", path, cwd=tmp_path).returncode == 0
    assert path.read_text(encoding="utf-8") == seed
