"""Unit tier: the LLM behind an OpenAI-compatible server, against scripted HTTP replies (no server,
no weights). The real llama-cpp-python server: tests/test_serve_integration.py."""

from __future__ import annotations

import json

import httpx
import pytest

from rag.errors import ModelError
from rag.llm import get_llm
from rag.remote_llm import RemoteLLM
from rag.settings import Settings

SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}


def sse(*events):
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


def delta(text):
    return {"choices": [{"index": 0, "delta": {"content": text}}]}


class Server:
    """Records requests; answers the OpenAI form with 422 when `openai_form` is False (as llama-cpp-python does)."""

    def __init__(self, openai_form=True, status=200):
        self.requests, self.openai_form, self.status = [], openai_form, status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append((request, body))
        if self.status != 200:
            return httpx.Response(self.status, json={"error": {"message": "model 'x' not found\nat line 3"}})
        if body.get("response_format", {}).get("type") == "json_schema" and not self.openai_form:
            return httpx.Response(500, json={"detail": "response_format.type: Input should be 'text' or 'json_object', got 'json_schema'"})
        return httpx.Response(200, text=sse(delta('{"answer": '), delta('"yes."}'),
                                            {"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 5}}),
                              headers={"content-type": "text/event-stream"})


def _llm(server, **kw):
    return RemoteLLM("http://llm.test/v1/", "qwen", transport=httpx.MockTransport(server), **kw)


def test_streams_pieces_with_the_schema_and_records_usage():
    server = Server()
    llm = _llm(server, api_key="sk-1")
    pieces = list(llm.stream([{"role": "user", "content": "q"}], max_tokens=50, temperature=0.0, seed=3, schema=SCHEMA))
    assert "".join(pieces) == '{"answer": "yes."}' and len(pieces) == 2
    request, body = server.requests[0]
    assert str(request.url) == "http://llm.test/v1/chat/completions" and request.headers["authorization"] == "Bearer sk-1"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA and body["stream"] is True
    assert (body["model"], body["max_tokens"], body["seed"], body["top_k"]) == ("qwen", 50, 3, 1)
    assert (llm.last.prompt_tokens, llm.last.completion_tokens, llm.last.p_true) == (12, 5, None)


def test_a_server_without_the_openai_schema_form_gets_the_other_one():
    server = Server(openai_form=False)
    llm = _llm(server)
    for _ in range(2):
        assert llm.complete([{"role": "user", "content": "q"}], max_tokens=9, temperature=0.0, seed=0, schema=SCHEMA)
    forms = [body["response_format"]["type"] for _, body in server.requests]
    assert forms == ["json_schema", "json_object", "json_object"]  # learnt once
    assert server.requests[-1][1]["response_format"]["schema"] == SCHEMA


@pytest.mark.parametrize("status, words", [(404, "answered 404: model 'x' not found at line 3"), (401, "RAG_LLM_API_KEY")])
def test_refusals_are_one_line_model_errors(status, words):
    with pytest.raises(ModelError, match=words) as err:
        _llm(Server(status=status)).complete([{"role": "user", "content": "q"}], max_tokens=9, temperature=0.0, seed=0)
    assert "\n" not in str(err.value)


def test_an_unreachable_server_says_what_to_do():
    llm = RemoteLLM("http://127.0.0.1:9/v1", "qwen", timeout_s=2)
    with pytest.raises(ModelError, match="cannot reach the LLM server at http://127.0.0.1:9/v1.*RAG_LLM_URL"):
        llm.complete([{"role": "user", "content": "q"}], max_tokens=9, temperature=0.0, seed=0)


def test_settings_choose_the_server_without_loading_a_model(tmp_path):
    s = Settings().replace(llm_url="http://127.0.0.1:9/v1", models_dir=tmp_path)  # no model file there
    llm = get_llm(s)
    assert isinstance(llm, RemoteLLM) and llm.model == "qwen2.5-1.5b" and get_llm(s) is llm
    assert get_llm(s.replace(llm_model="other")).model == "other"
