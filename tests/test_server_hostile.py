"""The hostile corpus sent to the HTTP API: every case gets a clear answer, never a crash.

Each case of tests/hostile_corpus.py is sent the way a scheduling tool would send it: the
draft's posts (read by postlint's own reader) as JSON, with the images, videos and caption
files they name uploaded in the same request; a draft the reader refuses (bad encoding,
binary, broken front matter) is sent as its raw text. The in-process test client raises any
exception the server lets through, so a crash fails the test. Every answer must be JSON with
a 2xx or a 4xx status (413 for what is over the body limit, 422 or 400 for what is refused)
and no traceback; 200 answers must be reports in the JSON reporter's schema.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hostile_corpus import build

from postlint import Linter
from postlint.config import Config
from postlint.readers import ReadOptions, read_path
from postlint.server.app import Limits, Settings, create_app

BASE = "http://127.0.0.1"
NO_LT = ("L001", "L002", "L003")  # the API's LanguageTool path has its own tests
ANSWERS = {200, 400, 413, 415, 422}
SCHEMA = Path(__file__).resolve().parent.parent / "postlint" / "data" / "report-schema-v1.json"


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-api") / "drafts"
    return build(root)


@pytest.fixture(scope="module")
def client():
    limits = Limits(max_body_bytes=8 * 1024 * 1024)
    app = create_app(Settings(limits=limits, warm=False), Linter(Config(ignore=NO_LT)))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def _upload(path: Path | None, limit: int) -> bytes | None:
    """The bytes of a media file a client could send: regular files only, and none bigger
    than the body limit allows (those are sent truncated, to be refused with 413)."""
    if path is None:
        return None
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a folder or a named pipe: nothing a client could upload
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def _request(case_path: Path) -> tuple[dict, list]:
    """The JSON body and the uploads a scheduling tool would send for this draft."""
    read = read_path(case_path, ReadOptions(allow_media_outside=True))
    if not read.posts:
        raw = case_path.read_bytes()[: 9 * 1024 * 1024] if case_path.is_file() else b""
        # Lone surrogates stand for undecodable bytes: JSON carries them as \udcXX escapes.
        return {"text": raw.decode("utf-8", "surrogateescape")}, []
    posts, uploads = [], []
    for post in read.posts[:20]:
        entry: dict = {"text": post.text, "platforms": post.platforms}
        images = []
        for image in post.images:
            name = Path(image.source or "image").name
            images.append({"name": name, "alt": image.alt})
            uploads.append((name, _upload(image.path, 8 * 1024 * 1024)))
        videos = []
        for video in post.videos:
            name = Path(video.source or "video").name
            captions = [Path(c).name for c in video.captions]
            videos.append({"name": name, "captions": captions})
            uploads.append((name, _upload(video.path, 8 * 1024 * 1024)))
            uploads += [(Path(c).name, _upload(Path(c), 8 * 1024 * 1024)) for c in video.captions]
        if images:
            entry["images"] = images
        if videos:
            entry["videos"] = videos
        posts.append(entry)
    return {"posts": posts}, [(n, b) for n, b in uploads if b is not None]


def _send(client: TestClient, body: dict, uploads: list):
    if not uploads:
        return client.post("/v1/lint", content=json.dumps(body).encode(), headers={
            "Content-Type": "application/json"
        })  # fmt: skip
    files = [("files", (name, data, "application/octet-stream")) for name, data in uploads]
    return client.post("/v1/lint", data={"posts": json.dumps(body["posts"])}, files=files)


@pytest.mark.slow
@pytest.mark.filterwarnings("error::UserWarning")  # Pillow's warnings must not reach the log
def test_every_hostile_case_gets_a_clear_answer(cases, client):
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    answered: dict[int, int] = {}
    for case in cases:
        body, uploads = _request(case.draft)
        answer = _send(client, body, uploads)
        answered[answer.status_code] = answered.get(answer.status_code, 0) + 1
        assert answer.status_code in ANSWERS, (case.name, answer.status_code, answer.text[:300])
        assert "Traceback" not in answer.text, case.name
        payload = answer.json()
        if answer.status_code == 200:
            jsonschema.validate(payload, schema)
            assert payload["posts"], case.name
        else:
            assert payload.get("detail"), (case.name, payload)
    assert answered.get(200, 0) >= len(cases) // 2, answered
    assert client.get("/healthz").status_code == 200


def test_undecodable_bytes_in_json_text_are_a_finding_not_a_crash(client):
    raw = b"Flu jabs \xff\xfe today #flujab\n".decode("utf-8", "surrogateescape")
    body = json.dumps({"text": raw}).encode()  # ASCII JSON: the surrogates as \udcXX escapes
    answer = client.post(
        "/v1/lint?select=A001,X", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 200, answer.text
    found = [f["code"] for f in answer.json()["posts"][0]["findings"]]
    assert "X001" in found and "A001" in found
