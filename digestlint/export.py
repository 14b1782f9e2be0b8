"""`digestlint export`: every paper row as a JSON record, serialised through a pydantic model.

Plain calls to `digestlint.api`: each file is read here and its rows come from `api.records`,
under the settings of its own project (the nearest config above it). Every paper row gives one
record: a row that cannot be read in full is exported with what could be read and its
`problems` (code and message each), never dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from digestlint import api
from digestlint.config import ConfigError
from digestlint.files import ReadError, discover, display_path, read_source
from digestlint.layouts import LayoutError
from digestlint.project import Resolver


def _model() -> Any:
    from typing import Optional

    from pydantic import BaseModel

    class ExportedProblem(BaseModel):
        code: str
        message: str

    class ExportedPaper(BaseModel):
        date: Optional[str]  # noqa: UP045 - evaluated at runtime on Python 3.10
        title: str
        arxiv_id: Optional[str]  # noqa: UP045
        authors: str
        summary: str
        classification: Optional[list[str]]  # noqa: UP045
        github_urls: list[str]
        huggingface_urls: list[str]
        path: str
        line: int
        problems: list[ExportedProblem]

    return ExportedPaper


def export_records(
    paths: list[Path],
    export_format: str,
    config_path: Path | None,
    stream: IO[str],
    error: Callable[[str], None],
    *,
    respect_gitignore: bool | None = None,
) -> tuple[int, int]:
    """Write the records of the digests under `paths` to `stream`; report each unreadable file or bad
    config through `error`. Returns (files that could not be exported, records with problems)."""
    resolver = Resolver(config=config_path)
    named = {path for path in paths if not path.is_dir()}
    model = _model()
    exported: list[dict[str, Any]] = []
    failed = partial = 0
    if respect_gitignore is None:  # the config's, as for `check`: the first path's project decides
        respect_gitignore = resolver.for_path(paths[0]).respect_gitignore is not False
    ignored = None
    if respect_gitignore:  # folder walks skip what `check` skips; files named are always exported
        from digestlint.gitignore import IgnoreRules

        ignored = IgnoreRules(paths).ignored
    for found in discover(paths, (), ignored=ignored):
        if isinstance(found, OSError):
            error(f"{found.filename}: {found.strerror}")
            failed += 1
            continue
        name = display_path(found)
        try:
            if found not in named and resolver.excluded_by(found) is not None:
                continue
            settings = resolver.for_file(found).settings
            source = read_source(found, name)
        except (ConfigError, LayoutError, ReadError) as problem:
            error(str(problem))
            failed += 1
            continue
        for record in api.records(source.text, name, settings):
            partial += bool(record.problems)
            paper = model(
                date=record.date,
                title=record.title,
                arxiv_id=record.arxiv_id,
                authors=record.authors,
                summary=record.summary,
                classification=list(record.classification) if record.classification is not None else None,
                github_urls=list(record.github_urls),
                huggingface_urls=list(record.huggingface_urls),
                path=record.path,
                line=record.line,
                problems=[{"code": problem.code, "message": problem.message} for problem in record.problems],
            )
            exported.append(paper.model_dump())
    if export_format == "json":
        json.dump(exported, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        for item in exported:
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
    return failed, partial
