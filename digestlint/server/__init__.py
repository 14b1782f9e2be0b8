"""`digestlint server`: a language server over stdio (needs the `lsp` extra: `pip install 'digestlint[lsp]'`).

`session` holds the editor-independent logic, `convert` the position arithmetic, `app` the
pygls wiring. Nothing outside this package imports it, so the core never loads pygls.
"""
