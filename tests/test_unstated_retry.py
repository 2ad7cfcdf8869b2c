"""The second attempt after a claim states a detail its sentences do not give (fake LLM, unit tier)."""

from __future__ import annotations

from test_pipeline_fake import run

MONDAY = {"answerable": True, "evidence": [2], "answer": "John Kerry visited London on Monday."}
FRIDAY = {"answerable": True, "evidence": [1], "answer": "John Kerry visited London on Friday."}
NONE = {"answerable": False, "evidence": [], "answer": ""}


def test_a_made_up_day_is_asked_again_on_only_the_sentences_it_was_checked_against():
    events, llm = run("When did John Kerry visit London?", MONDAY, FRIDAY)
    a = events[-1]
    assert a.text == "John Kerry visited London on Friday [1]." and a.trace.focus == "unstated: replaced"
    retry = llm.prompts[1][1]["content"]
    quotes = retry.split("</quotes>")[0]
    assert "[1] John Kerry visited London on Friday." in quotes and "[2]" not in quotes and "Peter Cook" not in quotes
    assert "Every date, number and name of your answer must be written in these sentences" in retry
    assert "Every date" not in llm.prompts[0][1]["content"]  # the note is the second attempt's only
    assert a.trace.first_attempt.answer == MONDAY["answer"] and a.trace.unstated == []


def test_the_note_is_in_the_question_s_language():
    events, llm = run("Quand John Kerry a-t-il visité London ?", MONDAY, NONE)
    assert "Chaque date, nombre et nom de ta réponse" in llm.prompts[1][1]["content"]
    assert events[-1].abstained


def test_no_unstated_retry_when_off_or_when_the_claim_states_nothing_unsaid():
    events, llm = run("When did John Kerry visit London?", MONDAY, unstated_retry=False)
    a = events[-1]
    assert a.abstained and len(llm.prompts) == 1 and a.trace.dropped_claims == {MONDAY["answer"]: "not in its evidence: weekday 0"}
    assert a.trace.unstated == [2] and a.trace.abstain_reason == "no claim is supported by the sources"
    unsupported = {"answerable": True, "evidence": [2], "answer": "Ankara is the capital of Turkey."}
    events, llm = run("When did John Kerry visit London?", unsupported)
    assert events[-1].abstained and len(llm.prompts) == 1 and events[-1].trace.unstated == []


def test_a_failed_unstated_retry_leaves_the_abstention():
    events, llm = run("When did John Kerry visit London?", MONDAY, NONE)
    a = events[-1]
    assert a.abstained and len(llm.prompts) == 2
    assert a.trace.abstain_reason == "no claim is supported by the sources"
    assert a.trace.focus == "unstated: failed: the model found no answer in the passages"
    assert a.trace.retry_output.answerable is False
