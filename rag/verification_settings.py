"""The `verification` group of `Settings`: how an answer is checked against its sources before it is shown."""

from __future__ import annotations

from dataclasses import dataclass

from .setting_fields import Group, bad_value, documented


@dataclass(frozen=True)
class VerificationSettings(Group):
    """What a claim needs before it is shown as supported."""

    GROUP = "verification"
    min_support: float = documented(0.45, "a cited sentence must be at least this similar (embedding cosine) to "
                                        "the claim to support it", low=-1.0, high=1.0)
    min_answerable_p: float = documented(0.0, "withhold the answer when the LLM's own probability of "
                                            "\"answerable\" is below this (0: off)", low=0.0, high=1.0)
    min_answer_relevance: float = documented(0.2, "abstain when neither the answer nor any sentence it cites is this "
                                         "similar (embedding cosine) to the question: an answer about something "
                                         "else (0: off; docs/quality-log.md)", low=0.0, high=1.0)
    min_asked_p: float = documented(0.765, "abstain when the cited sentences lack a word the question asks about "
                                       "and the LLM's probability that they say it anyway is below this (0: off; "
                                       "docs/quality-log.md)",
                                  low=0.0, high=1.0)
    check_llm: str = documented("", "the LLM that answers that check's yes/no question: a model key or a GGUF "
                                  "path (empty: the answering LLM; ignored when RAG_LLM_URL is set; the 0.5B "
                                  "model, measured, does not tell right words from swapped ones)")
    asked_languages: str = documented("en", "question languages (comma-separated) where that check runs "
                                          "(measured noisy in French with the default model)")
    restated_languages: str = documented("", "question languages (comma-separated, others than those of "
                                           "asked_languages) where that check asks only the question's words that the "
                                           "answer restates (empty: off; with fr it withheld wrong answers and no right one "
                                           "measured, and French answers pay for it in time; docs/quality-log.md)")
    min_restated_p: float = documented(0.7, "in those languages, abstain when the answer restates a word of the question "
                                            "that its cited sentences lack and the LLM's probability that they say it "
                                            "is below this (0: off)", low=0.0, high=1.0)
    noun_languages: str = documented("en,fr", "question languages (comma-separated) where the noun the question asks "
                                          "for (\"which architect\", \"quelle hauteur\", \"who was the husband of\") is put to "
                                          "that check when the cited sentences lack it, whatever their language "
                                          "(empty: off; on the development sets it withheld near misses and wrong "
                                          "answers, and one right answer sits at the threshold; docs/quality-log.md)")
    min_noun_p: float = documented(0.75, "there, abstain when the LLM's probability that the cited sentences say "
                                         "that noun is below this (0: off)", low=0.0, high=1.0)
    item_check: bool = documented(True, "abstain when the cited sentences do not name the thing a price question "
                                        "prices (\"combien coûte la location d'une serviette\" -> serviette): in the "
                                        "question's language, word for word in them, the sentence before each or their "
                                        "headings (where asked_languages does not read it); in another language, asked "
                                        "like the asked noun, under min_noun_p (docs/quality-log.md)")
    min_polarity_gap: float = documented(0.6, "for a question that asks for a yes or a no, abstain when the LLM's "
                                             "probability of \"yes\" going by the cited sentences and going by the "
                                             "answer differ by this or more: an answer that says the opposite of its "
                                             "sentences (0: off; docs/quality-log.md)", low=0.0, high=1.0)
    min_subject_similarity: float = documented(0.22, "for a yes/no question about a thing (\"Is the hostel "
                                                 "closed…?\"), abstain when no cited document names it in any form "
                                                 "nor has a sentence this similar (embedding cosine) to it: an answer "
                                                 "read from a page about something else (0: off; docs/quality-log.md)",
                                               low=0.0, high=1.0)
    other_topic: bool = documented(True, "abstain when the question names what another document is about (its "
                                       "title line names it, its text again) and no cited document names it: an "
                                       "answer read from the wrong document (docs/quality-log.md)")
    min_title_word_similarity: float = documented(0.5, "there, a word in another form or language counts as the "
                                                    "question's word when their embeddings are this similar (\"pool\" "
                                                    "and \"piscine\" 0.58), in another document's title line and in the "
                                                    "cited documents (0: only the same word in any form; "
                                                    "docs/quality-log.md)", low=0.0, high=1.0)
    judge: bool = documented(False, "ask the LLM whether each claim is stated by its sentences (off: measured no "
                                  "denial on 37 answers, about a second slower)")
    focus_retry: bool = documented(False, "when the cited sentences miss a name the question asks about, ask once "
                                        "more on only the sentences that name it (off: on the development sets it "
                                        "replaced more right answers than wrong ones; docs/quality-log.md)")
    off_topic_retry: bool = documented(True, "when the answer and its sentences are about something else than the "
                                           "question, ask once more on only the retrieved sentences close to it "
                                           "(docs/quality-log.md)")
    name_retry: bool = documented(True, "when a claim put a statement about someone else on the one the question "
                                      "names, ask once more on only the sentences whose paragraph names them "
                                      "(docs/quality-log.md)")
    uncited_retry: bool = documented(True, "when no claim stands because the model cited other sentences than "
                                         "those that support its words, ask once more on only those sentences "
                                         "(docs/quality-log.md)")
    unstated_retry: bool = documented(True, "when no claim stands because one states a number, day, month or name "
                                          "its sentences do not give, ask once more on only those sentences, "
                                          "with a note that every detail must be written in them "
                                          "(docs/quality-log.md)")
    polarity_retry: bool = documented(True, "when a yes/no answer goes the other way than its cited sentences, ask "
                                          "once more on only those sentences (docs/quality-log.md)")
    pronoun_retry: bool = documented(True, "when a question asks who did something (not \"Who is X?\") and the answer opens with a "
                                         "pronoun (\"He proposed…\"), ask once more on the cited sentences and the "
                                         "three before each in its paragraph, with a note to name the person; "
                                         "abstain when that answer opens with a pronoun too (docs/quality-log.md)")
    unnamed_around: bool = documented(True, "abstain when a name the question asks about is neither in the answer nor in "
                                            "the paragraphs of its cited sentences or their documents' titles (\"Who "
                                            "opened the X Bridge?\" answered from another bridge's paragraph; "
                                            "docs/quality-log.md)")
    closest_retry: int = documented(0, "when the answer cites none of the N sentences of its passages closest to "
                                       "the question (embedding cosine), ask once more on only those N (0: off: "
                                       "with 3, 5 answers better and 3 worse on the development sets, and a "
                                       "second generation on up to a tenth of the questions; "
                                       "docs/quality-log.md)", low=0, high=50)

    def check(self) -> None:
        for name in ("asked_languages", "restated_languages", "noun_languages"):
            if any(x not in ("en", "fr") for x in _languages(getattr(self, name))):
                raise bad_value(name, self.GROUP, "must list en and/or fr", getattr(self, name))

    @property
    def asked_languages_tuple(self) -> tuple[str, ...]:
        return _languages(self.asked_languages)

    @property
    def restated_languages_tuple(self) -> tuple[str, ...]:
        return _languages(self.restated_languages)

    @property
    def noun_languages_tuple(self) -> tuple[str, ...]:
        return _languages(self.noun_languages)


def _languages(text: str) -> tuple[str, ...]:
    """'en, fr' -> ('en', 'fr')"""
    return tuple(x.strip() for x in text.split(",") if x.strip())
