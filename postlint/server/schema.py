"""Pydantic models that document the HTTP API in its OpenAPI schema.

They describe the request and the response; the server itself reads requests with the same
code as the Python API (``postlint.api.posts_from_data``), so a field means the same thing
in a file, from Python and over HTTP.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ImageIn(BaseModel):
    """An image: an upload named by ``name``, or its bytes in ``data`` (base64)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(
        None, description="File name of a multipart upload (or a label for base64 data)."
    )
    data: str | None = Field(None, description="The image, base64 encoded.")
    alt: str | None = Field(None, description="Alternative text.")
    decorative: bool = Field(False, description="Purely decorative: no alt text needed.")


class CaptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, description="File name of an uploaded SRT or WebVTT file.")
    data: str | None = Field(None, description="The caption file, base64 encoded.")


class VideoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, description="File name of a multipart upload.")
    data: str | None = Field(None, description="The video, base64 encoded.")
    captions: list[str | CaptionIn] = Field(
        default_factory=list, description="Caption files: upload names or base64 objects."
    )
    burned_in_captions: bool = Field(False, description="Captions are part of the picture.")


class AccountIn(BaseModel):
    handle: str | None = None
    kind: Literal["corporate", "departmental", "personal"] = "corporate"
    name: str | None = None


class PostIn(BaseModel):
    """One post, as the JSON/YAML reader reads it. Media is never read from a path or URL:
    a media entry must name an upload or carry base64 ``data``."""

    text: str = Field(..., description="The message as it will be published.")
    id: str | None = Field(None, description="Your identifier, echoed in the result.")
    platforms: list[str] | str | None = Field(
        None, description="x, facebook, instagram, linkedin, tiktok, youtube, threads, ..."
    )
    account: AccountIn | str | None = None
    scheduled: str | None = Field(None, description="2026-12-03 09:30 (Europe/London).")
    images: list[ImageIn | str] = Field(default_factory=list)
    videos: list[VideoIn | str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    embargo: str | dict | bool | None = None
    consent: bool | list[str] | dict[str, bool] | None = None
    metadata: dict = Field(default_factory=dict)
    postlint: dict | None = Field(None, description='Suppressions: {"disable": ["A001"]}.')


class PostsIn(BaseModel):
    posts: list[PostIn]


class LocationOut(BaseModel):
    path: str
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    row: int | None
    field: str | None = Field(None, description="The post field, such as images[0].")


class SpanOut(BaseModel):
    start: int = Field(..., description="Offset in the post's text (Python characters).")
    end: int


class FixOut(BaseModel):
    start: int
    end: int
    replacement: str
    description: str
    safe: bool = Field(..., description="Safe fixes never change the meaning.")


class FindingOut(BaseModel):
    code: str = Field(..., examples=["A001"])
    name: str = Field(..., examples=["hashtag-camel-case"])
    severity: Literal["error", "warning", "info"]
    message: str
    policy: str = Field(..., description="The policy clause or guidance behind the rule.")
    suggestion: str | None
    location: LocationOut
    span: SpanOut | None = Field(..., description="Null for findings about a field.")
    fixes: list[FixOut]


class CountsOut(BaseModel):
    error: int
    warning: int
    info: int


class PostOut(BaseModel):
    label: str
    path: str
    id: str | None
    score: int = Field(..., ge=0, le=100)
    verdict: Literal["pass", "fail"]
    counts: CountsOut
    findings: list[FindingOut]


class SummaryOut(BaseModel):
    files: int
    posts: int
    passed: int
    failed: int
    findings: int
    verdict: Literal["pass", "fail"]


class LintResponse(BaseModel):
    """The JSON reporter's schema, postlint/v1."""

    schema_: Literal["postlint/v1"] = Field(..., alias="schema")
    version: str
    summary: SummaryOut
    posts: list[PostOut]


class ProblemOut(BaseModel):
    detail: str = Field(..., description="What is wrong and what to do.")
    field: str | None = Field(None, description="The request field at fault, if any.")


class RuleOut(BaseModel):
    code: str
    name: str
    family: str
    severity: str
    fixable: bool
    policy: str
    summary: str
    explanation: str
    examples: list[dict]
    options: dict


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    auth: bool = Field(..., description="True when requests need a bearer token.")
    rules: int
