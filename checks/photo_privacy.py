"""Photo privacy (policy 6.7.6 and 6.7.8): S030-S039.

S030  GPS location in a photo's EXIF (IFD 0x8825) or XMP: it can locate staff or patients.
S031  other personal metadata: owner or artist name, camera serial number, comments, maker
      notes.
S032  people in a photo (OpenCV's Haar face cascades) when the post records no consent.

Images are read through the shared ``image_info`` analysis when it is installed (one read
per image for every media check), else opened here with Pillow under a pixel limit. A
missing or corrupt image gives no finding here: the images check reports it.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Severity
from postlint.model import Image as ImageField
from postlint.model import Post

log = logging.getLogger("postlint")

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
MAX_PIXELS = 50_000_000  # decompression-bomb guard for images opened here
FACE_SIDE = 1024  # faces are looked for on a copy this big: enough, and fast

# Tags that carry a person's name, a device's identity or free text (EXIF tag numbers).
PERSONAL_TAGS: dict[int, str] = {
    0x013B: "Artist (author name)",
    0x8298: "Copyright (owner name)",
    0x9C9D: "XPAuthor (author name)",
    0x9C9C: "XPComment (comment)",
    0x9286: "UserComment (comment)",
    0x927C: "MakerNote (camera maker's notes)",
    0xA430: "CameraOwnerName (owner name)",
    0xA431: "BodySerialNumber (camera serial number)",
    0xA435: "LensSerialNumber (lens serial number)",
    0x013C: "HostComputer (computer name)",
    0x010E: "ImageDescription (description)",
}
# PNG text chunks, JPEG comments and XMP fields with the same kind of content.
PERSONAL_INFO_KEYS = {
    "author": "Author",
    "artist": "Artist",
    "comment": "comment",
    "copyright": "Copyright",
    "description": "Description",
    "creator": "Creator",
}
XMP_PERSONAL = ("dc:creator", "photoshop:AuthorsPosition", "xmpRights:Owner", "aux:SerialNumber")
XMP_GPS = ("exif:GPSLatitude", "exif:GPSLongitude", "GPSLatitude=")


@dataclass
class PhotoMeta:
    gps: bool = False
    gps_fields: list[str] = field(default_factory=list)
    personal: list[str] = field(default_factory=list)  # tag descriptions, never values
    faces: int | None = None  # None: not looked for (unreadable)


def _nonempty(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bytes):
        return bool(value.strip(b"\x00 ").strip())
    if isinstance(value, str):
        return bool(value.strip("\x00 ").strip())
    if isinstance(value, tuple | list):
        return any(_nonempty(v) for v in value)
    return True


def _has_position(gps: dict[Any, Any]) -> bool:
    """True when the GPS block holds a real position, not just a version or zeros."""
    keys = {str(k) for k in gps}
    for key in ("GPSLatitude", "GPSLongitude", "2", "4"):
        if key in keys:
            value = gps.get(key) if key in gps else gps.get(int(key))
            try:
                numbers = [float(v) for v in value]
            except (TypeError, ValueError):
                numbers = [1.0] if _nonempty(value) else []
            if any(abs(n) > 0 for n in numbers):
                return True
    return False


def read_metadata(image: Any) -> PhotoMeta:
    """GPS and personal metadata of an open PIL image (EXIF, PNG text, JPEG comment, XMP)."""
    # Pillow warns about corrupt EXIF on stderr, naming no file: the images check reports
    # unreadable files, so keep its warnings out of the report.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_metadata(image)


def _read_metadata(image: Any) -> PhotoMeta:
    from PIL import ExifTags

    meta = PhotoMeta()
    exif = image.getexif()
    gps = dict(exif.get_ifd(GPS_IFD) or {})
    if gps:
        named = {ExifTags.GPSTAGS.get(k, str(k)): v for k, v in gps.items()}
        if _has_position(named):
            meta.gps = True
            meta.gps_fields = sorted(k for k in named if k.startswith("GPS"))[:6]
    tags = dict(exif)
    tags.update(exif.get_ifd(EXIF_IFD) or {})
    for tag, label in PERSONAL_TAGS.items():
        if _nonempty(tags.get(tag)):
            meta.personal.append(label)
    info = getattr(image, "info", {}) or {}
    for key, value in info.items():
        label = PERSONAL_INFO_KEYS.get(str(key).lower())
        if label and _nonempty(value) and not any(label in p for p in meta.personal):
            meta.personal.append(f"{label} (text field)")
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp") or ""
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    if xmp:
        if not meta.gps and any(marker in xmp for marker in XMP_GPS):
            meta.gps = True
            meta.gps_fields = ["XMP GPS"]
        for marker in XMP_PERSONAL:
            if marker in xmp:
                meta.personal.append(f"XMP {marker}")
    return meta


# ----------------------------------------------------------------------------- faces


def _cascades() -> tuple[Any, Any] | None:
    try:
        import cv2
    except ImportError:
        return None
    base = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if not base or not hasattr(cv2, "CascadeClassifier"):
        return None
    default = cv2.CascadeClassifier(base + "haarcascade_frontalface_default.xml")
    alt2 = cv2.CascadeClassifier(base + "haarcascade_frontalface_alt2.xml")
    if default.empty() or alt2.empty():
        return None
    return default, alt2


_CASCADES: list[Any] = []


def cascades() -> tuple[Any, Any] | None:
    if not _CASCADES:
        _CASCADES.append(_cascades())
    return _CASCADES[0]


def count_faces(rgb: Any, min_neighbors: int = 5) -> int:
    """Faces in an RGB PIL image: the frontal cascade's detections that the alt2 cascade
    confirms. Two cascades agreeing keeps letters and logos on posters from counting as
    faces while real faces, even small ones in the background, still do."""
    import cv2
    import numpy as np

    pair = cascades()
    if pair is None:
        raise RuntimeError("OpenCV face cascades are not available")
    default, alt2 = pair
    picture = rgb.copy()
    picture.thumbnail((FACE_SIDE, FACE_SIDE))
    # Plain grey, no histogram equalisation: equalising a mostly plain picture washes out a
    # small face in the background (measured on the fixture photo pasted into a scene).
    grey = cv2.cvtColor(np.asarray(picture.convert("RGB")), cv2.COLOR_RGB2GRAY)
    side = max(20, min(grey.shape) // 40)
    found = default.detectMultiScale(grey, 1.1, min_neighbors, minSize=(side, side))
    confirm = alt2.detectMultiScale(grey, 1.1, 3, minSize=(side, side))
    faces = 0
    for x, y, w, h in found:
        cx, cy = x + w / 2, y + h / 2
        if any(a <= cx <= a + c and b <= cy <= b + d for a, b, c, d in confirm):
            faces += 1
    return faces


# ----------------------------------------------------------------------------- reading


@dataclass
class Photo:
    index: int
    image: ImageField
    meta: PhotoMeta

    @property
    def field_name(self) -> str:
        return f"images[{self.index}]"

    @property
    def source(self) -> str:
        return self.image.source or (self.image.path.name if self.image.path else "upload")


def _open_own(image: ImageField) -> Any | None:
    """Open an image with Pillow, or None for anything unreadable (reported elsewhere)."""
    from PIL import Image

    try:
        if image.data is not None:
            handle: Any = io.BytesIO(image.data)
        elif image.path is not None and image.problem is None:
            handle = open(image.path, "rb")  # noqa: SIM115 - Pillow keeps it open lazily
        else:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(handle)
            if picture.width * picture.height > MAX_PIXELS:
                return None
        return picture
    except Exception:  # corrupt, truncated, unsupported: the images check reports it
        log.debug("photo privacy: cannot open %s", image.source, exc_info=True)
        return None


def _preview(picture: Any) -> Any | None:
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            picture.seek(0)
            copy = ImageOps.exif_transpose(picture.copy())
            copy.thumbnail((FACE_SIDE, FACE_SIDE))
            return copy.convert("RGB")
    except Exception:
        return None


def photos(post: Post, ctx: CheckContext, want_faces: bool) -> list[Photo]:
    """Metadata (and faces when asked) of each readable image; cached on the context."""
    key = f"photo_privacy:{id(post)}:{want_faces}"
    cache = ctx._cache
    if key in cache:
        return cache[key]
    infos: list[Any] = []
    if "image_info" in ctx.analyses:
        try:
            infos = list(ctx.analysis("image_info") or [])
        except Exception:  # the shared reader failed: read the images here instead
            log.debug("photo privacy: image_info failed", exc_info=True)
            infos = []
    result = []
    for index, image in enumerate(post.images):
        info = infos[index] if index < len(infos) else None
        picture = None
        preview = None
        if info is not None:
            if getattr(info, "problem", None):
                continue
            try:
                picture = info.open()
            except Exception:
                picture = None
            preview = getattr(info, "preview", None)
        if picture is None:
            picture = _open_own(image)
        if picture is None:
            continue
        try:
            meta = read_metadata(picture)
        except Exception:
            log.debug("photo privacy: unreadable metadata in %s", image.source, exc_info=True)
            meta = PhotoMeta()
        if want_faces:
            preview = preview if preview is not None else _preview(picture)
            if preview is not None:
                try:
                    meta.faces = count_faces(preview)
                except RuntimeError:
                    meta.faces = None
                    ctx.shared["photo_privacy_no_cv2"] = True
                except Exception:  # an odd picture must not stop the other checks
                    log.debug(
                        "photo privacy: face search failed on %s", image.source, exc_info=True
                    )
                    meta.faces = None
        result.append(Photo(index, image, meta))
    cache[key] = result
    return result


# ----------------------------------------------------------------------------- checks


class GpsLocation(Check):
    code = "S030"
    name = "photo-gps-location"
    severity = Severity.ERROR
    policy = "6.7.6 and 6.7.8 confidential and identifiable information in photos"
    summary = "A photo carries its GPS location: it can show where staff or patients are."
    explanation = (
        "Phones store where a photo was taken (EXIF GPS, IFD 0x8825). Posted as it is, a photo "
        "of a ward, a home visit or a colleague can reveal where they are or live. Most "
        "platforms strip it, but not all, and not for files shared as documents. Run "
        "`postlint strip-metadata IMAGE`: it writes IMAGE.stripped.jpg (never overwriting the "
        "original), rotated as it should look, with no metadata; use that copy."
    )
    examples = [
        Example(
            bad="images: [{path: ward-visit.jpg, alt: ...}]   # taken on a phone, GPS on",
            good="images: [{path: ward-visit.stripped.jpg, alt: ...}]",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for photo in photos(post, ctx, want_faces=False):
            if photo.meta.gps:
                fields = ", ".join(photo.meta.gps_fields[:3])
                yield self.finding(
                    post,
                    f"{photo.source[:60]} carries its GPS location ({fields}):"
                    f" it can show where people are. Run `postlint strip-metadata "
                    f"{photo.source[:60]}` and post the .stripped copy.",
                    field_name=photo.field_name,
                    location=photo.image.location,
                )


class PersonalMetadata(Check):
    code = "S031"
    name = "photo-personal-metadata"
    severity = Severity.INFO
    policy = "6.7.7 information governance: personal data in files"
    summary = "A photo's metadata names its author or owner, or has a serial number or notes."
    explanation = (
        "Photos can carry the photographer's or owner's name (Artist, XPAuthor, "
        "CameraOwnerName), the camera's serial number, comments and maker notes. None of it "
        "is needed to publish; `postlint strip-metadata IMAGE` removes it all."
    )
    examples = [
        Example(
            bad="images: [{path: team.jpg}]   # EXIF Artist: Jane Smith, serial 0123456",
            good="images: [{path: team.stripped.jpg}]",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for photo in photos(post, ctx, want_faces=False):
            if photo.meta.personal:
                listed = ", ".join(photo.meta.personal[:4])
                more = len(photo.meta.personal) - 4
                listed += f" and {more} more" if more > 0 else ""
                yield self.finding(
                    post,
                    f"{photo.source[:60]} carries personal metadata: {listed}. Run `postlint "
                    f"strip-metadata {photo.source[:60]}` to post a clean copy.",
                    field_name=photo.field_name,
                    location=photo.image.location,
                )


PHOTO_CONSENT = ("photo", "photos", "image", "images")


class PeopleInPhoto(Check):
    code = "S032"
    name = "people-in-photo-consent"
    severity = Severity.WARNING
    policy = (
        "6.7.6 photographing residents, patients or colleagues without their consent; "
        "6.7.8 people in the background"
    )
    summary = "A photo shows people's faces and the post records no consent."
    explanation = (
        "Do not post photographs of residents, patients or colleagues without their consent "
        "(6.7.6), and that includes people in the background (6.7.8). postlint finds faces "
        "with OpenCV's Haar cascades (two cascades must agree, so text and logos on posters "
        "do not count). When everyone shown has agreed, record it in the front matter: "
        "consent: {photo: true} (or consent: true)."
    )
    examples = [
        Example(
            bad="images: [{path: clinic-team.jpg, alt: Nurses at the flu clinic}]",
            good="consent: {photo: true}\nimages: [{path: clinic-team.jpg, alt: Nurses at the "
            "flu clinic}]",
        )
    ]
    options = {"min-faces": 1}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        if not post.images or any(post.has_consent(kind) for kind in PHOTO_CONSENT):
            return
        found = photos(post, ctx, want_faces=True)
        if ctx.shared.get("photo_privacy_no_cv2"):
            yield from self.tool_unavailable(
                post,
                ctx,
                "opencv-faces",
                "OpenCV's face cascades are missing (install opencv-python-headless<5): "
                "photos were not checked for people (S032).",
            )
        minimum = int(self.opts.get("min-faces") or 1)
        for photo in found:
            faces = photo.meta.faces
            if faces is None or faces < minimum:
                continue
            who = "a face" if faces == 1 else f"{faces} faces"
            yield self.finding(
                post,
                f"{photo.source[:60]} shows {who} and the post records no consent: only post "
                "people who agreed, including anyone in the background. Then add "
                "consent: {photo: true} to the front matter.",
                field_name=photo.field_name,
                location=photo.image.location,
            )


VIDEO_CONSENT = ("video", "videos", "filming", *PHOTO_CONSENT)


class PeopleInVideo(Check):
    code = "S033"
    name = "people-in-video-consent"
    severity = Severity.WARNING
    policy = (
        "6.7.6 photographing residents, patients or colleagues without their consent; "
        "6.7.8 people in the background"
    )
    summary = "A video shows people's faces and the post records no consent."
    explanation = (
        "What the policy says of photographs (6.7.6, 6.7.8) holds for video: do not post "
        "residents, patients or colleagues, in front or in the background, without their "
        "consent. postlint looks at frames spread over the video (five by default) with the "
        "same face detector as S032 (two OpenCV cascades must agree). When everyone filmed "
        "has agreed, record it in the front matter: consent: {video: true} (or consent: true)."
    )
    examples = [
        Example(
            bad="videos: [{path: ward-tour.mp4, captions: [ward-tour.en_GB.srt]}]",
            good="consent: {video: true}\nvideos: [{path: ward-tour.mp4, captions: "
            "[ward-tour.en_GB.srt]}]",
        )
    ]
    requires = ("video_info",)
    options = {"min-faces": 1, "frames": 5}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        if not post.videos or any(post.has_consent(kind) for kind in VIDEO_CONSENT):
            return
        if cascades() is None:
            yield from self.tool_unavailable(
                post,
                ctx,
                "opencv-faces",
                "OpenCV's face cascades are missing (install opencv-python-headless<5): "
                "videos were not checked for people (S033).",
            )
            return
        from postlint_checks.media import clock, shared_frames

        minimum = int(self.opts.get("min-faces") or 1)
        count = max(1, min(int(self.opts.get("frames") or 5), 30))
        for info in ctx.analysis("video_info"):
            best: tuple[int, float] = (0, 0.0)
            for moment, picture in shared_frames(ctx, info, count):
                faces = count_faces(picture)
                if faces > best[0]:
                    best = (faces, moment)
            faces, moment = best
            if faces < minimum:
                continue
            who = "a face" if faces == 1 else f"{faces} faces"
            yield self.finding(
                post,
                f"{info.source[:60]} shows {who} (at {clock(moment)}) and the post records no "
                "consent: only post people who agreed to be filmed, including anyone in the "
                "background. Then add consent: {video: true} to the front matter.",
                field_name=info.field_name,
                location=info.video.location,
            )


CHECKS = [GpsLocation, PersonalMetadata, PeopleInPhoto, PeopleInVideo]
