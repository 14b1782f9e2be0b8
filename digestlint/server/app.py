"""The protocol layer: pygls notifications and requests in, `Session` calls, protocol messages out.

Full-text sync. Diagnostics are published on open and save at once, and on change after a short
pause (`debounceMs` in the client's initializationOptions, 50 ms by default): a change cancels the
check still waiting for the previous one, so typing never queues work. Closing a document clears
its diagnostics.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from digestlint import __version__
from digestlint.model import Severity, Violation
from digestlint.results import rule_url
from digestlint.server.convert import LineIndex, TextEdit
from digestlint.server.session import FIX_ALL_KIND, Session, uri_to_path

LOG = logging.getLogger("digestlint.server")
DEFAULT_DEBOUNCE = 0.05  # seconds
WATCHED = ("**/.digestlint.toml", "**/pyproject.toml", "**/*.md", "**/*.markdown")


def to_range(index: LineIndex, violation: Violation) -> types.Range:
    start = index.column_position(violation.line, violation.column)
    end = index.column_position(violation.end_line, violation.end_column)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return types.Range(
        start=types.Position(line=start.line, character=start.character),
        end=types.Position(line=end.line, character=end.character),
    )


def to_diagnostic(index: LineIndex, violation: Violation) -> types.Diagnostic:
    fix = violation.fix
    return types.Diagnostic(
        range=to_range(index, violation),
        message=violation.message,
        severity=types.DiagnosticSeverity.Error
        if violation.severity == Severity.ERROR
        else types.DiagnosticSeverity.Warning,
        code=violation.code,
        code_description=types.CodeDescription(href=rule_url(violation.code)),
        source="digestlint",
        data={"name": violation.name, "fix": None if fix is None else fix.applicability},
    )


def to_text_edit(edit: TextEdit) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=edit.start.line, character=edit.start.character),
            end=types.Position(line=edit.end.line, character=edit.end.character),
        ),
        new_text=edit.new_text,
    )


class DigestServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("digestlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        # The digests of a project root (for DL406) are read in a thread: the first diagnostics of a
        # file in a large archive do not wait for them, and come again with DL406 once they are read.
        self.session = Session(background_archives=True)
        self.debounce = DEFAULT_DEBOUNCE
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, list[Violation]] = {}
        self.loading: dict[str, asyncio.Task[None]] = {}

    def publish(self, uri: str, *, only_if_changed: bool = False) -> None:
        """Check a document now and publish its diagnostics (with `only_if_changed`, only when they changed)."""
        self.pending.pop(uri, None)
        document = self.session.documents.get(uri)
        if document is None:
            return
        findings, error = self.session.check(uri)
        if error is not None:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=error))
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=error))
        self.read_wanted_archives()
        if only_if_changed and self.published.get(uri) == findings:
            return
        self.published[uri] = findings
        index = LineIndex(document.text)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=[to_diagnostic(index, v) for v in findings]
            )
        )

    def read_wanted_archives(self) -> None:
        for root in self.session.archives_wanted - set(self.loading):
            self.loading[root] = asyncio.get_running_loop().create_task(self._read_archive(root))

    async def _read_archive(self, root: str) -> None:
        try:
            archive = await asyncio.to_thread(self.session.read_archive, root)
        except Exception as error:
            self.report_error(f"reading the digests under {root}", error)
            return
        finally:
            self.loading.pop(root, None)
        self.session.install_archive(archive)
        for uri in list(self.session.documents):
            self.publish(uri, only_if_changed=True)

    def report_error(self, what: str, error: Exception) -> None:
        """Log an unexpected exception and show it once per distinct error; the server goes on."""
        LOG.exception("digestlint: %s failed", what)
        key = f"{type(error).__name__}: {error}"
        if key in self.session.reported_errors:
            return
        self.session.reported_errors.add(key)
        message = f"digestlint: internal error in {what}: {key} (see the server log; please report it)"
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def schedule(self, uri: str) -> None:
        """Publish after the pause, replacing (never queueing behind) a check still waiting."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if self.debounce <= 0:
            self.publish(uri)
            return
        self.pending[uri] = asyncio.get_running_loop().create_task(self._later(uri))

    async def _later(self, uri: str) -> None:
        await asyncio.sleep(self.debounce)
        self.publish(uri)

    def recheck_open(self) -> None:
        for uri in list(self.session.documents):
            self.schedule(uri)


def build_server() -> DigestServer:
    server = DigestServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: DigestServer, params: types.InitializeParams) -> None:
        folders = [folder.uri for folder in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        ls.session.workspace_folders = [uri_to_path(uri) for uri in folders if uri.startswith("file:")]
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = max(float(options["debounceMs"]), 0.0) / 1000

    @server.feature(types.INITIALIZED)
    async def initialized(ls: DigestServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is None or not watched.dynamic_registration:
            return
        registration = types.Registration(
            id="digestlint-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
            ),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception:  # a client that refuses: settings are still re-read when a config's mtime changes
            LOG.warning("digestlint: the client did not accept the file watchers", exc_info=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DigestServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.session.open(item.uri, item.text, item.version)
        ls.publish(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: DigestServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        text = ls.workspace.get_text_document(uri).source
        ls.session.change(uri, text, params.text_document.version)
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: DigestServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.session.save(uri, ls.workspace.get_text_document(uri).source)
        if document is not None and document.path.endswith(("pyproject.toml", ".digestlint.toml")):
            ls.recheck_open()
        elif document is not None:
            ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DigestServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.session.close(uri)
        ls.published.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: DigestServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            ls.session.file_changed(uri_to_path(change.uri))
        ls.recheck_open()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    def code_action(ls: DigestServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only: Sequence[str] | None = [str(kind) for kind in params.context.only] if params.context.only else None
        try:
            actions = ls.session.code_actions(uri, params.range.start.line, params.range.end.line, only)
        except Exception as error:
            ls.report_error("code actions", error)
            return []
        document = ls.session.documents.get(uri)
        if document is None:
            return []
        index = LineIndex(document.text)
        result: list[types.CodeAction] = []
        for action in actions:
            result.append(
                types.CodeAction(
                    title=action.title,
                    kind=action.kind,
                    diagnostics=[to_diagnostic(index, finding) for finding in action.findings],
                    edit=types.WorkspaceEdit(changes={uri: [to_text_edit(edit) for edit in action.edits]}),
                    is_preferred=action.preferred or None,
                )
            )
        return result

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: DigestServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        try:
            edits = ls.session.format(params.text_document.uri)
        except Exception as error:
            ls.report_error("formatting", error)
            return []
        return [to_text_edit(edit) for edit in edits]

    return server


def serve(**_: Any) -> None:
    """Run the server over stdio until the client exits it."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)  # not every registered feature on stderr
    build_server().start_io()
