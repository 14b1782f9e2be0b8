"""`digestlint init`: survey an archive, report the built-in layouts it uses, and infer a layout for tables
that match none.

For each header no layout knows, the rows that have one cell per column are read, and each cell is given a
shape (`infer.py`); a column's shape is the one most of its cells have. The inferred layout is a schema in
the same form as the built-in ones (`schemas/*.schema.json`): where a column has a built-in counterpart
(an arXiv title link, a tag list, GitHub links, authors, a summary), its constraints and their rule codes are
copied from the built-in schema, so the same rules, messages and fixes apply; the shapes with no counterpart
(a date, a category word, `N/A`) get a pattern whose failures are reported under the generic schema rule.
The generator's delimiter row and cell padding are the ones most tables use. Nothing is overwritten without
`--force`.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestlint.infer import (
    ARXIV_LINK,
    ARXIV_TITLE,
    CATEGORY,
    COMPACT_TITLE,
    DATE,
    DESCRIPTIONS,
    LINK_LIST,
    NA,
    NAMES,
    TAG_LIST,
    TEXT,
    ColumnGuess,
    Shapes,
    guess_column,
)
from digestlint.layouts import (
    SCHEMA_SUFFIX,
    Layout,
    LayoutSet,
    builtin_schema_dir,
    differs_in_case_or_spacing,
    load_layouts,
)

CONFIG_NAME = ".digestlint.toml"
LAYOUT_FOLDER = "layouts"
EXIT_CLEAN, EXIT_ERROR = 0, 2
PAPER_SHAPES = (ARXIV_TITLE, COMPACT_TITLE, ARXIV_LINK)
_ANY_LINK = r"\[[^\[\]]*\]\([^()\s]+\)"  # `[text](url)`: the link-list shape's item, its URL without spaces


@dataclass
class UnknownTable:
    """The tables of one header no layout matches: their whole rows' cells, delimiters and paddings."""

    header: tuple[str, ...]
    tables: int = 0
    files: set[str] = field(default_factory=set)
    rows: list[list[str]] = field(default_factory=list)
    skipped_rows: int = 0  # rows with another number of cells (split, stray pipes, dropped cells)
    delimiters: Counter[str] = field(default_factory=Counter)
    paddings: list[Counter[tuple[str, str]]] = field(default_factory=list)


@dataclass
class Survey:
    files: int = 0
    unreadable: int = 0
    errors: list[str] = field(default_factory=list)  # paths the walk could not take: one line each
    builtin: Counter[str] = field(default_factory=Counter)  # tables per built-in layout
    unknown: dict[tuple[str, ...], UnknownTable] = field(default_factory=dict)


def survey(paths: Sequence[Path], layouts: LayoutSet) -> Survey:
    """Read every digest under `paths` (folder walks respect .gitignore) and sort their tables by layout."""
    from digestlint.files import ReadError, discover, display_path, read_source
    from digestlint.gitignore import IgnoreRules
    from digestlint.parse import parse

    found = Survey()
    for path in discover(paths, (), ignored=IgnoreRules(paths).ignored):
        if isinstance(path, OSError):
            found.errors.append(f"{path.filename}: {path.strerror or path}")
            continue
        name = display_path(path)
        found.files += 1
        try:
            source = read_source(path, name)
        except ReadError:
            found.unreadable += 1
            continue
        document = parse(source.text, name, layouts)
        for table in document.tables:
            if table.layout is not None:
                found.builtin[table.layout.name] += 1
                continue
            header = tuple(column.strip() for column in table.columns)
            unknown = found.unknown.setdefault(header, UnknownTable(header))
            if not unknown.paddings:
                unknown.paddings = [Counter() for _ in header]
            unknown.tables += 1
            unknown.files.add(name)
            if table.delimiter is not None:
                unknown.delimiters[table.delimiter.logical.strip()] += 1
            for row in table.rows:
                if len(row.cells) != len(header) or row.is_split:
                    unknown.skipped_rows += 1
                    continue
                unknown.rows.append([cell.value for cell in row.cells])
                for counter, cell in zip(unknown.paddings, row.cells):
                    raw = cell.raw
                    if cell.value:
                        left = raw[: len(raw) - len(raw.lstrip())]
                        right = raw[len(raw.rstrip()) :]
                        counter[(left, right)] += 1
    return found


@dataclass
class LayoutGuess:
    name: str
    table: UnknownTable
    columns: list[ColumnGuess]
    following: int  # rows whose every cell has its column's shape

    @property
    def confidence(self) -> float:
        return self.following / len(self.table.rows) if self.table.rows else 0.0


def infer_layout(name: str, table: UnknownTable, shapes: Shapes) -> LayoutGuess | None:
    """The layout of one header's rows, or None when no column holds a paper's arXiv link (not a digest table)."""
    columns = [
        guess_column(column, [row[index] for row in table.rows], shapes) for index, column in enumerate(table.header)
    ]
    if not any(column.shape in PAPER_SHAPES for column in columns):
        return None
    _assign_fields(columns)
    guess = LayoutGuess(name, table, columns, 0)
    _measure(guess)
    return guess


def _measure(guess: LayoutGuess) -> None:
    """Count the rows, and each column's cells, that the schema to be written accepts: the figures init prints
    are then what the first check finds (a column's guessed shape may admit more than its schema does)."""
    import tempfile

    from digestlint.layouts import load_layout

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{guess.name}{SCHEMA_SUFFIX}"
        path.write_text(json.dumps(schema_of(guess)), encoding="utf-8")
        layout = load_layout(path)
    header = guess.table.header
    failing: Counter[str] = Counter()
    following = 0
    for row in guess.table.rows:
        findings = layout.validate(dict(zip(header, row)))
        following += not findings
        failing.update({finding.column for finding in findings})
    total = len(guess.table.rows) or 1
    for column in guess.columns:
        column.confidence = (len(guess.table.rows) - failing[column.name]) / total
    guess.following = following


def _assign_fields(columns: list[ColumnGuess]) -> None:
    """Which text column is the title, the authors, the summary: by name first, then by shape and length."""
    taken: set[str] = set()
    if any(column.shape in (ARXIV_TITLE, COMPACT_TITLE) for column in columns):
        taken.add("title")
    hints = {"title": ("title", "paper"), "authors": ("author",), "summary": ("summary", "abstract", "tl;dr", "tldr")}
    for column in columns:
        if column.shape not in (TEXT, NAMES):
            continue
        lowered = column.name.casefold()
        for field_name, words in hints.items():
            if field_name not in taken and any(word in lowered for word in words):
                column.field = field_name
                taken.add(field_name)
                break
    if "authors" not in taken:
        names = [column for column in columns if column.shape == NAMES and column.field is None]
        if names:
            names[0].field = "authors"
            taken.add("authors")
    for field_name, hosts in (("github_urls", {"github.com"}), ("huggingface_urls", {"huggingface.co", "hf.co"})):
        links = [column for column in columns if column.shape == LINK_LIST and column.hosts and column.hosts <= hosts]
        if len(links) == 1:
            links[0].field = field_name
    if "summary" not in taken:
        texts = [column for column in columns if column.shape == TEXT and column.field is None]
        if texts:
            max(texts, key=lambda column: column.mean_length).field = "summary"


def _builtin_properties() -> dict[str, dict[str, Any]]:
    """Column schemas to copy, by what they hold: the built-in schemas' own constraints and rule codes."""
    folder = builtin_schema_dir()

    def load(name: str) -> dict[str, Any]:
        schema: dict[str, Any] = json.loads((folder / f"{name}{SCHEMA_SUFFIX}").read_text(encoding="utf-8"))
        return schema

    full, compact, linked = load("full"), load("compact"), load("linked")
    return {
        ARXIV_TITLE: full["properties"]["Title"],
        COMPACT_TITLE: compact["properties"]["Title"],
        ARXIV_LINK: linked["properties"]["Link"],
        TAG_LIST: full["properties"]["Classification"],
        "github": full["properties"]["GitHub URLs"],
        "huggingface": full["properties"]["HuggingFace URLs"],
        "nonempty": full["properties"]["Authors"],
        "authors": full["properties"]["Authors"],
        "summary": full["properties"]["Summary"],
        "$defs": full["$defs"],
    }


def _pattern_property(description: str, pattern: str, message: str, kind: str = "text") -> dict[str, Any]:
    # No `code`: a failure is reported under the generic schema rule, with this message.
    return {
        "type": "string",
        "description": description,
        "allOf": [{"pattern": pattern, "x-digestlint": {"message": message}}],
        "x-digestlint": {"kind": kind},
    }


def _link_list_property(column: ColumnGuess, builtin: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The strictest link-list schema that accepts every link list of the column: the built-in GitHub or
    Hugging Face column's (`[Link](https://github.com/OWNER/REPO)`), then any `[Link](url)`, then any
    `[text](url)`, so the layout written does not flag the rows its shape was inferred from."""
    hosts = sorted(column.hosts)
    candidates: list[dict[str, Any]] = []
    if hosts == ["github.com"]:
        candidates.append(builtin["github"])
    elif hosts and set(hosts) <= {"huggingface.co", "hf.co"}:
        candidates.append(builtin["huggingface"])
    for text, item in (("[Link](url)", r"\[Link\]\(https://[^()\s]+\)"), ("[text](url)", _ANY_LINK)):
        prop = _pattern_property(
            f"`N/A` or `{text}`, comma-separated",
            f"^(?:N/A|{item}(?:, {item})*)$",
            f"{{value!r}} is not `N/A` or a comma-separated list of `{text}`",
            kind="link-list",
        )
        prop["x-digestlint"]["hosts"] = hosts
        candidates.append(prop)
    links = column.link_lists
    for candidate in candidates:
        patterns = [re.compile(entry["pattern"]) for entry in candidate["allOf"] if "pattern" in entry]
        if all(pattern.search(value) for value in links for pattern in patterns):
            return copy.deepcopy(candidate)
    return copy.deepcopy(candidates[-1])


def column_property(column: ColumnGuess, builtin: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The schema of one inferred column."""
    shape = column.shape
    if shape in (ARXIV_TITLE, COMPACT_TITLE, ARXIV_LINK, TAG_LIST):
        return copy.deepcopy(builtin[shape])
    if shape == LINK_LIST:
        prop = _link_list_property(column, builtin)
        if column.field is None:
            prop["x-digestlint"].pop("field", None)
        else:
            prop["x-digestlint"]["field"] = column.field
        return prop
    if shape == NA:
        return _pattern_property("`N/A`", "^N/A$", "{value!r} is not `N/A`, as this column is in every other row")
    if shape == DATE:
        return _pattern_property(
            "a date, YYYY-MM-DD",
            r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$",
            "{value!r} is not a date like 2024-11-05",
        )
    if shape == CATEGORY:
        words = "|".join(re.escape(word) for word in column.categories)
        return _pattern_property(
            "one of: " + ", ".join(column.categories),
            f"^(?:{words})$",
            "{value!r} is not one of this column's categories: " + ", ".join(column.categories),
        )
    # Free text or a list of names: not empty, unless empty cells are common in the column.
    if column.field in ("authors", "summary"):
        prop = copy.deepcopy(builtin[column.field])
    else:
        prop = copy.deepcopy(builtin["nonempty"])
        prop["description"] = DESCRIPTIONS[shape]
    if column.empty_share > 0.1:
        prop["allOf"] = []
    if column.field is None:
        prop["x-digestlint"].pop("field", None)
    else:
        prop["x-digestlint"]["field"] = column.field
    return prop


def schema_of(guess: LayoutGuess) -> dict[str, Any]:
    """The inferred layout as a layout schema, in the form of `schemas/*.schema.json`."""
    builtin = _builtin_properties()
    table = guess.table
    properties = {column.name: column_property(column, builtin) for column in guess.columns}
    delimiter = table.delimiters.most_common(1)[0][0] if table.delimiters else None
    padding = [
        list(counter.most_common(1)[0][0]) if counter else [" ", " "]
        for counter in table.paddings or [Counter() for _ in table.header]
    ]
    meta: dict[str, Any] = {"header": list(table.header), "padding": padding}
    if delimiter is not None:
        meta["delimiter"] = delimiter
    description = "Inferred by `digestlint init` from {} table{} in {} file{}: {}.".format(
        table.tables,
        "s" if table.tables != 1 else "",
        len(table.files),
        "s" if len(table.files) != 1 else "",
        "; ".join(f"{column.name}: {DESCRIPTIONS[column.shape]}" for column in guess.columns),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{guess.name}{SCHEMA_SUFFIX}",
        "title": guess.name,
        "description": description,
        "type": "object",
        "required": list(table.header),
        "properties": properties,
        "$defs": copy.deepcopy(builtin["$defs"]),
        "x-digestlint": meta,
    }


def _extra_tags(guesses: Sequence[LayoutGuess], layout: Layout | None) -> list[str]:
    """Tags the archive uses (twice or more) that are not in the vocabulary: proposed as `extra-tags`."""
    from digestlint.layouts import vocabulary
    from digestlint.tags import parse_tags

    known = vocabulary(layout, "#/$defs/tag") if layout is not None else frozenset()
    seen: Counter[str] = Counter()
    for guess in guesses:
        for index, column in enumerate(guess.columns):
            if column.shape == TAG_LIST:
                for row in guess.table.rows:
                    seen.update(parse_tags(row[index]).tags)
    return sorted(tag for tag, count in seen.items() if count >= 2 and tag not in known)


def _config_text(schema_paths: Sequence[str], extra_tags: Sequence[str], archive: Path) -> str:
    lines = [
        f"# Written by `digestlint init {archive.as_posix()}`: the layouts inferred from the archive.",
        f"layouts = [{', '.join(json.dumps(path) for path in schema_paths)}]",
    ]
    if extra_tags:
        lines.append("# Tags the archive uses that are not in the Hugging Face taxonomy (`digestlint tags`):")
        lines.append(f"extra-tags = [{', '.join(json.dumps(tag) for tag in extra_tags)}]")
    return "\n".join(lines) + "\n"


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def run_init(archive: Path, *, force: bool, echo: Callable[..., Any], target: Path | None = None) -> int:
    """Survey `archive`, print what was found and inferred, write the layout schemas and `.digestlint.toml`
    into `target` (the current folder). Returns the exit code."""
    target = target or Path()
    layouts = load_layouts()
    found = survey([archive], layouts)
    echo(f"Surveyed {found.files} Markdown file{'s' if found.files != 1 else ''} under {archive.as_posix()}.")
    if found.unreadable:
        echo(f"  {found.unreadable} could not be read (DL100 in a check).")
    for error in found.errors:
        echo(f"digestlint: error: {error}", err=True)
    done = EXIT_ERROR if found.errors else EXIT_CLEAN  # as a check: the rest is surveyed, and the exit says so
    for name, count in found.builtin.most_common():
        echo(f"Built-in layout {name!r}: {count} table{'s' if count != 1 else ''}.")
    shapes = Shapes.from_layouts(layouts)
    guesses: list[LayoutGuess] = []
    for header, table in sorted(found.unknown.items(), key=lambda item: -item[1].tables):
        shown = "| " + " | ".join(header) + " |"
        close = layouts.close_to(header)
        if close is not None and differs_in_case_or_spacing(header, close):
            echo(
                f"{shown} ({table.tables} tables) is built-in layout {close.name!r} with other case or spacing: "
                "`digestlint --fix` renames its columns."
            )
            continue
        if close is not None:
            echo(f"{shown} is close to built-in layout {close.name!r}: if it is meant to be, rename its columns.")
        name = "inferred" if not guesses else f"inferred-{len(guesses) + 1}"
        guess = infer_layout(name, table, shapes) if table.rows else None
        if guess is None:
            echo(f"No layout matches {shown} ({table.tables} tables), and no column holds arXiv links: left alone.")
            continue
        guesses.append(guess)
        echo(
            f"No layout matches {shown} ({table.tables} table{'s' if table.tables != 1 else ''} "
            f"in {len(table.files)} file{'s' if len(table.files) != 1 else ''}). Inferred layout {name!r}, "
            f"confidence {_percent(guess.confidence)}: {guess.following} of {len(table.rows)} whole rows follow "
            f"the majority shape ({table.skipped_rows} rows with another number of cells not counted)."
        )
        width = max(len(column) for column in header)
        for column in guess.columns:
            what = DESCRIPTIONS[column.shape]
            if column.shape == CATEGORY:
                what += ": " + ", ".join(column.categories)
            elif column.shape == LINK_LIST and column.hosts:
                what += " (" + ", ".join(sorted(column.hosts)) + ")"
            if column.field is not None:
                what += f" [{column.field}]"
            echo(f"  {column.name:<{width}}  {what}; {_percent(column.confidence)} of its cells")
    if not guesses:
        echo("No layout to infer; nothing written.")
        return done
    schema_paths = [f"{LAYOUT_FOLDER}/{guess.name}{SCHEMA_SUFFIX}" for guess in guesses]
    config = target / CONFIG_NAME
    outputs = [target / path for path in schema_paths] + [config]
    existing = [path for path in outputs if path.exists()]
    if existing and not force:
        names = ", ".join(path.as_posix() for path in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        echo(f"digestlint: error: {names} already {verb}; --force overwrites", err=True)
        return EXIT_ERROR
    from digestlint.config import config_in

    shadowed = config_in(target)
    if shadowed is not None and shadowed.name == "pyproject.toml":
        # A .digestlint.toml beside it wins, so its [tool.digestlint] table would silently stop applying.
        echo(
            f"digestlint: {'warning' if force else 'error'}: {shadowed.as_posix()} has a [tool.digestlint] table, "
            f"which {config.as_posix()} would take precedence over (it would no longer be read); move its settings "
            f"into {config.as_posix()} after init"
            + ("" if force else ", and run init with --force to write it anyway"),
            err=True,
        )
        if not force:
            return EXIT_ERROR
    from digestlint.files import write_atomic

    builtin_full = layouts.named("full")
    for guess, path in zip(guesses, outputs):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (json.dumps(schema_of(guess), indent=2, ensure_ascii=False) + "\n").encode("utf-8"), None)
        echo(f"Wrote {path.as_posix()}")
    extra = _extra_tags(guesses, builtin_full)
    write_atomic(config, _config_text(schema_paths, extra, archive).encode("utf-8"), None)
    echo(f"Wrote {config.as_posix()}" + (f" (with {len(extra)} extra-tags)" if extra else ""))
    echo(f"Next: `digestlint {archive.as_posix()}` reports the rows that do not follow the layout.")
    return done
