"""The command line: parse options -> build settings -> run -> report.

`digestlint PATHS` is `digestlint check PATHS`. Exit codes: 0 no findings,
1 findings, 2 usage, config or I/O errors.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from digestlint import __version__
from digestlint.cli_adoption import adoption_options, gitignore_option, register
from digestlint.cli_adoption import current as current_adoption

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = ("text", "concise", "full", "json", "github", "sarif", "junit")
# Formats made of findings only: asked for together with --statistics on the command line, a contradiction.
# When they come from config or the GitHub Actions default, --statistics prints its text table.
STATISTICS_REFUSED = ("github", "sarif", "junit")


class DefaultGroup(click.Group):
    """A group whose default command is `check`, so `digestlint PATHS` works."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            if args:
                _refuse_mistyped_command(ctx, args[0], sorted(self.commands))
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _refuse_mistyped_command(ctx: click.Context, word: str, commands: Sequence[str]) -> None:
    """`digestlint fromat`: a word close to a command, naming no path, is a typo, not a missing file.

    When a path of that name exists it is checked, as any other path is.
    """
    import difflib

    if word.startswith("-") or os.path.lexists(word):
        return
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.7)
    if close:
        _error(f"{word!r} is neither a command nor a path; did you mean `digestlint {close[0]}`?")
        ctx.exit(EXIT_ERROR)


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"digestlint: error: {message}", err=True)


def _use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digestlint")
def main() -> None:
    """A linter and formatter for paper digests.

    `digestlint PATHS` checks Markdown digests (folders are searched for *.md);
    `digestlint --fix PATHS` repairs them. Exit 0: clean; 1: findings; 2: usage,
    config or I/O error.
    """
    # A run makes many small objects and few cycles: collect garbage rarely (as mypy does). The
    # collector otherwise rescans everything alive again and again: 7% of a warm run, 3% of a cold one.
    gc.set_threshold(100_000, 50, 100)


def _settings(
    paths: Sequence[Path],
    *,
    config_path: Path | None,
    isolated: bool,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
    only: tuple[str, ...] = (),
) -> tuple[Any, Any]:
    """(Settings, FileConfig) governing the first path (or the current folder), found as for a check;
    raises ConfigError/LayoutError."""
    from digestlint.config import FileConfig, load_config

    resolver = _resolver(config_path, isolated, select, ignore, extend_select, only)
    project = resolver.for_path(paths[0] if paths else Path.cwd())
    return project.settings, load_config(project.chain[0]) if project.chain else FileConfig()


def _shared_options(function: Any) -> Any:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--config",
            "config_path",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Use this config file instead of searching for one.",
        ),
        click.option("--isolated", is_flag=True, help="Ignore all config files."),
        click.option("--stdin-filename", help="The path of the text read from `-` (for messages and path dates)."),
        click.option("--exclude", "excludes", multiple=True, help="Glob of paths to skip (repeatable)."),
        click.option("--force-exclude", is_flag=True, help="Apply excludes to files named explicitly too."),
        click.option(
            "--follow-symlinks",
            is_flag=True,
            help="Walk into symlinked folders too (not followed by default; a loop is walked once).",
        ),
        click.option("--no-cache", is_flag=True, help="Check every file again: no .digestlint_cache/."),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Processes to check with (default: as many CPUs as pay off for the amount of input).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@_shared_options
@adoption_options
@click.option("--fix", is_flag=True, help="Apply safe fixes and canonical formatting in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, also apply fixes that could guess wrong.")
@click.option("--diff", "show_diff", is_flag=True, help="With --fix: print a unified diff, write nothing.")
@click.option("--show-fixes", is_flag=True, help="Show what --fix would do for each finding.")
@click.option("-o", "--output-format", type=click.Choice(OUTPUT_FORMATS), help="How to report findings.")
@click.option(
    "--statistics", is_flag=True, help="Print a count per code instead of each finding (with -o json: a JSON list)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary lines.")
@click.option("--select", help="Comma-separated codes or prefixes to report (replaces the default set).")
@click.option("--ignore", help="Comma-separated codes or prefixes not to report.")
@click.option("--extend-select", help="Codes or prefixes to report on top of the selection.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option(
    "--archive",
    "archives",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Read the digests under this folder for cross-file duplicates (DL406) without reporting on them.",
)
@click.option(
    "--show-settings",
    "show_settings",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Print the settings that govern PATH (config files, root, rules, layouts) and exit.",
)
@click.option("--show-files", is_flag=True, help="List the files a run would check, and those skipped and why; exit.")
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings on lines changed since the merge base of REF and HEAD (git), e.g. origin/main.",
)
def check(
    paths: tuple[Path, ...],
    config_path: Path | None,
    isolated: bool,
    stdin_filename: str | None,
    excludes: tuple[str, ...],
    force_exclude: bool,
    follow_symlinks: bool,
    no_cache: bool,
    jobs: int | None,
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    show_fixes: bool,
    output_format: str | None,
    statistics: bool,
    quiet: bool,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
    exit_zero: bool,
    archives: tuple[Path, ...],
    show_settings: Path | None,
    show_files: bool,
    diff_base: str | None,
) -> None:
    """Check digests (the default command)."""
    from digestlint.runner import RunOptions

    if statistics and output_format in STATISTICS_REFUSED:
        _error(f"--statistics prints a count per code as text or JSON (-o json); -o {output_format} has no such form")
        sys.exit(EXIT_ERROR)
    if show_settings is not None:
        _exit(_show_settings(show_settings, config_path, isolated, select, ignore, extend_select))

    if diff_base is not None and (fix or show_diff or list(paths) == [Path("-")]):
        _error("--diff-base filters what a check reports; it cannot be combined with --fix, --diff or stdin")
        sys.exit(EXIT_ERROR)

    options = RunOptions(
        fix=(fix or show_diff) and not show_files,  # --show-files only lists: it never writes
        unsafe_fixes=unsafe_fixes,
        diff=show_diff,
        excludes=excludes,
        archive=archives,
        force_exclude=force_exclude,
        follow_symlinks=follow_symlinks,
        jobs=jobs,
    )
    code = _run(
        paths,
        options,
        config_path=config_path,
        isolated=isolated,
        stdin_filename=stdin_filename,
        output_format=output_format,
        statistics=statistics,
        quiet=quiet,
        show_fixes=show_fixes,
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        exit_zero=exit_zero,
        use_cache=not no_cache and not show_files,
        diff_base=diff_base,
        show_files=show_files,
    )
    _exit(code)


@main.command("format")
@_shared_options
@gitignore_option
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 and name the files that would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff, write nothing.")
def format_command(
    paths: tuple[Path, ...],
    config_path: Path | None,
    isolated: bool,
    stdin_filename: str | None,
    excludes: tuple[str, ...],
    force_exclude: bool,
    follow_symlinks: bool,
    no_cache: bool,
    jobs: int | None,
    check_only: bool,
    show_diff: bool,
) -> None:
    """Rewrite digests into canonical form (formatting only: rows, delimiters, blank lines)."""
    from digestlint.rules import FORMATTING_CODES
    from digestlint.runner import RunOptions

    options = RunOptions(
        fix=True,
        keep_rendering=True,
        diff=show_diff or check_only,
        excludes=excludes,
        force_exclude=force_exclude,
        follow_symlinks=follow_symlinks,
        jobs=jobs,
    )
    _exit(
        _run(
            paths,
            options,
            config_path=config_path,
            isolated=isolated,
            stdin_filename=stdin_filename,
            output_format=None,
            statistics=False,
            quiet=False,
            show_fixes=False,
            select=None,
            ignore=None,
            extend_select=None,
            exit_zero=False,
            only=FORMATTING_CODES,
            format_mode="check" if check_only else "diff" if show_diff else "write",
            use_cache=not no_cache,
        )
    )


def _exit(code: int) -> NoReturn:
    """Exit after a run. Every finding is still alive, and none is garbage: frozen, they are not
    traversed once more by the collection at interpreter exit (about 50 ms after a big warm run)."""
    gc.freeze()
    sys.exit(code)


def _run(
    paths: Sequence[Path],
    options: Any,
    *,
    config_path: Path | None,
    isolated: bool,
    stdin_filename: str | None,
    output_format: str | None,
    statistics: bool,
    quiet: bool,
    show_fixes: bool,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
    exit_zero: bool,
    only: tuple[str, ...] = (),
    format_mode: str | None = None,
    use_cache: bool = False,
    diff_base: str | None = None,
    show_files: bool = False,
) -> int:
    from digestlint.config import ConfigError
    from digestlint.layouts import LayoutError
    from digestlint.runner import run

    use_stdin = list(paths) == [Path("-")]
    if not paths:
        paths = (Path(),)
    anchor = (
        Path(stdin_filename)
        if use_stdin and stdin_filename
        else next((path for path in paths if str(path) != "-"), Path())
    )
    try:
        resolver = _resolver(config_path, isolated, select, ignore, extend_select, only)
        # The settings of the first path (of --stdin-filename for stdin); every other file gets its own.
        project = resolver.for_path(anchor)
    except (ConfigError, LayoutError) as error:
        _error(str(error))
        return EXIT_ERROR
    settings = project.settings
    output_format = output_format or project.output_format or _default_format()
    if output_format not in OUTPUT_FORMATS:
        _error(f"unknown output format {output_format!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
        return EXIT_ERROR
    adoption = current_adoption()
    options.respect_gitignore = adoption.walk_gitignore(project)
    if use_cache and output_format != "json":  # the cache keeps no fix edits, which `-o json` lists
        options.cache_root = project.root  # each file's results go in its own project root's cache
    changed = None
    if diff_base is not None:
        from digestlint.gitdiff import GitDiffError, changed_lines

        try:
            changed = changed_lines(diff_base)
        except GitDiffError as error:
            _error(str(error))
            return EXIT_ERROR
    if use_stdin:
        report = _run_stdin(stdin_filename or "-", project, options, resolver)
    else:
        try:
            report = run(list(paths), settings, options, resolver)
        except (ConfigError, LayoutError) as error:
            _error(str(error))
            return EXIT_ERROR
    if show_files:
        from digestlint.show import files_text

        sys.stdout.write(files_text(report))
        return EXIT_ERROR if report.errors else EXIT_CLEAN
    if format_mode is None and not adoption.finish(report, project, resolver):
        return EXIT_ERROR
    if changed is not None:
        changed.filter(report)
    for message in report.errors:
        _error(message)
    from digestlint.rules.structure import UnreadableFile

    for outcome in report.files:
        # A read error is itself a finding; any other per-file error (fix refused, write failed) goes to stderr.
        if outcome.error and not UnreadableFile.reported(outcome.violations):
            _error(outcome.error)
    stdout: Any = sys.stdout
    if format_mode is not None:
        return _finish_format(report, format_mode, stdout)
    if options.diff:
        for outcome in report.files:
            if outcome.changed:
                stdout.write(outcome.diff())
    elif use_stdin and options.fix:
        # stdout carries the fixed text: the findings that remain go to stderr.
        _report(report, output_format, sys.stderr, statistics=statistics, quiet=quiet, show_fixes=show_fixes)
    else:
        _report(report, output_format, stdout, statistics=statistics, quiet=quiet, show_fixes=show_fixes)
    if os.environ.get("GITHUB_STEP_SUMMARY") and not options.diff:
        from digestlint.reporters.step_summary import append_step_summary

        problem = append_step_summary(report, os.environ)
        if problem:
            click.echo(f"digestlint: warning: {problem}", err=True)
    if options.fix and not options.diff and not use_stdin and output_format in ("text", "concise") and not quiet:
        from digestlint.runner import fix_summary

        click.echo(fix_summary(report, options.unsafe_fixes), err=True)
    if report.has_errors:
        return EXIT_ERROR
    if options.diff:
        return EXIT_FINDINGS if any(outcome.changed for outcome in report.files) else EXIT_CLEAN
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if report.violations else EXIT_CLEAN


def _resolver(
    config_path: Path | None,
    isolated: bool,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
    only: tuple[str, ...] = (),
) -> Any:
    """Finds each file's project (root, settings) with the command line's options on top; may raise ConfigError."""
    from digestlint.config import validate_codes
    from digestlint.project import Overrides, Resolver

    overrides = Overrides(
        select=validate_codes("--select", _codes(select)),
        ignore=validate_codes("--ignore", _codes(ignore)),
        extend_select=validate_codes("--extend-select", _codes(extend_select)),
        restrict=only,
        **current_adoption().overrides(),
    )
    return Resolver(config=config_path, isolated=isolated, overrides=overrides)


def _show_settings(
    path: Path,
    config_path: Path | None,
    isolated: bool,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
) -> int:
    from digestlint.config import ConfigError
    from digestlint.layouts import LayoutError
    from digestlint.show import settings_text

    try:
        project = _resolver(config_path, isolated, select, ignore, extend_select).for_path(path)
    except (ConfigError, LayoutError) as error:
        _error(str(error))
        return EXIT_ERROR
    sys.stdout.write(settings_text(path, project))
    return EXIT_CLEAN


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _run_stdin(name: str, project: Any, options: Any, resolver: Any) -> Any:
    """Check (or fix) the text on stdin as the file `name` would be on disk: plain calls to `digestlint.api`.

    With --fix the fixed text goes to stdout (the findings that remain are reported on stderr
    by the caller); DL406 compares its papers with the digests under --archive in its project root.
    """
    from digestlint import api
    from digestlint.files import ReadError, decode, encode
    from digestlint.runner import FileOutcome, Report, add_archive_duplicates, unreadable

    data = sys.stdin.buffer.read()
    report = Report()
    try:
        source = decode(data, name)
    except ReadError as error:
        report.files.append(FileOutcome(name, [unreadable(name, str(error))], error=str(error)))
        return report
    try:
        if options.keep_rendering:
            checked = api.format_text(source.text, name, project.settings)
        elif options.fix:
            checked = api.fix_text(source.text, name, project.settings, unsafe=options.unsafe_fixes)
        else:
            checked = api.check_text(source.text, name, project.settings)
    except Exception as error:  # as for a file on disk: a bug is a one-line error, never a traceback
        what = f"{type(error).__name__}: {error}"
        report.files.append(FileOutcome(name, error=f"{name}: internal error ({what}); please report it"))
        return report
    outcome = FileOutcome(
        name,
        checked.findings,
        checked.records,
        error=checked.error,
        fixed=checked.fixed,
        original=source.text if options.fix else None,
        new_text=checked.text,
        suppressions=checked.suppressions,
        is_digest=checked.is_digest,
    )
    report.files.append(outcome)
    if options.fix and not options.diff:
        sys.stdout.buffer.write(encode(source, checked.text if checked.text is not None else source.text))
        sys.stdout.buffer.flush()
    add_archive_duplicates(outcome, project, options, resolver, on_disk=Path(name))
    return report


def _report(report: Any, output_format: str, stream: Any, *, statistics: bool, quiet: bool, show_fixes: bool) -> None:
    from digestlint.reporters import reporter_for

    if statistics:
        from digestlint.reporters.text import statistics as count

        rows = count(report)
        if output_format == "json":
            from digestlint.reporters.json import write_statistics

            write_statistics(rows, stream)
            return
        for code, name, number, fixable in rows:
            marker = " [*]" if fixable else ""
            stream.write(f"{number:>6}  {code}  {name}{marker}\n")
        return
    reporter = reporter_for(output_format)(
        stream, color=_use_color(stream) and output_format in ("text", "concise"), show_fixes=show_fixes
    )
    if quiet and output_format == "text":
        from digestlint.reporters.text import ConciseReporter

        reporter = ConciseReporter(stream, color=_use_color(stream), show_fixes=show_fixes)
    reporter.report(report)


def _finish_format(report: Any, mode: str, stream: Any) -> int:
    changed = [outcome for outcome in report.files if outcome.changed]
    if mode == "diff":
        for outcome in changed:
            stream.write(outcome.diff())
    elif mode == "check":
        for outcome in changed:
            stream.write(f"Would reformat: {outcome.path}\n")
    else:
        click.echo(
            f"{len(changed)} file{'s' if len(changed) != 1 else ''} reformatted, "
            f"{len(report.files) - len(changed)} left unchanged",
            err=True,
        )
    _note_repairs(report)
    if report.has_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed and mode != "write" else EXIT_CLEAN


def _note_repairs(report: Any) -> None:
    """Say what `format` left because it would change what a digest renders to (a split row joined):
    repairs, which `digestlint --fix` makes. Nothing silent, but no failure: formatting is done."""
    from collections import Counter

    left: Counter[str] = Counter()
    files = 0
    for outcome in report.files:
        refused = [v for v in outcome.violations if v.fix is not None and v.fix.applicability == "safe"]
        if refused and not outcome.error:
            files += 1
            left.update(f"{violation.code} {violation.name}" for violation in refused)
    if not left:
        return
    counts = ", ".join(f"{count} \u00d7 {rule}" for rule, count in sorted(left.items()))
    total = left.total()
    click.echo(
        f"note: format left {total} fix{'es' if total != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"that would change what the digest renders to ({counts}): `digestlint --fix` applies them",
        err=True,
    )


@main.command()
@click.argument("code")
def rule(code: str) -> None:
    """Print a rule's documentation."""
    from digestlint.rules import find_rule

    found = find_rule(code)
    if found is None:
        from digestlint.rules import RULES
        from digestlint.rules.codes import did_you_mean

        hint = did_you_mean(code, RULES)
        _error(f"unknown rule {code!r}; {f'did you mean {hint}? ' if hint else ''}`digestlint rules` lists them")
        sys.exit(EXIT_ERROR)
    click.echo(f"# {found.code} {found.name}\n")
    click.echo(f"Default: {'on' if found.default_enabled else 'off'}. Fix: {found.fixable}.\n")
    click.echo(found.doc())


@main.command()
@click.option("-o", "--output-format", type=click.Choice(("text", "json", "markdown")), default="text")
def rules(output_format: str) -> None:
    """List every rule: code, name, default on/off, fixable."""
    from digestlint.docs import rules_json, rules_markdown, rules_table

    click.echo({"text": rules_table, "json": rules_json, "markdown": rules_markdown}[output_format]())


@main.command()
@click.argument("name")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
def schema(name: str, config_path: Path | None) -> None:
    """Print a layout's JSON Schema."""
    import json

    from digestlint.config import ConfigError
    from digestlint.layouts import LayoutError

    try:
        settings, _ = _settings(
            [Path.cwd()], config_path=config_path, isolated=False, select=None, ignore=None, extend_select=None
        )
    except (ConfigError, LayoutError) as error:
        _error(str(error))
        sys.exit(EXIT_ERROR)
    layout = settings.layouts.named(name)
    if layout is None:
        names = ", ".join(layout.name for layout in settings.layouts.layouts)
        _error(f"unknown layout {name!r}; known layouts: {names}")
        sys.exit(EXIT_ERROR)
    click.echo(json.dumps(layout.schema, indent=2))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "export_format", type=click.Choice(("jsonl", "json")), default="jsonl")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
@gitignore_option
def export(paths: tuple[Path, ...], export_format: str, config_path: Path | None) -> None:
    """Print one JSON record per paper row (date, title, arxiv_id, authors, summary, ..., problems)."""
    from digestlint.export import export_records

    failed, partial = export_records(
        list(paths) or [Path()],
        export_format,
        config_path,
        sys.stdout,
        _error,
        respect_gitignore=current_adoption().respect_gitignore,
    )
    if partial:
        click.echo(
            f"digestlint: warning: {partial} paper row{'s' if partial != 1 else ''} could not be read in full; "
            "exported with what could be read and its `problems`",
            err=True,
        )
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)


@main.command()
@click.option("--output", type=click.Path(path_type=Path), default=Path("docs/rules.md"), show_default=True)
def docs(output: Path) -> None:
    """Regenerate the rules reference (docs/rules.md) from the registry."""
    from digestlint.docs import rules_markdown

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(rules_markdown() + "\n", encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


@main.command()
def server() -> None:
    """Run the language server over stdio (needs the lsp extra: pip install 'digestlint[lsp]')."""
    try:
        from digestlint.server.app import serve
    except ImportError as error:
        _error(f"`digestlint server` needs pygls ({error}); install it with: pip install 'digestlint[lsp]'")
        sys.exit(EXIT_ERROR)
    serve()


register(main)
