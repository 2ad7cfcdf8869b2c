"""`rag serve`: one process serving the HTTP API and the browser chat (FastAPI + uvicorn).

    GET    /v1/models                                 the knowledge bases, as OpenAI "models"
    POST   /v1/chat/completions                       OpenAI Chat Completions, streaming or not (ui/openai_chat.py)
    POST   /v1/answers                                {"question", "history"?, "knowledge_base"?} -> Answer.to_dict()
    GET    /v1/knowledge-bases                        the knowledge bases and their sizes
    GET    /v1/knowledge-bases/{kb}/documents         its documents
    GET    /v1/knowledge-bases/{kb}/documents/{name}  one document's stored text (citation offsets point into it)
    POST   /v1/knowledge-bases/{kb}/documents         add documents (multipart files; the chat page's checks)
    DELETE /v1/knowledge-bases/{kb}/documents/{name}  remove one
    POST   /v1/knowledge-bases/{kb}/rebuild           chunk and embed every document again
    GET    /v1/health                                 {"status": "ok"}
    /                                                 the browser chat (Gradio), on the first knowledge base

Errors are JSON (`{"error": {"message", "type", "code"}}`) with an HTTP status and the one-line
message the CLI prints; no stack trace reaches a client. Keys and body limits: ui/guard.py.
"""

from __future__ import annotations

import asyncio
import calendar
import json
import logging
import tempfile
import threading
import time
from contextlib import aclosing
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

import rag
from rag.errors import DocumentError, IndexError_, InputError, ModelError, RagError, SettingsError
from rag.question import validate_question
from rag.settings import Settings

from . import openai_chat
from .answering import Answering, Queued, TimedOut
from .guard import Guard, TooLarge, check_bind, error_body
from .kb import KnowledgeBase

log = logging.getLogger(__name__)

Stream = Callable[..., Iterator["str | rag.Answer"]]


class NotFound(RagError):
    """A knowledge base or a document that does not exist."""


STATUS: list[tuple[type[Exception], int, str]] = [
    (NotFound, 404, "not_found_error"), (TimedOut, 504, "timeout"), (SettingsError, 400, "invalid_request_error"),
    (InputError, 400, "invalid_request_error"), (IndexError_, 503, "server_error"), (ModelError, 503, "server_error"),
    (RagError, 400, "invalid_request_error"),
]


def _error(exc: Exception) -> JSONResponse:
    for cls, status, kind in STATUS:
        if isinstance(exc, cls):
            return JSONResponse(json.loads(error_body(status, str(exc), kind)), status)
    log.error("internal error", exc_info=exc)
    return JSONResponse(json.loads(error_body(500, "internal error; the server's log has the details", "server_error")),
                        500)


class Api:
    """The routes, over named knowledge bases; `stream` is the answer function (tests pass a fake)."""

    def __init__(self, settings: Settings, kbs: dict[str, KnowledgeBase], stream: Stream = rag.stream_answer) -> None:
        if not kbs:
            raise SettingsError("rag serve needs at least one knowledge base")
        self.settings, self.kbs, self.stream = settings, kbs, stream
        # answers made at once (RAG_CONCURRENCY with a server LLM, else one); the others wait their turn
        self.slots = asyncio.Semaphore(settings.server.parallel(settings.models))
        self.waiting = 0  # requests waiting for a turn

    def kb(self, name: str) -> KnowledgeBase:
        if name not in self.kbs:
            raise NotFound(f"unknown knowledge base {name!r}; GET /v1/models lists them: {', '.join(self.kbs)}")
        return self.kbs[name]

    def _prepare(self, question: str, overrides: dict[str, Any]) -> tuple[str, Settings, float]:
        """Checked before anything starts (a bad request costs nothing): the question, the request's
        settings and its deadline (the time limit counts from here, waiting for a turn included)."""
        settings = self.settings.replace(**overrides)
        return validate_question(question, settings), settings, time.monotonic() + settings.server.request_timeout_s

    async def _events(self, question: str, history: list[tuple[str, str]], kb: KnowledgeBase, settings: Settings,
                      deadline: float) -> AsyncIterator[Any]:
        """The answer's events, once a turn is free (RAG_CONCURRENCY with a server LLM, else one at a time)."""
        limit = settings.server.request_timeout_s
        if self.slots.locked():
            yield Queued(self.waiting + 1)  # every turn is taken: this request's place in the queue
        self.waiting += 1
        try:
            await asyncio.wait_for(self.slots.acquire(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise TimedOut(limit) from None
        finally:
            self.waiting -= 1
        try:
            events = self.stream(question, index=kb.index, history=history or None, settings=settings)
            # The thread gives the turn back when the answer's stream is closed, even if this request is
            # cancelled first (a client that leaves once it has read the last chunk).
            answering = Answering(events, deadline, limit, on_done=self.slots.release)
        except BaseException:
            self.slots.release()
            raise
        async with aclosing(answering.events()) as answered:
            async for event in answered:
                yield event

    async def answer(self, question: str, history: list[tuple[str, str]], kb: KnowledgeBase,
                     overrides: dict[str, Any] | None = None) -> rag.Answer:
        question, settings, deadline = self._prepare(question, overrides or {})
        async with aclosing(self._events(question, history, kb, settings, deadline)) as events:
            async for event in events:
                if isinstance(event, rag.Answer):
                    return event
        raise RuntimeError("the answer stream ended without an answer")

    # --- routes ------------------------------------------------------------------------------

    async def models(self) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": name, "object": "model", "created": _created(kb),
                                            "owned_by": "rag-offline"} for name, kb in self.kbs.items()]}

    async def chat(self, request: Request) -> Any:
        req = openai_chat.parse_chat(await _json(request))
        kb = self.kb(req.model)
        cid, created = openai_chat.new_id()
        if not req.stream:
            answer = await self.answer(req.question, req.history, kb, req.overrides)
            return openai_chat.completion(answer, req.model, cid, created)
        question, settings, deadline = self._prepare(req.question, req.overrides)

        async def events() -> AsyncIterator[str]:
            yield openai_chat.chunk(cid, created, req.model, {"role": "assistant", "content": ""})
            try:
                async with aclosing(self._events(question, req.history, kb, settings, deadline)) as answering:
                    async for event in answering:
                        if isinstance(event, rag.Answer):
                            for piece in openai_chat.final_chunks(event, cid, created, req.model):
                                yield piece
                            return
                        if isinstance(event, Queued):
                            yield openai_chat.chunk(cid, created, req.model, {}, rag={"queue_position": event.position})
                            continue
                        yield openai_chat.chunk(cid, created, req.model, {}, rag={"draft": event})
            except Exception as exc:  # the status line is sent: the error goes in the stream, as OpenAI does
                yield f"data: {json.dumps(json.loads(_error(exc).body))}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def answers(self, request: Request) -> dict[str, Any]:
        body = await _json(request)
        if not isinstance(body, dict) or not isinstance(body.get("question"), str):
            raise InputError('send {"question": "…"} (optional: "history": [[question, answer], …], "knowledge_base")')
        history = body.get("history") or []
        if not isinstance(history, list) or not all(isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)
                                                    for h in history):
            raise InputError('"history" must be a list of [question, answer] pairs of text')
        kb = self.kb(body.get("knowledge_base") or next(iter(self.kbs)))
        answer = await self.answer(body["question"], [(q, a) for q, a in history], kb)
        return answer.to_dict()

    async def knowledge_bases(self) -> dict[str, Any]:
        return {"data": [{"name": n, "documents": len(kb.index.sources()), "chunks": len(kb.index.chunks),
                          "embedder": kb.index.embedder_name, "version": kb.index.version} for n, kb in self.kbs.items()]}

    async def documents(self, kb: str) -> dict[str, Any]:
        return {"data": self.kb(kb).index.sources()}

    def _document(self, kb: KnowledgeBase, name: str) -> str:
        if name not in {s["name"] for s in kb.index.sources()}:
            raise NotFound(f"no document {name!r} in this knowledge base; GET its /documents lists them")
        return name

    async def document(self, kb: str, name: str) -> dict[str, Any]:
        base = self.kb(kb)
        return {"name": self._document(base, name), "text": base.index.source_text(name)}

    async def upload(self, kb: str, request: Request) -> JSONResponse:
        base = self.kb(kb)
        form = await request.form(max_files=100)
        try:
            files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
            if not files:
                raise InputError('send the documents as multipart form files (for example the field "files")')
            with tempfile.TemporaryDirectory(prefix="rag-upload-") as tmp:
                paths, refused = [], []
                for f in files:
                    try:
                        target = Path(tmp) / base.safe_name(f.filename or "")
                    except DocumentError as exc:
                        refused.append(str(exc))
                        continue
                    target.write_bytes(await f.read())
                    paths.append(str(target))
                added, more = await run_in_threadpool(base.add, paths) if paths else ([], [])
        finally:
            await form.close()
        refused += more
        if not added:
            raise DocumentError("; ".join(refused) or "nothing was added")
        return JSONResponse({"added": added, "refused": refused, "documents": len(base.index.sources())})

    async def remove(self, kb: str, name: str) -> dict[str, Any]:
        base = self.kb(kb)
        await run_in_threadpool(base.remove, [self._document(base, name)])
        return {"removed": [name], "documents": len(base.index.sources())}

    async def rebuild(self, kb: str) -> dict[str, Any]:
        index = await run_in_threadpool(self.kb(kb).rebuild)
        return {"documents": len(index.sources()), "chunks": len(index.chunks),
                "embedded_chunks": index.report.embedded_chunks if index.report else 0}


def _created(kb: KnowledgeBase) -> int:
    try:
        return calendar.timegm(time.strptime(kb.index.manifest["updated"], "%Y-%m-%dT%H:%M:%SZ"))
    except (KeyError, ValueError):
        return 0


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the request body is not valid JSON ({exc.__class__.__name__}: {exc})") from None


def create_api(settings: Settings, kbs: dict[str, KnowledgeBase], stream: Stream = rag.stream_answer,
               chat_page: bool = True) -> Guard:
    """The whole server as one ASGI app: the routes, the chat page at /, behind the key and size guard."""
    api = Api(settings, kbs, stream)
    app = FastAPI(title="rag-offline", docs_url=None, redoc_url=None, openapi_url=None)
    routes = [("GET", "/v1/models", api.models), ("POST", "/v1/chat/completions", api.chat),
              ("POST", "/v1/answers", api.answers), ("GET", "/v1/knowledge-bases", api.knowledge_bases),
              ("GET", "/v1/knowledge-bases/{kb}/documents", api.documents),
              ("GET", "/v1/knowledge-bases/{kb}/documents/{name}", api.document),
              ("POST", "/v1/knowledge-bases/{kb}/documents", api.upload),
              ("DELETE", "/v1/knowledge-bases/{kb}/documents/{name}", api.remove),
              ("POST", "/v1/knowledge-bases/{kb}/rebuild", api.rebuild)]
    for method, path, handler in routes:
        app.add_api_route(path, handler, methods=[method])
    app.add_api_route("/v1/health", lambda: {"status": "ok"}, methods=["GET"])
    app.add_exception_handler(Exception, lambda request, exc: _error(exc))
    app.add_exception_handler(TooLarge, lambda request, exc: JSONResponse(
        json.loads(error_body(413, str(exc), "invalid_request_error")), 413))
    app.add_exception_handler(HTTPException, lambda request, exc: JSONResponse(
        json.loads(error_body(exc.status_code, str(exc.detail), "invalid_request_error")), exc.status_code))
    if chat_page:
        _mount_chat(app, settings, next(iter(kbs.values())))
    return Guard(app, settings.server.keys(), settings.server.max_request_bytes, settings.limits.max_upload_bytes)


def _mount_chat(app: FastAPI, settings: Settings, kb: KnowledgeBase) -> None:
    import gradio as gr

    from . import render
    from .app import ChatPage

    page = ChatPage(settings, kb=kb)
    gr.mount_gradio_app(app, page.demo, path="/", css=render.CSS, head=render.HEAD, show_error=True,
                        max_file_size=settings.limits.max_upload_bytes)


def knowledge_bases(specs: list[str], settings: Settings) -> dict[str, KnowledgeBase]:
    """`NAME=DIR` or `DIR` (named after its folder) for each; none: the bundled article, as "default"."""
    kbs: dict[str, KnowledgeBase] = {}
    for spec in specs:
        name, _, folder = spec.partition("=") if "=" in spec else (Path(spec).expanduser().name, "", spec)
        if not name or name in kbs:
            raise SettingsError(f"--index {spec}: give each knowledge base its own name, as NAME=DIR")
        kbs[name] = KnowledgeBase(settings, rag.open_index(folder, settings))
    return kbs or {"default": KnowledgeBase(settings)}


def serve(settings: Settings, kbs: dict[str, KnowledgeBase] | None = None) -> None:
    """Start the server (blocks until Ctrl-C). Refuses a non-loopback address without API keys."""
    import uvicorn

    check_bind(settings.server.ui_host, settings.server.keys())
    kbs = kbs or {"default": KnowledgeBase(settings)}
    first = next(iter(kbs.values()))
    threading.Thread(target=_warm_up, args=(first, settings), daemon=True, name="warm-up").start()
    uvicorn.run(create_api(settings, kbs), host=settings.server.ui_host, port=settings.server.ui_port,
                log_level="info", timeout_graceful_shutdown=5)


def _warm_up(kb: KnowledgeBase, settings: Settings) -> None:
    try:
        rag.warm_up(kb.index, settings)
    except RagError as exc:
        log.warning("warm-up failed: %s", exc)
