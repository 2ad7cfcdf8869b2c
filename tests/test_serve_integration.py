"""Integration tier: `rag serve` as a user starts it (a subprocess on a free 127.0.0.1 port, API keys
set, the real default models, a copy of the bundled article's index), spoken to with the official
`openai` client and plain HTTP."""

from __future__ import annotations

import os
import shutil
import sys

import httpx
import openai
import pytest

from rag.keywords import fold
from tests.servers import free_port, running

pytestmark = pytest.mark.integration
KEY = "sk-integration-test"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def served(real_settings, real_index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve") / "article"
    shutil.copytree(real_index.path, folder)  # the server adds and removes documents: not in the shared index
    port = free_port()
    env = {**os.environ, "RAG_API_KEYS": KEY, "RAG_STATE_DIR": str(real_settings.models.state_dir),
           "RAG_MAX_REQUEST_BYTES": "100000"}
    url = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "rag", "serve", "--port", str(port), "--index", f"article={folder}"],
                 f"{url}/v1/health", folder.parent / "server.log", env, AUTH):
        yield url


def _client(url, key=KEY):
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=300)


def _exact(url, citations):
    for c in citations:
        text = httpx.get(f"{url}/v1/knowledge-bases/article/documents/{c['source']}", headers=AUTH).json()["text"]
        assert text[c["start"]:c["end"]] == c["quote"]


def test_openai_client_gets_cited_answers_streaming_and_not(served):
    question = [{"role": "user", "content": "Who is the Pentagon spokesman?"}]
    r = _client(served).chat.completions.create(model="article", messages=question)
    content, evidence = r.choices[0].message.content, r.model_extra["rag"]
    assert "Cook" in content and "[1]" in content and not evidence["abstained"] and evidence["citations"]
    _exact(served, evidence["citations"])
    chunks = list(_client(served).chat.completions.create(model="article", messages=question, stream=True))
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == content  # same verified answer
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["rag"]["citations"] == evidence["citations"]
    assert any(ch.model_extra.get("rag", {}).get("draft") for ch in chunks[:-1]), "the draft streams first"


def test_history_is_used_for_follow_ups(served):
    client = _client(served)
    first = client.chat.completions.create(model="article", messages=[{"role": "user", "content": "Who is John Kerry?"}])
    a = client.chat.completions.create(model="article", messages=[
        {"role": "user", "content": "Who is John Kerry?"},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "Where was he visiting?"}])
    assert not a.model_extra["rag"]["abstained"] and "lond" in fold(a.choices[0].message.content)
    _exact(served, a.model_extra["rag"]["citations"])


def test_security_and_errors_on_the_real_server(served):
    with pytest.raises(openai.AuthenticationError):
        _client(served, "sk-wrong").chat.completions.create(model="article", messages=[{"role": "user", "content": "q?"}])
    with pytest.raises(openai.NotFoundError, match="unknown knowledge base 'default'.*article"):
        _client(served).chat.completions.create(model="default", messages=[{"role": "user", "content": "q?"}])
    r = httpx.post(served + "/v1/chat/completions", headers=AUTH,
                   json={"model": "article", "messages": [{"role": "user", "content": "x" * 200_000}]})
    assert r.status_code == 413 and "byte limit" in r.json()["error"]["message"]
    r = httpx.post(served + "/v1/answers", headers=AUTH, json={"question": "x" * 5000})
    assert r.status_code == 400 and "characters long" in r.json()["error"]["message"]


def test_chat_page_is_served_by_the_same_process(served):
    assert httpx.get(served + "/").status_code == 401  # keys are set: the browser is asked for one
    page = httpx.get(served + "/", auth=("anyone", KEY), follow_redirects=True)
    assert page.status_code == 200 and "gradio" in page.text.lower()


def test_documents_added_through_the_api_are_answered_then_removed(served, tmp_path):
    doc = tmp_path / "festival.txt"
    doc.write_text("The Zorblat festival of lanterns takes place every March in the town of Tromsø.\n", encoding="utf-8")
    with open(doc, "rb") as f:
        r = httpx.post(served + "/v1/knowledge-bases/article/documents", headers=AUTH, timeout=300,
                       files=[("files", ("festival.txt", f, "text/plain")), ("files", ("../evil.exe", b"MZ", "x"))])
    assert r.status_code == 200 and r.json()["added"] == ["festival.txt"] and len(r.json()["refused"]) == 1
    a = httpx.post(served + "/v1/answers", headers=AUTH, timeout=300,
                   json={"question": "In which month does the Zorblat festival take place?", "knowledge_base": "article"}).json()
    assert not a["abstained"] and "march" in a["text"].lower() and a["citations"][0]["source"] == "festival.txt"
    assert httpx.delete(served + "/v1/knowledge-bases/article/documents/festival.txt", headers=AUTH,
                        timeout=300).status_code == 200
    names = [d["name"] for d in httpx.get(served + "/v1/knowledge-bases/article/documents", headers=AUTH).json()["data"]]
    assert "festival.txt" not in names and names
