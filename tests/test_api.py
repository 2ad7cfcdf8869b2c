"""Unit tier for `rag serve`: the real server (uvicorn on a free 127.0.0.1 port) and the official
`openai` client, over a fake answer stream and a fake knowledge base (no model weights).
The same routes on the real models: tests/test_serve_integration.py."""

from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest
import uvicorn

from rag.cli import main
from rag.errors import InputError
from rag.settings import Settings
from rag.types import Answer, Citation, Trace
from ui.api import create_api
from ui.kb import KnowledgeBase
from tests.servers import free_port

TEXT = "The committee is chaired by Ada Lovelace. It meets every Tuesday in Geneva."
KEY = "sk-test-0123456789"


class FakeIndex:
    path = "/nowhere"
    chunks = [object(), object()]
    embedder_name = "fake"
    version = "v1"
    manifest = {"updated": "2026-11-28T10:00:00Z"}
    report = None

    def sources(self):
        return [{"name": "notes.txt", "chars": len(TEXT), "chunks": 2}]

    def source_text(self, name):
        if name != "notes.txt":
            raise KeyError(name)
        return TEXT


def fake_stream(question, index=None, history=None, settings=None):
    """Like rag.stream_answer: draft pieces, then a verified Answer citing an exact span."""
    fake_stream.calls.append({"question": question, "history": history, "settings": settings})
    if "slow" in question:
        for _ in range(100):
            time.sleep(0.05)
            yield "…"
    if "crash" in question:
        raise RuntimeError("secret internal detail")
    if "nothing" in question:
        yield Answer(question, "The documents do not say.", True, [], "en", [], Trace(abstain_reason="no support"))
        return
    yield "Ada "
    yield "Lovelace"
    start = TEXT.index("The committee")
    quote = TEXT[start:TEXT.index(".") + 1]
    cite = Citation(1, "notes.txt", quote, start, start + len(quote), "p1", 0.9, 0.8)
    yield Answer(question, "Ada Lovelace chairs it [1].", False, [cite], "en", [], Trace(prompt_tokens=50,
                                                                                           completion_tokens=9))


fake_stream.calls = []


def _start(app) -> tuple[str, uvicorn.Server, threading.Thread]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(1500):  # up to 30 s: a loaded machine (CI, an eval beside it) starts it slowly
        if server.started:
            break
        time.sleep(0.02)
    assert server.started, "the test server did not start within 30 s"  # not a client's refused connection
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture(scope="module")
def served():
    kb = KnowledgeBase.__new__(KnowledgeBase)
    kb.index = FakeIndex()
    settings = Settings().replace(api_keys=KEY, max_request_bytes=4096, request_timeout_s=1.0)
    url, server, thread = _start(create_api(settings, {"notes": kb}, stream=fake_stream, chat_page=False))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def _client(url, key=KEY):
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=20)


def test_models_are_the_knowledge_bases(served):
    assert [m.id for m in _client(served).models.list().data] == ["notes"]


def test_chat_completion_carries_verified_text_and_exact_citations(served):
    r = _client(served).chat.completions.create(model="notes", messages=[{"role": "user", "content": "Who chairs it?"}])
    assert r.choices[0].message.content == "Ada Lovelace chairs it [1]." and r.choices[0].finish_reason == "stop"
    evidence = r.model_extra["rag"]
    c = evidence["citations"][0]
    assert TEXT[c["start"]:c["end"]] == c["quote"] and c["source"] == "notes.txt" and c["number"] == 1
    assert evidence["abstained"] is False and r.usage.total_tokens == 59


def test_streamed_completion_ends_with_the_evidence(served):
    chunks = list(_client(served).chat.completions.create(
        model="notes", messages=[{"role": "user", "content": "Who chairs it?"}], stream=True))
    content = "".join(ch.choices[0].delta.content or "" for ch in chunks)
    drafts = "".join(ch.model_extra.get("rag", {}).get("draft", "") for ch in chunks)
    assert content == "Ada Lovelace chairs it [1]." and drafts == "Ada Lovelace"
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["rag"]["citations"][0]["quote"] == "The committee is chaired by Ada Lovelace."


def test_history_and_request_settings_reach_the_answer(served):
    fake_stream.calls.clear()
    _client(served).chat.completions.create(model="notes", temperature=0.5, max_tokens=64, messages=[
        {"role": "system", "content": "You are a pirate."},
        {"role": "user", "content": "Who chairs it?"}, {"role": "assistant", "content": "Ada Lovelace [1]."},
        {"role": "user", "content": [{"type": "text", "text": "When does it meet?"}]}])
    call = fake_stream.calls[-1]
    assert call["question"] == "When does it meet?"
    assert call["history"] == [("Who chairs it?", "Ada Lovelace [1].")]
    assert call["settings"].generation.temperature == 0.5 and call["settings"].generation.max_tokens == 64


def test_abstention_is_an_ordinary_answer_with_a_flag(served):
    r = _client(served).chat.completions.create(model="notes", messages=[{"role": "user", "content": "nothing here?"}])
    assert r.choices[0].message.content == "The documents do not say."
    assert r.model_extra["rag"]["abstained"] is True and r.model_extra["rag"]["citations"] == []


def test_wrong_or_missing_key_is_401_on_every_route(served):
    with pytest.raises(openai.AuthenticationError):
        _client(served, "sk-wrong").models.list()
    for method, path in [("GET", "/v1/health"), ("GET", "/v1/knowledge-bases"), ("POST", "/v1/answers"), ("GET", "/")]:
        r = httpx.request(method, served + path)
        assert r.status_code == 401 and "API key" in r.json()["error"]["message"], path
    assert httpx.get(served + "/", headers={"Authorization": f"Basic {_basic('me', KEY)}"}).status_code != 401
    assert httpx.get(served + "/v1/health", headers={"Authorization": f"Bearer {KEY}"}).json() == {"status": "ok"}


def _basic(user, password):
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_oversized_body_is_413(served):
    with pytest.raises(openai.APIStatusError) as err:
        _client(served).chat.completions.create(model="notes", messages=[{"role": "user", "content": "x" * 10_000}])
    assert err.value.status_code == 413 and "byte limit" in err.value.message
    # a body sent in pieces, without Content-Length, is counted as it arrives
    r = httpx.post(served + "/v1/answers", headers={"Authorization": f"Bearer {KEY}"},
                   content=(b"x" * 1000 for _ in range(10)))
    assert r.status_code == 413


def test_unknown_knowledge_base_is_404_with_the_known_names(served):
    with pytest.raises(openai.NotFoundError) as err:
        _client(served).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi?"}])
    assert "unknown knowledge base 'gpt-4o'" in err.value.message and "notes" in err.value.message
    r = httpx.get(served + "/v1/knowledge-bases/nope/documents", headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 404


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not valid JSON"),
    (b'{"model": "notes", "messages": []}', "messages"),
    (b'{"model": "notes", "messages": [{"role": "assistant", "content": "hi"}]}', "last message"),
    (b'{"model": "notes", "messages": [{"role": "user", "content": "   "}]}', "empty"),
    (b'{"model": "notes", "temperature": 9, "messages": [{"role": "user", "content": "q?"}]}', "RAG_TEMPERATURE"),
])
def test_bad_requests_get_400_with_the_cli_message(served, body, words):
    r = httpx.post(served + "/v1/chat/completions", content=body, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 400 and words in r.json()["error"]["message"]
    assert "\n" not in r.json()["error"]["message"]


def test_internal_errors_reveal_nothing_and_slow_answers_stop(served):
    auth = {"Authorization": f"Bearer {KEY}"}
    r = httpx.post(served + "/v1/answers", json={"question": "crash now?"}, headers=auth)
    assert r.status_code == 500 and "secret" not in r.text and "Traceback" not in r.text
    t0 = time.perf_counter()
    r = httpx.post(served + "/v1/answers", json={"question": "slow one?"}, headers=auth, timeout=20)
    assert r.status_code == 504 and "RAG_REQUEST_TIMEOUT_S" in r.json()["error"]["message"]
    assert time.perf_counter() - t0 < 3


def test_answers_route_and_documents(served):
    auth = {"Authorization": f"Bearer {KEY}"}
    r = httpx.post(served + "/v1/answers", json={"question": "Who chairs it?", "history": [["a?", "b"]]}, headers=auth)
    assert r.status_code == 200 and r.json()["citations"][0]["start"] == 0
    assert httpx.post(served + "/v1/answers", json={"question": "q?", "history": "nope"}, headers=auth).status_code == 400
    doc = httpx.get(served + "/v1/knowledge-bases/notes/documents/notes.txt", headers=auth).json()
    assert doc["text"] == TEXT
    assert httpx.get(served + "/v1/knowledge-bases/notes/documents/other.txt", headers=auth).status_code == 404


def test_non_loopback_bind_without_keys_refuses_to_start(capsys, monkeypatch):
    monkeypatch.delenv("RAG_API_KEYS", raising=False)
    monkeypatch.delenv("RAG_API_KEYS_FILE", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: refusing to serve on 0.0.0.0 without API keys") and "\n" not in err


def test_keys_come_from_the_variable_and_the_file(tmp_path):
    f = tmp_path / "keys"
    f.write_text("# team keys\nsk-one\n\nsk-two\n", encoding="utf-8")
    assert Settings().replace(api_keys="sk-a, sk-b", api_keys_file=str(f)).server.keys() == ["sk-a", "sk-b", "sk-one", "sk-two"]


def test_parse_chat_needs_a_model_and_takes_the_last_question():
    from ui.openai_chat import parse_chat

    with pytest.raises(InputError, match="model"):
        parse_chat({"messages": [{"role": "user", "content": "q"}]})
    req = parse_chat({"model": "m", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]})
    assert req.question == "b" and req.history == []


class Counting:
    """A fake answer stream that records how many answers run at once and echoes its history."""

    def __init__(self):
        self.active = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, question, index=None, history=None, settings=None):
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(1.0)  # long enough for every client to have asked meanwhile
            yield "…"
            yield Answer(question, f"{question} after {history[0][0]}", False, [], "en", [], Trace())
        finally:
            with self.lock:
                self.active -= 1


@pytest.mark.parametrize("llm_url, expected", [("", 1), ("http://127.0.0.1:9/v1", 3)])
def test_concurrency_with_a_server_llm_and_queueing_in_process(llm_url, expected):
    kb = KnowledgeBase.__new__(KnowledgeBase)
    kb.index = FakeIndex()
    counting = Counting()
    settings = Settings().replace(llm_url=llm_url, concurrency=3)
    url, server, thread = _start(create_api(settings, {"notes": kb}, stream=counting, chat_page=False))
    results, positions = {}, []
    start = threading.Barrier(8)

    def ask(i):
        client = _client(url, "none")
        start.wait(timeout=30)  # all at once
        r = client.chat.completions.create(model="notes", stream=i % 2 == 0, messages=[
            {"role": "user", "content": f"first {i}?"}, {"role": "assistant", "content": "ok"},
            {"role": "user", "content": f"question {i}?"}])
        if i % 2:
            results[i] = r.choices[0].message.content
            return
        chunks = list(r)
        results[i] = "".join(ch.choices[0].delta.content or "" for ch in chunks)
        positions.extend(ch.model_extra["rag"]["queue_position"] for ch in chunks
                         if "queue_position" in (ch.model_extra.get("rag") or {}))

    try:
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert results == {i: f"question {i}? after first {i}?" for i in range(8)}  # none lost, none mixed
    assert counting.most == expected
    if expected == 1:  # one at a time: the streamed requests that waited were told their place
        assert positions and all(1 <= p <= 8 for p in positions)
