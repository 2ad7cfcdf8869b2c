import pytest
from hypothesis import given, settings, strategies as st

from rag.chunking import chunk_text
from rag.segment import field_line, split_sentences


def test_every_chunk_is_an_exact_span(article_text):
    chunks = chunk_text("a.txt", article_text)
    assert chunks
    for c in chunks:
        assert article_text[c.start:c.end] == c.text
    # chunks cover the text in order, without overlap
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))


@pytest.mark.parametrize("text,heading", [
    ("Le conseil vote un budget pour le nouvel hôpital Et si la région refuse, le chantier attendra encore.",
     "Le conseil vote un budget pour le nouvel hôpital"),
    ("Record visitor numbers at the Harbour Museum The museum welcomed more visitors than ever last year.",
     "Record visitor numbers at the Harbour Museum"),
])
def test_a_glued_heading_after_a_name_or_an_unopened_noun_is_cut(text, heading):
    assert [text[s:e] for s, e in split_sentences(text)][0] == heading


def test_glued_headings_are_split(article_text):
    sentences = [article_text[s:e] for s, e in split_sentences(article_text)]
    assert "La Maison-Blanche pourrait accepter le maintien de Bachar el-Assad" in sentences
    assert "Les Etats-Unis s'alarment de la présence de la Russie en Syrie" in sentences
    assert any(s.startswith("Et si l'administration Obama") for s in sentences)
    assert any(s.startswith("La veille, la Maison-Blanche") for s in sentences)


@pytest.mark.parametrize("sentence", [
    "My brother always reads The Guardian every morning.",
    "Il a déclaré hier à Paris Le Monde a publié un long article sur la Syrie.",
    "We travelled by train from Geneva to La Paz in the summer of 2019.",
    "She said the U.S. Army had left by 5 p.m. on Friday.",
    "Rides leave from the Old Mill car park at 8:30 on weekends.",
    "Two engines from the City Fire station arrived at the scene within minutes.",
    "Le concert a lieu au café Le Petit Bill près de la gare chaque samedi soir.",
    # a title in sentence case after the noun that names its kind
    "En 1853, Verdi présente à Venise l'opéra La traviata devant un public d'abord hostile.",
    "Le compositeur a écrit le motet Ne reminiscaris Domine pour la cathédrale de Bari en 1585.",
    "Pendant des années, elle a chanté sur scène la chanson Ne me quitte pas de Jacques Brel.",
    "For years the choir sang the hymn The day thou gavest at every evening service.",
    "Chaque soir, le club de lecture discute du roman Le rouge et le noir de Stendhal.",
    # an abbreviation the library does not know, then a lowercase word
    "La dynastie Qin unifie la Chine en 221 av. J.-C. sous l'autorité de Qin Shi Huang.",
    "Il est né vers 551 av. J.-C. dans l'État de Lu et meurt en 479 av. J.-C. à Qufu.",
    "Elle a travaillé pour la Sté. générale pendant vingt ans avant de partir.",
    # a title before a name
    "Hier soir, le Pr. Moriarty a rencontré des amis à Londres pour dîner.",
    "Last night Mx. Taylor met some friends in London for dinner.",
    # a capitalised abbreviation with no vowel before a name: no word is written so
    "Present were the chair, the treasurer, Cllr. Peter Doyle and 23 residents.",
    "The parade was led by Sgt. Ann Brooks of the county police on Sunday.",
    "La messe a été célébrée par Mgr. Dubois dans la cathédrale de Rouen.",
    # a first name's initials; a volume's or a chapter's Roman numeral
    "Le film de J.-P. Jeunet est sorti en 2001 et a connu un grand succès.",
    "Selon le rapport de (J.-M. Durand) la ville a grandi de dix pour cent.",
    "See Vol. II of the annual report for the figures of each branch.",
    "Voir le ch. XIV du règlement pour les conditions de remboursement.",
])
def test_ordinary_sentences_stay_whole(sentence):
    assert split_sentences(sentence) == [(0, len(sentence))]


@pytest.mark.parametrize("text, cut", [
    ("The talks were held in the EU. The next round is in May.", "The talks were held in the EU."),  # an acronym
    ("Scotland elected few Conservative MPs. In the aftermath, a campaign began.", "Scotland elected few Conservative MPs."),
    ("The report was written by Dr. J. Smith. By Monday it was out.", "The report was written by Dr. J. Smith."),
    ("Everyone was there. Mrs Lee said so.", "Everyone was there."),
])
def test_a_sentence_still_ends_after_an_acronym_or_a_word(text, cut):
    assert text[slice(*split_sentences(text)[0])] == cut


ENGLISH = """The committee met on Tuesday. Dr. Jane Smith, who chairs it, opened the session at 9 a.m. and
read the agenda. "We have three items," she said. "The budget comes first."

Members from the U.K. and the U.S. asked questions. Was the deadline realistic? Nobody knew!
The minutes were approved at 11:30."""

FRENCH = """Le conseil s'est réuni mardi. M. Dupont, qui le préside, a ouvert la séance à 9 h et lu
l'ordre du jour. « Nous avons trois points », a-t-il dit. « Le budget vient d'abord. »

Mme Martin a posé une question sur le projet. Le délai est-il réaliste ? Personne ne le savait !
Le procès-verbal a été adopté à 11 h 30."""


@pytest.mark.parametrize("text,expected", [
    (ENGLISH, ["The committee met on Tuesday.",
               "Dr. Jane Smith, who chairs it, opened the session at 9 a.m. and\nread the agenda.",
               '"We have three items," she said.', '"The budget comes first."',
               "Members from the U.K. and the U.S. asked questions.", "Was the deadline realistic?", "Nobody knew!",
               "The minutes were approved at 11:30."]),
    (FRENCH, ["Le conseil s'est réuni mardi.",
              "M. Dupont, qui le préside, a ouvert la séance à 9 h et lu\nl'ordre du jour.",
              "« Nous avons trois points », a-t-il dit.", "« Le budget vient d'abord. »",
              "Mme Martin a posé une question sur le projet.", "Le délai est-il réaliste ?", "Personne ne le savait !",
              "Le procès-verbal a été adopté à 11 h 30."]),
])
def test_paragraphs_of_ordinary_text(text, expected):
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


WRAPPED_EN = """Annual report 2023
The society met in the town hall of Ashby on the evening of Saturday 14
March 2023. More than forty members attended, with guests from the region
who had travelled from the Seven Years' War museum and the abbey of St.
Albans. The treasurer, Mr Alan Brooks, presented the accounts for 2022
and they were approved by the members present (about 40) without any
objection. Three officers were elected for two years by a show of hands:
Jane Moore, Paul Gray and Luke Small. The meeting closed at 9 pm."""

WRAPPED_FR = """Rapport annuel 2023
L'association s'est réunie à la mairie de Riom le samedi 14 mars 2023, en
présence de plus de quarante membres et d'invités venus de toute la région
Auvergne. Le trésorier, M. Alain Brosse, a présenté les comptes de 2022
qui ont été approuvés sans objection par les membres présents (environ 40)
et par le bureau. Trois membres ont été élus pour deux ans à main levée :
Jeanne Morel, Paul Girard et Luc Petit. La séance a été levée à 21 h 30."""


@pytest.mark.parametrize("text,expected", [
    (WRAPPED_EN, ["Annual report 2023", "The society met", "More than forty", "The treasurer, Mr Alan",
                  "Three officers", "The meeting closed"]),
    (WRAPPED_FR, ["Rapport annuel 2023", "L'association s'est", "Le trésorier, M. Alain", "Trois membres",
                  "La séance a été"]),
])
def test_a_text_wrapped_at_a_fixed_width_is_cut_at_its_sentences_not_its_lines(text, expected):
    """Line breaks inside a sentence (after a number, a name, an abbreviation, "Years'") are no boundaries
    in a hard-wrapped text; its title line still is one."""
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert len(sentences) == len(expected)
    assert all(s.startswith(x) for s, x in zip(sentences, expected))
    rest = text.index("\n") + 1  # the same text with its body on one line: the same sentences
    flat = text[:rest] + text[rest:].replace("\n", " ")
    assert [flat[s:e] for s, e in split_sentences(flat)] == [x.replace("\n", " ") for x in sentences]


@pytest.mark.parametrize("text", ["Yes, Sir. The car is ready for you now.",
                                  "She said it was for me. Then she left the room."])
def test_a_word_that_is_also_a_title_may_end_a_sentence(text):
    assert len(split_sentences(text)) == 2


def test_a_text_in_lowercase_keeps_its_sentences():
    text = "i went home. then i slept. it was late."
    assert [text[s:e] for s, e in split_sentences(text)] == ["i went home.", "then i slept.", "it was late."]


def test_segmenter_is_recorded_from_the_library():
    from importlib.metadata import version

    from rag.segment import segmenter

    info = segmenter()
    assert info["library"] == f"sentencex {version('sentencex')}"
    assert len(info["rules"]) == 12


def test_french_typography_and_abbreviations():
    text = ("M. Kerry a parlé à Mme Zakharova. « C'est important », a-t-il dit. "
            "Le Dr. Cook l'a confirmé! J. Kerry est à Londres.")
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "M. Kerry a parlé à Mme Zakharova.",
        "« C'est important », a-t-il dit.",
        "Le Dr. Cook l'a confirmé!",
        "J. Kerry est à Londres.",
    ]


def test_chunk_keeps_previous_sentence_as_context(article_text):
    chunks = chunk_text("a.txt", article_text, chunk_chars=200)
    ils = next(c for c in chunks if c.text.startswith('"Ils ont convenu'))
    assert "Peter Cook" in ils.context and "ministres" in ils.context


def test_chunk_ids_are_deterministic(article_text):
    assert [c.id for c in chunk_text("a.txt", article_text)] == [c.id for c in chunk_text("a.txt", article_text)]
    assert chunk_text("a.txt", article_text)[0].id != chunk_text("b.txt", article_text)[0].id


def test_markdown_lines_and_long_sentences():
    text = "# Title\n\nA paragraph that\nwraps over lines.\n\n- item one\n- item two\n\n" + "word " * 400
    chunks = chunk_text("n.md", text, chunk_chars=100)
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert len(c.text) <= 200
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences[:4] == ["# Title", "A paragraph that\nwraps over lines.", "- item one", "- item two"]


def test_a_list_item_wrapped_over_lines_stays_whole():
    text = "Rules\n1. The tenant pays the rent on the first day of\nthe month.\n2. Pets are not allowed.\n- a towel\n- a padlock"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Rules", "1. The tenant pays the rent on the first day of\nthe month.", "2. Pets are not allowed.", "- a towel",
        "- a padlock"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab É.!?«» \n\"'Et La")), max_size=300))
def test_offsets_hold_for_any_text(text):
    for c in chunk_text("x.txt", text, chunk_chars=40):
        assert text[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text


def test_headings_are_passages_and_context_of_the_next(article_text):
    chunks = chunk_text("a.txt", article_text)
    texts = [c.text for c in chunks]
    assert "La Maison-Blanche pourrait accepter le maintien de Bachar el-Assad" in texts
    assert "Les Etats-Unis s'alarment de la présence de la Russie en Syrie" in texts
    after = next(c for c in chunks if c.text.startswith("La veille, la Maison-Blanche"))
    assert after.context == "Les Etats-Unis s'alarment de la présence de la Russie en Syrie"


@pytest.mark.parametrize("text,expected", [
    # a section title that ends in a lowercase word, over its first sentence
    ("Opening hours\nThe pool opens at 8 am every day. It closes at 9 pm.",
     ["Opening hours", "The pool opens at 8 am every day.", "It closes at 9 pm."]),
    ("Horaires d'ouverture\nLa piscine ouvre à 8 h tous les jours.",
     ["Horaires d'ouverture", "La piscine ouvre à 8 h tous les jours."]),
    # lines of a list with no closing punctuation
    ("Price list\nAdult ticket: 12 euros\nChild ticket: 6 euros\nFamily ticket: 30 euros",
     ["Price list", "Adult ticket: 12 euros", "Child ticket: 6 euros", "Family ticket: 30 euros"]),
    ("Ingredients:\n• 200 g flour\n• 2 eggs\n• a pinch of salt\nMix everything and bake for 20 minutes.",
     ["Ingredients:", "• 200 g flour", "• 2 eggs", "• a pinch of salt", "Mix everything and bake for 20 minutes."]),
    ("What to bring\n– a towel\n– sandals\nLockers cost 2 euros.",
     ["What to bring", "– a towel", "– sandals", "Lockers cost 2 euros."]),
    ("À apporter\n— une serviette\n— des sandales\nLes casiers coûtent 2 euros.",
     ["À apporter", "— une serviette", "— des sandales", "Les casiers coûtent 2 euros."]),
    ("Steps\n1) Open the lid.\n2) Pour the water.\na) optional: add salt\nb) optional: add sugar\nDone.",
     ["Steps", "1) Open the lid.", "2) Pour the water.", "a) optional: add salt", "b) optional: add sugar", "Done."]),
])
def test_the_lines_of_titles_and_lists_are_units(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


@pytest.mark.parametrize("sentence", [
    "Il est né le 3 janv. 1950 à Lyon dans une famille de musiciens.",
    "La réunion du 12 févr. 2024 a été reportée au mois suivant.",
    "The office closed on 14 Sept. 2021 after the flood.",
    "Office hours: Mon.–Fri. 9 am to 5 pm, except on public holidays.",
    "Accueil ouvert du lun.-ven. 9 h à 17 h, sauf les jours fériés.",
])
def test_an_abbreviated_month_before_a_figure_ends_no_sentence(sentence):
    assert split_sentences(sentence) == [(0, len(sentence))]


def test_the_entries_of_a_timetable_are_units_whatever_their_lengths():
    # each entry's next line would not have fitted on it at the width of its longest neighbour
    text = ("The ferry runs between Old Quay and Gull Island all year round.\n"
            "Monday to Friday: first boat 6.45 am, last boat 9.30 pm\n"
            "Saturday: first boat 8 am, last boat 11 pm\n"
            "Child (5 to 15): half the adult fare\n"
            "Bicycle: £1\n"
            "Du mardi au vendredi : 9 h à 12 h et 14 h à 18 h\n"
            "Samedi : 8 h 30 à 18 h")
    assert [text[s:e] for s, e in split_sentences(text)] == text.split("\n")


@pytest.mark.parametrize("line, field", [
    ("Saturday: 8 am to 8 pm", True), ("Du mardi au vendredi : 9 h à 12 h", True), ("Child (5 to 15): half", True),
    ("The Yuan dynasty (Chinese: 元朝; pinyin: Yuán Cháo), officially", False),  # a colon inside brackets
    ("The committee met on Tuesday evening and then: it rained", False),  # more words than a label's
    ("9:30 start", False), ("saturday: 8 am", False),
])
def test_field_line(line, field):
    assert field_line(line) is field


@pytest.mark.parametrize("text, expected", [
    ("Il a vécu à Rome vers 50 av. J.-C. Il y a écrit ses lettres.", 1),  # glued, as "av. J. Il" is
    ("The winners were Anne and J.-P. They left at noon.", 1),
    ("Part one ends here. Part two starts in Vol. III.", 2),
    ("The guide has two volumes. Volume II. It covers the north.", 3),  # no lowercase word after the numeral
    ("They went to the end. I went home.", 2),  # one letter: a pronoun, no numeral
])
def test_initials_and_numerals_join_only_what_they_must(text, expected):
    assert len(split_sentences(text)) == expected


@pytest.mark.parametrize("text", ["Part one ends here. Part two starts in Vol. 3.", "See the annex of Vol. III."])
def test_a_number_that_ends_the_text_ends_the_sentence_before_it(text):  # it was dropped: no span held it
    assert [text[s:e] for s, e in split_sentences(text)][-1].endswith(("Vol. 3.", "Vol. III."))


@pytest.mark.parametrize("lines", [
    ("The committee met on Tuesday evening in the small hall and then went on with",  # the name would not have fitted
     "Jonathan Richardson-Whitfield and the others to discuss the budget for the year."),
    ("The committee met on Tuesday evening in the small hall and agreed on a single",  # a label, no entry before it
     "Agenda: the budget for the year, the new roof and the summer fair for the town."),
])
def test_a_wrapped_paragraph_stays_whole_where_its_next_line_opens_with_a_capital(lines):
    text = "\n".join([*lines, "Everyone agreed that the budget for the coming year was far too small for us.",
                      "The meeting closed at nine in the evening after a long and tiring discussion."])
    assert len(split_sentences(text)) == 3


def test_a_numbered_item_keeps_its_number():
    text = "Steps\n1. Open the lid.\n2. Pour the water.\nÉtapes\n1. Ouvrir le couvercle.\n2. Verser l'eau."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Steps", "1. Open the lid.", "2. Pour the water.", "Étapes", "1. Ouvrir le couvercle.", "2. Verser l'eau."]


@pytest.mark.parametrize("text", ["He went to see the doctor and\nDr Smith said he was fine.",
                                  "Le médecin est venu avec\nMme Durand pour la visite."])
def test_a_line_that_ends_in_a_function_word_goes_on(text):
    assert len(split_sentences(text)) == 1


def test_the_lines_under_a_heading_are_one_passage_not_headings():
    text = ("Opening hours\nMonday to Friday: 6 am to 10 pm\nSaturday: 8 am to 8 pm\nThe centre is closed on 25 December.\n\n"
            "What to bring\n• a padlock\n• a towel\nCaps are compulsory.")
    chunks = [c.text for c in chunk_text("a.txt", text)]
    assert chunks == ["Opening hours",
                      "Monday to Friday: 6 am to 10 pm\nSaturday: 8 am to 8 pm\nThe centre is closed on 25 December.",
                      "What to bring", "• a padlock\n• a towel\nCaps are compulsory."]
