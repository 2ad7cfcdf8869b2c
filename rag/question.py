"""The question stage: a question checked before anything is read for it, and a follow-up turned into a
standalone question with the conversation."""

from __future__ import annotations

from typing import Sequence

from . import instructions, lang, prompts
from .errors import InputError
from .text_model import TextModel
from .settings import Settings

History = Sequence[tuple[str, str]]  # (question, answer) turns of a conversation


def validate_question(question: object, settings: Settings) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("the question is empty; type a question about the documents")
    question = " ".join(question.split())
    if len(question) > settings.limits.max_question_chars:
        raise InputError(f"the question is {len(question):,} characters long; keep it under {settings.limits.max_question_chars:,}")
    return question


def rewrite_question(question: str, history: History, llm: TextModel, settings: Settings) -> str:
    """Turn a follow-up into a standalone question using the conversation."""
    turns = [f"User: {lang.in_sentence_case(q)}\nAssistant: {a[:300]}" for q, a in list(history)[-3:]]
    messages = [
        {"role": "system", "content": prompts.load("rewrite.system")},
        {"role": "user", "content": prompts.render("rewrite.user", history="\n".join(turns), question=question)},
    ]
    out = llm.complete(messages, max_tokens=64, temperature=0.0, seed=settings.generation.seed).strip()
    out = out.splitlines()[0].strip().strip('"«» ') if out else ""
    unchanged = " ".join(out.lower().split()) == " ".join(question.lower().split())
    if not out or unchanged or len(out) > 3 * len(question) + 200 or instructions.is_instruction(out):
        # The model could not resolve the references: let retrieval see the previous question too.
        return f"{lang.in_sentence_case(history[-1][0])} {question}" if history else question
    return out
