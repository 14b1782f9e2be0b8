"""digestlint: a linter and formatter for paper digests.

The public API is `digestlint.api` (`check_text`, `fix_text`, `format_text`,
`records`, `load_settings`). All but `records` are also attributes of this
package: `digestlint.records` is the module of that name (the record type), so
the function is reached as `digestlint.api.records`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("FileReport", "check_text", "fix_text", "format_text", "load_settings")
__all__ = ["FileReport", "__version__", "check_text", "fix_text", "format_text", "load_settings"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import digestlint` (the CLI's start-up) does not load the core.
    if name in _API:
        from digestlint import api

        return getattr(api, name)
    raise AttributeError(f"module 'digestlint' has no attribute {name!r}")
