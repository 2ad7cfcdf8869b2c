"""The same questions through a standard LlamaIndex pipeline (`python -m benchmarks --peer`).

LlamaIndex's `CitationQueryEngine` over a FAISS store (top-k 3), the same GGUF through
`llama-index-llms-llama-cpp`, the same embedder (ours, behind LlamaIndex's embedding
interface, so the vectors are identical). Its answers are scored by `rag.evaluate`'s metrics.
Optional: `pip install -e ".[peer]"`.

What is not LlamaIndex's default, and why:
- passages: `SentenceSplitter(chunk_size=96, chunk_overlap=0)` tokens, about our passage size, so
  both pipelines give the LLM a similar amount of text (its 1,024-token default would hand the
  small article over whole);
- the prompt goes through the model's chat template, like ours (the LlamaCPP wrapper's default
  is a Llama-2 format), with temperature 0 and at most 200 new tokens like ours.
Scoring a free-text answer: a citation is each "[n]" in the answer, mapped to the source passage
it names (its offsets found in the document); the answer counts as an abstention when it says the
sources do not hold the answer (`NOT_FOUND` below), as LlamaIndex's citation prompt asks it to.
"""

from __future__ import annotations

import re
import time
from typing import Any

from rag import lang
from rag.index import Index
from rag.settings import Settings
from rag.types import Answer, Citation, Timings, Trace

NOT_FOUND = re.compile(
    r"\b(not (mentioned|provided|stated|specified|given|found|available|contain|include)|no (information|mention)"
    r"|(do|does|did)n'?t (mention|say|provide|contain|state)|(does|do|did) not (mention|say|provide|contain|state)"
    r"|cannot (be )?(answer|determine|find)|unable to|n'(est|a) pas (mentionn|précis|indiqu)|ne (mentionn|précis|di[st]"
    r"|contien|fourni|donn|indiqu)\w* pas|aucune (information|mention)|pas d'information|ne permet(tent)? pas)",
    re.IGNORECASE,
)


def _locate(text: str, passage: str) -> tuple[str, int, int]:
    """The span of `text` that a LlamaIndex passage came from (its splitter may change whitespace)."""
    start = text.find(passage)
    if start >= 0:
        return passage, start, start + len(passage)
    m = re.search(r"\s+".join(re.escape(w) for w in passage.split()), text)
    return (text[m.start():m.end()], m.start(), m.end()) if m else (passage, -1, -1)


def _embedding(embedder: Any) -> Any:
    from llama_index.core.embeddings import BaseEmbedding

    class Same(BaseEmbedding):  # type: ignore[misc, valid-type]
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.documents([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.documents(texts).tolist()

    return Same(model_name=embedder.name, embed_batch_size=16)


class Peer:
    """A LlamaIndex CitationQueryEngine over the documents of `index`."""

    def __init__(self, index: Index, settings: Settings) -> None:
        import faiss
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.core import Settings as LISettings
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.llms.llama_cpp import LlamaCPP
        from llama_index.vector_stores.faiss import FaissVectorStore

        from rag.llm import get_llm
        from rag.models import resolve_llm

        self.index = index
        ours = get_llm(settings)  # only for the model's chat template

        def to_prompt(messages: Any) -> str:
            return ours.format([{"role": m.role.value, "content": m.content or ""} for m in messages])[0]

        def completion_to_prompt(text: str) -> str:
            return ours.format([{"role": "user", "content": text}])[0]

        embedder = index.embedder(settings)
        # Token counts with the model's own tokenizer (LlamaIndex's default, tiktoken, downloads its files).
        LISettings.tokenizer = lambda text: ours.llama.tokenize(text.encode("utf-8"), add_bos=False)
        LISettings.embed_model = _embedding(embedder)
        LISettings.llm = self.llm = LlamaCPP(
            model_path=str(resolve_llm(settings.models.llm, settings.models.models_dir)), temperature=0.0, max_new_tokens=200,
            context_window=settings.generation.n_ctx, generate_kwargs={"top_k": 1, "seed": settings.generation.seed},
            model_kwargs={"n_threads": settings.models.n_threads, "n_threads_batch": settings.models.n_threads, "n_gpu_layers": 0},
            messages_to_prompt=to_prompt, completion_to_prompt=completion_to_prompt, verbose=False,
        )
        docs = [Document(text=index.source_text(name), metadata={"source": name}, id_=name)
                for name in index.manifest["sources"]]
        store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(embedder.dim))
        vector_index = VectorStoreIndex.from_documents(
            docs, storage_context=StorageContext.from_defaults(vector_store=store),
            transformations=[SentenceSplitter(chunk_size=96, chunk_overlap=0)])
        self.engine = CitationQueryEngine.from_args(vector_index, similarity_top_k=settings.retrieval.top_k)

    def answer(self, question: str, history: Any = None, **_: Any) -> Answer:
        t0 = time.perf_counter()
        if history:  # LlamaIndex's query engine has no conversation: give it the previous question too
            question_in = f"{history[-1][0]} {question}"
        else:
            question_in = question
        response = self.engine.query(question_in)
        total = time.perf_counter() - t0
        text = str(response.response or "").strip()
        citations = []
        for n in sorted({int(a or b) for a, b in re.findall(r"\[(\d+)\]|\bSources? (\d+)", text)}):
            if not 1 <= n <= len(response.source_nodes):
                continue
            node = response.source_nodes[n - 1].node
            source = node.metadata.get("source", "")
            quote, start, end = _locate(self.index.source_text(source) if source else "",
                                        re.sub(r"^Source \d+:\n", "", node.get_content()).strip())
            citations.append(Citation(n, source, quote, start, end, node.node_id,
                                      float(response.source_nodes[n - 1].score or 0.0)))
        abstained = not text or bool(NOT_FOUND.search(text))
        return Answer(question, text, abstained, [] if abstained else citations, lang.detect(question), [],
                      Trace(llm="llama-index CitationQueryEngine"), Timings(total_s=total))
