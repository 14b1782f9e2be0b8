"""`digestlint server` driven over stdio by a real LSP client (pytest-lsp), through issue 15's sequence.

Each test starts the real server (`python -m digestlint server`) in a subprocess; the documents
are real files in a temporary folder with its own `.digestlint.toml`, so the folder is the
project root and DL406 compares only what the test puts there.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from click.testing import CliRunner
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from digestlint.cli import main
from digestlint.server.convert import Position, TextEdit, apply_text_edits, utf16_length
from tests.conftest import SEEDS

pytestmark = pytest.mark.asyncio

NON_CANONICAL_SEED = SEEDS / "003_0419e020d2a675aa.md"
CANONICAL_SEED = SEEDS / "000_515fa1aceb584d49.md"
BAD_URL = "https://github.com/xing0047/cca-llava.git"


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "digestlint", "server"])


@pytest_lsp.fixture(config=SERVER)  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
    def register_capability(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounceMs": 10}
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".digestlint.toml").write_text("", encoding="utf-8")
    return tmp_path


async def open_document(client: LanguageClient, path: Path, text: str | None = None) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="markdown",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    for _ in range(5):  # another open document's diagnostics may be published first
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60)
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
    raise AssertionError(f"{path.name}: no diagnostics published on open")


def change_document(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(
    client: LanguageClient, path: Path, wanted: list[str], *, notifications: int = 5
) -> list[types.Diagnostic]:
    """Wait for published diagnostics with the `wanted` codes: a change may be followed by more than one
    publication (a debounced check, then DL406 once the other digests are read)."""
    uri = path.as_uri()
    for _ in range(notifications):
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60)
        diagnostics = list(client.diagnostics.get(uri, ()))
        if [diagnostic.code for diagnostic in diagnostics] == wanted:
            return diagnostics
    raise AssertionError(f"{path.name}: never published {wanted}, last {client.diagnostics.get(uri)}")


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    return apply_text_edits(
        text,
        [
            TextEdit(
                Position(edit.range.start.line, edit.range.start.character),
                Position(edit.range.end.line, edit.range.end.character),
                edit.new_text,
            )
            for edit in edits
        ],
    )


def expected_range(text: str, needle: str) -> types.Range:
    """The protocol range of `needle` in `text`: 0-based line, UTF-16 columns."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    start = utf16_length(text[line_start:offset])
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=start + utf16_length(needle)),
    )


async def test_diagnostic_quick_fix_then_clean(client: LanguageClient, folder: Path) -> None:
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    text = day.read_text(encoding="utf-8")

    diagnostics = await open_document(client, day)

    assert len(diagnostics) == 1
    diagnostic = diagnostics[0]
    assert diagnostic.code == "DL206"
    assert diagnostic.source == "digestlint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range == expected_range(text, BAD_URL)
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("docs/rules.md#dl206-url-not-canonical")
    assert diagnostic.data == {"name": "url-not-canonical", "fix": "safe"}

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=day.as_uri()),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    by_title = {action.title: action for action in actions if isinstance(action, types.CodeAction)}
    quick_fix = by_title["DL206: write https://github.com/xing0047/cca-llava"]
    assert quick_fix.kind == types.CodeActionKind.QuickFix
    assert quick_fix.is_preferred
    assert "Disable DL206 for this table" in by_title
    assert by_title["Fix all digestlint findings"].kind == "source.fixAll.digestlint"
    assert quick_fix.edit is not None and quick_fix.edit.changes is not None
    fixed = apply(text, quick_fix.edit.changes[day.as_uri()])
    assert BAD_URL not in fixed

    change_document(client, day, fixed, version=2)
    assert await diagnostics_until(client, day, []) == []


async def test_disable_for_this_table_wraps_the_table(client: LanguageClient, folder: Path) -> None:
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    text = day.read_text(encoding="utf-8")
    (diagnostic,) = await open_document(client, day)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=day.as_uri()),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
        )
    )
    assert actions is not None
    (disable,) = [a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Disable")]
    assert disable.edit is not None and disable.edit.changes is not None
    wrapped = apply(text, disable.edit.changes[day.as_uri()])

    lines = wrapped.splitlines()
    first_row = next(i for i, line in enumerate(lines) if line.startswith("| Title"))
    last_row = max(i for i, line in enumerate(lines) if line.startswith("|"))
    assert lines[first_row - 2 : first_row] == ["<!-- digestlint-disable DL206 -->", ""]
    assert lines[last_row + 1 : last_row + 3] == ["", "<!-- digestlint-enable DL206 -->"]
    assert all(line.startswith("|") for line in lines[first_row : last_row + 1])  # nothing between rows
    change_document(client, day, wrapped, version=2)
    assert await diagnostics_until(client, day, []) == []


async def test_formatting(client: LanguageClient, folder: Path, runner: CliRunner) -> None:
    canonical = folder / CANONICAL_SEED.name
    shutil.copyfile(CANONICAL_SEED, canonical)
    assert await open_document(client, canonical) == []
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=canonical.as_uri()),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None and list(edits) == []

    # Not canonical: a bare delimiter row, a padded cell, and a missing blank line before the table.
    messy = folder / "2024-11-05.md"
    text = CANONICAL_SEED.read_text(encoding="utf-8")
    text = text.replace("|-------|---------|", "|---|---|", 1).replace("| Bin Hu,", "|   Bin Hu,", 1)
    text = text.replace("2024-11-05\n\n|", "2024-11-05\n|", 1)
    messy.write_text(text, encoding="utf-8")
    await open_document(client, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=messy.as_uri()),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits
    edits = list(edits)

    formatted = folder / "formatted" / "2024-11-05.md"
    formatted.parent.mkdir()
    shutil.copyfile(messy, formatted)
    result = runner.invoke(main, ["format", str(formatted)])
    assert result.exit_code == 0, result.output
    expected = formatted.read_text(encoding="utf-8")
    assert expected != text
    assert apply(text, edits) == expected


async def test_undecodable_file_gets_one_dl100_and_the_server_goes_on(client: LanguageClient, folder: Path) -> None:
    latin = folder / "2024-10-23.md"
    text = NON_CANONICAL_SEED.read_text(encoding="utf-8").replace("Shijian Lu", "Shijian Lü")
    latin.write_bytes(text.encode("latin-1", errors="replace"))

    diagnostics = await open_document(client, latin, latin.read_bytes().decode("latin-1"))

    assert [(d.code, d.range.start.line) for d in diagnostics] == [("DL100", 0)]
    assert "not UTF-8" in diagnostics[0].message
    # Still answering: a request and another document.
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=latin.as_uri()),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None and list(edits) == []
    other = folder / CANONICAL_SEED.name
    shutil.copyfile(CANONICAL_SEED, other)
    assert await open_document(client, other) == []


async def test_utf16_range_after_emoji_and_cjk(client: LanguageClient, folder: Path) -> None:
    day = folder / NON_CANONICAL_SEED.name
    text = NON_CANONICAL_SEED.read_text(encoding="utf-8")
    # The row with the finding gets astral (two UTF-16 units each) and CJK (one unit each) text before the URL.
    text = text.replace("Shijian Lu,", "Shijian Lu 😀🎉 漢字テスト,", 1)
    day.write_text(text, encoding="utf-8")

    (diagnostic,) = await open_document(client, day)

    expected = expected_range(text, BAD_URL)
    assert diagnostic.range == expected
    code_points_before = text[text.rfind("\n", 0, text.index(BAD_URL)) + 1 : text.index(BAD_URL)]
    assert expected.start.character == len(code_points_before) + 2  # two emoji, one extra unit each


async def test_close_clears_diagnostics(client: LanguageClient, folder: Path) -> None:
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    assert len(await open_document(client, day)) == 1
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=day.as_uri()))
    )
    assert await diagnostics_until(client, day, []) == []


async def test_not_a_digest_gets_no_diagnostics(client: LanguageClient, folder: Path) -> None:
    notes = folder / "maintainers.md"
    notes.write_text("# Maintainers\n\n| name | role |\n|---|---|\n| Ann | lead |\n", encoding="utf-8")
    assert await open_document(client, notes) == []


async def test_save_rereads_the_file_and_a_config_change_reaches_open_documents(
    client: LanguageClient, folder: Path
) -> None:
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    assert [d.code for d in await open_document(client, day)] == ["DL206"]

    # The config now ignores DL206: the watched-files notification re-checks the open document.
    config = folder / ".digestlint.toml"
    config.write_text('ignore = ["DL206"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert await diagnostics_until(client, day, []) == []

    # Saved in Latin-1 by the editor: on save the file is read again, and it is DL100 now.
    day.write_bytes(day.read_text(encoding="utf-8").replace("Shijian Lu", "Shijian Lü").encode("latin-1", "replace"))
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=day.as_uri()))
    )
    assert [d.code for d in await diagnostics_until(client, day, ["DL100"])] == ["DL100"]


async def test_cross_file_duplicates_arrive_once_the_archive_is_read(client: LanguageClient, folder: Path) -> None:
    text = NON_CANONICAL_SEED.read_text(encoding="utf-8").replace(BAD_URL, "https://github.com/xing0047/cca-llava")
    day = folder / "2024-10-23.md"
    day.write_text(text, encoding="utf-8")
    first_row = next(line for line in text.splitlines() if line.startswith("| [PyramidDrop"))
    header = text[: text.index("| [")].replace("2024-10-23", "2024-10-24")
    (folder / "2024-10-24.md").write_text(f"{header}{first_row}\n", encoding="utf-8")

    # The first diagnostics do not wait for the other digests; DL406 follows once they are read.
    if [d.code for d in await open_document(client, day)] == ["DL406"]:
        (diagnostic,) = client.diagnostics[day.as_uri()]
    else:
        (diagnostic,) = await diagnostics_until(client, day, ["DL406"])
    assert "2024-10-24.md" in diagnostic.message
