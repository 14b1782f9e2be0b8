"""Command-line pieces for adopting digestlint on an existing archive: options and commands that `cli.py`
registers with a few lines.

- `--fixable/--unfixable/--extend-fixable`: which codes `--fix` applies (`fix_selection.py`);
- `--baseline/--write-baseline`: report only findings not recorded (`baseline.py`);
- `--no-respect-gitignore`: folder walks read `.gitignore`/`.ignore` by default (`gitignore.py`);
- `digestlint tags`: the classification vocabulary; `digestlint init`: layouts in use, inferred ones (`adopt.py`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from digestlint.project import Project, Resolver
    from digestlint.runner import Report

_KEY = "digestlint.adoption"
EXIT_ERROR = 2


@dataclass(frozen=True)
class AdoptionOptions:
    fixable: str | None = None
    unfixable: str | None = None
    extend_fixable: str | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    respect_gitignore: bool | None = None  # None: the config's, else yes

    def overrides(self) -> dict[str, tuple[str, ...]]:
        """The fix selection of the command line, for `project.Overrides`; raises ConfigError on an unknown code."""
        from digestlint.config import validate_codes

        return {
            "fixable": validate_codes("--fixable", _codes(self.fixable)),
            "unfixable": validate_codes("--unfixable", _codes(self.unfixable)),
            "extend_fixable": validate_codes("--extend-fixable", _codes(self.extend_fixable)),
        }

    def walk_gitignore(self, project: Project) -> bool:
        if self.respect_gitignore is not None:
            return self.respect_gitignore
        return project.respect_gitignore is not False

    def finish(self, report: Report, project: Project, resolver: Resolver) -> bool:
        """Write and apply the baseline, if any; False (after saying why on stderr) when it failed."""
        from digestlint import baseline

        def project_path(path: str) -> str:
            return str(resolver.for_file(Path(path)).settings.project_path(path))

        _drop_disallowed_fixes(report, resolver)

        try:
            if self.write_baseline is not None:
                counts = baseline.report_keys(report, project_path)
                baseline.write(self.write_baseline, counts)
                total = sum(counts.values())
                noun = "finding" if total == 1 else "findings"
                click.echo(f"digestlint: wrote {total} {noun} to the baseline {self.write_baseline}", err=True)
            path = self.baseline or self.write_baseline or project.baseline
            if path is None:
                return True
            applied = baseline.apply(report, baseline.read(path), project_path)
        except baseline.BaselineError as error:
            click.echo(f"digestlint: error: {error}", err=True)
            return False
        for line in baseline.stale_lines(applied, path):
            click.echo(f"digestlint: {line}", err=True)
        return True


def _drop_disallowed_fixes(report: Report, resolver: Resolver) -> None:
    """Findings whose fix `--fix` may not apply (`unfixable`, ...) are shown without one, as ruff does:
    no `[*]`, no fix in JSON."""
    import dataclasses

    for outcome in report.files:
        settings = resolver.for_file(Path(outcome.path)).settings
        if not (settings.fixable or settings.unfixable or settings.extend_fixable):
            continue
        outcome.violations = [
            violation
            if violation.fix is None or settings.fix_allowed(violation.code)
            else dataclasses.replace(violation, fix=None)
            for violation in outcome.violations
        ]


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def current() -> AdoptionOptions:
    """The options of the running command (defaults outside a command, or for one without them)."""
    context = click.get_current_context(silent=True)
    found = context.meta.get(_KEY) if context is not None else None
    return found if isinstance(found, AdoptionOptions) else AdoptionOptions()


_NAMES = ("fixable", "unfixable", "extend_fixable", "baseline", "write_baseline", "respect_gitignore")


def _store(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _NAMES if name in kwargs}
        click.get_current_context().meta[_KEY] = AdoptionOptions(**values)
        return function(*args, **kwargs)

    return wrapper


_GITIGNORE = click.option(
    "--respect-gitignore/--no-respect-gitignore",
    "respect_gitignore",
    default=None,
    help="Folder walks skip what .gitignore and .ignore files ignore (default; files named are always checked).",
)


def gitignore_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-respect-gitignore`, for every command that walks folders."""
    return _GITIGNORE(_store(function))


def adoption_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of `check` for adopting digestlint: fix selection, baseline, .gitignore."""
    options = [
        click.option("--fixable", help="Codes or prefixes --fix may apply (default: all)."),
        click.option("--unfixable", help="Codes or prefixes --fix must not apply."),
        click.option("--extend-fixable", help="Codes or prefixes --fix may apply, on top of --fixable."),
        click.option(
            "--baseline",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Report only findings not recorded in this baseline file (see --write-baseline).",
        ),
        click.option(
            "--write-baseline",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Record every finding of this run in a baseline file; later runs with --baseline hide them.",
        ),
        _GITIGNORE,
    ]
    wrapped = _store(function)
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


def register(group: click.Group) -> None:
    group.add_command(tags)
    group.add_command(init)


@click.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
def tags(config_path: Path | None) -> None:
    """Print the classification vocabulary (one tag per line), with `extra-tags` from config."""
    from digestlint.config import ConfigError
    from digestlint.layouts import LayoutError, vocabulary
    from digestlint.project import Resolver

    try:
        settings = Resolver(config=config_path).for_path(Path.cwd()).settings
    except (ConfigError, LayoutError) as error:
        click.echo(f"digestlint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    assert settings.layouts is not None
    found: dict[str, None] = {}
    for layout in reversed(settings.layouts.layouts):  # built-in layouts first: their order is the taxonomy's
        for column in layout.columns:
            pointer = layout.schema["properties"].get(column.name, {}).get("x-digestlint", {}).get("vocabulary")
            if column.kind == "tag-list" and pointer:
                found.update(dict.fromkeys(_ordered_vocabulary(layout, str(pointer), vocabulary)))
    found.update(dict.fromkeys(settings.extra_tags))
    for tag in found:
        click.echo(tag)


def _ordered_vocabulary(layout: Any, pointer: str, vocabulary: Callable[[Any, str], frozenset[str]]) -> list[str]:
    """The layout's tags in the order of the schema's `enum` (the vocabulary itself is a set)."""
    import json

    from digestlint.layouts import builtin_schema_dir

    allowed = vocabulary(layout, pointer)
    try:
        enum = json.loads((builtin_schema_dir() / "classification-tags.schema.json").read_text(encoding="utf-8"))[
            "enum"
        ]
    except (OSError, ValueError, KeyError):
        enum = []
    ordered = [tag for tag in enum if tag in allowed]
    return ordered + sorted(allowed.difference(ordered))


@click.command()
@click.argument("archive", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Overwrite the layout schemas and .digestlint.toml if they exist.")
def init(archive: Path | None, force: bool) -> None:
    """Survey an archive: the layouts it uses; for tables matching none, infer a layout schema and write it
    with a .digestlint.toml (in the current folder) that uses it."""
    from digestlint.adopt import run_init

    sys.exit(run_init(archive or Path(), force=force, echo=click.echo))
