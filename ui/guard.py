"""What every request of `rag serve` passes first: the API key and the body size limit.

An ASGI middleware, so that it covers every route, the mounted browser chat included. Keys are
compared in constant time. The chat page, opened in a browser, takes the key as the password of
HTTP basic auth (any user name); API clients send `Authorization: Bearer KEY`.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
from typing import Any, Awaitable, Callable

from rag.errors import SettingsError

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

UPLOAD_SUFFIX = "/documents"  # POST …/knowledge-bases/{name}/documents carries files


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_bind(host: str, keys: list[str]) -> None:
    """Refuse to expose the API beyond this machine without keys."""
    if not keys and not is_loopback(host):
        raise SettingsError(f"refusing to serve on {host} without API keys: set RAG_API_KEYS (or RAG_API_KEYS_FILE), "
                            f"or bind 127.0.0.1")


def error_body(status: int, message: str, kind: str) -> bytes:
    """The error shape of the OpenAI API: {"error": {"message", "type", "code"}}."""
    return json.dumps({"error": {"message": message, "type": kind, "code": status}}).encode()


async def send_error(send: Send, status: int, message: str, kind: str, headers: list | None = None) -> None:
    body = error_body(status, message, kind)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class TooLarge(Exception):
    """Raised while the body is read, when it passes the limit (the app answers 413 with this message)."""


class Guard:
    def __init__(self, app: Any, keys: list[str], max_request_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.keys = [k.encode() for k in keys]
        self.max_request_bytes = max_request_bytes
        self.max_upload_bytes = max_upload_bytes

    def _authorized(self, header: bytes) -> bool:
        scheme, _, value = header.partition(b" ")
        token = value.strip()
        if scheme.lower() == b"basic":
            try:
                token = base64.b64decode(token, validate=True).partition(b":")[2]
            except ValueError:
                return False
        elif scheme.lower() != b"bearer":
            return False
        found = False
        for key in self.keys:  # every key compared, in constant time each
            found |= hmac.compare_digest(token, key)
        return found

    def _limit(self, scope: Scope) -> int:
        path = scope.get("path", "")
        if path.startswith("/v1/") and not (scope.get("method") == "POST" and path.endswith(UPLOAD_SUFFIX)):
            return self.max_request_bytes
        return self.max_upload_bytes + 1_000_000  # files (the API's uploads, the chat page's): their limit, plus form overhead

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.keys and not self._authorized(headers.get(b"authorization", b"")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            browser = [] if scope.get("path", "").startswith("/v1/") else [(b"www-authenticate", b'Basic realm="rag-offline"')]
            await send_error(send, 401, "a valid API key is required: send `Authorization: Bearer KEY` "
                                        "(the keys are set by RAG_API_KEYS or RAG_API_KEYS_FILE)", "authentication_error",
                             browser)
            return
        limit = self._limit(scope)
        too_large = f"the request body is over the {limit:,}-byte limit; send less (RAG_MAX_REQUEST_BYTES, " \
                    f"RAG_MAX_UPLOAD_BYTES)"
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await send_error(send, 413, too_large, "invalid_request_error")
            return
        received, started = 0, False

        async def counted() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(too_large)
            return message

        async def tracked(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except TooLarge:
            if not started:
                await send_error(send, 413, too_large, "invalid_request_error")
