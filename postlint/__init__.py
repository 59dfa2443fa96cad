"""postlint: a pre-publication linter and accessibility checker for social-media posts."""

from __future__ import annotations

__version__ = "0.1.0"
