"""``postlint strip-metadata IMAGE...``: write a copy of each image with no metadata.

The fix for S030 (GPS location) and S031 (personal metadata). The copy is named
``name.stripped.ext`` beside the original (or in ``--output-dir``); the original is never
touched, and an existing copy is not overwritten unless ``--force`` is given. The EXIF
orientation is applied to the pixels first, so the copy looks exactly as the original did
on a phone, and then every EXIF, XMP, IPTC, ICC-free text chunk and comment is left out.
The colour profile (ICC) is kept: it is not personal and dropping it shifts colours.
"""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import click

MAX_PIXELS = 100_000_000
SAVE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP"}


class StripError(Exception):
    """The image cannot be stripped; the message says why and what to do."""


def stripped_name(path: Path) -> Path:
    return path.with_name(f"{path.stem}.stripped{path.suffix or '.jpg'}")


def strip_image(source: Path, target: Path, *, force: bool = False) -> list[str]:
    """Write ``source`` to ``target`` without metadata; return what was removed."""
    from PIL import Image, ImageOps

    if source.resolve() == target.resolve():
        raise StripError("the copy would overwrite the original: choose another output")
    if target.exists() and not force:
        raise StripError(f"{target} already exists: remove it or pass --force")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise StripError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.width * picture.height > MAX_PIXELS:
                raise StripError(
                    f"{source} is too large to process ({picture.width}x{picture.height})"
                )
            picture.load()
    except StripError:
        raise
    except Exception as exc:
        raise StripError(
            f"{source} is not an image Pillow can read ({type(exc).__name__})"
        ) from None
    fmt = (picture.format or "").upper()
    if fmt == "MPO":
        fmt = "JPEG"
    if fmt not in SAVE_FORMATS:
        raise StripError(
            f"{source}: {fmt or 'this'} images are not supported; convert to JPEG or PNG"
        )
    removed = describe_metadata(picture)
    frames = getattr(picture, "n_frames", 1)
    icc = picture.info.get("icc_profile")
    if frames > 1 and fmt in {"GIF", "WEBP", "PNG"}:
        clean_frames = []
        durations = []
        for index in range(frames):
            picture.seek(index)
            clean_frames.append(_pixels_only(picture.convert("RGBA")))
            durations.append(int(picture.info.get("duration", 100) or 100))
        options = {"save_all": True, "append_images": clean_frames[1:], "duration": durations}
        if "loop" in picture.info:
            options["loop"] = picture.info["loop"]
        _save(clean_frames[0], target, fmt, options, icc)
        return removed
    upright = ImageOps.exif_transpose(picture)
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    _save(_pixels_only(upright), target, fmt, {}, icc)
    return removed


def _pixels_only(picture):
    """A new image holding only the pixels (and palette): no info dict, so no EXIF, XMP or
    comment can be carried over by Pillow's save defaults."""
    from PIL import Image

    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture, (0, 0))
    if picture.mode in ("P", "PA") and picture.getpalette():
        clean.putpalette(picture.getpalette())
        if "transparency" in picture.info:
            clean.info["transparency"] = picture.info["transparency"]
    return clean


def _save(picture, target: Path, fmt: str, options: dict, icc: bytes | None) -> None:
    if fmt == "JPEG":
        options = {**options, "quality": 95, "optimize": True}
    if icc and fmt in {"JPEG", "PNG", "WEBP", "TIFF"}:
        options["icc_profile"] = icc
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if fmt in {"JPEG", "PNG", "WEBP"}:
            options["exif"] = b""
        picture.save(partial, format=fmt, **options)
        partial.replace(target)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise StripError(f"cannot write {target}: {exc}") from None


def describe_metadata(picture) -> list[str]:
    """Plain names of the metadata found, for the message (never the values)."""
    exif = picture.getexif()
    found = []
    if exif.get_ifd(0x8825):
        found.append("GPS location")
    if len(exif):
        found.append("EXIF")
    for key in ("xmp", "XML:com.adobe.xmp"):
        if picture.info.get(key):
            found.append("XMP")
            break
    if picture.info.get("comment"):
        found.append("comment")
    text_keys = [
        k
        for k in picture.info
        if str(k).lower() in {"author", "description", "copyright", "comment", "software", "title"}
    ]
    if text_keys:
        found.append("text fields")
    if exif.get(0x0112, 1) not in (1, None):
        found.append("orientation (applied to the pixels)")
    return found


@click.command(name="strip-metadata")
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the copies here instead of beside the originals.",
)
@click.option("--force", is_flag=True, help="Replace an existing .stripped copy.")
def command(images: tuple[Path, ...], output_dir: Path | None, force: bool) -> None:
    """Write IMAGE.stripped.EXT: the picture, upright, without GPS or any other metadata.

    The original is never changed. Exit 0 when every copy was written, 2 otherwise.
    """
    failed = False
    for source in images:
        target = stripped_name(source)
        if output_dir is not None:
            target = output_dir / target.name
        try:
            if not source.is_file():
                raise StripError(f"{source}: no such file")
            removed = strip_image(source, target, force=force)
        except StripError as exc:
            click.echo(f"postlint: error: {exc}", err=True)
            failed = True
            continue
        what = ", ".join(removed) if removed else "no metadata was found"
        click.echo(f"wrote {target} (removed: {what})")
    sys.exit(2 if failed else 0)
