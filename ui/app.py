"""The browser chat (Gradio): streaming answers, clickable highlighted sources, a knowledge-base panel.

All retrieval and prompting lives in `rag`; this module only wires it to widgets.

    from ui.app import create_app, launch
    demo = create_app()          # builds the page, does not start a server
    launch()                     # http://127.0.0.1:7860 (settings: RAG_UI_HOST, RAG_UI_PORT, RAG_UI_AUTH)
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import gradio as gr

import rag
from rag.errors import RagError
from rag.loaders import SUPPORTED
from rag.models import LLM_KEYS
from rag.settings import Settings, set_offline_environment, settings_or_env

from . import render
from .kb import KnowledgeBase

log = logging.getLogger(__name__)

LLM_CHOICES = list(LLM_KEYS)


def _settings_for(base: Settings, llm: str, llm_path: str, top_k: float, temperature: float) -> Settings:
    model = llm_path.strip() or llm or base.models.llm
    return base.replace(llm=model, top_k=int(top_k), temperature=float(temperature))


class ChatPage:
    """The chat page: its settings, its knowledge base, the handlers of its widgets, and the page
    itself (`demo`, built on construction; no server is started)."""

    EMPTY_SOURCES = "<p>Citations appear here.</p>"

    def __init__(self, settings: Settings, index: rag.Index | None = None, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings, index)
        self.demo = self._build()

    # --- handlers --------------------------------------------------------------------------------

    def respond(self, message: str, chat: list[dict[str, Any]], pairs: list, turn: int, sources: str,
                llm: str, llm_path: str, top_k: float, temperature: float):
        """Stream one answer into the conversation, then show it verified with its sources."""
        chat = list(chat or [])
        message = (message or "").strip()
        if not message:
            gr.Warning("Type a question first.")
            yield chat, pairs, turn, sources, ""
            return
        turn += 1
        chat += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        yield chat, pairs, turn, sources, ""
        index = self.kb.index
        try:
            s = _settings_for(self.settings, llm, llm_path, top_k, temperature)
            streamed = ""
            for event in rag.stream_answer(message, index=index, history=[tuple(p) for p in pairs] or None, settings=s):
                if isinstance(event, rag.Answer):
                    chat[-1] = {"role": "assistant", "content": render.answer_markdown(event, turn)}
                    panel = render.sources_html(event, turn, index.source_text)
                    yield chat, pairs + [[message, event.text]], turn, panel + sources, ""
                    return
                streamed += event
                chat[-1] = {"role": "assistant", "content": streamed}
                yield chat, pairs, turn, sources, ""
        except RagError as exc:
            chat[-1] = {"role": "assistant", "content": f'<div class="abstain">⚠️ {exc}</div>'}
            yield chat, pairs, turn, sources, ""

    def ask_api(self, question: str, history: list[list[str]] | None = None) -> dict:
        """Answer one question; returns the answer with its citations (see rag.Answer.to_dict)."""
        pairs = [tuple(h) for h in (history or []) if len(h) == 2]
        return rag.answer(question, index=self.kb.index, history=pairs or None, settings=self.settings).to_dict()

    def upload(self, files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        if not paths:
            return self._documents(gr.update(), "Choose files to add first.")
        try:
            added, refused = self.kb.add(paths, progress)
        except RagError as exc:
            added, refused = [], [str(exc)]
        msg = (f"Added: {', '.join(added)}. " if added else "") + (" ".join(f"Refused: {r}" for r in refused))
        return self._documents(self._choices(), msg)

    def remove(self, names):
        if not names:
            return self._documents(gr.update(), "Choose documents to remove first.")
        try:
            self.kb.remove(list(names))
            msg = f"Removed: {', '.join(names)}."
        except RagError as exc:
            msg = str(exc)
        return self._documents(self._choices(), msg)

    def _choices(self):
        return gr.update(choices=[s["name"] for s in self.kb.index.sources()], value=[])

    def _documents(self, chosen, message: str):
        return render.documents_html(self.kb.index.sources()), chosen, message

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> gr.Blocks:
        base, kb = self.settings, self.kb
        with gr.Blocks(title="Ask the documents", analytics_enabled=False) as demo:
            pairs = gr.State([])
            turn = gr.State(0)
            gr.Markdown("## Ask the documents\nAnswers come only from the indexed documents, with their sources. "
                        "Ask in English or French.")
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(elem_id="chat", height=520, label="Conversation")
                    question = gr.Textbox(elem_id="question", placeholder="Ask a question about the documents…",
                                          show_label=False, lines=1, max_lines=4)
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary", elem_id="ask")
                        new = gr.Button("New conversation", elem_id="new-conversation")
                    examples = kb.index.examples()  # the knowledge base's own (data beside its documents)
                    if examples:
                        gr.Examples([[q] for q in examples], inputs=question, label="Examples")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(self.EMPTY_SOURCES, elem_id="sources-panel")
            with gr.Accordion("Knowledge base", open=False, elem_id="kb-panel"):
                docs = gr.HTML(render.documents_html(kb.index.sources()), elem_id="kb-docs")
                with gr.Row():
                    files = gr.File(file_count="multiple", file_types=list(SUPPORTED), label="Add documents",
                                    elem_id="kb-upload")
                    with gr.Column():
                        add_btn = gr.Button("Add to the knowledge base", elem_id="kb-add")
                        chosen = gr.Dropdown([s["name"] for s in kb.index.sources()], multiselect=True,
                                             label="Documents to remove", elem_id="kb-choose")
                        remove_btn = gr.Button("Remove", elem_id="kb-remove")
                kb_status = gr.Markdown(elem_id="kb-status")
            with gr.Accordion("Settings", open=False):
                known = base.models.llm in LLM_CHOICES
                llm = gr.Dropdown(LLM_CHOICES, value=base.models.llm if known else LLM_CHOICES[0], label="LLM")
                llm_path = gr.Textbox(label="…or a GGUF file path", value="" if known else base.models.llm)
                top_k = gr.Slider(1, 6, value=base.retrieval.top_k, step=1, label="Passages")
                temperature = gr.Slider(0.0, 1.0, value=base.generation.temperature, step=0.1, label="Temperature")

            inputs = [question, chatbot, pairs, turn, sources, llm, llm_path, top_k, temperature]
            outputs = [chatbot, pairs, turn, sources, question]
            send.click(self.respond, inputs, outputs, api_name="chat", api_visibility="undocumented")
            question.submit(self.respond, inputs, outputs, api_visibility="private")
            new.click(lambda: ([], [], 0, self.EMPTY_SOURCES), None, [chatbot, pairs, turn, sources],
                      api_visibility="private")
            add_btn.click(self.upload, files, [docs, chosen, kb_status], api_visibility="private")
            remove_btn.click(self.remove, chosen, [docs, chosen, kb_status], api_visibility="private")
            gr.api(self.ask_api, api_name="ask")
        # The in-process LLM is not re-entrant: questions are answered in turn and the page shows each
        # its place in the queue. A server LLM (RAG_LLM_URL) answers RAG_CONCURRENCY at once.
        demo.queue(default_concurrency_limit=base.server.parallel(base.models))
        return demo


def create_app(settings: Settings | None = None, index: rag.Index | None = None) -> gr.Blocks:
    """Build the page (no server is started)."""
    return ChatPage(settings_or_env(settings), index).demo


def _warm_up(index: rag.Index | None, settings: Settings) -> None:
    """Load the models while the page opens; a failure here shows again, clearly, on the first question."""
    try:
        rag.warm_up(index, settings)
    except rag.RagError as exc:
        log.warning("warm-up failed: %s", exc)


def launch(settings: Settings | None = None, page: ChatPage | None = None, **kwargs: Any):
    """Start the server on the configured loopback address (never share=True).

    Extra keyword arguments go to `Blocks.launch` (tests pass `prevent_thread_lock=True`)."""
    set_offline_environment()
    s = settings or Settings.from_env()
    auth = tuple(s.server.ui_auth.split(":", 1)) if ":" in s.server.ui_auth else None
    page = page or ChatPage(s)
    demo = page.demo
    threading.Thread(target=_warm_up, args=(page.kb.index, s), daemon=True, name="warm-up").start()
    options = dict(server_name=s.server.ui_host, server_port=s.server.ui_port, auth=auth, share=False, css=render.CSS,
                   head=render.HEAD, show_error=True)
    options.update(kwargs)
    return demo.launch(**options)
