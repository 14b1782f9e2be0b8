"""An archive in a layout no built-in one matches: a category column first, then the full layout's columns.

Every paper is also written as the same row in the full layout (`FullTwin`), so a repair can be compared
with how digestlint repairs the very same row in a built-in layout.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.archive import FULL_DELIMITER, FULL_HEADER, _cells, _paper, _split_at_space

CATEGORIES = ("cs.CL", "cs.CV", "cs.LG", "cs.RO", "stat.ML")
HEADER = "| Category " + FULL_HEADER
DELIMITER = "|----------" + FULL_DELIMITER


@dataclass
class Built:
    root: Path  # the archive in the category layout
    twin: Path  # the same days in the full layout
    split: list[tuple[str, int]] = field(default_factory=list)  # (day file name, arXiv ID) of split rows
    empty_authors: list[tuple[str, str]] = field(default_factory=list)  # (day file name, arXiv ID)
    rows: int = 0


def build(top: Path, days: int = 60, seed: int = 17, broken: float = 0.03) -> Built:
    """`days` digests (15-30 rows each) in `top/archive` and their full-layout twins in `top/twin`."""
    rng = random.Random(seed)
    built = Built(top / "archive", top / "twin")
    start = datetime.date(2024, 3, 1)
    number = 1000
    for offset in range(days):
        date = start + datetime.timedelta(days=offset)
        rows: list[str] = []
        twins: list[str] = []
        for _ in range(rng.randint(15, 30)):
            number += rng.randint(1, 9)
            paper = _paper(rng, date, number, "full")
            cells = _cells(paper)
            category = rng.choice(CATEGORIES)
            name = f"{date:%Y-%m-%d}.md"
            roll = rng.random()
            if roll < broken:
                split = _split_at_space(rng, cells[2])
                if split is not None:
                    cells[2] = split
                    built.split.append((name, number))
            elif roll < broken * 1.5:
                cells[1] = ""
                built.empty_authors.append((name, paper.arxiv_id))
            rows.append("| " + " | ".join([category, *cells]) + " |")
            twins.append("| " + " | ".join(cells) + " |")
            built.rows += 1
        heading = f"## Papers for {date.isoformat()}\n\n"
        for folder, header, delimiter, body in (
            (built.root, HEADER, DELIMITER, rows),
            (built.twin, FULL_HEADER, FULL_DELIMITER, twins),
        ):
            folder.mkdir(parents=True, exist_ok=True)
            text = heading + header + "\n" + delimiter + "\n" + "\n".join(body) + "\n"
            (folder / f"{date:%Y-%m-%d}.md").write_text(text, encoding="utf-8")
    return built
