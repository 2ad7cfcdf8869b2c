"""Generation: the answer's JSON schema, the streaming decoder of its "answer" field, and parsing.

The LLM is constrained by a JSON schema to {"answerable", "evidence", "answer"}; its evidence
numbers point at the numbered source sentences it was shown. The "answer" string is decoded while
it is generated, so the chat shows the words as they come.
"""

from __future__ import annotations

import json
import re
from typing import Iterator

from . import prompts
from .segment import split_sentences
from .context import Context
from .text_model import TextModel
from .settings import Settings
from .types import ModelOutput


ANSWER_PATTERN = '^([^"\\\\\\n]*[.!?…»)])?$'


def schema(n_sentences: int) -> dict:
    return {
        "type": "object",
        "properties": {
            "answerable": {"type": "boolean"},
            "evidence": {"type": "array", "items": {"type": "integer", "enum": list(range(1, n_sentences + 1))},
                         "maxItems": 3},
            # No double quote, backslash or line break inside, and it ends a sentence: a double quote the
            # model means as a quotation can then never end the string mid-phrase ("…were open to [1]").
            "answer": {"type": "string", "pattern": ANSWER_PATTERN},
        },
        "required": ["answerable", "evidence", "answer"],
    }


def generate(llm: TextModel, context: Context, messages: list[dict[str, str]], settings: Settings) -> Iterator[str]:
    """The model's raw JSON reply, in pieces as they are generated.

    The prompt's fixed start is kept: the whole knowledge base when it is listed, else the system
    prompt. Its model state is restored when another prompt came between (the coverage check's, a
    rewrite's), so only the rest is read: without it the next answer re-read the system prompt,
    about 1.3 s on 2 cores (docs/quality-log.md). The passages' states are held up to the end of
    each (`Context.marks`): the answer does not depend on the question asked before it."""
    yield from llm.stream(messages, max_tokens=settings.generation.max_tokens, temperature=settings.generation.temperature,
                          seed=settings.generation.seed, schema=schema(len(context.sentences)),
                          lazy_grammar=settings.generation.lazy_grammar, keep=context.marks(messages),
                          fast_forward=settings.generation.fast_forward)


def translate(llm: TextModel, text: str, language: str, settings: Settings) -> str:
    """The answer written in `language` (prompts/answer.translate.<language>.txt): a plain completion,
    its first line, with no double quote (as the answer's schema allows none), after any lead-in line
    ("Here is the translation:"). "" when nothing came."""
    messages = [{"role": "user", "content": prompts.render(f"answer.translate.{language}", text=text)}]
    out = llm.complete(messages, max_tokens=2 * len(text) // 3 + 32, temperature=0.0, seed=settings.generation.seed)
    lines = [ln for ln in out.splitlines() if ln.strip()]
    if len(lines) > 1 and lines[0].rstrip().endswith(":"):
        lines = lines[1:]  # a lead-in ("Here is the translation:") before it
    line = lines[0] if lines else ""
    return line.replace('"', "").strip()


def parse(raw: str) -> ModelOutput | None:
    """The model's reply, or None when it is not the JSON object asked for. A reply that the token
    limit cut off inside its answer keeps the answer's complete sentences (see `cut_off`)."""
    try:
        data = json.loads(raw)
        return ModelOutput(bool(data["answerable"]), [int(n) for n in data["evidence"]], str(data["answer"]).strip())
    except (ValueError, KeyError, TypeError):
        return cut_off(raw)


_CUT_START = re.compile(r'\s*\{\s*"answerable"\s*:\s*(true|false)\s*,\s*"evidence"\s*:\s*\[([\d,\s]*)\]\s*,'
                        r'\s*"answer"\s*:\s*"')
_SENTENCE_END = re.compile(r'[.!?…»)]$')


def cut_off(raw: str) -> ModelOutput | None:
    """A reply cut off by the token limit inside its answer string (the schema's grammar allows no
    other way to be incomplete): its flag, its evidence and the answer's complete sentences, each
    once (a model that runs out of tokens has often been repeating itself). The unfinished last
    sentence is dropped whole, never shown as a fragment; None when nothing is left."""
    m = _CUT_START.match(raw)
    if not m:
        return None
    text = AnswerField().feed(raw).strip()
    spans = split_sentences(text)
    if spans and not _SENTENCE_END.search(text):
        spans = spans[:-1]
    kept = " ".join(dict.fromkeys(text[a:b].strip() for a, b in spans))
    if not kept:
        return None
    return ModelOutput(m.group(1) == "true", [int(n) for n in re.findall(r"\d+", m.group(2))], kept)


class AnswerField:
    """Decode the "answer" string of a JSON object while it is being generated."""

    def __init__(self) -> None:
        self.raw = ""
        self.emitted = 0

    def feed(self, piece: str) -> str:
        """Add a piece of the raw reply; return the new text of the answer field, if any."""
        self.raw += piece
        m = re.search(r'"answer"\s*:\s*"', self.raw)
        if not m:
            return ""
        body = self.raw[m.end():]
        out, i = [], 0
        while i < len(body):
            ch = body[i]
            if ch == '"':
                break
            if ch == "\\":
                if i + 1 >= len(body):
                    break
                esc = body[i + 1]
                if esc == "u":
                    if i + 6 > len(body):
                        break
                    out.append(chr(int(body[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                out.append({"n": "\n", "t": "\t", "r": "", "b": "", "f": ""}.get(esc, esc))
                i += 2
                continue
            out.append(ch)
            i += 1
        text = "".join(out)
        new, self.emitted = text[self.emitted:], len(text)
        return new
