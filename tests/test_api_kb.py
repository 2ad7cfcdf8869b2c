"""Embedder tier: knowledge-base management through the API on a real index (MiniLM), with a fake
answer stream: uploads get the chat page's checks, removal and rebuild swap the index atomically."""

from __future__ import annotations

import httpx

import rag
from tests.test_api import _start, fake_stream
from ui.api import create_api
from ui.kb import KnowledgeBase


def test_upload_remove_rebuild(small_settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "alpha.md").write_text("# Alpha\n\nThe harbour freezes in winter. Boats stay in the north dock.\n",
                                   encoding="utf-8")
    settings = small_settings.replace(max_upload_bytes=2000)
    kb = KnowledgeBase(settings, rag.build_index([docs], settings.retrieval.index_dir, settings))
    url, server, thread = _start(create_api(settings, {"kb": kb}, stream=fake_stream, chat_page=False))
    try:
        route = f"{url}/v1/knowledge-bases/kb"
        r = httpx.post(f"{route}/documents", files=[
            ("files", ("beta.txt", b"The lighthouse keeper is called Mira Holt.", "text/plain")),
            ("files", ("big.txt", b"word " * 1000, "text/plain")),  # over this knowledge base's upload limit
            ("files", ("binary.txt", b"\x00\x01\x02" * 50, "text/plain"))], timeout=120)
        body = r.json()
        assert r.status_code == 200 and body["added"] == ["beta.txt"] and len(body["refused"]) == 2, body
        assert any("upload limit" in m for m in body["refused"])
        assert {d["name"] for d in httpx.get(f"{route}/documents").json()["data"]} == {"alpha.md", "beta.txt"}
        assert kb.index.search("Who keeps the lighthouse?", 1)[0].chunk.source == "beta.txt"
        r = httpx.post(f"{route}/documents", files=[("files", ("x.exe", b"MZ", "application/octet-stream"))])
        assert r.status_code == 400 and "unsupported file name" in r.json()["error"]["message"]
        assert httpx.delete(f"{route}/documents/beta.txt", timeout=120).json()["documents"] == 1
        assert httpx.delete(f"{route}/documents/beta.txt").status_code == 404
        before = kb.index.version
        r = httpx.post(f"{route}/rebuild", timeout=120).json()
        assert r["documents"] == 1 and r["embedded_chunks"] == r["chunks"] > 0  # every passage embedded again
        assert kb.index.version != before and rag.open_index(settings.retrieval.index_dir, settings).chunks
    finally:
        server.should_exit = True
        thread.join(timeout=10)
