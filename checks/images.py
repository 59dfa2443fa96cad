"""Image checks (Appendix B: "Adding image descriptions to photos on social platforms").

A040 missing alt text, A041 weak alt text, A042 text in the image that the alt text does not
carry (OCR with Tesseract), A043 unreadable or mislabelled image files, A044 formats and
file sizes a target platform does not accept (checks/data/media_limits.yaml). Alt text over
a platform's length limit is the platform rule's job (P003), not repeated here.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from postlint_checks.media import ImageInfo, load_limits

from postlint.check import Check, Example
from postlint.findings import Severity
from postlint.model import Post
from postlint.text import special_spans

log = logging.getLogger("postlint")

POLICY_ALT = "Appendix B: adding image descriptions to photos; 6.2.3 GCS accessibility"


class ImageAltMissing(Check):
    code = "A040"
    name = "image-alt-missing"
    severity = Severity.ERROR
    policy = POLICY_ALT
    summary = "An image has no alt text (image description)."
    explanation = (
        "Screen reader users hear only the alt text of an image. Without it they hear "
        "'image' or the file name, and miss what the picture says. Describe what matters "
        "in the picture, and copy any words in it. An image that adds nothing (a divider, a "
        "pattern) can be marked `decorative: true` instead."
    )
    examples = [
        Example(
            bad="images:\n  - path: flu-clinic.jpg",
            good=(
                "images:\n  - path: flu-clinic.jpg\n    alt: A nurse gives an older man his "
                "flu jab at a pharmacy counter."
            ),
        )
    ]

    def check(self, post: Post, ctx: Any):
        for index, image in enumerate(post.images):
            alt = (image.alt or "").strip()
            name = image.source or f"image {index + 1}"
            if image.decorative:
                if not alt:
                    yield self.finding(
                        post,
                        f"{name} is marked decorative, so screen readers will skip it: make "
                        "sure it carries no information, or give it alt text",
                        location=image.location,
                        field_name=f"images[{index}]",
                        severity=Severity.INFO,
                    )
                continue
            if not alt:
                yield self.finding(
                    post,
                    f"{name} has no alt text: add `alt:` describing what the picture shows "
                    "(and any words in it), or mark it `decorative: true` if it adds nothing",
                    location=image.location,
                    field_name=f"images[{index}]",
                )


GENERIC_ALT = {
    "image",
    "img",
    "photo",
    "photograph",
    "picture",
    "pic",
    "logo",
    "graphic",
    "banner",
    "icon",
    "screenshot",
    "poster",
    "infographic",
    "illustration",
    "alt",
    "alt text",
    "placeholder",
    "untitled",
    "thumbnail",
    "gif",
    "video",
    "nhs logo",
    "our logo",
}
FILE_NAME_LIKE = re.compile(
    r"^(?:img|image|dsc[fn]?|dcim|pxl|photo|pic|mvimg|gopr|screenshot|screen ?shot|"
    r"whatsapp image|snapchat|scan|p)[ _-]*\d{2,}"
    r"|\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)$"
    r"|^[\w-]*\d{6,}[\w-]*$",
    re.I,
)
REDUNDANT_PREFIX = re.compile(
    r"^\s*(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|graphic|pic)\s+(?:of|showing)\s+",
    re.I,
)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _words_only(text: str) -> str:
    """The alt text without hashtags, mentions, URLs and emoji."""
    spans = special_spans(text)
    kept = []
    position = 0
    for span in spans:
        kept.append(text[position : span.start])
        position = span.end
    kept.append(text[position:])
    return "".join(kept)


def weak_alt_reasons(
    alt: str, source: str, min_length: int, final_punctuation: bool = False
) -> list[str]:
    """Why this alt text does not describe the image; [] when it is fine."""
    text = alt.strip()
    folded = _normalise(text).strip(" .!")
    stem = Path(source).stem.casefold() if source else ""
    reasons = []
    if folded in {source.casefold(), stem} or FILE_NAME_LIKE.search(text):
        reasons.append("it is a file name, which tells a listener nothing")
    elif folded in GENERIC_ALT or re.sub(r"^(?:an?|the)\s+", "", folded) in GENERIC_ALT:
        reasons.append(f"'{text[:30]}' only says what kind of thing it is, not what it shows")
    elif not re.search(r"[^\W_]", _words_only(text)):
        reasons.append("it is only hashtags, handles, links or emoji, with no description")
    else:
        prefix = REDUNDANT_PREFIX.match(text)
        if prefix:
            said = prefix.group(0).strip()
            reasons.append(
                f"it starts with '{said}': screen readers already say it is an image, "
                "so start with what it shows"
            )
        if len(text) < min_length:
            reasons.append(
                f"it is {len(text)} characters long: too short to describe the picture "
                f"(at least {min_length})"
            )
    if final_punctuation and text and text[-1] not in ".!?…)\"'”’":
        reasons.append("it does not end with punctuation, so screen readers run on")
    return reasons


class ImageAltWeak(Check):
    code = "A041"
    name = "image-alt-weak"
    severity = Severity.WARNING
    policy = POLICY_ALT
    summary = "Alt text that does not describe the image (file name, 'image', too short...)."
    explanation = (
        "Alt text has to tell a screen reader user what a sighted person sees. A file name "
        "(IMG_2041.jpg), a bare word (image, logo, banner), hashtags or emoji alone, or a few "
        "characters tell them nothing. Screen readers already announce 'image', so 'Image "
        "of...' wastes their time. The same description on two different pictures means at "
        "least one of them is not described."
    )
    examples = [
        Example(bad="alt: IMG_2041.jpg", good="alt: The front of Leigh Road pharmacy."),
        Example(
            bad="alt: Image of a nurse giving a flu jab",
            good="alt: A nurse gives a flu jab to a woman in a wheelchair.",
        ),
    ]
    options = {"min-length": 10, "require-final-punctuation": False}

    def check(self, post: Post, ctx: Any):
        min_length = int(self.opts.get("min-length", 10))
        final = bool(self.opts.get("require-final-punctuation", False))
        seen: dict[str, tuple[int, str]] = {}
        for index, image in enumerate(post.images):
            alt = (image.alt or "").strip()
            if not alt or image.decorative:
                continue
            name = image.source or f"image {index + 1}"
            reasons = weak_alt_reasons(alt, Path(image.source).name, min_length, final)
            key = _normalise(alt)
            first = seen.get(key)
            if first is not None and first[1] != _identity(image):
                reasons.append(
                    f"image {first[0] + 1} has the same alt text: describe each picture on its own"
                )
            seen.setdefault(key, (index, _identity(image)))
            if reasons:
                yield self.finding(
                    post,
                    f"weak alt text for {name}: " + "; ".join(reasons) + ".",
                    location=image.location,
                    field_name=f"images[{index}]",
                    suggestion="Describe what the picture shows and copy any words in it.",
                )


def _identity(image: Any) -> str:
    if image.path is not None:
        try:
            return str(Path(image.path).resolve())
        except OSError:
            return str(image.path)
    return image.source or str(id(image))


# ------------------------------------------------------------------------------ OCR

OCR_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def tesseract_available(ctx: Any) -> bool:
    shared = ctx.shared if ctx is not None else {}
    if "tesseract_version" not in shared:
        try:
            import pytesseract

            shared["tesseract_version"] = str(pytesseract.get_tesseract_version())
        except Exception:  # TesseractNotFoundError, or pytesseract missing
            shared["tesseract_version"] = None
    return shared["tesseract_version"] is not None


def ocr_words(preview: Any, min_confidence: float, timeout: float, max_side: int) -> list[str]:
    """Words Tesseract reads in the image with at least ``min_confidence``, in order."""
    import pytesseract
    from PIL import Image, ImageOps

    # Tesseract's OpenMP threads fight over shared CPUs: one thread is ~7x faster here.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    gray = ImageOps.grayscale(preview)
    if max(gray.size) > max_side:
        gray.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if max(gray.size) < 500:  # small graphics: enlarge so letters are tall enough to read
        factor = 2
        gray = gray.resize((gray.width * factor, gray.height * factor), Image.Resampling.LANCZOS)
    data = pytesseract.image_to_data(
        gray, lang="eng", output_type=pytesseract.Output.DICT, timeout=timeout
    )
    words = []
    for text, confidence in zip(data["text"], data["conf"], strict=False):
        try:
            score = float(confidence)
        except (TypeError, ValueError):
            continue
        if score >= min_confidence:
            words.extend(m.group(0) for m in OCR_WORD.finditer(text))
    return words


def real_words(words: list[str]) -> list[str]:
    """Words a dictionary knows (or short acronyms and numbers): drops OCR noise."""
    from wordfreq import zipf_frequency

    kept = []
    for word in words:
        known = zipf_frequency(word.lower(), "en") >= 1.0 or (word.isupper() and len(word) <= 5)
        if word.isdigit() or (len(word) >= 2 and known):
            kept.append(word)
    return kept


def coverage(ocr: list[str], alt: str) -> float:
    """Share of the distinct words read in the image that appear (near enough) in the alt."""
    alt_words = {w.casefold() for w in OCR_WORD.findall(alt)}
    wanted = {w.casefold() for w in ocr}
    if not wanted:
        return 1.0
    found = 0
    for word in wanted:
        close = len(word) >= 4 and difflib.get_close_matches(word, alt_words, n=1, cutoff=0.8)
        if word in alt_words or close:
            found += 1
    return found / len(wanted)


class ImageTextNotInAlt(Check):
    code = "A042"
    name = "image-text-not-in-alt"
    severity = Severity.WARNING
    policy = POLICY_ALT
    summary = "The image holds text (read by OCR) that its alt text does not include."
    explanation = (
        "Campaign graphics often carry the message in the picture: dates, eligibility, a "
        "phone number. Screen reader users only get it if the alt text repeats it. postlint "
        "reads the image with Tesseract OCR and warns when most of the words it reads "
        "confidently are missing from the alt text."
    )
    examples = [
        Example(
            bad="alt: NHS flu campaign graphic.   # the picture says who can get a free jab",
            good=(
                "alt: Poster: Get your free flu jab. If you are 65 or over, pregnant or have a "
                "long-term health condition, book at your GP practice or pharmacy."
            ),
        )
    ]
    options = {
        "min-confidence": 70,
        "min-words": 4,
        "min-coverage": 0.6,
        "timeout-seconds": 10,
        "max-side": 1600,
    }
    requires = ("image_info",)

    def check(self, post: Post, ctx: Any):
        candidates = [
            info
            for info in ctx.analysis("image_info")
            if info.preview is not None
            and (info.image.alt or "").strip()
            and not info.image.decorative
        ]
        if not candidates:
            return
        if not tesseract_available(ctx):
            yield from self.tool_unavailable(
                post,
                ctx,
                "tesseract",
                "Tesseract OCR is not installed, so text inside images (A042) is not checked: "
                "run scripts/setup.sh (apt-get install tesseract-ocr tesseract-ocr-eng)",
            )
            return
        for info in candidates:
            yield from self._check_image(post, ctx, info)

    def _check_image(self, post: Post, ctx: Any, info: ImageInfo):
        started = time.perf_counter()
        try:
            words = ocr_words(
                info.preview,
                float(self.opts["min-confidence"]),
                float(self.opts["timeout-seconds"]),
                int(self.opts["max-side"]),
            )
        except RuntimeError as exc:  # pytesseract's timeout
            yield self.finding(
                post,
                f"{info.source}: OCR gave up after {self.opts['timeout-seconds']} s "
                f"({str(exc)[:40]}), so text in this image was not checked",
                location=info.image.location,
                field_name=info.field_name,
                severity=Severity.INFO,
            )
            return
        except Exception as exc:
            log.debug("OCR failed on image %s", info.index, exc_info=True)
            yield self.finding(
                post,
                f"{info.source}: OCR failed ({type(exc).__name__}), so text in this image "
                "was not checked",
                location=info.image.location,
                field_name=info.field_name,
                severity=Severity.INFO,
            )
            return
        finally:
            ctx.shared.setdefault("ocr_seconds", []).append(time.perf_counter() - started)
        found = real_words(words)
        if len(found) < int(self.opts["min-words"]):
            return
        share = coverage(found, info.image.alt or "")
        if share >= float(self.opts["min-coverage"]):
            return
        quoted = " ".join(found)
        if len(quoted) > 60:
            quoted = quoted[:57].rsplit(" ", 1)[0] + "…"
        yield self.finding(
            post,
            f"{info.source} contains text that the alt text leaves out (it reads "
            f"'{quoted}'; only {share:.0%} of those words are in the alt text): copy the "
            "words of the image into its alt text",
            location=info.image.location,
            field_name=info.field_name,
            suggestion="Start the alt text with the words shown in the image.",
        )


# --------------------------------------------------------------------- files, platforms


class ImageUnreadable(Check):
    code = "A043"
    name = "image-unreadable"
    severity = Severity.ERROR
    policy = "Appendix B: adding image descriptions to photos (the image must be checkable)"
    summary = "An image file is empty, truncated, corrupt, too big to decode or mislabelled."
    explanation = (
        "A damaged file may fail to upload, or upload half grey; postlint cannot check what it "
        "cannot decode (its text, flashing or location data). A decompression bomb (a tiny "
        "file that decodes to a huge picture) is refused. A file whose name says one format "
        "and whose bytes are another (a JPEG named .png) is a warning: some tools reject it."
    )
    examples = [
        Example(
            bad="images: [{path: poster.png, alt: ...}]   # download stopped half way",
            good="images: [{path: poster.png, alt: ...}]   # exported again, opens in full",
        )
    ]
    requires = ("image_info",)

    def check(self, post: Post, ctx: Any):
        for info in ctx.analysis("image_info"):
            if info.image.problem and info.image.data is None:
                continue  # the reader already reported a missing or refused file (X001)
            if info.problem:
                yield self.finding(
                    post,
                    f"{info.source}: {info.problem}.",
                    location=info.image.location,
                    field_name=info.field_name,
                    severity=Severity.parse(info.problem_severity),
                )
                continue
            for note in info.notes:
                yield self.finding(
                    post,
                    f"{info.source}: {note}.",
                    location=info.image.location,
                    field_name=info.field_name,
                    severity=Severity.WARNING,
                )
            actual = info.normalised_format
            if info.declared and actual and info.declared != actual:
                extension = Path(info.source).suffix
                yield self.finding(
                    post,
                    f"{info.source} is really a {actual} file but is named {extension}: rename "
                    f"it to .{_extension_for(actual)} (some platforms and tools reject a file "
                    "whose name and content disagree)",
                    location=info.image.location,
                    field_name=info.field_name,
                    severity=Severity.WARNING,
                )


def _extension_for(fmt: str) -> str:
    return {"JPEG": "jpg", "TIFF": "tif", "HEIF": "heic"}.get(fmt, fmt.lower())


class ImagePlatformFormat(Check):
    code = "A044"
    name = "image-platform-format"
    severity = Severity.ERROR
    policy = "6.2.3 use of photographs, graphics and gifs; platform media limits"
    summary = "An image's format or file size is not accepted by a target platform."
    explanation = (
        "Each platform takes only some formats and file sizes (for example Bluesky 1 MB an "
        "image, Instagram JPEG or PNG, X 5 MB for photos and 15 MB for GIFs). A post that "
        "fails at upload time goes out late or without its picture. The table lives in "
        "checks/data/media_limits.yaml with its sources and date: edit it when platforms change."
    )
    examples = [
        Example(
            bad="platforms: [instagram]\nimages: [{path: countdown.gif, alt: ...}]",
            good="platforms: [instagram]\nimages: [{path: countdown.png, alt: ...}]",
        )
    ]
    requires = ("image_info",)

    def check(self, post: Post, ctx: Any):
        limits = ctx.shared.get("media_limits")
        if limits is None:
            limits = ctx.shared["media_limits"] = load_limits().get("platforms", {})
        for info in ctx.analysis("image_info"):
            fmt = info.normalised_format
            if fmt is None or info.size_bytes is None:
                continue
            refused: list[str] = []
            too_big: list[str] = []
            for platform in post.platforms:
                rule = limits.get(platform)
                if not rule:
                    continue
                formats = rule.get("formats")
                if formats and fmt not in formats:
                    refused.append(platform)
                    continue
                limit = rule.get("max_bytes_gif") if fmt == "GIF" else None
                limit = limit or rule.get("max_bytes")
                if limit and info.size_bytes > limit:
                    too_big.append(f"{_platform_name(platform)} ({limit / 1e6:g} MB)")
            if refused:
                names = _and([_platform_name(p) for p in refused])
                verb = "does" if len(refused) == 1 else "do"
                accepted = "/".join(limits[refused[0]].get("formats", []))
                yield self.finding(
                    post,
                    f"{info.source} is {_article(fmt)} {fmt}, which {names} {verb} not accept "
                    f"(it takes {accepted}): export it as "
                    f"{'a PNG' if fmt in ('SVG', 'GIF') else 'a JPEG'}",
                    location=info.image.location,
                    field_name=info.field_name,
                )
            if too_big:
                yield self.finding(
                    post,
                    f"{info.source} is {info.size_bytes / 1e6:.1f} MB, over the limit of "
                    f"{_and(too_big)}: compress it or export it smaller",
                    location=info.image.location,
                    field_name=info.field_name,
                )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _article(fmt: str) -> str:
    return "an" if fmt in ("SVG", "AVIF", "MPO") else "a"


def _platform_name(platform: str) -> str:
    return {"x": "X", "linkedin": "LinkedIn", "tiktok": "TikTok", "youtube": "YouTube"}.get(
        platform, platform.capitalize()
    )


CHECKS = [ImageAltMissing, ImageAltWeak, ImageTextNotInAlt, ImageUnreadable, ImagePlatformFormat]
