"""Table layouts: JSON Schema files in `schemas/`, one per layout.

A layout schema describes a row as an object `{column name: cell text}`.
Each constraint sits in the column's `allOf` with an `x-digestlint`
annotation naming the rule code that explains it, so a schema error maps to
a finding without code. The root `x-digestlint` holds what is not
validation: the header, the generator's delimiter row and cell padding.

Validation has a fast path: the subset of JSON Schema that layouts use
(`minLength`, `pattern`, `not: {pattern}` in `allOf`) is compiled to regular
expressions once, so a row costs a few `re.search` calls and never imports
jsonschema. For that subset the fast path finds exactly what jsonschema
finds (the first failing constraint of each column, in `allOf` order), so a
failing row is reported from it directly when each failing constraint has its
own `x-digestlint.message`. A row whose message has to come from the library
(a constraint without one), and any row of a schema that uses anything else,
is validated by jsonschema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_SUFFIX = ".schema.json"
# The code of a schema constraint whose annotation names none (the schema-violation rule reports it).
UNNAMED_CODE = ""
_FAST_KEYWORDS = frozenset({"minLength", "pattern", "not", "x-digestlint", "description", "title"})
_PROPERTY_KEYWORDS = frozenset({"type", "description", "title", "allOf", "x-digestlint"})


class LayoutError(Exception):
    """A layout schema that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    kind: str
    field: str | None
    hosts: tuple[str, ...]
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Constraint:
    """One annotated constraint of a column, compiled for the fast path."""

    column: str
    code: str
    message: str
    min_length: int | None = None
    pattern: re.Pattern[str] | None = None
    negate: bool = False
    annotated: bool = True  # the message is the annotation's own, not jsonschema's

    def finding(self) -> SchemaFinding:
        return SchemaFinding(self.column, self.code, self.message)

    def holds(self, value: str) -> bool:
        if self.min_length is not None and len(value) < self.min_length:
            return False
        if self.pattern is not None:
            found = self.pattern.search(value) is not None
            return found != self.negate
        return True


@dataclass(frozen=True, slots=True)
class SchemaFinding:
    column: str
    code: str
    message: str


@dataclass(eq=False)
class Layout:
    name: str
    path: Path
    schema: dict[str, Any]
    columns: tuple[ColumnSpec, ...]
    delimiter: str
    constraints: dict[str, tuple[Constraint, ...]] = field(default_factory=dict)
    fast: bool = True

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> ColumnSpec | None:
        for spec in self.columns:
            if spec.name == name:
                return spec
        return None

    def validate(self, cells: Mapping[str, str]) -> list[SchemaFinding]:
        """The first failing constraint of each column, in column order."""
        if not self.fast:
            return self._validate_with_jsonschema(cells)
        failing: list[Constraint] = []
        for column, constraints in self.constraints.items():
            value = cells.get(column, "")
            for constraint in constraints:
                if not constraint.holds(value):
                    failing.append(constraint)
                    break
        if not failing:
            return []
        if all(constraint.annotated for constraint in failing):
            return [constraint.finding() for constraint in failing]
        return self._validate_with_jsonschema(cells)

    def _validate_with_jsonschema(self, cells: Mapping[str, str]) -> list[SchemaFinding]:
        validator = _validator_for(self)
        first: dict[str, SchemaFinding] = {}
        errors = sorted(validator.iter_errors(dict(cells)), key=lambda e: list(e.schema_path))
        for error in errors:
            if error.validator == "required" or not error.absolute_path:
                continue
            column = str(error.absolute_path[0])
            if column in first:
                continue
            annotation = error.schema.get("x-digestlint", {}) if isinstance(error.schema, dict) else {}
            code = annotation.get("code", UNNAMED_CODE)
            message = annotation.get("message", f"{{column}} does not match the layout: {error.message}")
            first[column] = SchemaFinding(column, code, message)
        order = {name: index for index, name in enumerate(self.header)}
        return sorted(first.values(), key=lambda finding: order.get(finding.column, len(order)))


def builtin_schema_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "schemas"
    return packaged if packaged.is_dir() else here.parent / "schemas"


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LayoutError(f"{path}: cannot read layout schema: {error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LayoutError(f"{path}: layout schema is not valid JSON: {error}") from error


def _compile(path: Path, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise LayoutError(f"{path}: 'pattern' must be a string, not {pattern!r}")
    try:
        return re.compile(pattern)
    except re.error as error:
        raise LayoutError(f"{path}: pattern {pattern!r} is not a valid regular expression: {error}") from error


def _constraints_of(path: Path, column: str, prop: Mapping[str, Any]) -> tuple[tuple[Constraint, ...], bool]:
    """Compile a column's annotated constraints; the bool says whether the fast path covers them."""
    fast = set(prop) <= _PROPERTY_KEYWORDS and prop.get("type", "string") == "string"
    compiled: list[Constraint] = []
    entries = prop.get("allOf", [])
    if not isinstance(entries, list):
        raise LayoutError(f"{path}: 'allOf' of column {column!r} must be a list")
    for entry in entries:
        if not isinstance(entry, dict):
            fast = False
            continue
        annotation = entry.get("x-digestlint", {})
        if not isinstance(annotation, dict):
            raise LayoutError(f"{path}: 'x-digestlint' in the allOf of column {column!r} must be an object")
        code = str(annotation.get("code", UNNAMED_CODE))
        annotated = isinstance(annotation.get("message"), str) and isinstance(annotation.get("code", ""), str)
        message = str(annotation.get("message", "{column} does not match the layout"))
        if not set(entry) <= _FAST_KEYWORDS:
            fast = False
            continue
        negated = entry.get("not")
        if negated is not None:
            if (
                not isinstance(negated, dict)
                or set(negated) != {"pattern"}
                or len(entry) > 2 + ("description" in entry)
            ):
                fast = False
                continue
            negated_pattern = _compile(path, negated["pattern"])
            compiled.append(
                Constraint(column, code, message, pattern=negated_pattern, negate=True, annotated=annotated)
            )
            continue
        min_length = entry.get("minLength")
        pattern = entry.get("pattern")
        compiled.append(
            Constraint(
                column,
                code,
                message,
                min_length=int(min_length) if min_length is not None else None,
                pattern=_compile(path, pattern) if pattern is not None else None,
                annotated=annotated,
            )
        )
    return tuple(compiled), fast


def load_layout(path: Path, *, check_schema: bool = False) -> Layout:
    schema = _load_json(path)
    if not isinstance(schema, dict):
        raise LayoutError(f"{path}: a layout schema must be a JSON object")
    if check_schema:
        _check_is_json_schema(path, schema)
    meta = schema.get("x-digestlint")
    if not isinstance(meta, dict):
        raise LayoutError(f"{path}: missing the 'x-digestlint' object with the layout's 'header'")
    header = meta.get("header")
    if not isinstance(header, list) or not header or not all(isinstance(h, str) and h for h in header):
        raise LayoutError(f"{path}: 'x-digestlint.header' must be a non-empty list of column names")
    padding = meta.get("padding") or [[" ", " "]] * len(header)
    if (
        not isinstance(padding, list)
        or len(padding) != len(header)
        or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair) for pair in padding
        )
    ):
        raise LayoutError(f"{path}: 'x-digestlint.padding' must have one [left, right] pair of strings per column")
    delimiter = meta.get("delimiter") or "|" + "|".join("-" * (len(h) + 2) for h in header) + "|"
    if not isinstance(delimiter, str):
        raise LayoutError(f"{path}: 'x-digestlint.delimiter' must be a string")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise LayoutError(f"{path}: 'properties' must be an object")
    columns: list[ColumnSpec] = []
    constraints: dict[str, tuple[Constraint, ...]] = {}
    fast = set(schema) <= {
        "$schema",
        "$id",
        "title",
        "description",
        "type",
        "required",
        "properties",
        "$defs",
        "x-digestlint",
    }
    for name, pad in zip(header, padding):
        prop = properties.get(name, {})
        if not isinstance(prop, dict):
            raise LayoutError(f"{path}: the schema of column {name!r} must be an object")
        annotation = _column_annotation(path, name, prop)
        hosts = annotation.get("hosts", [])
        columns.append(
            ColumnSpec(
                name=name,
                kind=str(annotation.get("kind", "text")),
                field=annotation.get("field"),
                hosts=tuple(str(host) for host in hosts),
                left=str(pad[0]),
                right=str(pad[1]),
            )
        )
        compiled, column_fast = _constraints_of(path, name, prop)
        constraints[name] = compiled
        fast = fast and column_fast
    if check_schema:
        for column in columns:
            pointer = properties.get(column.name, {}).get("x-digestlint", {}).get("vocabulary")
            if pointer:
                _vocabulary(path, schema, pointer)
    name = schema.get("title") or path.name.removesuffix(SCHEMA_SUFFIX)
    return Layout(
        name=str(name),
        path=path,
        schema=schema,
        columns=tuple(columns),
        delimiter=delimiter,
        constraints=constraints,
        fast=fast,
    )


def _column_annotation(path: Path, column: str, prop: Mapping[str, Any]) -> Mapping[str, Any]:
    """A column's `x-digestlint` object, its keys checked for type so a bad one is named, not a crash."""
    where = f"properties.{column}.x-digestlint"
    annotation = prop.get("x-digestlint", {})
    if not isinstance(annotation, dict):
        raise LayoutError(f"{path}: {where!r} must be an object")
    for key in ("kind", "field", "vocabulary"):
        if key in annotation and not isinstance(annotation[key], str):
            raise LayoutError(f"{path}: {where + '.' + key!r} must be a string")
    hosts = annotation.get("hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(host, str) for host in hosts):
        raise LayoutError(f"{path}: {where + '.hosts'!r} must be a list of host names")
    return annotation


def _check_is_json_schema(path: Path, schema: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        raise LayoutError(f"{path}: not a valid JSON Schema at {where}: {error.message}") from error
    _reject_remote_refs(path, schema)
    _check_refs_resolve(path, schema)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _check_refs_resolve(path: Path, schema: dict[str, Any]) -> None:
    """Every `$ref` must resolve among the local schemas, or validation would fail on the first row."""
    from referencing.exceptions import Unresolvable

    resolver = _root_resolver(path, schema)
    for ref in _refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable as error:
            raise LayoutError(
                f"{path}: $ref {ref!r} does not resolve to a schema in {path.parent} or the built-in schemas: {error}"
            ) from error


def _root_resolver(path: Path, schema: dict[str, Any]) -> Any:
    from referencing import Resource

    resource = Resource.from_contents(schema, default_specification=_draft202012())
    return _registry(_schema_dirs(path)).resolver_with_root(resource)


def _schema_dirs(path: Path) -> tuple[Path, ...]:
    """Where a layout's `$ref`s may lead: the built-in schemas and the layout's own folder."""
    return tuple(dict.fromkeys([builtin_schema_dir(), path.parent]))


def _follow_pointer(document: Any, fragment: str) -> Any:
    """The node a JSON pointer fragment (`/$defs/tag`) leads to in `document`, or None."""
    node = document
    for part in fragment.strip("/").split("/"):
        if not part:
            continue
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _reject_remote_refs(path: Path, node: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref):
            raise LayoutError(f"{path}: $ref {ref!r} points outside the schemas folder; only local refs are allowed")
        for value in node.values():
            _reject_remote_refs(path, value)
    elif isinstance(node, list):
        for value in node:
            _reject_remote_refs(path, value)


@cache
@cache
def _local_documents(directories: tuple[Path, ...]) -> dict[str, dict[str, Any]]:
    """Every schema document in the given folders, by file name and by `$id`: the only documents a `$ref`
    may reach (for validation through the registry, and for vocabularies)."""
    documents: dict[str, dict[str, Any]] = {}
    for directory in directories:
        for schema_path in sorted(directory.glob(f"*{SCHEMA_SUFFIX}")):
            try:
                contents = json.loads(schema_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(contents, dict):
                continue
            documents.setdefault(schema_path.name, contents)
            schema_id = contents.get("$id")
            if isinstance(schema_id, str):
                documents.setdefault(schema_id, contents)
    return documents


def _registry(directories: tuple[Path, ...]) -> Any:
    """A `referencing` registry of every schema in the given folders; it never retrieves anything."""
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Resource[Any]:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    resources = [
        (uri, Resource.from_contents(contents, default_specification=_draft202012()))
        for uri, contents in _local_documents(directories).items()
    ]
    registry: Any = Registry(retrieve=refuse).with_resources(resources)  # type: ignore[call-arg]
    return registry


def _draft202012() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


_VALIDATORS: dict[int, Any] = {}


def _validator_for(layout: Layout) -> Any:
    validator = _VALIDATORS.get(id(layout))
    if validator is None:
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(layout.schema, registry=_registry(_schema_dirs(layout.path)))
        _VALIDATORS[id(layout)] = validator
    return validator


def vocabulary(layout: Layout, pointer: str) -> frozenset[str]:
    """The tags a `tag-list` column allows: the `enum` that `pointer` leads to, following `$ref`s.

    References resolve through the same local registry as validation: nothing is read from anywhere
    else. A pointer that leads nowhere gives an empty vocabulary (user layouts are checked at load).
    """
    try:
        return _vocabulary(layout.path, layout.schema, pointer)
    except LayoutError:
        return frozenset()


def _vocabulary(path: Path, schema: dict[str, Any], pointer: str) -> frozenset[str]:
    """Follow `pointer` and its `$ref`s to an `enum`, only through `_local_documents`.

    This small walk, not the `referencing` registry, because importing `referencing` costs ~0.1 s of a
    pre-commit run; it reaches exactly the documents the registry holds, and a user layout's `$ref`s are
    also checked with the registry itself when it is loaded (`_check_refs_resolve`).
    """
    documents = _local_documents(_schema_dirs(path))
    document: Any = schema
    ref = pointer if pointer.startswith("#") else "#" + pointer
    node: Any = None
    for _ in range(10):
        target, _, fragment = ref.partition("#")
        if target:
            document = documents.get(target)
        node = _follow_pointer(document, fragment)
        if node is None:
            raise LayoutError(f"{path}: vocabulary {pointer!r} does not resolve to a local schema")
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        ref = node["$ref"]
    if not isinstance(node, dict) or not isinstance(node.get("enum"), list):
        raise LayoutError(f"{path}: vocabulary {pointer!r} does not lead to an 'enum' of tags")
    return frozenset(str(item) for item in node["enum"])


@dataclass(frozen=True)
class LayoutSet:
    layouts: tuple[Layout, ...]

    def detect(self, header: Sequence[str]) -> Layout | None:
        key = tuple(name.strip() for name in header)
        for layout in self.layouts:
            if layout.header == key:
                return layout
        return None

    def closest(self, header: Sequence[str]) -> tuple[Layout, list[str], list[str]] | None:
        """The layout sharing most columns with `header`, with (missing, unexpected) columns."""
        names = [name.strip() for name in header]
        best: tuple[int, Layout, list[str], list[str]] | None = None
        for layout in self.layouts:
            missing = [column for column in layout.header if column not in names]
            unexpected = [column for column in names if column not in layout.header]
            score = len(missing) + len(unexpected)
            if best is None or score < best[0]:
                best = (score, layout, missing, unexpected)
        return None if best is None else (best[1], best[2], best[3])

    def close_to(self, header: Sequence[str]) -> Layout | None:
        """The first layout `header` is close to (see `is_close`), or None."""
        for layout in self.layouts:
            if is_close(header, layout):
                return layout
        return None

    def named(self, name: str) -> Layout | None:
        for layout in self.layouts:
            if layout.name == name:
                return layout
        return None


def column_key(name: str) -> str:
    """A column name with case and spacing folded away: `GitHub  urls` and `GitHub URLs` are the same."""
    return " ".join(name.split()).casefold()


def differs_in_case_or_spacing(header: Sequence[str], layout: Layout) -> bool:
    """The layout's columns, in its order, written with other case or spacing (`title | AUTHORS | summary`)."""
    return len(header) == len(layout.header) and all(
        column_key(name) == column_key(column) for name, column in zip(header, layout.header)
    )


def is_close(header: Sequence[str], layout: Layout) -> bool:
    """Whether a table header is close to a layout: it has the layout's number of columns and, with case
    and spacing folded, either the same columns in another order or at most one column named otherwise
    (misspelled or renamed) at the same place. `| Title | Authors | Sumary |` is close to `compact`;
    `| Name | Role |` is close to nothing."""
    names = [column_key(name) for name in header]
    wanted = [column_key(column) for column in layout.header]
    if len(names) != len(wanted):
        return False
    if sorted(names) == sorted(wanted):
        return True
    return sum(1 for name, column in zip(names, wanted) if name != column) <= 1


BUILTIN_LAYOUTS = ("full", "compact", "linked")


@cache
def _builtin_layouts() -> tuple[Layout, ...]:
    directory = builtin_schema_dir()
    return tuple(load_layout(directory / f"{name}{SCHEMA_SUFFIX}") for name in BUILTIN_LAYOUTS)


def load_layouts(extra: Iterable[Path] = ()) -> LayoutSet:
    """The built-in layouts plus user schema files (checked as JSON Schema; a bad one raises LayoutError)."""
    user = tuple(load_layout(path, check_schema=True) for path in extra)
    return LayoutSet(user + _builtin_layouts())
