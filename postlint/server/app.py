"""The HTTP API and the comms team's web page, over the Python API.

Safe by default: it binds 127.0.0.1; an optional bearer token (compared in constant time);
bodies over the limit get 413 before they are read (from Content-Length, and while
streaming); no path or URL named in a post is ever opened (media must be uploaded);
CORS stays closed, cross-site POSTs and foreign Host headers (DNS rebinding) are refused;
every response carries a strict Content-Security-Policy. Post text is never logged: the
access log has the request line only, and this module logs no payload at any level.

Linting runs in a thread pool, each request as its own run over warm pipelines (no global
lock): engines load once at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import io
import ipaddress
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, UploadFile

from postlint import __version__
from postlint.api import Linter, PostDataError, posts_from_data
from postlint.model import Post
from postlint.pipeline import RunResult
from postlint.readers.fields import ReadOptions
from postlint.reporters.json_report import to_dict
from postlint.server import schema

STATIC = Path(__file__).parent / "static"
SETTINGS_ENV = "POSTLINT_SERVER_SETTINGS"
REQUEST_PATH = "request"  # the "path" of posts that came over HTTP
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "media-src 'self' blob:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


@dataclass(frozen=True)
class Limits:
    """What one request may hold. Every limit is a clear 4xx, never a slow server."""

    max_body_bytes: int = 32 * 1024 * 1024
    max_posts: int = 100
    max_text_chars: int = 20_000
    max_uploads: int = 64
    max_image_pixels: int = 50_000_000
    max_video_seconds: float = 900.0
    max_depth: int = 32
    # A client that trickles its body holds a connection, never the server: past this many
    # seconds between the first byte and the last it gets 408.
    body_seconds: float = 30.0


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    token_env: str | None = None  # name of the environment variable holding the token
    config: str | None = None  # config file; None: the nearest one above the working folder
    limits: Limits = field(default_factory=Limits)
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted besides the bound address
    # Threads linting at once: enough to overlap LanguageTool's latency; more would only add
    # memory (each busy thread holds its own parse buffers), as the GIL runs one at a time.
    lint_threads: int = 4
    warm: bool = True  # load the engines before accepting requests

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> Settings:
        data = json.loads(text)
        data["limits"] = Limits(**data.get("limits", {}))
        data["allowed_hosts"] = tuple(data.get("allowed_hosts", ()))
        return cls(**data)


class ServerConfigError(Exception):
    """The server cannot start as asked (no token in the named variable, say)."""


class RequestProblem(Exception):
    """A request the server refuses: an HTTP status and a message saying what to change."""

    def __init__(self, status: int, detail: str, field: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field


def load_token(settings: Settings) -> bytes | None:
    if not settings.token_env:
        return None
    token = os.environ.get(settings.token_env, "")
    if not token.strip():
        raise ServerConfigError(
            f"--token-env {settings.token_env}: that environment variable is empty or unset; "
            "put the token in it (for example with `export`) before starting the server"
        )
    return token.strip().encode()


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_host_names(settings: Settings) -> set[str] | None:
    """Host header names to accept, or None for any (bound to a public address on purpose)."""
    if settings.allowed_hosts:
        return {h.lower() for h in settings.allowed_hosts} | set(LOOPBACK_NAMES)
    if _is_loopback(settings.host):
        return set(LOOPBACK_NAMES)
    return None


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


# --- the guard: hosts, origins, body size, security headers ----------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class Guard:
    """Pure ASGI middleware: cheap checks before the app runs, headers on every response."""

    def __init__(self, app: Any, settings: Settings):
        self.app = app
        self.limit = settings.limits.max_body_bytes
        self.body_seconds = settings.limits.body_seconds
        self.hosts = allowed_host_names(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.hosts is not None and _host_name(host) not in self.hosts:
            await _send_problem(send_secure, 400, "this server does not answer to that Host")
            return
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin is not None:
            scheme = scope.get("scheme", "http")
            if origin.lower() != f"{scheme}://{host}".lower():
                await _send_problem(send_secure, 403, "cross-site requests are not accepted")
                return
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await _send_problem(send_secure, 400, "Content-Length is not a number")
                return
            if int(length) > self.limit:
                await _send_problem(send_secure, 413, _too_large(self.limit), "body")
                return
        received = 0
        body_done = False
        deadline = asyncio.get_running_loop().time() + self.body_seconds

        async def receive_counted() -> Message:
            nonlocal received, body_done
            if body_done:  # later calls wait for a disconnect: no deadline on those
                return await receive()
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(remaining, 0.001))
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
                body_done = not message.get("more_body", False)
            return message

        await self.app(scope, receive_counted, send_secure)


def _too_large(limit: int) -> str:
    return (
        f"the request is over this server's limit of {limit / 1_048_576:g} MB: send fewer or "
        "smaller files (or start the server with a larger --max-body-mb)"
    )


async def _send_problem(send: Send, status: int, detail: str, field: str | None = None) -> None:
    body = json.dumps({"detail": detail, "field": field}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --- reading a request -----------------------------------------------------------------------


def parse_json(body: bytes, part: str) -> Any:
    where = "the body" if part == "body" else f"the {part!r} part"
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RequestProblem(400, f"{where} is not UTF-8 (byte {exc.start})", part) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestProblem(
            400,
            f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            part,
        ) from None
    except RecursionError:
        raise RequestProblem(400, f"{where} is nested too deeply", part) from None


def check_depth(data: Any, limit: int) -> None:
    """Refuse deeply nested JSON before any code walks it recursively."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            raise RequestProblem(
                400, f"the posts are nested more than {limit} levels deep: no post needs that"
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _count_posts(data: Any) -> int:
    if isinstance(data, dict) and "posts" in data and "text" not in data:
        data = data["posts"]
    return len(data) if isinstance(data, list) else 1


def check_media(posts: list[Post], limits: Limits) -> None:
    """Refuse pictures and videos too big to check in a request's time."""
    for number, post in enumerate(posts):
        for at, image in enumerate(post.images):
            if image.data is None:
                continue
            pixels = _image_pixels(image.data)
            if pixels is not None and pixels > limits.max_image_pixels:
                raise RequestProblem(
                    422,
                    f"image {image.source[:80]!r} has {pixels / 1e6:.0f} million pixels; this "
                    f"server checks up to {limits.max_image_pixels / 1e6:.0f} million: resize it",
                    f"posts[{number}].images[{at}]",
                )
        for at, video in enumerate(post.videos):
            if video.data is None:
                continue
            seconds = _video_seconds(video.data)
            if seconds is not None and seconds > limits.max_video_seconds:
                raise RequestProblem(
                    422,
                    f"video {video.source[:80]!r} lasts {seconds:.0f} s; this server checks "
                    f"videos up to {limits.max_video_seconds:.0f} s",
                    f"posts[{number}].videos[{at}]",
                )


def _image_pixels(data: bytes) -> int | None:
    """Width times height from the header only (no decoding); None if Pillow cannot tell."""
    import warnings

    from PIL import Image

    try:
        # Pillow warns about odd files (an ICO's sizes, a big image) on open: the server's
        # log is no place for that, and the image checks report what matters.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return 10**12
    except Exception:  # not an image Pillow knows: the image checks will say so
        return None
    return width * height


def _video_seconds(data: bytes) -> float | None:
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(io.BytesIO(data)) as container:
            if container.duration is not None:
                return container.duration / 1_000_000
            durations = [
                float(s.duration * s.time_base)
                for s in container.streams
                if s.duration is not None and s.time_base is not None
            ]
            return max(durations) if durations else None
    except Exception:  # unreadable: the video checks will say so
        return None


# --- the application -------------------------------------------------------------------------


@dataclass
class State:
    settings: Settings
    linter: Linter
    token: bytes | None
    limiter: Any = None  # anyio.CapacityLimiter, made inside the event loop
    rules: list[dict[str, Any]] | None = None


def _authorise(request: Request, state: State) -> None:
    if state.token is None:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    supplied = given.strip().encode("latin-1", errors="replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(supplied, state.token):
        raise RequestProblem(401, "send 'Authorization: Bearer <token>' with the server's token")


def lint_payload(
    state: State,
    data: Any,
    uploads: dict[str, bytes],
    select: str | None,
    ignore: str | None,
    platforms: str | None,
) -> dict[str, Any]:
    """Everything a lint request does after its body is read; runs in a worker thread."""
    limits = state.settings.limits
    check_depth(data, limits.max_depth)
    count = _count_posts(data)
    if count > limits.max_posts:
        raise RequestProblem(
            413, f"{count} posts in one request; the limit is {limits.max_posts}", "posts"
        )
    config = state.linter.config
    default_platforms = config.platforms
    if platforms:
        from postlint.api import _platforms

        try:
            default_platforms = tuple(_platforms(platforms) or ())
        except ValueError as exc:
            raise RequestProblem(400, str(exc), "platforms") from None
    options = ReadOptions(default_platforms=default_platforms, timezone=config.timezone)
    try:
        posts = posts_from_data(
            data, path=REQUEST_PATH, options=options, uploads=uploads, open_files=False
        )
    except PostDataError as exc:
        raise RequestProblem(400, exc.message, exc.field) from None
    for number, post in enumerate(posts):
        if len(post.text) > limits.max_text_chars:
            raise RequestProblem(
                422,
                f"the text has {len(post.text):,} characters; a post is at most "
                f"{limits.max_text_chars:,} here",
                f"posts[{number}].text",
            )
    check_media(posts, limits)
    try:
        results = state.linter.lint_posts(posts, select=select, ignore=ignore)
    except ValueError as exc:
        raise RequestProblem(400, str(exc), "select" if select else "ignore") from None
    return to_dict(RunResult(posts=results, files=0))


async def read_request(request: Request, limits: Limits) -> tuple[Any, dict[str, bytes]]:
    """The posts (parsed JSON) and the uploaded files, by name."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return parse_json(await request.body(), "body"), {}
    if kind != "multipart/form-data":
        raise RequestProblem(
            415,
            "send application/json (posts with base64 media) or multipart/form-data (a 'posts' "
            f"part holding JSON, and the files); got {kind or 'no content type'!r}",
        )
    uploads: dict[str, bytes] = {}
    posts_part: bytes | None = None
    async with request.form(
        max_files=limits.max_uploads, max_fields=4, max_part_size=4 * 1024 * 1024
    ) as form:
        for key, value in form.multi_items():
            if key == "posts":
                if isinstance(value, UploadFile):
                    posts_part = await value.read()
                else:
                    posts_part = value.encode("utf-8")
                continue
            if not isinstance(value, UploadFile):
                raise RequestProblem(
                    400, "only the 'posts' part may be a text field; send media as files", key
                )
            blob = await value.read()
            names = {value.filename} if value.filename else set()
            if key not in ("file", "files", "media", "upload", "uploads"):
                names.add(key)
            for name in names:
                if name in uploads:
                    raise RequestProblem(400, f"two uploads are named {name[:80]!r}", key)
                uploads[name] = blob
    if posts_part is None:
        raise RequestProblem(
            400, "no 'posts' part: send the posts as JSON in a form field named 'posts'", "posts"
        )
    return parse_json(posts_part, "posts"), uploads


def _problem_response(problem: RequestProblem) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if problem.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="postlint"'
    return JSONResponse(
        {"detail": problem.detail, "field": problem.field}, problem.status, headers=headers
    )


LINT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"$ref": "#/components/schemas/PostIn"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/PostIn"}},
                    {"$ref": "#/components/schemas/PostsIn"},
                ]
            },
            "example": {
                "text": "Get your #flujab at a pharmacy in Basildon this weekend.",
                "platforms": ["x", "facebook"],
            },
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["posts"],
                "properties": {
                    "posts": {
                        "type": "string",
                        "description": 'JSON: one post, a list, or {"posts": [...]}; media '
                        "entries name the uploaded files.",
                    },
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "Images, videos and caption files, by file name.",
                    },
                },
            }
        },
    },
}
PROBLEMS = {
    status: {"model": schema.ProblemOut, "description": text}
    for status, text in {
        400: "Malformed JSON or a post of the wrong shape (the field is named).",
        401: "A bearer token is required.",
        403: "A cross-site request.",
        413: "The body, or the number of posts, is over the limit.",
        415: "Not JSON or multipart/form-data.",
        422: "A post, image or video over a limit (text length, pixels, video length).",
    }.items()
}


def create_app(settings: Settings | None = None, linter: Linter | None = None) -> Any:
    """The ASGI application (FastAPI inside the guard)."""
    settings = settings or Settings()
    state = State(
        settings,
        linter or Linter(Path(settings.config) if settings.config else None),
        load_token(settings),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.limiter = anyio.CapacityLimiter(settings.lint_threads)
        if settings.warm:
            await anyio.to_thread.run_sync(state.linter.warm_up)
        yield

    app = FastAPI(
        title="postlint",
        version=__version__,
        description="Lint social-media drafts for accessibility, language and safety before "
        "they are published. See docs/server.md.",
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.postlint = state

    @app.exception_handler(RequestProblem)
    async def on_problem(request: Request, problem: RequestProblem) -> JSONResponse:
        return _problem_response(problem)

    @app.exception_handler(BodyTooLarge)
    async def on_too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        return _problem_response(
            RequestProblem(413, _too_large(settings.limits.max_body_bytes), "body")
        )

    @app.exception_handler(BodyTooSlow)
    async def on_too_slow(request: Request, exc: BodyTooSlow) -> JSONResponse:
        detail = f"the request body took more than {settings.limits.body_seconds:g} s to arrive"
        return _problem_response(RequestProblem(408, detail, "body"))

    @app.get("/healthz", response_model=schema.HealthOut, tags=["service"])
    async def healthz() -> dict[str, Any]:
        """Liveness: answers once the engines are loaded. Needs no token."""
        return {
            "status": "ok",
            "version": __version__,
            "auth": state.token is not None,
            "rules": len(state.linter.registry.checks),
        }

    @app.get(
        "/v1/rules",
        response_model=list[schema.RuleOut],
        responses={401: PROBLEMS[401]},
        tags=["lint"],
    )
    async def list_rules(request: Request) -> Any:
        """Every installed rule: code, name, severity, policy clause, explanation, examples."""
        _authorise(request, state)
        if state.rules is None:
            state.rules = state.linter.rules()
        return JSONResponse(state.rules)

    @app.post(
        "/v1/lint",
        responses={200: {"model": schema.LintResponse}, **PROBLEMS},
        openapi_extra={"requestBody": LINT_BODY},
        tags=["lint"],
    )
    async def lint(
        request: Request,
        select: str | None = Query(None, description="Rules to run: codes, prefixes, names."),
        ignore: str | None = Query(None, description="Rules to skip."),
        platforms: str | None = Query(None, description="Platforms for posts naming none."),
    ) -> Response:
        """Lint one post or a list. Findings, score and verdict per post (postlint/v1).

        Media must be in the request: multipart parts named by file name, or base64 'data'.
        A path or URL named in a post is never opened: it is reported as a finding (X001).
        """
        _authorise(request, state)
        data, uploads = await read_request(request, settings.limits)
        work = functools.partial(lint_payload, state, data, uploads, select, ignore, platforms)
        report = await anyio.to_thread.run_sync(work, limiter=state.limiter)
        return JSONResponse(report, headers={"Cache-Control": "no-store"})

    page = (STATIC / "index.html").read_bytes()

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)  # the page names its icon; this is for old habits

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _document_request_models(app)
    return Guard(app, settings)


def _document_request_models(app: FastAPI) -> None:
    """Add the request models to the OpenAPI components (the body is read by hand)."""
    from pydantic.json_schema import models_json_schema

    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = build()
        _, definitions = models_json_schema(
            [(schema.PostIn, "validation"), (schema.PostsIn, "validation")],
            ref_template="#/components/schemas/{model}",
        )
        document.setdefault("components", {}).setdefault("schemas", {}).update(
            definitions.get("$defs", {})
        )
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> Any:
    """Factory for uvicorn's worker processes: settings come from the parent's environment."""
    text = os.environ.get(SETTINGS_ENV)
    return create_app(Settings.from_env(text) if text else Settings())
