"""Configuration: `[tool.digestlint]` in `pyproject.toml`, or `.digestlint.toml`.

Which file governs which path is `project.py`'s job (the nearest config at or
above each file; `extend` chains). Validated by a pydantic model
that rejects unknown keys and names the key in every error. pydantic is
imported only when there is a config file to validate.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAMES = (".digestlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and key."""


@dataclass
class FileConfig:
    """What a config file says, already validated."""

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    layouts: tuple[Path, ...] = ()
    extra_tags: tuple[str, ...] = ()
    cross_file_window: int | None = None
    allowed_html_tags: tuple[str, ...] | None = None  # None: the default (Settings)
    boilerplate_phrases: tuple[str, ...] | None = None
    output_format: str | None = None
    fixable: tuple[str, ...] = ()  # which codes --fix may apply (`fix_selection`); empty: all
    unfixable: tuple[str, ...] = ()
    extend_fixable: tuple[str, ...] = ()
    baseline: Path | None = None  # findings recorded here are not reported (`baseline.py`); absolute
    respect_gitignore: bool | None = None  # folder walks skip what .gitignore/.ignore ignore; None: default (yes)
    extend: Path | None = None  # the config this one inherits from (absolute, or relative to `path`'s folder)
    keys: frozenset[str] = frozenset()  # the keys the file sets (with `_`): they replace an extended config's


def _model() -> Any:
    from typing import Annotated, Optional

    from pydantic import BaseModel, ConfigDict, Field

    class DigestlintConfig(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=False, strict=True)

        # Codes are checked against the registry afterwards, with a did-you-mean (see _check_codes).
        select: Optional[list[str]] = None  # noqa: UP045 - built at runtime for Python 3.10
        ignore: list[str] = Field(default_factory=list)
        extend_select: list[str] = Field(default_factory=list, alias="extend-select")
        per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
        exclude: list[str] = Field(default_factory=list)
        layouts: list[str] = Field(default_factory=list)
        extra_tags: list[str] = Field(default_factory=list, alias="extra-tags")
        cross_file_window: Optional[Annotated[int, Field(ge=0)]] = Field(  # noqa: UP045
            default=None, alias="cross-file-window"
        )
        output_format: Optional[str] = Field(default=None, alias="output-format")  # noqa: UP045
        allowed_html_tags: Optional[list[str]] = Field(default=None, alias="allowed-html-tags")  # noqa: UP045
        boilerplate_phrases: Optional[list[str]] = Field(default=None, alias="boilerplate-phrases")  # noqa: UP045
        extend: Optional[str] = None  # noqa: UP045
        fixable: list[str] = Field(default_factory=list)
        unfixable: list[str] = Field(default_factory=list)
        extend_fixable: list[str] = Field(default_factory=list, alias="extend-fixable")
        baseline: Optional[str] = None  # noqa: UP045
        respect_gitignore: Optional[bool] = Field(default=None, alias="respect-gitignore")  # noqa: UP045

    return DigestlintConfig


def config_in(folder: Path) -> Path | None:
    """The config file of this folder: `.digestlint.toml`, else a `pyproject.toml` with a
    `[tool.digestlint]` table (when both are there, `.digestlint.toml` wins, as ruff's own file does)."""
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_section(candidate)):
            return candidate
    return None


def _has_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "[tool.digestlint" in text


def load_config(path: Path) -> FileConfig:
    # Imported here: most runs have no config file, and start-up pays for every import.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    section = "[tool.digestlint]" if path.name == "pyproject.toml" else "top level"
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("digestlint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {section} must be a table")
    from pydantic import ValidationError

    try:
        parsed = _model().model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"])
            message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
            problems.append(f"{section} key {key!r}: {message}")
        raise ConfigError(f"{path}: " + "; ".join(problems)) from error
    _check_codes(path, section, parsed)
    return FileConfig(
        path=path,
        select=tuple(parsed.select) if parsed.select is not None else (),
        ignore=tuple(parsed.ignore),
        extend_select=tuple(parsed.extend_select),
        per_file_ignores={key: tuple(value) for key, value in parsed.per_file_ignores.items()},
        exclude=tuple(parsed.exclude),
        layouts=tuple((path.parent / layout) for layout in parsed.layouts),
        extra_tags=tuple(parsed.extra_tags),
        cross_file_window=parsed.cross_file_window,
        output_format=parsed.output_format,
        allowed_html_tags=_optional_tuple(parsed.allowed_html_tags),
        boilerplate_phrases=_optional_tuple(parsed.boilerplate_phrases),
        fixable=tuple(parsed.fixable),
        unfixable=tuple(parsed.unfixable),
        extend_fixable=tuple(parsed.extend_fixable),
        baseline=(path.parent / parsed.baseline) if parsed.baseline is not None else None,
        respect_gitignore=parsed.respect_gitignore,
        extend=(path.parent / parsed.extend) if parsed.extend is not None else None,
        keys=frozenset(parsed.model_fields_set),
    )


def _optional_tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None else None


def validate_codes(option: str, codes: Sequence[str]) -> tuple[str, ...]:
    """The codes of a command-line option, each a registered code, a prefix of one, or ALL."""
    from digestlint.rules import RULES
    from digestlint.rules.codes import unknown_codes_problem

    problem = unknown_codes_problem(option, codes, RULES)
    if problem is not None:
        raise ConfigError(problem)
    return tuple(codes)


def _check_codes(path: Path, section: str, parsed: Any) -> None:
    """An unknown code in config is an error naming the file and key: it would otherwise select nothing."""
    from digestlint.rules import RULES
    from digestlint.rules.codes import unknown_codes_problem

    lists: list[tuple[str, list[str]]] = [
        ("select", parsed.select or []),
        ("ignore", parsed.ignore),
        ("extend-select", parsed.extend_select),
        ("fixable", parsed.fixable),
        ("unfixable", parsed.unfixable),
        ("extend-fixable", parsed.extend_fixable),
    ]
    lists.extend((f"per-file-ignores.{pattern}", codes) for pattern, codes in parsed.per_file_ignores.items())
    for key, codes in lists:
        problem = unknown_codes_problem(f"{path}: {section} key {key!r}", codes, RULES)
        if problem is not None:
            raise ConfigError(problem)
