"""`digestlint export`: every paper as a JSON record, serialised through a pydantic model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from digestlint.checker import check_text
from digestlint.files import ReadError, discover, display_path, read_source


def _model() -> Any:
    from typing import Optional

    from pydantic import BaseModel

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

    return ExportedPaper


def export_records(paths: list[Path], export_format: str, config_path: Path | None, stream: IO[str]) -> int:
    from digestlint.cli import EXIT_CLEAN, EXIT_ERROR, _error, _settings
    from digestlint.config import ConfigError
    from digestlint.layouts import LayoutError

    try:
        settings, file_config = _settings(
            paths, config_path=config_path, isolated=False, select=None, ignore=None, extend_select=None
        )
    except (ConfigError, LayoutError) as error:
        _error(str(error))
        return EXIT_ERROR
    model = _model()
    exported: list[dict[str, Any]] = []
    status = EXIT_CLEAN
    for found in discover(paths, file_config.exclude):
        if isinstance(found, OSError):
            _error(f"{found.filename}: {found.strerror}")
            status = EXIT_ERROR
            continue
        name = display_path(found)
        try:
            source = read_source(found, name)
        except ReadError as error:
            _error(str(error))
            status = EXIT_ERROR
            continue
        for record in check_text(source.text, name, settings).records:
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
            )
            exported.append(paper.model_dump())
    if export_format == "json":
        json.dump(exported, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        for item in exported:
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
    return status
