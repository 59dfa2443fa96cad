"""Every subcommand that lives in its own module is reachable from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from PIL import Image

from postlint.cli import LAZY_COMMANDS, main


def test_every_lazy_command_loads_and_has_help():
    runner = CliRunner()
    listing = runner.invoke(main, ["--help"]).output
    for name in LAZY_COMMANDS:
        assert name in listing
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_strip_metadata_from_the_command_line(tmp_path):
    photo = tmp_path / "ward.jpg"
    exif = Image.Exif()
    exif[0x013B] = "Jo Bloggs"  # Artist
    Image.new("RGB", (16, 16), "white").save(photo, exif=exif)
    original = photo.read_bytes()
    result = CliRunner().invoke(main, ["strip-metadata", str(photo)])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "ward.stripped.jpg"
    assert copy.is_file() and photo.read_bytes() == original
    with Image.open(copy) as image:
        assert 0x013B not in image.getexif()
