"""A synthetic digest archive with every known defect injected, and the papers written into it.

    python -m benchmarks.archive OUT [--days 300] [--seed 20241023] [--defect-rate 0.04]

writes `OUT/archive/YYYY/MM/DD.md`, one digest per day in all three layouts,
15-40 rows each. A fixed seed gives the same archive every time. Each row
carries a defect with probability `defect_rate` per kind, rows split across
lines more often (the most common defect in real archives).

`generate_archive` returns every row's intended record: what `digestlint
export` must give after `digestlint --fix --unsafe-fixes`, whitespace folded.
Defects that lose data by construction (a dropped cell) are marked, so
callers can leave those rows out of the comparison.
"""

from __future__ import annotations

import argparse
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FULL_HEADER = "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |"
FULL_DELIMITER = "|-------|---------|---------|----------------|-------------|-----------------|"
COMPACT_HEADER = "| Title | Authors | Summary |"
COMPACT_DELIMITER = "|-------|---------|---------|"
LINKED_HEADER = "| Title | Authors | Summary | Link |"
LINKED_DELIMITER = "|-------|---------|---------|------|"

TAGS = (
    "Multimodal",
    "Computer Vision",
    "Natural Language Processing",
    "Question Answering",
    "Text Generation",
    "Visual Question Answering",
    "Image-Text-to-Text",
    "Robotics",
    "Reinforcement Learning",
    "Text-to-Image",
    "Audio",
    "Automatic Speech Recognition",
    "Feature Extraction",
    "Text2Text Generation",
    "Image-to-Text",
    "Object Detection",
    "Depth Estimation",
    "Sentence Similarity",
    "Translation",
    "Summarization",
)
WORDS = (
    "Scaling",
    "Efficient",
    "Robust",
    "Multimodal",
    "Reasoning",
    "Language",
    "Models",
    "Vision",
    "Diffusion",
    "Agents",
    "Benchmark",
    "Alignment",
    "Sparse",
    "Attention",
    "Retrieval",
    "Long-Context",
    "Preference",
    "Optimization",
    "Tokenizer",
    "Video",
    "Generation",
    "Memory",
    "Distillation",
    "Evaluation",
    "Dynamic",
    "Contrastive",
    "Learning",
    "Self-Supervised",
    "Transformers",
    "Mixture-of-Experts",
    "Speculative",
    "Decoding",
)
SENTENCES = (
    "The paper introduces a method that improves accuracy on standard benchmarks.",
    "Experiments on five datasets show consistent gains over strong baselines.",
    "An ablation study isolates the contribution of each component.",
    "The approach reduces training cost by 40% without loss of quality.",
    "A new dataset of 12,000 annotated examples is released with the code.",
    "The analysis finds that scale alone does not explain the improvement.",
    "Results suggest practitioners can adopt the technique with minimal changes.",
    "The model generalizes to unseen domains, including medical and legal text.",
    "Limitations include sensitivity to hyperparameters and evaluation cost.",
)
NAMES = (
    "Yangzhou Liu",
    "Bin Hu",
    "Junyu Zhang",
    "kenshinn",
    "Ray2333",
    "Wenhai Wang",
    "Zhe Chen",
    "lindahua",
    "conghui",
    "yhcao",
    "Kehan Li",
    "Hang Zhang",
    "Zhiqiang007",
    "ClownRat",
    "xphan",
    "luyaojie",
    "A. Author",
)
OWNERS = ("apple", "thunlp", "adobe-research", "IST-DASLab", "thu-coai", "dongyh20", "bethelmelesse", "NVIDIA")


@dataclass
class Paper:
    """One row as intended: what export must give back after fixing."""

    date: str
    title: str
    arxiv_id: str
    authors: str
    summary: str
    classification: list[str] | None
    github_urls: list[str]
    huggingface_urls: list[str]
    layout: str
    path: str = ""
    defects: list[str] = field(default_factory=list)
    lossy: bool = False  # a defect that removes data by construction (a dropped cell)
    line: int = 0  # the 1-based line where the row starts


@dataclass
class GeneratedArchive:
    root: Path
    files: list[Path]
    papers: list[Paper]


def _title(rng: random.Random) -> str:
    head = " ".join(rng.sample(WORDS, rng.randint(2, 4)))
    tail = " ".join(rng.sample(WORDS, rng.randint(3, 6)))
    return f"{head}: {tail}"


def _summary(rng: random.Random) -> str:
    return " ".join("- " + sentence for sentence in rng.sample(SENTENCES, rng.randint(3, 6)))


def _paper(rng: random.Random, date: datetime.date, number: int, layout: str) -> Paper:
    arxiv_id = f"{date:%y%m}.{number:05d}"
    github: list[str] = []
    huggingface: list[str] = []
    classification: list[str] | None = None
    if layout == "full":
        classification = rng.sample(TAGS, rng.randint(1, 4))
        if rng.random() < 0.4:
            github = [f"https://github.com/{rng.choice(OWNERS)}/repo-{number}"]
        if rng.random() < 0.2:
            huggingface = [f"https://huggingface.co/{rng.choice(OWNERS)}/model-{number}"]
    authors = ", ".join(rng.sample(NAMES, rng.randint(2, 5)))
    return Paper(
        date.isoformat(), _title(rng), arxiv_id, authors, _summary(rng), classification, github, huggingface, layout
    )


def _links(urls: list[str]) -> str:
    return ", ".join(f"[Link]({url})" for url in urls) if urls else "N/A"


def _tags(tags: list[str] | None) -> str:
    return "[" + ", ".join(f"'{tag}'" for tag in tags or []) + "]"


def _cells(paper: Paper) -> list[str]:
    if paper.layout == "full":
        return [
            f"[{paper.title}](https://arxiv.org/abs/{paper.arxiv_id})",
            paper.authors,
            paper.summary,
            _tags(paper.classification),
            _links(paper.github_urls),
            _links(paper.huggingface_urls),
        ]
    if paper.layout == "compact":
        title = (
            f"{paper.title} (Read more on [arXiv](https://arxiv.org/abs/{paper.arxiv_id}) or "
            f"[HuggingFace](https://huggingface.co/papers/{paper.arxiv_id}))"
        )
        return [title, paper.authors, paper.summary]
    return [paper.title, paper.authors, paper.summary, f"[Read more](https://arxiv.org/abs/{paper.arxiv_id})"]


def _row(cells: list[str], layout: str) -> str:
    if layout == "compact":
        return f"| {cells[0]}| " + " | ".join(cells[1:]) + " |"
    return "| " + " | ".join(cells) + " |"


# Each defect rewrites one row's cells (or its line) and may adjust the intended record;
# the intended record is always what `--fix --unsafe-fixes` must give back.
CellDefect = Callable[[random.Random, Paper, list[str]], bool]


def _split_at_space(rng: random.Random, text: str) -> str | None:
    spaces = [index for index, char in enumerate(text) if char == " "]
    if not spaces:
        return None
    cut = rng.choice(spaces)
    return text[:cut] + "\n" + ("  " if rng.random() < 0.5 else "") + text[cut + 1 :]


def split_in_summary(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    split = _split_at_space(rng, cells[2])
    if split is None:
        return False
    cells[2] = split
    return True


def split_in_title(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full":
        return False
    title = paper.title
    split = _split_at_space(rng, title)
    if split is None:
        return False
    cells[0] = cells[0].replace(title, split, 1)
    return True


def split_in_url(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full":
        return False
    url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    cut = rng.randint(len("https://arxiv.org/abs/"), len(url) - 1)
    cells[0] = cells[0].replace(url, url[:cut] + "\n" + url[cut:], 1)
    return True


def pipe_in_summary(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    sentence = " The bound |x| < 1 holds."
    paper.summary += sentence
    cells[2] += sentence  # appended, so an earlier split of this cell stays
    return True


def non_canonical_url(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.github_urls:
        return False
    url = paper.github_urls[0]
    spelled = rng.choice(
        (
            url + ".git",
            url + "/",
            url.replace("https://", "http://"),
            url.replace("github.com", "www.github.com"),
            url.replace("github.com", "GitHub.com"),
        )
    )
    cells[4] = _links([spelled])
    return True


def hf_short_link(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.huggingface_urls:
        return False
    cells[5] = _links([url.replace("huggingface.co", "hf.co") for url in paper.huggingface_urls])
    return True


def duplicate_link(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.github_urls:
        return False
    cells[4] = _links([paper.github_urls[0], paper.github_urls[0] + "/"])
    return True


def bare_link_list(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.github_urls:
        return False
    cells[4] = rng.choice(("; ", " ")).join(paper.github_urls) if rng.random() < 0.5 else paper.github_urls[0]
    return True


def na_variant(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or paper.huggingface_urls:
        return False
    cells[5] = rng.choice(("n/a", "None", "-", "NA"))
    return True


def url_whitespace(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.github_urls:
        return False
    url = paper.github_urls[0]
    cells[4] = _links([url.replace("/repo-", "/ repo-", 1)])
    return True


def hf_in_github_column(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.huggingface_urls or paper.github_urls:
        return False
    cells[4] = _links(paper.huggingface_urls)
    cells[5] = "N/A"
    return True


def project_page(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or paper.github_urls or cells[4] != "N/A":
        return False
    paper.github_urls = [f"https://project-{paper.arxiv_id.replace('.', '-')}.github.io"]
    cells[4] = _links(paper.github_urls)
    return True


def owner_only(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or paper.github_urls or cells[4] != "N/A":
        return False
    paper.github_urls = [f"https://github.com/{rng.choice(OWNERS)}"]
    cells[4] = _links(paper.github_urls)
    return True


def http_arxiv(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full":
        return False
    url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    cells[0] = cells[0].replace(url, rng.choice((url.replace("https", "http"), url.replace("/abs/", "/pdf/"))))
    return True


def unquoted_tags(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.classification:
        return False
    tags = paper.classification
    cells[3] = rng.choice((", ".join(tags), "[" + ", ".join(f'"{tag}"' for tag in tags) + "]"))
    return True


def tag_case(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.classification:
        return False
    cells[3] = _tags([paper.classification[0].lower(), *paper.classification[1:]])
    return True


def duplicate_tag(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full" or not paper.classification:
        return False
    cells[3] = _tags([*paper.classification, paper.classification[0]])
    return True


def misspelled_tag(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    if paper.layout != "full":
        return False
    # One known tag is close, so the unsafe DL302 fix writes it: the intended record keeps the real tag.
    paper.classification = ["Natural Language Processing"]
    cells[3] = _tags(["Natural Language Procesing"])
    return True


def empty_authors(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    paper.authors = ""
    cells[1] = ""
    return True


def dropped_cell(rng: random.Random, paper: Paper, cells: list[str]) -> bool:
    del cells[1]
    paper.lossy = True
    return True


CELL_DEFECTS: dict[str, CellDefect] = {
    "split-in-summary": split_in_summary,
    "split-in-title": split_in_title,
    "split-in-url": split_in_url,
    "pipe-in-summary": pipe_in_summary,
    "non-canonical-url": non_canonical_url,
    "hf-short-link": hf_short_link,
    "duplicate-link": duplicate_link,
    "bare-link-list": bare_link_list,
    "na-variant": na_variant,
    "url-whitespace": url_whitespace,
    "hf-in-github-column": hf_in_github_column,
    "project-page": project_page,
    "owner-only": owner_only,
    "http-arxiv": http_arxiv,
    "unquoted-tags": unquoted_tags,
    "tag-case": tag_case,
    "duplicate-tag": duplicate_tag,
    "misspelled-tag": misspelled_tag,
    "empty-authors": empty_authors,
    "dropped-cell": dropped_cell,
}
SPLIT_WEIGHT = 3  # split rows are the most common defect by far


def _render_row(rng: random.Random, paper: Paper, defect_rate: float) -> str:
    cells = _cells(paper)
    for name, defect in CELL_DEFECTS.items():
        rate = defect_rate * (SPLIT_WEIGHT if name.startswith("split") else 1)
        if rng.random() < rate and defect(rng, paper, cells):
            paper.defects.append(name)
    line = _row(cells, paper.layout)
    if rng.random() < defect_rate and "\n" not in line:
        line = line.rstrip(" |")  # no trailing pipe
        paper.defects.append("no-trailing-pipe")
    if rng.random() < defect_rate and "\n" not in line and line.endswith("|"):
        line = line.replace(" | ", "|", 1)  # no padding
        paper.defects.append("no-padding")
    return line


def _digest(rng: random.Random, date: datetime.date, papers: list[Paper], defect_rate: float) -> str:
    layout = papers[0].layout
    header, delimiter = {
        "full": (FULL_HEADER, FULL_DELIMITER),
        "compact": (COMPACT_HEADER, COMPACT_DELIMITER),
        "linked": (LINKED_HEADER, LINKED_DELIMITER),
    }[layout]
    heading = f"## Papers for {date.isoformat()}"
    if rng.random() < defect_rate:
        heading = rng.choice((f"# Papers for {date.isoformat()}", f"## Papers for {date.year}-{date.month}-{date.day}"))
    if rng.random() < defect_rate:
        delimiter = rng.choice(("|---|---|" + "---|" * (header.count("|") - 3), delimiter.replace("-", "=")))
    gap = "\n\n" if rng.random() >= defect_rate else rng.choice(("\n", "\n\n\n"))
    rows = [_render_row(rng, paper, defect_rate) for paper in papers]
    if rng.random() < defect_rate and len(rows) > 2:
        rows.insert(len(rows) // 2, "")  # a blank line inside the table
    ending = "\n" if rng.random() >= defect_rate else rng.choice(("", "\n\n"))
    head = "\n\n" + heading + gap + header + "\n" + delimiter + "\n"
    line = head.count("\n") + 1
    rendered = iter(papers)
    for row in rows:
        if row:
            next(rendered).line = line
        line += row.count("\n") + 1
    return head + "\n".join(rows) + ending


def generate_archive(
    root: Path,
    days: int = 300,
    seed: int = 20241023,
    defect_rate: float = 0.04,
    start: datetime.date = datetime.date(2024, 1, 1),
) -> GeneratedArchive:
    """Write `days` digests under `root/archive/` and return the files and intended records."""
    rng = random.Random(seed)
    files: list[Path] = []
    papers: list[Paper] = []
    numbers: dict[str, int] = {}
    previous: list[Paper] = []
    for offset in range(days):
        date = start + datetime.timedelta(days=offset)
        layout = rng.choices(("full", "compact", "linked"), weights=(6, 3, 1))[0]
        day_papers = []
        for _ in range(rng.randint(15, 40)):
            month = f"{date:%y%m}"
            numbers[month] = numbers.get(month, rng.randint(1000, 5000)) + rng.randint(1, 9)
            day_papers.append(_paper(rng, date, numbers[month], layout))
        if previous and rng.random() < defect_rate * 5:
            # The same paper again on a later day (DL406): same data, this day's date.
            old = rng.choice(previous)
            if old.layout == layout and not old.defects:
                again = Paper(
                    date.isoformat(),
                    old.title,
                    old.arxiv_id,
                    old.authors,
                    old.summary,
                    old.classification,
                    list(old.github_urls),
                    list(old.huggingface_urls),
                    layout,
                    defects=["cross-file-duplicate"],
                )
                day_papers.append(again)
        text = _digest(rng, date, day_papers, defect_rate)
        path = root / "archive" / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)
        for paper in day_papers:
            paper.path = path.as_posix()
        papers.extend(day_papers)
        previous = [paper for paper in day_papers if not paper.defects]
    return GeneratedArchive(root / "archive", files, papers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20241023)
    parser.add_argument("--defect-rate", type=float, default=0.04)
    arguments = parser.parse_args()
    archive = generate_archive(arguments.out, arguments.days, arguments.seed, arguments.defect_rate)
    defective = sum(1 for paper in archive.papers if paper.defects)
    print(
        f"wrote {len(archive.files)} digests, {len(archive.papers)} rows ({defective} with defects) "
        f"under {archive.root}"
    )


if __name__ == "__main__":
    main()
