"""A question that asks who did something, answered with a pronoun ("He proposed…"): asked once more on
the sentences before the cited one, else withheld (fake LLM, unit tier)."""

from __future__ import annotations

import pytest

from rag import lang

from test_pipeline_fake import FakeIndex, number_of, run

pytestmark = pytest.mark.unit

MINUTES = ("Tom Brennan presented the accounts of the club. The summer fair raised 1,150 pounds. "
           "He proposed raising the annual subscription to eight pounds.\n\n"
           "Anna Price thanked the volunteers of the litter picks.")
HE = "He proposed raising the annual subscription to eight pounds."
NAMED = "Tom Brennan proposed raising the annual subscription to eight pounds."
NONE = {"answerable": False, "evidence": [], "answer": ""}
QUESTION = "Who proposed raising the annual subscription?"


def ask(question, *replies, **kw):
    return run(question, *replies, index=FakeIndex(MINUTES), **kw)


def test_a_pronoun_answer_to_who_is_asked_again_on_the_sentences_before_its_own():
    # the context lists the sentences by rank: "He proposed…" is [2]; the second attempt lists them as written
    events, llm = ask(QUESTION, {"answerable": True, "evidence": [2], "answer": HE},
                      {"answerable": True, "evidence": [1, 3], "answer": NAMED})
    assert number_of(llm, "He proposed") == 2
    a = events[-1]
    assert not a.abstained and a.text.startswith("Tom Brennan proposed") and a.trace.focus == "pronoun: replaced"
    retry = llm.prompts[-1][1]["content"]
    quotes = retry.split("</quotes>")[0]
    assert quotes.index("[1] Tom Brennan presented") < quotes.index("[2] The summer fair") < quotes.index("[3] He proposed")
    assert "Anna Price" not in quotes
    assert "a pronoun" in retry and "a pronoun" not in llm.prompts[0][1]["content"]


@pytest.mark.parametrize("retry", [NONE, {"answerable": True, "evidence": [3], "answer": HE}])  # [3]: as written
def test_the_pronoun_answer_is_withheld_when_the_second_attempt_names_nobody_either(retry):
    events, llm = ask(QUESTION, {"answerable": True, "evidence": [2], "answer": HE}, retry)
    a = events[-1]
    assert a.abstained and a.trace.abstain_reason == 'the question asks who, and the answer says "He"'


def test_no_second_attempt_when_off_or_when_who_asks_for_someone_else():
    events, llm = ask(QUESTION, {"answerable": True, "evidence": [2], "answer": HE}, pronoun_retry=False)
    assert not events[-1].abstained and len([p for p in llm.prompts if "<quotes>" in p[1]["content"]]) == 1
    question = "Who did the fair raise money for?"  # "who" is not the one acting: "He…" may answer it
    assert not lang.asks_who_did(question)


@pytest.mark.parametrize("question, asks", [
    ("Who proposed raising the subscription?", True), ("And who won the vote?", True),
    ("Qui a proposé un tarif réduit ?", True), ("Qui est-ce qui a proposé cela ?", True),
    ("Who is Ada Lovelace?", False), ("Who was the treasurer?", False), ("Qui est la nouvelle secrétaire ?", False),
    ("Who did Ada meet?", False), ("Whom did she marry?", False), ("Who does she work for?", False),
    ("Qui est-ce que Ada a rencontré ?", False), ("Qui Ada a-t-il rencontré ?", False),
    ("Par qui la proposition a-t-elle été faite ?", False), ("Is he the treasurer?", False),
    ("What did he say?", False), ("The man who won, where does he live?", False),
])
def test_what_asks_who_did_something(question, asks):
    assert lang.asks_who_did(question) is asks


@pytest.mark.parametrize("answer, pronoun", [
    (HE, "He"), ("Elle a proposé un tarif réduit.", "Elle"), ("They voted against it.", "They"),
    (NAMED, None), ("It was carried by 19 votes.", None), ("The treasurer proposed it.", None),
])
def test_the_pronoun_an_answer_opens_with(answer, pronoun):
    assert lang.pronoun_subject(answer) == pronoun


def test_the_sentences_before_are_read_from_the_source_when_the_passages_start_later():
    # one passage: "He proposed…", shown with the sentence before it; "Tom Brennan presented…" is two back
    events, llm = ask(QUESTION, {"answerable": True, "evidence": [2], "answer": HE},
                      {"answerable": True, "evidence": [1, 3], "answer": NAMED}, top_k=1)
    first = llm.prompts[0][1]["content"].split("</quotes>")[0]
    assert "Tom Brennan" not in first and "[2] He proposed" in first
    quotes = llm.prompts[-1][1]["content"].split("</quotes>")[0]
    assert "[1] Tom Brennan presented" in quotes and "[3] He proposed" in quotes
    a = events[-1]
    assert not a.abstained and a.trace.focus == "pronoun: replaced"
    assert {c.quote for c in a.citations} == {"Tom Brennan presented the accounts of the club.", HE}
    assert all(MINUTES[c.start:c.end] == c.quote for c in a.citations)
