"""One typed settings object, grouped by concern.

`Settings` holds six groups: `models`, `retrieval`, `generation`, `verification`, `limits` and
`server`. Every field is documented (its `doc`, printed by `rag settings`) and checked when the
group is built, so a bad value fails at the entry point with one line naming its variable.

Defaults live here (the `verification` group in `rag.verification_settings`); environment variables
`RAG_<FIELD>` (field names are unique across groups, e.g. `RAG_TOP_K`) and CLI flags override them
through `Settings.from_env(**overrides)`, where overrides use the same flat names (`top_k=5`).
Entry points build the settings once and pass them down; nothing else in the package reads the
environment for configuration.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import SettingsError
from .setting_fields import Group, bad_value, default_of, documented, parse_env
from .models import DEFAULT_EMBEDDER, DEFAULT_LLM
from .paths import cache_dir, default_index_dir
from .verification_settings import VerificationSettings

# No model hub, no telemetry, no analytics. Entry points (the `rag` command, the chat, the benchmarks)
# set these first; importing `rag` changes nothing in the environment. Values the user set win.
OFFLINE_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                       "TOKENIZERS_PARALLELISM": "false"}


def set_offline_environment() -> None:
    """For entry points only: the offline switches, unless the user set them otherwise."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


@dataclass(frozen=True)
class ModelSettings(Group):
    """Which models run, where their files are kept, and how many CPU threads they use."""

    GROUP = "models"
    llm: str = documented(DEFAULT_LLM, "LLM: a model key (`rag models list`) or the path of any GGUF file")
    embedder: str = documented(DEFAULT_EMBEDDER, "embedder for new indexes: a model key, a sentence-transformers "
                                               "folder; an existing index keeps the one it was built with")
    models_dir: Path = documented(doc="folder where `rag models fetch` assembles the model files",
                                factory=lambda: cache_dir("models"))
    state_dir: Path = documented(doc="folder for the LLM's saved prompt-prefix states (a warm start cache)",
                               factory=lambda: cache_dir("states"))
    n_threads: int = documented(doc="CPU threads for the LLM and the embedder (default: all cores)",
                              factory=lambda: max(1, os.cpu_count() or 1), low=1)
    llm_url: str = documented("", "an OpenAI-compatible server that generates instead of the in-process LLM, e.g. "
                                "http://127.0.0.1:8080/v1 (llama.cpp, llama-cpp-python, vLLM, Ollama)")
    llm_model: str = documented("", "the model name to ask that server for (default: RAG_LLM)")
    llm_api_key: str = documented("", "the key that server wants, if any", secret=True)


@dataclass(frozen=True)
class RetrievalSettings(Group):
    """Which knowledge base is searched, how it is cut into passages, and what reaches the LLM."""

    GROUP = "retrieval"
    index_dir: Path = documented(doc="the knowledge base's index folder (default: the bundled article's)",
                               factory=default_index_dir)
    store: str = documented("faiss", "where the index lives: \"faiss\" (FAISS + BM25 files in RAG_INDEX_DIR) or "
                                   "\"qdrant\" (Qdrant: embedded in RAG_INDEX_DIR/qdrant, or the server at RAG_QDRANT_URL)")
    qdrant_url: str = documented("", "a Qdrant server or cluster, e.g. http://127.0.0.1:6333 (empty: embedded Qdrant)")
    qdrant_api_key: str = documented("", "the key that Qdrant server wants, if any", secret=True)
    chunk_chars: int = documented(320, "target passage size in characters (a change re-chunks the index)", low=50)
    top_k: int = documented(3, "passages given to the LLM", low=1, high=50)
    headings_ride: bool = documented(True, "a passage that is only a heading (a title or section line) comes "
                                         "with the top_k passages instead of taking one of their places (off: "
                                         "it takes one; docs/quality-log.md)")
    candidates: int = documented(12, "passages each retriever (dense, BM25) proposes before fusion (raised to "
                                   "top_k when smaller)", low=1, high=1000)
    sentence_rank: str = documented("off", "rank the candidate passages again by their sentence closest to the "
                                         "question, fused with the hybrid order: \"off\", \"all\", or \"after-first\" "
                                         "(the hybrid search's first passage stays first)")
    fusion: str = documented("by-language", "how the dense and BM25 lists are fused: \"by-language\" (where the "
                                         "candidates are in the question's language and another, a passage in another "
                                         "language is not ranked down for the question's words it cannot hold; rag/fusion.py) "
                                         "or \"plain\" reciprocal rank fusion")
    context_sentences: bool = documented(True, "show each passage with the sentence that comes before it")
    whole_kb_chars: int = documented(0, "a knowledge base up to this many characters goes to the LLM whole "
                                      "(0: always the retrieved passages; measured better with the 1.5B model)", low=0)
    min_relevance: float = documented(0.25, "abstain when the best passage's cosine similarity to the question is "
                                          "below this, whatever the LLM says, unless a retrieved passage names every name the "
                                          "question gives", low=-1.0, high=1.0)
    min_sentence_relevance: float = documented(0.5, "nor when a sentence of the retrieved passages is at least "
                                                   "this similar to the question (a passage joining unrelated "
                                                   "paragraphs comes far from a question about one of them; "
                                                   "docs/quality-log.md)", low=-1.0, high=1.0)

    def check(self) -> None:
        if self.store not in ("faiss", "qdrant"):
            raise bad_value("store", self.GROUP, "must be faiss or qdrant", self.store)
        if self.sentence_rank not in ("off", "all", "after-first"):
            raise bad_value("sentence_rank", self.GROUP, "must be off, all or after-first", self.sentence_rank)
        if self.fusion not in ("by-language", "plain"):
            raise bad_value("fusion", self.GROUP, "must be by-language or plain", self.fusion)

    @property
    def pool(self) -> int:
        """Passages each retriever proposes: `candidates`, and never fewer than `top_k`."""
        return max(self.candidates, self.top_k)


@dataclass(frozen=True)
class GenerationSettings(Group):
    """How the LLM writes the answer."""

    GROUP = "generation"
    n_ctx: int = documented(4096, "LLM context window in tokens", low=512)
    n_batch: int = documented(512, "tokens the LLM reads per batch when it reads the prompt", low=1)
    temperature: float = documented(0.0, "sampling temperature (0: always the likeliest token)", low=0.0, high=2.0)
    seed: int = documented(0, "sampling seed (answers repeat for a given seed)", low=0)
    max_tokens: int = documented(200, "longest answer, in tokens", low=16)
    prompt_lookup: int = documented(0, "draft tokens for prompt-lookup decoding (0: off; measured no faster on 2 "
                                     "cores)", low=0, high=32)
    lazy_grammar: bool = documented(True, "check the answer grammar on the likeliest token first (same output, "
                                        "faster)")
    fast_forward: bool = documented(True, "read the answer's fixed JSON text (braces, keys) with the prompt "
                                        "instead of generating it token by token (faster)")


@dataclass(frozen=True)
class LimitSettings(Group):
    """Input limits: what a question or a document may be."""

    GROUP = "limits"
    max_question_chars: int = documented(1000, "longest question, in characters", low=1)
    max_file_bytes: int = documented(20_000_000, "largest document `rag index` reads, in bytes", low=1)
    max_upload_bytes: int = documented(10_000_000, "largest document uploaded through the chat page or the API, in bytes",
                                     low=1)


@dataclass(frozen=True)
class ServerSettings(Group):
    """The chat's and the HTTP API's address, access and request limits (`rag ui`, `rag serve`)."""

    GROUP = "server"
    ui_host: str = documented("127.0.0.1", "address the chat and the API bind (loopback unless you ask otherwise)")
    ui_port: int = documented(7860, "port the chat and the API listen on", low=1, high=65535)
    ui_auth: str = documented("", "login for `rag ui` as \"user:password\" (empty: no login)", secret=True)
    api_keys: str = documented("", "API keys for `rag serve`, comma-separated; when set, every request needs "
                                 "`Authorization: Bearer KEY` (required to bind a non-loopback address)", secret=True)
    api_keys_file: str = documented("", "a file with one API key per line (added to RAG_API_KEYS)")
    max_request_bytes: int = documented(1_000_000, "largest request body of the API (uploads: RAG_MAX_UPLOAD_BYTES)",
                                      low=1024)
    concurrency: int = documented(4, "answers made at once by the chat and the API when the LLM is a server "
                                   "(RAG_LLM_URL); the in-process LLM answers one at a time, the others queue",
                                low=1, high=256)
    request_timeout_s: float = documented(300.0, "an API request still running after this many seconds is stopped "
                                               "and answered 504", low=1.0)

    def check(self) -> None:
        if not self.ui_host.strip():
            raise bad_value("ui_host", self.GROUP, "must be an address such as 127.0.0.1", self.ui_host)
        if self.ui_auth and ":" not in self.ui_auth:
            raise bad_value("ui_auth", self.GROUP, "must be \"user:password\"", "<hidden>")

    def parallel(self, models: "ModelSettings") -> int:
        """How many answers run at once: `concurrency` with a server LLM, one with the in-process LLM."""
        return self.concurrency if models.llm_url else 1

    def keys(self) -> list[str]:
        """The API keys: RAG_API_KEYS, then the lines of RAG_API_KEYS_FILE (blank lines and # comments skipped)."""
        keys = [k.strip() for k in self.api_keys.split(",") if k.strip()]
        if self.api_keys_file:
            path = Path(self.api_keys_file).expanduser()
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise SettingsError(f"cannot read the API keys file {path} (RAG_API_KEYS_FILE): "
                                    f"{exc.strerror or exc}; fix the path or unset it") from None
            keys += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        return keys


GROUPS: dict[str, type[Group]] = {
    "models": ModelSettings, "retrieval": RetrievalSettings, "generation": GenerationSettings,
    "verification": VerificationSettings, "limits": LimitSettings, "server": ServerSettings,
}
# flat field name -> its group (names are unique across groups: they are also the RAG_<NAME> variables)
FIELD_GROUP: dict[str, str] = {f.name: g for g, cls in GROUPS.items() for f in dataclasses.fields(cls)}
assert len(FIELD_GROUP) == sum(len(dataclasses.fields(c)) for c in GROUPS.values()), "setting names must be unique"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with, grouped by concern.

    >>> s = Settings.from_env(llm="qwen2.5-0.5b", top_k=3)
    >>> s.retrieval.top_k, s.models.llm
    (3, 'qwen2.5-0.5b')
    """

    models: ModelSettings = field(default_factory=ModelSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    verification: VerificationSettings = field(default_factory=VerificationSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    server: ServerSettings = field(default_factory=ServerSettings)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then `RAG_<FIELD>` environment variables, then `overrides` (flat names; None ignored)."""
        values: dict[str, object] = {}
        for group, f in cls.fields():
            raw = os.environ.get(f"RAG_{f.name.upper()}")
            if raw is not None:
                values[f.name] = parse_env(f.name, raw, default_of(f))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls().replace(**values)

    def replace(self, **changes: object) -> "Settings":
        """A copy with some fields changed, by their flat names (`top_k=5`); None values are ignored."""
        by_group: dict[str, dict[str, object]] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name not in FIELD_GROUP:
                raise SettingsError(f"unknown setting {name!r}; `rag settings` lists the settings")
            by_group.setdefault(FIELD_GROUP[name], {})[name] = value
        return dataclasses.replace(self, **{g: dataclasses.replace(getattr(self, g), **v) for g, v in by_group.items()})

    @staticmethod
    def fields() -> Iterator[tuple[str, dataclasses.Field]]:
        """Every (group name, field), in declaration order."""
        for group, cls in GROUPS.items():
            for f in dataclasses.fields(cls):
                yield group, f

    def describe(self) -> list[dict[str, object]]:
        """One row per setting: group, name, environment variable, value, default, doc."""
        rows = []
        for g, f in self.fields():
            value = getattr(getattr(self, g), f.name)
            if f.metadata["secret"] and value:
                value = "<set>"
            rows.append({"group": g, "name": f.name, "variable": f"RAG_{f.name.upper()}", "value": value,
                         "default": default_of(f), "doc": f.metadata["doc"]})
        return rows


def settings_or_env(settings: Settings | None, **overrides: object) -> Settings:
    """For the library's public functions (the entry points of Python callers): the settings passed in,
    or, when none are, the defaults and the `RAG_*` environment, read here once. Everything below them
    receives these settings and never reads the environment."""
    return (settings or Settings.from_env()).replace(**overrides)
