"""The HTTP API: real FastAPI app, real engines, real uvicorn for the socket-level tests."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from PIL import Image

from postlint.api import Linter
from postlint.check import Check
from postlint.config import Config
from postlint.findings import Severity
from postlint.registry import Registry, load_registry
from postlint.server import schema
from postlint.server.app import STATIC, Limits, Settings, create_app

BASE = "http://127.0.0.1"
DRAFT = "Email jane.smith@gmail.com to book your flu jab at the Basildon clinic."
# Rules that need no LanguageTool: the tests stay fast and do not depend on a JVM.
NO_LT = ("L001", "L002", "L003")


def png(width: int = 640, height: int = 360) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 94, 184)).save(out, "PNG")
    return out.getvalue()


def make_app(**settings):
    limits = settings.pop("limits", Limits())
    linter = settings.pop("linter", None) or Linter(Config(ignore=NO_LT))
    return create_app(Settings(limits=limits, warm=False, **settings), linter)


@pytest.fixture(scope="module")
def client():
    with TestClient(make_app(), base_url=BASE) as test_client:
        yield test_client


def codes(report: dict, post: int = 0) -> list[str]:
    return [f["code"] for f in report["posts"][post]["findings"]]


# --- linting --------------------------------------------------------------------------------


def test_health(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["auth"] is False and body["rules"] > 3


def test_one_post_gives_the_json_report(client):
    answer = client.post("/v1/lint", json={"text": DRAFT, "platforms": ["x"]})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    schema.LintResponse.model_validate(report)
    assert report["schema"] == "postlint/v1"
    assert report["summary"]["posts"] == 1
    post = report["posts"][0]
    email = next(f for f in post["findings"] if f["code"] == "S003")
    assert DRAFT[email["span"]["start"] : email["span"]["end"]] == "jane.smith@gmail.com"
    assert email["policy"] and email["fixes"][0]["safe"] is False
    assert post["verdict"] == "fail" and post["score"] < 100
    assert answer.headers["cache-control"] == "no-store"


def test_lists_and_wrapped_lists_with_ids(client):
    posts = [
        {"id": "flu-1", "text": DRAFT, "platforms": "x"},
        {"id": "flu-2", "text": "Flu jabs are free for over-65s. Book at your GP practice."},
    ]
    for body in (posts, {"posts": posts}):
        report = client.post("/v1/lint", json=body).json()
        assert [p["id"] for p in report["posts"]] == ["flu-1", "flu-2"]
        assert "S003" in codes(report, 0) and "S003" not in codes(report, 1)


def test_select_ignore_and_platforms_in_the_query(client):
    report = client.post("/v1/lint?select=S003", json={"text": DRAFT}).json()
    assert codes(report) == ["S003"]
    report = client.post("/v1/lint?ignore=S", json={"text": DRAFT}).json()
    assert not any(c.startswith("S") for c in codes(report))
    answer = client.post("/v1/lint?select=Q999", json={"text": DRAFT})
    assert answer.status_code == 400 and answer.json()["field"] == "select"
    answer = client.post("/v1/lint?platforms=myspace", json={"text": DRAFT})
    assert answer.status_code == 400 and answer.json()["field"] == "platforms"


def test_uploaded_images_are_checked(client):
    posts = [
        {"text": "Our new Thurrock clinic opens on Monday.", "images": [{"name": "clinic.png"}]},
        {
            "text": "Our new Thurrock clinic opens on Monday.",
            "images": [{"name": "clinic.png", "alt": "The entrance of the new Thurrock clinic."}],
        },
    ]
    answer = client.post(
        "/v1/lint?select=A04",
        data={"posts": json.dumps(posts)},
        files=[("files", ("clinic.png", png(), "image/png"))],
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert "A040" in codes(report, 0)  # no alt text
    assert "A040" not in codes(report, 1)
    alt = next(f for f in report["posts"][0]["findings"] if f["code"] == "A040")
    assert alt["location"]["field"] == "images[0]" and alt["span"] is None


def test_base64_media_in_json(client):
    body = {
        "text": "Our new Thurrock clinic opens on Monday.",
        "images": [{"name": "c.png", "data": base64.b64encode(png()).decode(), "alt": ""}],
    }
    answer = client.post("/v1/lint?select=A04,X", json=body)
    assert answer.status_code == 200
    assert "A040" in codes(answer.json())


def test_named_paths_and_urls_are_never_opened(client, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png())
    opened: list[str] = []
    watching = threading.Event()

    def audit(event, args):
        if watching.is_set() and event == "open" and str(args[0]).startswith(str(tmp_path)):
            opened.append(str(args[0]))

    sys.addaudithook(audit)
    body = {
        "text": "Clinic open.",
        "images": [
            {"path": str(secret), "alt": "A clinic"},
            {"name": "https://example.org/poster.png", "alt": "A poster"},
            "../secret.png",
        ],
        "video": {"name": str(tmp_path / "clip.mp4"), "captions": [str(tmp_path / "c.vtt")]},
    }
    watching.set()
    try:
        answer = client.post("/v1/lint", json=body)
    finally:
        watching.clear()
    assert answer.status_code == 200
    assert opened == []
    messages = [f["message"] for f in answer.json()["posts"][0]["findings"] if f["code"] == "X001"]
    assert len(messages) == 5
    assert all("was not uploaded" in m for m in messages)
    assert any("never opens a URL" in m for m in messages)
    assert answer.json()["posts"][0]["verdict"] == "fail"


# --- refusals -------------------------------------------------------------------------------


def test_malformed_json_names_the_place(client):
    answer = client.post(
        "/v1/lint", content=b'{"text": "Flu jab",}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "body" and "line 1, column" in answer.json()["detail"]
    answer = client.post("/v1/lint", data={"posts": "[{"}, files=[("f", ("a.png", b"x"))])
    assert answer.status_code == 400 and answer.json()["field"] == "posts"
    answer = client.post("/v1/lint", json=[{"text": "ok"}, {"text": 42}])
    assert answer.status_code == 400
    assert answer.json()["field"] == "posts[1].text" and "string" in answer.json()["detail"]
    answer = client.post("/v1/lint", json={"platforms": ["x"]})
    assert answer.status_code == 400 and answer.json()["field"] == "text"
    answer = client.post("/v1/lint", json={"text": "x", "images": [{"name": "a", "data": "%%"}]})
    assert answer.status_code == 400 and answer.json()["field"] == "images[0].data"
    answer = client.post("/v1/lint", data={"other": "1"}, files=[("f", ("a.png", b"x"))])
    assert answer.status_code == 400 and answer.json()["field"] == "other"


def test_deep_nesting_is_refused(client):
    deep = {"text": "x", "metadata": {}}
    node = deep["metadata"]
    for _ in range(60):
        node["a"] = {}
        node = node["a"]
    assert client.post("/v1/lint", json=deep).status_code == 400
    very_deep = b'{"text": "x", "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    answer = client.post(
        "/v1/lint", content=very_deep, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "nested" in answer.json()["detail"]


def test_wrong_content_type(client):
    answer = client.post("/v1/lint", content=DRAFT, headers={"content-type": "text/plain"})
    assert answer.status_code == 415
    assert "multipart/form-data" in answer.json()["detail"]


def test_limits():
    limits = Limits(
        max_body_bytes=300_000, max_posts=3, max_text_chars=500, max_image_pixels=500_000
    )
    with TestClient(make_app(limits=limits), base_url=BASE) as small:
        answer = small.post("/v1/lint", json=[{"text": "Flu jab"}] * 4)
        assert answer.status_code == 413 and answer.json()["field"] == "posts"
        answer = small.post("/v1/lint", json={"text": "a" * 501})
        assert answer.status_code == 422 and answer.json()["field"] == "posts[0].text"
        answer = small.post(
            "/v1/lint",
            data={"posts": json.dumps({"text": "Clinic", "images": [{"name": "big.png"}]})},
            files=[("files", ("big.png", png(1000, 600), "image/png"))],
        )
        assert answer.status_code == 422
        assert answer.json()["field"] == "posts[0].images[0]" and "million" in answer.text
        big = json.dumps({"text": "x", "metadata": {"pad": "a" * 400_000}}).encode()
        answer = small.post("/v1/lint", content=big, headers={"content-type": "application/json"})
        assert answer.status_code == 413 and "limit" in answer.json()["detail"]

        def chunks():  # no Content-Length: the limit holds while streaming
            for _ in range(100):
                yield b" " * 10_000

        answer = small.post(
            "/v1/lint", content=chunks(), headers={"content-type": "application/json"}
        )
        assert answer.status_code == 413


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is needed to make a video")
def test_long_videos_are_refused(tmp_path):
    video = tmp_path / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=64x64:d=3:r=5",
         "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )  # fmt: skip
    with TestClient(make_app(limits=Limits(max_video_seconds=2)), base_url=BASE) as small:
        answer = small.post(
            "/v1/lint",
            data={"posts": json.dumps({"text": "Watch our video", "video": "clip.mp4"})},
            files=[("files", ("clip.mp4", video.read_bytes(), "video/mp4"))],
        )
    assert answer.status_code == 422
    assert answer.json()["field"] == "posts[0].videos[0]" and "3 s" in answer.json()["detail"]


def test_bearer_token(monkeypatch):
    monkeypatch.setenv("POSTLINT_TEST_TOKEN", "s3cret-token")
    with TestClient(make_app(token_env="POSTLINT_TEST_TOKEN"), base_url=BASE) as secured:
        assert secured.get("/healthz").json()["auth"] is True
        answer = secured.post("/v1/lint", json={"text": DRAFT})
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        wrong = {"Authorization": "Bearer s3cret-tokem"}
        assert secured.post("/v1/lint", json={"text": DRAFT}, headers=wrong).status_code == 401
        odd = {"Authorization": "Bearer s3cret-tøken".encode()}
        assert secured.post("/v1/lint", json={"text": DRAFT}, headers=odd).status_code == 401
        right = {"Authorization": "Bearer s3cret-token"}
        assert secured.post("/v1/lint", json={"text": DRAFT}, headers=right).status_code == 200
        assert secured.get("/v1/rules").status_code == 401
        assert secured.get("/v1/rules", headers=right).status_code == 200


def test_a_named_but_empty_token_variable_stops_the_server(monkeypatch):
    from postlint.server.app import ServerConfigError

    monkeypatch.delenv("POSTLINT_TEST_TOKEN", raising=False)
    with pytest.raises(ServerConfigError, match="POSTLINT_TEST_TOKEN"):
        make_app(token_env="POSTLINT_TEST_TOKEN")


def test_cors_stays_closed_and_cross_site_posts_are_refused(client):
    preflight = client.options(
        "/v1/lint",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    answer = client.post(
        "/v1/lint", json={"text": DRAFT}, headers={"Origin": "https://evil.example"}
    )
    assert answer.status_code == 403 and "access-control-allow-origin" not in answer.headers
    same = client.post("/v1/lint", json={"text": DRAFT}, headers={"Origin": BASE})
    assert same.status_code == 200


def test_foreign_host_headers_are_refused(client):
    answer = client.get("/healthz", headers={"Host": "attacker.example"})
    assert answer.status_code == 400
    assert client.get("/healthz", headers={"Host": "localhost:8765"}).status_code == 200


def test_security_headers_and_a_page_without_inline_code(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    html = page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline handlers
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing from elsewhere
    for name in ("app.js", "app.css"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200
        assert "content-security-policy" in asset.headers
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "eval(" not in script and "document.write" not in script


def test_rules_and_openapi(client):
    rules = client.get("/v1/rules").json()
    assert {"code", "name", "policy", "explanation", "examples"} <= set(rules[0])
    document = client.get("/openapi.json").json()
    lint = document["paths"]["/v1/lint"]["post"]
    assert set(lint["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "401", "413", "415", "422"} <= set(lint["responses"])
    components = document["components"]["schemas"]
    assert {"PostIn", "PostsIn", "LintResponse", "FindingOut"} <= set(components)
    assert client.get("/docs").status_code == 404  # interactive docs would need a CDN


# --- concurrency ----------------------------------------------------------------------------


class Slow(Check):
    """Blocks like a slow engine call, and records how many run at once."""

    code = "Z401"
    name = "slow-engine"
    severity = Severity.INFO
    running = 0
    most = 0
    lock = threading.Lock()

    def check(self, post, ctx):
        with Slow.lock:
            Slow.running += 1
            Slow.most = max(Slow.most, Slow.running)
        time.sleep(0.3)
        with Slow.lock:
            Slow.running -= 1
        return ()


def test_requests_are_linted_concurrently():
    base = load_registry()
    registry = Registry({"X001": base.checks["X001"], "Z401": Slow}, base.analyses)
    app = make_app(linter=Linter(Config(), registry=registry))
    with TestClient(app, base_url=BASE) as test_client:
        started = time.perf_counter()
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(
                    lambda n: test_client.post("/v1/lint", json={"text": f"Post {n}"}), range(6)
                )
            )
        elapsed = time.perf_counter() - started
    assert all(a.status_code == 200 for a in answers)
    assert Slow.most >= 4  # not one at a time behind a lock
    assert elapsed < 6 * 0.3


# --- a real socket --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live(request):
    """A real uvicorn server in a thread, logging through the standard logging module."""
    port = free_port()
    limits = getattr(request, "param", Limits())
    config = uvicorn.Config(
        make_app(limits=limits, port=port),
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="debug",
        access_log=True,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", port
    server.should_exit = True
    thread.join(10)


def test_post_text_is_never_logged(live, caplog):
    url, _port = live
    marker = "Zanzibarquux-confidential-draft"
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=url) as http:
        assert http.post("/v1/lint", json={"text": f"{marker} at the Southend clinic"}).is_success
        http.post("/v1/lint", json=[{"text": marker}, {"text": 5, "id": marker}])
        broken = f'{{"text": "{marker}"'
        http.post("/v1/lint", content=broken, headers={"content-type": "application/json"})
        http.post(
            "/v1/lint",
            data={"posts": json.dumps({"text": marker, "images": [{"name": "a.png"}]})},
            files=[("files", ("a.png", png(), "image/png"))],
        )
    assert any("POST /v1/lint" in r.getMessage() for r in caplog.records)  # the log works
    assert marker not in caplog.text
    for record in caplog.records:
        assert marker not in repr(record.args)


@pytest.mark.parametrize("live", [Limits(max_body_bytes=1_000_000)], indirect=True)
def test_an_oversized_body_is_refused_before_it_is_read(live):
    _url, port = live
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(
            b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000000000\r\n\r\n" + b"[" * 1000
        )
        started = time.perf_counter()
        reply = raw.recv(65536).decode("latin-1")
    assert reply.startswith("HTTP/1.1 413")
    assert time.perf_counter() - started < 2
    assert "content-security-policy" in reply.lower()


def test_serve_command_refuses_a_missing_token(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "postlint.server", "--token-env", "POSTLINT_NO_SUCH_VAR_HERE"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "POSTLINT_NO_SUCH_VAR_HERE" in out.stderr


def test_static_files_are_packaged():
    assert {p.name for p in STATIC.iterdir()} >= {"index.html", "app.js", "app.css"}
    assert Path(STATIC).is_dir()
