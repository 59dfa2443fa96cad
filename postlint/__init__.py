"""postlint: a pre-publication linter and accessibility checker for social-media posts.

The Python API (see docs/python-api.md)::

    import postlint

    result = postlint.lint_text("Book your #flujab today", platforms=["x"])
    for finding in result.findings:
        print(finding.code, finding.message)

The API is imported on first use, so ``import postlint`` (and the CLI's start) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module that defines it.
_LAZY = {
    "Linter": "postlint.api",
    "lint_text": "postlint.api",
    "lint_post": "postlint.api",
    "lint_paths": "postlint.api",
    "PostDataError": "postlint.api",
    "PostResult": "postlint.pipeline",
    "RunResult": "postlint.pipeline",
    "Config": "postlint.config",
    "ConfigError": "postlint.config",
    "Finding": "postlint.findings",
    "Fix": "postlint.findings",
    "Severity": "postlint.findings",
    "Post": "postlint.model",
}
__all__ = [
    "Config",
    "ConfigError",
    "Finding",
    "Fix",
    "Linter",
    "Post",
    "PostDataError",
    "PostResult",
    "RunResult",
    "Severity",
    "__version__",
    "lint_paths",
    "lint_post",
    "lint_text",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load lazily
    from postlint.api import Linter, PostDataError, lint_paths, lint_post, lint_text
    from postlint.config import Config, ConfigError
    from postlint.findings import Finding, Fix, Severity
    from postlint.model import Post
    from postlint.pipeline import PostResult, RunResult


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'postlint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
