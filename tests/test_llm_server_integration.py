"""Integration tier: generation by llama-cpp-python's own OpenAI-compatible server
(`python -m llama_cpp.server`, the `llm-server` extra) on 127.0.0.1 with the bundled 1.5B model,
started and stopped here; answers through it against the same answers in-process."""

from __future__ import annotations

import pytest

import rag
from rag.remote_llm import llama_cpp_server_command
from tests.servers import free_port, running

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def llm_url(real_settings, tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with running(llama_cpp_server_command(real_settings, port),
                 f"{url}/models", tmp_path_factory.mktemp("llm-server") / "server.log"):
        yield url


@pytest.mark.parametrize("question, key", [
    ("Who is the Pentagon spokesman?", "cook"),
    ("Quel est le nom du ministre russe de la Défense ?", "cho"),
    ("What is the capital of Australia?", None),
])
def test_answers_through_the_server_match_in_process(question, key, llm_url, real_index, real_settings, answered):
    local = answered(question)
    remote = rag.answer(question, index=real_index, settings=real_settings.replace(llm_url=llm_url))
    assert remote.trace.llm_file.endswith(f"at {llm_url}")  # it really went through the server
    assert remote.abstained == local.abstained == (key is None)
    if key:
        assert key in remote.text.lower() and remote.citations
        assert [(c.source, c.start, c.end) for c in remote.citations] == [(c.source, c.start, c.end) for c in local.citations]
        for c in remote.citations:
            assert real_index.source_text(c.source)[c.start:c.end] == c.quote
    assert remote.language == local.language


def test_follow_up_through_the_server(llm_url, real_index, real_settings):
    s = real_settings.replace(llm_url=llm_url)
    first = rag.answer("Who is John Kerry?", index=real_index, settings=s)
    a = rag.answer("Where was he visiting?", index=real_index, settings=s, history=[("Who is John Kerry?", first.text)])
    assert "kerry" in a.trace.rewritten_query.lower() and not a.abstained and a.citations
