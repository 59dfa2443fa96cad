"""postlint's built-in checks, installed as the ``postlint_checks`` package.

Each module exposes ``CHECKS`` and is registered in pyproject.toml under the
``postlint.checks`` entry-point group, exactly as a third-party plugin would be.
Editable word lists and tables live in ``data/``.
"""
