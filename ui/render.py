"""HTML for the chat page: answers with clickable citations, the sources panel, details.

Pure functions of an `Answer`, so they are unit-tested without a browser.
"""

from __future__ import annotations

import html
import re

from rag.types import Answer

CONTEXT_CHARS = 220


def answer_markdown(a: Answer, turn: int) -> str:
    """The chat message: citations as links to the sources panel, a distinct look when abstained."""
    if a.abstained:
        note = "Not in the documents" if a.language == "en" else "Absent des documents"
        body = f'<div class="abstain"><b>{note}.</b> {html.escape(a.text)}</div>'
    else:
        text = html.escape(a.text)
        body = re.sub(r"\[(\d+)\]", lambda m: f'<a class="cite" href="#src-{turn}-{m.group(1)}" '
                      f'data-target="src-{turn}-{m.group(1)}">[{m.group(1)}]</a>', text)
    return body + details_html(a)


def details_html(a: Answer) -> str:
    t = a.timings
    rows = [
        ("retrieval", f"{t.retrieval_s * 1000:.0f} ms" if t.retrieval_s is not None else "-"),
        ("prompt tokens", str(a.trace.prompt_tokens if a.trace.prompt_tokens is not None else "-")),
        ("first token", f"{t.first_token_s:.2f} s" if t.first_token_s is not None else "-"),
        ("total", f"{t.total_s:.2f} s" if t.total_s is not None else "-"),
        ("model", html.escape(a.trace.llm or "-")),
    ]
    if a.trace.rewritten_query and a.trace.rewritten_query != a.question:
        rows.append(("standalone question", html.escape(a.trace.rewritten_query)))
    items = "".join(f"<li>{k}: {v}</li>" for k, v in rows)
    return f'\n\n<details class="answer-details"><summary>details</summary><ul>{items}</ul></details>'


def _highlight(source_text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(source_text), end + CONTEXT_CHARS)
    before = ("…" if left > 0 else "") + html.escape(source_text[left:start])
    after = html.escape(source_text[end:right]) + ("…" if right < len(source_text) else "")
    return f"{before}<mark>{html.escape(source_text[start:end])}</mark>{after}"


def sources_html(a: Answer, turn: int, source_text) -> str:
    """One section per answer: each cited passage with the quote highlighted in its surroundings.

    `source_text(name)` returns a source's text; abstained answers list the closest passages instead.
    """
    head = html.escape(a.question)
    if a.citations:
        cards = []
        for c in a.citations:
            cards.append(
                f'<div class="src" id="src-{turn}-{c.number}"><div class="src-head">[{c.number}] '
                f"<b>{html.escape(c.source)}</b> · characters {c.start}–{c.end}</div>"
                f'<p class="src-text">{_highlight(source_text(c.source), c.start, c.end)}</p></div>')
        return f'<section class="turn"><h4>Q{turn}: {head}</h4>{"".join(cards)}</section>'
    if a.passages:
        cards = [
            f'<div class="src considered"><div class="src-head"><b>{html.escape(h.chunk.source)}</b> · characters '
            f"{h.chunk.start}–{h.chunk.end} · similarity {h.dense:.2f}</div>"
            f'<p class="src-text">{html.escape(h.chunk.text)}</p></div>'
            for h in a.passages
        ]
        return (f'<section class="turn"><h4>Q{turn}: {head}</h4><p class="considered-note">No passage answers this '
                f'question; the closest ones considered:</p>{"".join(cards)}</section>')
    return f'<section class="turn"><h4>Q{turn}: {head}</h4><p>No sources.</p></section>'


def documents_html(sources: list[dict]) -> str:
    if not sources:
        return "<p>No documents indexed.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(s['name'])}</td><td>{s['chars']:,}</td><td>{s['chunks']}</td></tr>" for s in sources)
    return f'<table class="kb"><tr><th>document</th><th>characters</th><th>passages</th></tr>{rows}</table>'


CSS = """
.abstain { border-left: 4px solid #b45309; background: #fffbeb; padding: 6px 10px; border-radius: 4px; color: #78350f; }
a.cite { font-weight: 600; text-decoration: none; cursor: pointer; }
.src { border: 1px solid #d1d5db; border-radius: 6px; padding: 6px 10px; margin: 6px 0; transition: background 0.3s; }
.src.active { background: #fef9c3; border-color: #ca8a04; box-shadow: 0 0 0 2px #facc15; }
.src mark { background: #fde047; padding: 0 2px; }
.src.considered { opacity: 0.8; border-style: dashed; }
.src-head { font-size: 0.85em; color: #4b5563; }
#sources-panel { max-height: 640px !important; overflow-y: auto !important; }
table.kb td, table.kb th { padding: 2px 8px; text-align: left; }
"""

# Clicking a citation brings its passage into view and highlights it (event delegation: the chat
# re-renders its messages, so listeners are attached to the document, not to each link).
HEAD = """
<script>
document.addEventListener('click', function (ev) {
  const link = ev.target.closest && ev.target.closest('a.cite');
  if (!link) return;
  ev.preventDefault();
  ev.stopPropagation();
  const id = link.getAttribute('data-target') || (link.getAttribute('href') || '').replace('#', '');
  const el = document.getElementById(id);
  if (!el) return;
  document.querySelectorAll('.src.active').forEach(function (x) { x.classList.remove('active'); });
  el.classList.add('active');
  el.scrollIntoView({behavior: 'smooth', block: 'center'});
}, true);
</script>
"""
