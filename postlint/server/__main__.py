"""``python -m postlint.server``: the same as ``postlint serve``."""

from postlint.server import command

command(prog_name="postlint serve")
