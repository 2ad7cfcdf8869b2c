"""The browser chat: rendering units, then the real app in headless Chromium (Playwright) and via gradio_client."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import rag
from rag.types import Answer, Chunk, Citation, Hit, Timings

gr = pytest.importorskip("gradio")

from ui import render  # noqa: E402
from ui.app import ChatPage, create_app, launch  # noqa: E402
from ui.kb import KnowledgeBase  # noqa: E402
from tests.servers import free_port  # noqa: E402

TEXT = "Intro sentence here. Peter Cook is the Pentagon spokesman. Another sentence follows."


def _answer(abstained=False):
    c = Citation(1, "a.txt", "Peter Cook is the Pentagon spokesman.", 21, 58, "id", 0.5)
    hit = Hit(Chunk("id", "a.txt", 0, len(TEXT), TEXT), 0.5, 0.6)
    if abstained:
        return Answer("Capital of Australia?", "The documents do not contain the answer.", True, [], "en", [hit])
    return Answer("Who?", "Peter Cook [1].", False, [c], "en", [hit], timings=Timings(total_s=1.0))


def test_answer_links_and_highlighted_sources():
    a = _answer()
    assert TEXT[21:58] == a.citations[0].quote
    md = render.answer_markdown(a, 3)
    assert 'href="#src-3-1"' in md and "<details" in md
    panel = render.sources_html(a, 3, lambda name: TEXT)
    assert 'id="src-3-1"' in panel and "<mark>Peter Cook is the Pentagon spokesman.</mark>" in panel
    assert "Intro sentence here." in panel  # the surrounding text is shown


def test_abstained_answer_looks_different_and_lists_closest_passages():
    a = _answer(abstained=True)
    assert 'class="abstain"' in render.answer_markdown(a, 1)
    assert "closest" in render.sources_html(a, 1, lambda name: TEXT)


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\evil.md", "evil.md"),
    ("/abs/path/notes.md", "notes.md"),
    ("we?ird*na:me.html", "we_ird_na_me.html"),
])
def test_upload_names_cannot_escape(name, expected):
    kb = KnowledgeBase.__new__(KnowledgeBase)
    assert kb.safe_name(name) == expected


@pytest.mark.parametrize("name", ["payload.exe", "..", "noext"])
def test_upload_names_refused(name):
    kb = KnowledgeBase.__new__(KnowledgeBase)
    with pytest.raises(rag.DocumentError):
        kb.safe_name(name)


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_settings):
    folder = tmp_path_factory.mktemp("ui")
    settings = real_settings.replace(index_dir=folder / "index", ui_port=free_port())
    index = rag.build_index([rag.paths.bundled_sources_dir()], settings.retrieval.index_dir, settings)
    page = ChatPage(settings, index)
    launch(settings, page, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.server.ui_port}"
    yield url
    page.demo.close()




@pytest.mark.integration
def test_gradio_client_and_concurrency(server):
    from gradio_client import Client

    results = {}

    def call(q):
        results[q] = Client(server, verbose=False).predict(question=q, api_name="/ask")

    qs = ["Who is the Pentagon spokesman?", "Quel est le nom du ministre russe de la Défense ?"]
    threads = [threading.Thread(target=call, args=(q,)) for q in qs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert "Cook" in results[qs[0]]["text"] and results[qs[0]]["citations"]
    assert "Cho" in results[qs[1]]["text"] and results[qs[1]]["citations"]
    for r in results.values():
        for c in r["citations"]:
            assert c["quote"] in Path(rag.paths.bundled_sources_dir(), c["source"]).read_text(encoding="utf-8")


@pytest.mark.integration
def test_browser_chat(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []

    def guard(route):
        url = route.request.url
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    note = tmp_path / "lighthouse-notes.md"
    note.write_text("# Port-Aven notes\n\nThe lighthouse of Port-Aven was repainted green in 2019 by Marta Silva.\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", guard)
        page.goto(server)
        box = page.locator("#question textarea")
        expect(page.get_by_text("Qui est Maria Zakharova ?")).to_be_visible()  # the knowledge base's own examples

        def ask(q, timeout=180_000):
            count = page.locator(".message.bot").count()
            box.fill(q)
            box.press("Enter")
            bot = page.locator(".message.bot").nth(count)
            expect(bot.locator("details")).to_be_attached(timeout=timeout)  # the final answer carries details
            return bot

        # English question: streamed answer with a citation; clicking it highlights the quote.
        bot = ask("Who is the Pentagon spokesman?")
        assert "Cook" in bot.inner_text()
        bot.locator("a.cite").first.click()
        active = page.locator("#sources-panel .src.active")
        expect(active).to_be_visible()
        assert "Peter Cook" in active.locator("mark").inner_text()

        # French question, French answer.
        bot = ask("Pourquoi la Russie a-t-elle proposé un dialogue entre militaires ?")
        assert rag.lang.detect(bot.inner_text()) == "fr", bot.inner_text()

        # Unanswerable: the abstention look.
        bot = ask("What is the capital of Australia?")
        expect(bot.locator(".abstain")).to_be_visible()

        # Upload a document, then ask about its fact: cited to the new file.
        page.get_by_text("Knowledge base").first.click()
        page.locator("#kb-upload input[type=file]").set_input_files(str(note))
        page.locator("#kb-add").click()
        expect(page.locator("#kb-docs")).to_contain_text("lighthouse-notes.md", timeout=120_000)
        bot = ask("Who repainted the lighthouse of Port-Aven?")
        assert "Silva" in bot.inner_text()
        assert "lighthouse-notes.md" in page.locator("#sources-panel .turn").first.inner_text()

        mark = page.locator("#sources-panel mark").first
        assert mark.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        browser.close()
    from PIL import Image

    shot = Image.open(tmp_path / "chat.png").convert("RGB")
    low, high = shot.convert("L").getextrema()
    assert high - low > 100 and len(shot.getcolors(1 << 20) or []) > 50  # a rendered page, not a blank one
    assert outside == [], outside


def test_examples_come_from_the_knowledge_base_in_use(small_settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.md").write_text("The harbour of Ostend freezes in winter.")
    (docs / "harbour.examples.json").write_text('["When does the harbour of Ostend freeze?"]')
    page = str(create_app(small_settings, rag.build_index([docs], small_settings.retrieval.index_dir, small_settings)).config)
    assert "When does the harbour of Ostend freeze?" in page
    assert "Qui est Maria Zakharova" not in page  # not the bundled article's


def test_knowledge_base_refuses_bad_uploads_and_keeps_the_index(small_settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("The harbour of Ostend freezes in winter.")
    index = rag.build_index([docs], small_settings.retrieval.index_dir, small_settings)
    kb = KnowledgeBase(small_settings.replace(max_upload_bytes=1000), index)
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    big = tmp_path / "big.md"
    big.write_text("word " * 1000)
    good = tmp_path / "b.md"
    good.write_text("The lighthouse keeper is Anna.")
    added, refused = kb.add([str(binary), str(big), str(good)])
    assert added == ["b.md"]
    assert any("binary" in r for r in refused) and any("upload limit" in r for r in refused)
    assert sorted(s["name"] for s in kb.index.sources()) == ["a.md", "b.md"]
    assert sorted(p.name for p in kb.folder.iterdir()) == ["b.md"]  # nothing else was copied in
    kb.remove(["b.md"])
    assert [s["name"] for s in kb.index.sources()] == ["a.md"]
