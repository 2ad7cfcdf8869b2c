"""Language knowledge, in one place, for English and French.

Which language a text is in (lingua: `identify`), stopwords (stop-words), number words (text2num),
weekday and month names (babel's locale data), seasons (`seasons`, a closed class written out), holidays as dates (holidays: `dates`), hours of the day
(`clock`), the figure a question asks for (`figures`), currencies (babel: `money`) and the content
words of a text (`words`), proper names and the names of countries (babel: `proper_names`), the noun a question asks for and a yes/no
question's subject (`questions`), what a question sets aside (`asides`: "Ignoring the cost, …"), what a price question prices (`priced`), what a count counts (`counted`) and a question that asks who
did something (`who`); the system's own phrases and the instruction rules are in
`rag.instructions`.
Libraries first; the few lists kept here are closed-class words, and nothing here knows any
particular document.
"""

from .asides import asides, split_asides, without_asides
from .dates import dated
from .identify import answer_language, assessable, detect, foreign_words, language_of, without_names, without_quotes
from .priced import priced_item
from .questions import asked_noun, is_polar, negation_asked, polar_subject, restates, without_question_clauses
from .proper_names import (ABBREVIATED_TITLES, caseless, capitalised_words, in_sentence_case, mentions, names, spelled_alike,
                           splits_before_inverted_verb, territories)
from .figures import asked_figure, gives_figure
from .who import asks_who_did, pronoun_subject
from .words import (ARTICLES, DETERMINERS, KEYWORD_STOPWORDS, LANGUAGES, calendar_abbreviations, calendar_term, calendar_terms, content_words, fold, negated, numbers,
                    reply_word, stopwords, without_reply_word)

__all__ = ["ABBREVIATED_TITLES", "ARTICLES", "DETERMINERS", "KEYWORD_STOPWORDS", "LANGUAGES", "answer_language", "asides", "asked_figure", "asked_noun", "asks_who_did", "assessable",
           "calendar_abbreviations", "calendar_term", "calendar_terms", "capitalised_words", "caseless", "in_sentence_case", "content_words", "dated", "detect", "fold", "foreign_words", "gives_figure", "is_polar", "language_of",
           "mentions", "names", "negated", "negation_asked", "numbers", "polar_subject", "priced_item", "pronoun_subject", "restates", "spelled_alike", "split_asides", "splits_before_inverted_verb", "stopwords", "territories", "without_names",
           "without_question_clauses",
           "without_asides", "without_quotes", "without_reply_word", "reply_word"]
