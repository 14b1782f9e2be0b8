"""Project roots: which configuration governs a file, and which folder its paths are read from.

Each file is governed by the nearest config file at or above its folder (`config.config_in`:
`.digestlint.toml`, else a `pyproject.toml` with a `[tool.digestlint]` table); that file's
folder is the file's project root. `extend = "../base.toml"` inherits another config, read
relative to the file that says it: a key the extending file sets replaces the base's, except
`per-file-ignores`, merged pattern by pattern. Globs in `exclude` and `per-file-ignores` and
paths in `layouts` are relative to the folder of the config file that declares them. Without
a config, the root is the git work tree around the file (a `.git` found upward), else the
current folder. A file found in a folder is excluded by its own config's globs and by those of
each config around its root. `--config FILE` governs every file (its folder is the root); `--isolated`
reads no config.

Pure path logic and config loading, no output: resolutions are cached per folder, so a run
over thousands of files reads each config once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from digestlint.config import ConfigError, FileConfig, config_in, load_config
from digestlint.files import is_excluded
from digestlint.settings import Settings


@dataclass(frozen=True)
class Overrides:
    """What the command line adds to every file's settings."""

    select: tuple[str, ...] = ()  # replaces the config's selection when given
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    restrict: tuple[str, ...] = ()
    fixable: tuple[str, ...] = ()  # replaces the config's when given, as `select` does
    unfixable: tuple[str, ...] = ()
    extend_fixable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """What governs the files of one folder."""

    root: Path
    settings: Settings
    chain: tuple[Path, ...] = ()  # the governing config file, then those it extends, in order
    excludes: tuple[tuple[str, str, Path], ...] = ()  # (absolute folder the glob is relative to, glob, declaring file)
    output_format: str | None = None
    why_root: str = "the current folder"  # how the root was found, for --show-settings
    baseline: Path | None = None  # the config's `baseline` file (absolute)
    respect_gitignore: bool | None = None  # the config's `respect-gitignore`

    def excluded_by(self, path: Path) -> str | None:
        """Why the config excludes `path` ("'drafts/*' in /x/pyproject.toml"), or None when it does not."""
        if not self.excludes:
            return None
        absolute = _absolute(path)
        for folder, pattern, declared_in in self.excludes:
            prefix = os.path.join(folder, "")  # noqa: PTH118 - strings: once per file found
            if absolute.startswith(prefix) and is_excluded(_posix(absolute[len(prefix) :]), (pattern,)):
                return f"{pattern!r} in {declared_in}"
        return None


def _absolute(path: Path | str) -> str:
    return os.path.normpath(os.path.abspath(path))  # noqa: PTH100 - strings: once per file found


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


@dataclass
class _Layered:
    """A config with what it extends folded in, each glob kept with the folder it is relative to."""

    config: FileConfig
    chain: tuple[Path, ...]
    per_file: dict[str, tuple[Path, tuple[str, ...]]] = field(default_factory=dict)
    excludes: tuple[tuple[str, str, Path], ...] = ()


_REPLACED = (
    "select",
    "ignore",
    "extend_select",
    "layouts",
    "extra_tags",
    "cross_file_window",
    "output_format",
    "allowed_html_tags",
    "boilerplate_phrases",
    "fixable",
    "unfixable",
    "extend_fixable",
    "baseline",
    "respect_gitignore",
)


def load_chain(path: Path, seen: tuple[Path, ...] = ()) -> _Layered:
    """A config file with every config it extends; an `extend` cycle or a missing file is a ConfigError."""
    path = Path(os.path.normpath(path.absolute()))
    if path in seen:
        names = " -> ".join(str(item) for item in (*seen, path))
        raise ConfigError(f"{seen[-1]}: `extend` makes a cycle: {names}")
    if not path.is_file():
        where = f"{seen[-1]}: `extend` names " if seen else ""
        raise ConfigError(f"{where}{path}: no such config file")
    config = load_config(path)
    folder = path.parent
    own_excludes = tuple((str(folder), pattern, path) for pattern in config.exclude)
    own_per_file = {pattern: (folder, codes) for pattern, codes in config.per_file_ignores.items()}
    if config.extend is None:
        return _Layered(config, (path,), own_per_file, own_excludes)
    base = load_chain(config.extend, (*seen, path))
    merged = FileConfig(path=path, keys=config.keys | base.config.keys)
    for name in _REPLACED:
        source = config if name in config.keys else base.config
        setattr(merged, name, getattr(source, name))
    excludes = own_excludes if "exclude" in config.keys else base.excludes
    return _Layered(merged, (path, *base.chain), {**base.per_file, **own_per_file}, excludes)


def git_root(start: Path) -> Path | None:
    """The work tree holding `start`: the nearest folder with a `.git` (folder or file), no git process."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


class Resolver:
    """Finds the Project of any path; one Project (and one Settings) per governing config."""

    def __init__(self, *, config: Path | None = None, isolated: bool = False, overrides: Overrides | None = None):
        self.overrides = overrides or Overrides()
        self.isolated = isolated
        self.fixed_config = None if config is None else Path(os.path.normpath(config.absolute()))
        self._by_folder: dict[str, Project] = {}  # by absolute folder
        self._by_config: dict[Path | None, Project] = {}
        self._unconfigured: dict[Path, Project] = {}

    def for_path(self, path: Path) -> Project:
        """The Project governing `path` (a file, a folder, or a path that does not exist yet)."""
        return self._for_folder(path if path.is_dir() else Path(_absolute(path)).parent)

    def for_file(self, path: Path) -> Project:
        """`for_path` of a path known to be a file (as a folder walk finds them): no file system call."""
        return self._for_folder(os.path.dirname(_absolute(path)))  # noqa: PTH120

    def excluded_by(self, path: Path) -> str | None:
        """Why a file found in a folder is excluded (which glob of which config), or None.

        Its own project's globs, then those of each config around that project's root: a folder
        an outer config excludes stays excluded when it has a config of its own (a vendored project).
        """
        project = self.for_file(path)
        while True:
            why = project.excluded_by(path)
            if why is not None or not project.chain or self.fixed_config is not None:
                return why
            outer = self._for_folder(project.root.parent)
            if outer is project or outer.root == project.root:
                return None
            project = outer

    def _for_folder(self, folder: Path | str) -> Project:
        key = _absolute(folder)
        known = self._by_folder.get(key)
        if known is None:
            known = self._by_folder[key] = self._resolve(Path(key))
        return known

    def _resolve(self, folder: Path) -> Project:
        if self.fixed_config is not None:
            return self._configured(self.fixed_config, "the folder of --config")
        if not self.isolated:
            for candidate in (folder, *folder.parents):
                if candidate != folder and str(candidate) in self._by_folder:
                    return self._by_folder[str(candidate)]
                found = config_in(candidate)
                if found is not None:
                    return self._configured(found, "the folder of the nearest config file")
        root = git_root(folder)
        why = "the git work tree (no config file found)"
        if root is None:
            root, why = Path.cwd(), "the current folder (no config file, not in a git work tree)"
        known = self._unconfigured.get(root)
        if known is None:
            known = self._unconfigured[root] = self._project(_Layered(FileConfig(), ()), root, why)
        return known

    def _configured(self, config_path: Path, why: str) -> Project:
        key = Path(os.path.normpath(config_path.absolute()))
        known = self._by_config.get(key)
        if known is None:
            known = self._by_config[key] = self._project(load_chain(key), key.parent, why)
        return known

    def _project(self, layered: _Layered, root: Path, why: str) -> Project:
        from digestlint.layouts import load_layouts

        config, cli = layered.config, self.overrides
        root_text = root.as_posix()
        settings = Settings(
            select=cli.select or config.select,
            ignore=cli.ignore + config.ignore,
            extend_select=cli.extend_select + config.extend_select,
            per_file_ignores={pattern: codes for pattern, (_, codes) in layered.per_file.items()},
            extra_tags=config.extra_tags,
            cross_file_window=config.cross_file_window,
            **_text_options(config),
            layouts=load_layouts(config.layouts),
            restrict=cli.restrict,
            fixable=cli.fixable or config.fixable,
            unfixable=cli.unfixable + config.unfixable,
            extend_fixable=cli.extend_fixable + config.extend_fixable,
            root=root_text,
            pattern_base={
                pattern: folder.as_posix()
                for pattern, (folder, _) in layered.per_file.items()
                if folder.as_posix() != root_text
            },
        )
        return Project(
            root,
            settings,
            layered.chain,
            layered.excludes,
            config.output_format,
            why,
            config.baseline,
            config.respect_gitignore,
        )


def _text_options(config: FileConfig) -> dict[str, tuple[str, ...]]:
    """The text-rule options a config sets; the others keep the defaults of `Settings`."""
    options: dict[str, tuple[str, ...]] = {}
    if config.allowed_html_tags is not None:
        options["allowed_html_tags"] = config.allowed_html_tags
    if config.boilerplate_phrases is not None:
        options["boilerplate_phrases"] = config.boilerplate_phrases
    return options
