"""The LLM as a yes/no judge of the claims that passed the exact checks.

The claims are put back to the model in the same conversation: its prompt (the quoted sentences and
the question) and its answer are still in llama.cpp's cache, so only the new tokens are read. For
each claim it says whether the sentences the claim cites state it; a claim it does not find stated
is dropped. This catches what exact checks cannot: a detail taken from another event in the same
sentence, a role the source does not give, an answer about something else than the question.
"""

from __future__ import annotations

import json

from . import prompts
from .text_model import TextModel
from .settings import Settings
from .verify import Claim


def judge(llm: TextModel, messages: list[dict[str, str]], raw: str, claims: list[Claim], settings: Settings) -> list[bool] | None:
    """For each claim that stands, is it stated by its evidence? None when the judge's reply is unusable."""
    kept = [c for c in claims if c.kept]
    if not kept:
        return []
    listing = "\n".join(f"{i}. {c.text} (cites {', '.join(f'[{s.number}]' for s in c.evidence)})"
                        for i, c in enumerate(kept, 1))
    n = len(kept)
    schema = {"type": "object", "required": ["stated"],
              "properties": {"stated": {"type": "array", "items": {"type": "boolean"}, "minItems": n, "maxItems": n}}}
    conversation = messages + [{"role": "assistant", "content": raw},
                               {"role": "user", "content": prompts.render("judge.user", claims=listing)}]
    out = llm.complete(conversation, max_tokens=8 + 4 * n, temperature=0.0, seed=settings.generation.seed, schema=schema,
                       lazy_grammar=settings.generation.lazy_grammar)
    try:
        verdicts = [bool(v) for v in json.loads(out)["stated"]]
    except (ValueError, KeyError, TypeError):
        return None
    return verdicts if len(verdicts) == n else None


def apply(claims: list[Claim], verdicts: list[bool]) -> None:
    """Drop the claims the judge did not find stated (in place)."""
    for claim, stated in zip([c for c in claims if c.kept], verdicts):
        if not stated:
            claim.reason = "the model, asked again, does not find it stated in the cited sentences"
