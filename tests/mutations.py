"""Hypothesis strategies for digests: generated ones, and the seeds mutated the way real archives break."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.conftest import SEEDS

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.md"))]
HEADER = (
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)
WORDS = st.lists(st.sampled_from([*"abcdefgh XYZ-,.:;()'", "|x|", "\\|"]), min_size=1, max_size=30).map("".join)
TAGS = st.lists(st.sampled_from(["Multimodal", "Robotics", "Text Generation", "multimodal", "Other"]), max_size=3)
LINKS = st.lists(
    st.sampled_from(
        ["https://github.com/a/b", "https://github.com/a/b.git", "http://www.github.com/A/b/", "https://hf.co/x/y"]
    ),
    max_size=2,
)


@st.composite
def rows(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    number = draw(st.integers(10000, 99999))
    title = draw(WORDS).replace("]", "")
    tags = draw(TAGS)
    links = draw(LINKS)
    cell = ", ".join(f"[Link]({url})" for url in links) if links else draw(st.sampled_from(["N/A", "n/a", ""]))
    tag_cell = draw(st.sampled_from(["[{}]", "{}"])).format(", ".join(f"'{tag}'" for tag in tags))
    return (
        f"| [{title or 'T'}](https://arxiv.org/abs/24{month:02d}.{number}) | {draw(WORDS)} | {draw(WORDS)} "
        f"| {tag_cell} | {cell} | N/A |"
    )


@st.composite
def digests(draw: st.DrawFn) -> str:
    body = "\n".join(draw(st.lists(rows(), min_size=1, max_size=6)))
    heading = draw(st.sampled_from(["## Papers for 2024-11-05", "# Papers for 2024-11-05", "## 2024-11-5", ""]))
    blank = draw(st.sampled_from(["\n\n", "\n", "\n\n\n"]))
    ending = draw(st.sampled_from(["\n", "", "\n\n"]))
    text = f"{heading}{blank}{HEADER}{body}{ending}"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def _split_row(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    candidates = [index for index, line in enumerate(lines) if line.startswith("| [")]
    if not candidates:
        return text
    index = draw(st.sampled_from(candidates))
    line = lines[index]
    cut = draw(st.integers(1, len(line) - 1))
    lines[index : index + 1] = [line[:cut], line[cut:]]
    return "\n".join(lines)


def _pipe_in_summary(text: str, draw: st.DrawFn) -> str:
    position = text.find(" - ", draw(st.integers(0, max(0, len(text) - 1))))
    return text if position == -1 else text[:position] + " |x| " + text[position + 3 :]


def _alter_url(text: str, draw: st.DrawFn) -> str:
    replacement = draw(
        st.sampled_from(
            ["http://arxiv.org/abs/", "https://arxiv.org/pdf/", "https://www.arxiv.org/abs/", "arxiv.org/abs/"]
        )
    )
    return text.replace("https://arxiv.org/abs/", replacement, 1)


def _drop_cell(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    candidates = [index for index, line in enumerate(lines) if line.count("|") > 3 and line.startswith("| [")]
    if not candidates:
        return text
    index = draw(st.sampled_from(candidates))
    cells = lines[index].split(" | ")
    del cells[draw(st.integers(1, len(cells) - 1))]
    lines[index] = " | ".join(cells)
    return "\n".join(lines)


def _shuffle_lines(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    return "\n".join(draw(st.permutations(lines)))


MUTATIONS = (_split_row, _pipe_in_summary, _alter_url, _drop_cell, _shuffle_lines)


@st.composite
def mutated_seeds(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEED_TEXTS))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        text = mutation(text, draw)
    return text
