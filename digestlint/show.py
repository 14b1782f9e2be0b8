"""`--show-settings PATH` and `--show-files`: what governs a file, and what a run would check.

Plain text built from a Project or a Report; the command line prints it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.files import display_path

if TYPE_CHECKING:
    from digestlint.project import Project
    from digestlint.runner import Report


def settings_text(path: Path, project: Project) -> str:
    """Which config files govern `path`, its root, the rules selected for it and the layouts."""
    settings = project.settings
    name = display_path(path)
    relative = settings.project_path(name)
    lines = [f"Settings for {name}", f"  project root: {project.root}  ({project.why_root})"]
    lines.append(f"  path read by rules: {relative}")
    if project.chain:
        lines.append("  config files (the first governs; each extends the next):")
        lines.extend(f"    {config}" for config in project.chain)
    else:
        lines.append("  config files: none (defaults)")
    from digestlint.rules import RULES

    enabled = [rule.code for rule in RULES if settings.enabled(rule.code, name)]
    off = [rule.code for rule in RULES if rule.code not in enabled]
    lines.append(f"  rules selected for this file ({len(enabled)}): {', '.join(enabled)}")
    lines.append(f"  rules not reported for this file ({len(off)}): {', '.join(off) or '-'}")
    for label, values in (
        ("select", settings.select),
        ("extend-select", settings.extend_select),
        ("ignore", settings.ignore),
        ("extra-tags", settings.extra_tags),
        ("allowed-html-tags", settings.allowed_html_tags),
        ("boilerplate-phrases", settings.boilerplate_phrases),
        ("fixable", settings.fixable),
        ("unfixable", settings.unfixable),
        ("extend-fixable", settings.extend_fixable),
    ):
        if values:
            lines.append(f"  {label}: {', '.join(values)}")
    for pattern, codes in settings.per_file_ignores.items():
        base = settings.pattern_base.get(pattern, settings.root)
        lines.append(f"  per-file-ignores: {pattern!r} (relative to {base}) = {', '.join(codes)}")
    for folder, pattern, declared_in in project.excludes:
        lines.append(f"  exclude: {pattern!r} (relative to {folder}, from {declared_in})")
    if project.baseline is not None:
        lines.append(f"  baseline: {project.baseline}")
    if project.respect_gitignore is False:
        lines.append("  respect-gitignore: false")
    window = settings.cross_file_window
    lines.append(f"  cross-file-window: {'every file' if window is None else window}")
    layouts = settings.layouts.layouts if settings.layouts is not None else ()
    lines.append("  layouts:")
    lines.extend(f"    {layout.name}: {' | '.join(layout.header)}  ({layout.path})" for layout in layouts)
    excluded = project.excluded_by(path)
    if excluded is not None:
        lines.append(f"  this file is excluded by {excluded}")
    return "\n".join(lines) + "\n"


def files_text(report: Report) -> str:
    """One line per Markdown file found: checked, or skipped and why."""
    lines: list[tuple[str, str]] = []
    for outcome in report.files:
        lines.append((outcome.path, f"error: {outcome.error}" if outcome.error else "checked"))
    lines.extend((path, f"skipped ({why})") for path, why in report.skipped)
    lines.sort()
    return "".join(f"{path}: {status}\n" for path, status in lines)
