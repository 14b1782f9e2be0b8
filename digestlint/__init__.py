"""digestlint: a linter and formatter for paper digests."""

__version__ = "0.1.0"
