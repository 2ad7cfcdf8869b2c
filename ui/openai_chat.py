"""The OpenAI Chat Completions shape of a question and of an answer (pure functions, no server).

The request: `model` names a knowledge base, the last user message is the question and the
earlier user/assistant turns are the history. System messages are not followed: the product's
own prompt decides how to answer (an instruction is data like any other text).

The response: `choices[0].message.content` is the verified answer with its `[n]` markers; the
evidence travels beside it in a `rag` object (citations with source, start, end, quote, score;
`abstained`, its reason and the answer's language). Streamed, the unverified draft arrives as
`rag.draft` pieces (clients that do not know it ignore it), then the verified text as content,
then a last chunk with `finish_reason: "stop"` and the `rag` object. The content is sent only
once verified because a streamed claim cannot be taken back.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from rag.errors import InputError
from rag.types import Answer

ROLES = ("system", "developer", "user", "assistant", "tool", "function")


@dataclass(frozen=True)
class ChatRequest:
    model: str
    question: str
    history: list[tuple[str, str]]
    stream: bool
    overrides: dict[str, Any] = field(default_factory=dict)  # settings by flat name (temperature, …)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):  # content parts: [{"type": "text", "text": "…"}]
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise InputError('only text content is supported; send "content" as text or [{"type": "text", "text": …}]')
            texts.append(part["text"])
        return "\n".join(texts)
    raise InputError('a message\'s "content" must be text')


def _number(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise InputError(f'"{name}" must be a {"whole " if kind is int else ""}number')
    return kind(value)


def parse_chat(body: Any) -> ChatRequest:
    """Check a Chat Completions request and take out what the answer needs."""
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise InputError('give "model": the name of a knowledge base (GET /v1/models lists them)')
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InputError('give "messages": a list of {"role", "content"} objects, the question last')
    turns: list[tuple[str, str]] = []
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            raise InputError(f'each message needs a "role" ({", ".join(ROLES)}) and a "content"')
        if m["role"] in ("user", "assistant"):
            turns.append((m["role"], _text(m.get("content"))))
    if not turns or turns[-1][0] != "user":
        raise InputError("the last message must be the user's question")
    history: list[tuple[str, str]] = []
    asked: str | None = None
    for role, text in turns[:-1]:
        if role == "user":
            asked = text if asked is None else f"{asked}\n{text}"
        elif asked is not None:
            history.append((asked, text))
            asked = None
    if body.get("n", 1) != 1:
        raise InputError('only "n": 1 is supported')
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise InputError('"stream" must be true or false')
    overrides = {"temperature": _number(body, "temperature", float), "seed": _number(body, "seed", int),
                 "max_tokens": _number(body, "max_completion_tokens", int) or _number(body, "max_tokens", int)}
    return ChatRequest(model, turns[-1][1], history, stream, {k: v for k, v in overrides.items() if v is not None})


def evidence(answer: Answer) -> dict[str, Any]:
    """The `rag` object: what backs the content."""
    return {
        "citations": [{"number": c.number, "source": c.source, "start": c.start, "end": c.end, "quote": c.quote,
                       "score": c.score, "support": c.support} for c in answer.citations],
        "abstained": answer.abstained,
        "abstain_reason": answer.trace.abstain_reason if answer.abstained else None,
        "language": answer.language,
    }


def _usage(answer: Answer) -> dict[str, int]:
    prompt, completion = answer.trace.prompt_tokens or 0, answer.trace.completion_tokens or 0
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def new_id() -> tuple[str, int]:
    return f"chatcmpl-{uuid.uuid4().hex}", int(time.time())


def completion(answer: Answer, model: str, cid: str, created: int) -> dict[str, Any]:
    return {"id": cid, "object": "chat.completion", "created": created, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": _usage(answer), "rag": evidence(answer)}


def chunk(cid: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None,
          **extra: Any) -> str:
    """One server-sent event of a streamed completion."""
    body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def final_chunks(answer: Answer, cid: str, created: int, model: str) -> list[str]:
    """The verified content, then the closing chunk with the evidence, then [DONE]."""
    return [chunk(cid, created, model, {"content": answer.text}),
            chunk(cid, created, model, {}, "stop", usage=_usage(answer), rag=evidence(answer)),
            "data: [DONE]\n\n"]
