"""How long the language server takes from a change to published diagnostics (prints, asserts nothing).

    python -m benchmarks.lsp_latency [--edits 200]

A 40 KB digest (the full-layout seeds' rows in one table) is opened and edited `--edits` times,
one character typed into a summary each time, the way a maintainer types:

- server time: in process, what the server does for one `didChange` (store the text, check it,
  DL406 against the folder, build the diagnostics), first 20 edits against the last 20;
- round trip: the real server over stdio (`python -m digestlint server`, no debounce pause),
  from sending `didChange` to receiving `publishDiagnostics`, first 20 against the last 20.

The target is under 30 ms of server time per change, and no growth over a session.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FULL_SEEDS = (
    "000_515fa1aceb584d49.md",
    "001_55c362d7a8a43ef3.md",
    "003_0419e020d2a675aa.md",
    "004_374a45687a9b3cbe.md",
)
TARGET_BYTES = 40_000


def digest_of_40kb() -> str:
    """One day's table with every full-layout seed row, topped up with renumbered copies to 40 KB."""
    first = (SEEDS / FULL_SEEDS[0]).read_text(encoding="utf-8")
    head = first[: first.index("\n| [") + 1]
    rows = [
        line
        for name in FULL_SEEDS
        for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()
        if line.startswith("| [")
    ]
    body = list(rows)
    number = 0
    while len((head + "\n".join(body) + "\n").encode("utf-8")) < TARGET_BYTES:
        row = rows[number % len(rows)]
        start = row.index("arxiv.org/abs/") + len("arxiv.org/abs/")
        end = row.index(")", start)
        body.append(row.replace(row[start:end], f"2499.{number:05d}"))
        number += 1
    return head + "\n".join(body) + "\n"


def typed(text: str, edit: int) -> str:
    """The text after `edit` keystrokes: one letter added to the first summary each time."""
    marker = " - "
    where = text.index(marker) + len(marker)
    return text[:where] + "x" * edit + text[where:]


def summary(label: str, times: list[float]) -> str:
    first, last = times[:20], times[-20:]
    return (
        f"{label}: first 20 median {statistics.median(first) * 1000:.1f} ms (max {max(first) * 1000:.1f}), "
        f"last 20 median {statistics.median(last) * 1000:.1f} ms (max {max(last) * 1000:.1f}), "
        f"all {len(times)} median {statistics.median(times) * 1000:.1f} ms"
    )


def server_time(folder: Path, text: str, edits: int) -> list[float]:
    from digestlint.server.app import to_diagnostic
    from digestlint.server.convert import LineIndex
    from digestlint.server.session import Session

    day = folder / "2024-11-05.md"
    session = Session()
    session.open(day.as_uri(), text, 1)
    session.check(day.as_uri())
    times: list[float] = []
    for edit in range(1, edits + 1):
        new_text = typed(text, edit)
        started = time.perf_counter()
        session.change(day.as_uri(), new_text, edit + 1)
        findings, _ = session.check(day.as_uri())
        index = LineIndex(new_text)
        [to_diagnostic(index, finding) for finding in findings]
        times.append(time.perf_counter() - started)
    return times


async def round_trip(folder: Path, text: str, edits: int) -> list[float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    day = folder / "2024-11-05.md"
    uri = day.as_uri()
    client = LanguageClient("digestlint-benchmark", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "digestlint", "server")
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options={"debounceMs": 0})
    )
    client.initialized(types.InitializedParams())
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await published.get()
    times: list[float] = []
    for edit in range(1, edits + 1):
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=edit + 1),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=typed(text, edit))],
            )
        )
        await published.get()
        times.append(time.perf_counter() - started)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args(argv)
    text = digest_of_40kb()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / ".digestlint.toml").write_text("", encoding="utf-8")
        (folder / "2024-11-05.md").write_text(text, encoding="utf-8")
        print(f"digest: {len(text.encode('utf-8'))} bytes, {text.count(chr(10))} lines, {args.edits} edits")
        print(summary("server time per change", server_time(folder, text, args.edits)))
        print(summary("stdio round trip per change", asyncio.run(round_trip(folder, text, args.edits))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
