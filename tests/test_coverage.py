"""The check that the cited sentences say what the question asks about (rag.coverage), on a fake LLM."""

from contextlib import contextmanager

import pytest

from rag import coverage
from rag import lang
from rag.lang import content_words
from rag.remote_llm import RemoteLLM

pytestmark = pytest.mark.unit

SENTENCE = "William Pitt significantly increased British military resources in the colonies."


class YesNo:
    """Answers each yes/no question with the next queued probability, and records the words asked."""

    def __init__(self, *ps):
        self.ps, self.asked, self.kept = list(ps), [], []
        self.inside = False

    @contextmanager
    def aside(self):
        self.inside = True
        yield
        self.inside = False

    def yes_probability(self, messages, keep=None):
        assert self.inside, "asked outside llm.aside(): the answer prompt would leave the cache"
        self.asked.append(messages[0]["content"])
        self.kept.append(keep)
        return self.ps.pop(0)


@pytest.mark.parametrize("question, predicate", [
    ("Are cats allowed in the coworking space?", "allowed"), ("Is breakfast free in private rooms?", "free"),
    ("Can I smoke on the roof terrace?", "smoke"), ("Are phone calls allowed in the library room?", "allowed"),
    ("Is the coworking space open on Sundays?", "open"), ("Is the clinic closed permanently?", "permanently"),
    ("Is the price of a night included?", None),  # only the subject before "of": every word is asked
])
def test_the_predicate_of_a_yes_no_question(question, predicate):
    assert coverage.predicate_word(question) == predicate


def test_content_words_drop_stopwords_names_elisions_and_clitics():
    assert content_words("Who decreased British military resources in colonies?") == [
        "decreased", "military", "resources", "colonies"]
    assert content_words("D'après l'intertitre, qu'est-ce qui alarme les Etats-Unis ?") == ["intertitre", "alarme"]
    assert content_words("Quand les troupes pénètrent-elles dans le royaume ?") == ["troupes", "pénètrent", "royaume"]
    # a possessive is its noun: the evidence says "the scheme", "children" ("the scheme's manager")
    assert content_words("Who is the scheme's manager?") == ["scheme", "manager"]
    assert content_words("When are the children’s lessons and the members' meetings?") == ["children", "lessons", "members", "meetings"]


def test_only_words_the_evidence_lacks_are_put_to_the_model():
    assert coverage.unmatched("Who decreased British military resources in colonies?", SENTENCE) == ["decreased"]
    assert coverage.unmatched("Who increased military resources in the colonies?", SENTENCE) == []
    # a short word's plural is its word: the five-letter cut alone keeps "bees" and "bee" apart
    assert coverage.unmatched("How many bee species nest in parks?", "Wild bees: 87 species nest in the park.") == []
    assert coverage.unmatched("Combien de jours dure le stage ?", "Le stage dure cinq jour.") == []
    assert coverage.unmatched("Which press reported it?", "The presses of the town reported it.") == []
    assert coverage.unmatched("How many bee species nest in parks?", "Wild wasps: 87 species nest in the park.") == ["bee"]


def test_a_word_the_model_does_not_find_makes_it_unexpressed():
    llm = YesNo(0.45)
    c = coverage.check(llm, "Who decreased military resources in colonies?", SENTENCE, "en", 0.7, ("en",))
    assert c.unexpressed == ["decreased"] and c.p_yes == {"decreased": 0.45}


def test_each_prompt_keeps_the_templates_fixed_start_and_only_that():
    llm = YesNo(0.9, 0.95)
    coverage.check(llm, "Who decreased military forces in colonies?", SENTENCE, "en", 0.7, ("en",))
    assert len(llm.asked) == 2
    for prompt, keep in zip(llm.asked, llm.kept):
        assert keep and prompt.startswith(keep)
        assert SENTENCE not in keep and "decreased" not in keep  # nothing of this question or its evidence
    assert '"decreased"' in llm.asked[0] and SENTENCE in llm.asked[0]


def test_a_synonym_the_model_finds_passes():
    c = coverage.check(YesNo(0.9), "Who boosted military resources in colonies?", SENTENCE, "en", 0.7, ("en",))
    assert c.unexpressed == [] and c.p_yes == {"boosted": 0.9}


RULES = "Cats and other pets are refused on the roof terrace. Smoking is banned everywhere, the roof terrace included."


@pytest.mark.parametrize("question, asked", [
    ("Are cats allowed on the roof terrace?", []),  # "refused" answers it: "allowed" is not asked
    ("Can I smoke on the roof terrace?", []),  # "banned" answers it
    ("Are cats allowed in the coworking space?", ["coworking", "space"]),  # what follows is asked
    ("Are parrots allowed on the terrace?", ["parrots"]),  # the subject must be said
    ("Which pets are allowed in the coworking space?", ["allowed", "coworking", "space"]),  # not yes/no: every word
])
def test_a_yes_no_question_does_not_ask_its_predicate(question, asked):
    """The sentence answering "no" says the opposite of the question's word ("refused" for "allowed"),
    which the every-word prompt rightly calls unsaid: of a yes/no question the predicate is not asked, and
    whether the answer goes the way of its sentence is the polarity check's."""
    llm = YesNo(*[0.9] * 5)
    c = coverage.check(llm, question, RULES, "en", 0.7, ("en",))
    assert list(c.p_yes) == asked


@pytest.mark.parametrize("min_p, language, languages", [(0.0, "en", ("en",)), (0.7, "fr", ("en",))])
def test_off_or_another_language_does_not_ask(min_p, language, languages):
    llm = YesNo()
    assert coverage.check(llm, "Who decreased military resources?", SENTENCE, language, min_p, languages) is None
    assert llm.asked == []


def test_evidence_in_another_language_is_not_checked_word_by_word():
    llm = YesNo()
    french = "William Pitt a fortement augmenté les ressources militaires britanniques dans les colonies."
    assert coverage.check(llm, "Who decreased military resources?", french, "en", 0.7, ("en",)) is None


def test_a_short_line_is_read_in_the_language_of_its_passage():
    line = "Monthly pass: £45"  # language identification alone gives it to French
    llm = YesNo(0.1)
    checked = coverage.check(llm, "How much does a yoga class cost?", line, "en", 0.7, ("en",), evidence_language="en")
    assert checked is not None and checked.unexpressed == ["yoga"]


def test_a_server_model_gives_no_probability_and_the_check_is_skipped():
    remote = RemoteLLM("http://127.0.0.1:9", "m")
    assert coverage.check(remote, "Who decreased military resources?", SENTENCE, "en", 0.7, ("en",)) is None


def test_threshold_sweep_counts_what_each_threshold_would_change():
    from benchmarks.coverage_threshold import sweep

    def row(answerable, correct, p, abstained=False):
        return {"abstained": abstained, "question_answerable": answerable, "metrics": {"correct": correct},
                "coverage": None if p is None else {"word": p}}

    rows = [row(True, True, 0.9), row(True, False, 0.5), row(False, False, 0.6), row(False, False, 0.95),
            row(True, True, 0.2, abstained=True), row(True, True, None)]
    at = {s["threshold"]: s for s in sweep(rows, (0.55, 0.7, 0.92))}
    assert (at[0.55]["right_lost"], at[0.55]["wrong_abstained"], at[0.55]["unanswerable_gained"]) == (0, 1, 0)
    assert (at[0.7]["right_lost"], at[0.7]["wrong_abstained"], at[0.7]["unanswerable_gained"]) == (0, 1, 1)
    assert (at[0.92]["right_lost"], at[0.92]["wrong_abstained"], at[0.92]["unanswerable_gained"]) == (1, 1, 1)


def test_the_threshold_sweep_lists_the_words_just_under_the_lowest_right_one():
    from benchmarks.coverage_threshold import near_the_lowest_right

    def row(id_, answerable, correct, words):
        return {"id": id_, "abstained": False, "question_answerable": answerable, "metrics": {"correct": correct},
                "coverage": words}

    rows = [row("r1", True, True, {"a": 0.9, "b": 0.80}), row("r2", True, True, {"c": 0.85}),
            row("u1", False, False, {"old": 0.79}), row("u2", False, False, {"gas": 0.70}),
            row("w1", True, False, {"x": 0.81})]  # above the lowest right word: not listed
    lines = near_the_lowest_right(rows, below=0.02)
    assert lines[0].startswith("lowest words of right answers: 0.8000 (r1), 0.8500 (r2)")
    assert lines[1:] == ["  under it: 0.7900 'old' (u1)"]  # 0.70 is further under than 0.02
    assert near_the_lowest_right([row("u", False, False, {"w": 0.5})]) == []


def test_yes_no_sweep_counts_right_answers_withheld_and_wrong_ones_caught():
    from benchmarks.yes_no_checks import sweep

    measured = [{"right": True, "claim": 0.9}, {"right": True, "claim": 0.6}, {"right": False, "claim": 0.55},
                {"right": False}]  # the last: the check did not run on it
    table = {t: (lost, caught) for t, lost, caught in sweep(measured, "claim")}
    assert table[0.5] == (0, 0) and table[0.6] == (0, 1) and table[0.65] == (1, 1) and table[0.9] == (1, 1)


FRENCH = "La ministre a répondu vendredi aux questions des journalistes lors d'une conférence à Lyon."
RESTATING = "Le quotidien est Le Progrès [1]."


def check_french(llm, answer=RESTATING, restated_languages=("fr",), min_restated_p=0.7):
    """The check on a French question whose words "quotidien" and "interrogé" the sentence lacks."""
    return coverage.check(llm, "Quel quotidien a interrogé la ministre ?", FRENCH, "fr", 0.75, ("en",),
                          answer=answer, restated_languages=restated_languages, min_restated_p=min_restated_p)


def test_in_a_restated_language_only_the_words_the_answer_restates_are_asked():
    # The answer restates "quotidien" only.
    llm = YesNo(0.65)
    c = check_french(llm)
    assert len(llm.asked) == 1 and '"quotidien"' in llm.asked[0]
    assert c.unexpressed == ["quotidien"] and c.min_p == 0.7


def test_an_answer_that_restates_no_missing_word_is_not_asked_about():
    llm = YesNo()
    c = check_french(llm, answer="Le Progrès [1].")
    assert llm.asked == [] and c.unexpressed == []


def test_a_restated_word_the_model_finds_passes_under_the_restated_threshold():
    c = check_french(YesNo(0.72))
    assert c.unexpressed == [] and c.p_yes == {"quotidien": 0.72}


def test_restated_words_are_asked_only_in_the_restated_languages():
    llm = YesNo()
    assert check_french(llm, restated_languages=()) is None
    assert check_french(llm, min_restated_p=0.0) is None
    assert llm.asked == []


BEFORE = "Les ministres de la Défense se sont parlé vendredi au téléphone."
CITED = "Ils ont convenu de poursuivre les discussions."
AGREED = "Les ministres de la Défense ont convenu de poursuivre les discussions [1]."


def test_a_restated_word_the_sentence_before_gives_is_not_asked():
    # "Ils" are the ministers that the sentence before the cited one names (the model read it with it).
    question = "Qu'ont convenu les ministres de la Défense ?"
    llm = YesNo()
    c = coverage.check(llm, question, CITED, "fr", 0.75, ("en",), answer=AGREED, restated_languages=("fr",),
                       min_restated_p=0.7, window=f"{BEFORE} {CITED}")
    assert llm.asked == [] and c.unexpressed == []
    alone = YesNo(0.4)
    c = coverage.check(alone, question, CITED, "fr", 0.75, ("en",), answer=AGREED, restated_languages=("fr",),
                       min_restated_p=0.7)
    assert len(alone.asked) == 1 and c.unexpressed == ["ministres"]
    assert BEFORE not in alone.asked[0]  # the prompt quotes the cited sentence only


def test_the_window_excuses_no_word_on_the_every_word_path_nor_one_neither_sentence_gives():
    llm = YesNo(0.4)
    c = coverage.check(llm, "Qu'ont convenu les ministres de la Défense ?", CITED, "fr", 0.75, ("fr",),
                       window=f"{BEFORE} {CITED}")
    assert c.unexpressed == ["ministres"]  # every-word path: matched on the cited sentence alone
    llm = YesNo(0.3)
    c = coverage.check(llm, "Qu'ont refusé les ministres de la Défense ?", CITED, "fr", 0.75, ("en",),
                       answer="Les ministres ont refusé de poursuivre [1].", restated_languages=("fr",),
                       min_restated_p=0.7, window=f"{BEFORE} {CITED}")
    assert c.unexpressed == ["refusé"]


TOWER = "La tour a été construite en 1922 sur les plans de l'ingénieur Choukhov."


@pytest.mark.parametrize("question, noun", [
    ("Which architect designed the tower?", "architect"),
    ("What is the height of the tower?", "height"),
    ("In which year was it built?", "year"),
    ("What type of engine does it use?", "engine"),
    ("Quelle est la hauteur de la tour ?", "hauteur"),
    ("En quelle année a-t-elle été construite ?", "année"),
    ("Quel est son rôle ?", "rôle"),
    ("Quelle est l'altitude du sommet ?", "altitude"),
    ("Quel type d'acier a été utilisé ?", "acier"),
    ("What year did the war end?", "year"),
    ("Quels sont les trois pays impliqués ?", "pays"),    # the noun after the number
    ("What did the engineer say?", None),         # "what" is a pronoun here
    ("What happens when the tower sways?", None),  # and here: a verb follows it
    ("What exposes the tower to wind?", None),
    ("What is Moscow?", None),                     # no noun after the determiner
    ("Who built the tower which stands there?", None),  # a relative "which"
    ("Qui a construit la tour ?", None),
    # the role a "who" question names: copula, then article
    ("Who was the husband of the engineer?", "husband"),
    ("Who is the scheme's manager?", "manager"),  # a possessive before the noun is not the noun
    ("Which country's flag has a cedar?", "flag"),
    ("Qui était l'époux de la princesse ?", "époux"),
    ("Qui est le porte-parole du ministère ?", "porte-parole"),
    ("Who is the President of the Commission?", "president"),  # capitalised, straight before "of"
    ("Who is the Louvre curator?", "curator"),                # a capitalised word passed over
    ("Qui était le nouveau commandant de l'armée ?", "commandant"),  # and a stopword
    ("Who were the two engineers who built it?", "engineers"),
    ("Who is Choukhov?", None),                    # a name, no role
    ("Who did the engineer meet?", None),
    ("À qui la tour appartient-elle ?", None),
    ("Who’s the mayor of the town?", "mayor"),     # a contracted copula
    ("What's the height of the tower?", "height"),
    # after "name of", the article and a capitalised word are passed over
    ("What is the name of the Russian engineer?", "engineer"),
    ("What was the name of the ship?", "ship"),
    ("Quel nom était donné à la tour ?", None),    # a verb after the passed-over word: no noun
    # a French compound keeps its complement: "chef" alone asks something else
    ("Qui est le chef de file du mouvement ?", "chef de file"),
    ("Qui est le chef d'orchestre ?", "chef d'orchestre"),
    ("Quelle est la date de naissance du peintre ?", "date de naissance"),
    ("Quel est le rôle de Peter Cook ?", "rôle"),  # a name, not a complement
])
def test_the_noun_a_question_asks_for(question, noun):
    from rag.lang import asked_noun

    assert asked_noun(question) == noun


def test_the_asked_noun_is_put_to_the_model_whatever_the_evidence_language():
    llm = YesNo(0.6)
    c = coverage.check_noun(llm, "What is the height of the tower?", TOWER, "en", 0.75, ("en", "fr"))
    assert len(llm.asked) == 1 and '"height"' in llm.asked[0] and TOWER in llm.asked[0]
    assert c.unexpressed == ["height"]
    c = coverage.check_noun(YesNo(0.8), "Quelle est la hauteur de la tour ?", TOWER, "fr", 0.75, ("fr",))
    assert c.unexpressed == [] and c.p_yes == {"hauteur": 0.8}


def test_an_asked_noun_the_evidence_holds_or_a_check_already_asked_is_not_asked_again():
    llm = YesNo()
    c = coverage.check_noun(llm, "Quel ingénieur a dessiné la tour ?", TOWER, "fr", 0.75, ("fr",))
    assert c.p_yes == {} and c.unexpressed == []
    assert coverage.check_noun(llm, "Quelle est la hauteur de la tour ?", TOWER, "fr", 0.75, ("fr",),
                               asked={"hauteur": 0.9}) is None
    assert llm.asked == []


@pytest.mark.parametrize("question, language, min_p, languages", [
    ("What is the height of the tower?", "en", 0.75, ("fr",)),   # not a language of the check
    ("What is the height of the tower?", "en", 0.0, ("en",)),    # off
    ("Who built the tower?", "en", 0.75, ("en",)),               # no noun asked for
])
def test_the_asked_noun_check_is_skipped(question, language, min_p, languages):
    llm = YesNo()
    assert coverage.check_noun(llm, question, TOWER, language, min_p, languages) is None
    assert llm.asked == []


@pytest.mark.parametrize("question, subject", [
    ("Is the hostel closed on 1 January?", "hostel"),
    ("Does the gym open on Sundays?", "gym"),
    ("Doesn't the museum close on Mondays?", "museum"),
    ("Is breakfast free for guests?", "breakfast"),           # no article
    ("Are the squash courts closed?", "squash"),              # the first content word, as `asked_noun` takes it
    ("Is the Millbrook hostel open?", "hostel"),              # a name passed over
    ("Is the add-on free?", "add"),  # not read as a French inverted verb ("add-on": content_words cuts "-on")
    ("L'auberge de jeunesse est-elle fermée le 1er janvier ?", "auberge de jeunesse"),
    ("Le club de tennis ferme-t-il à Noël ?", "club de tennis"),
    ("Et la piscine est-elle chauffée ?", "piscine"),
    ("Cette salle est-elle libre ?", "salle"),
    ("Est-ce que les chiens sont admis ?", "chiens"),
    ("Can members play on Sundays?", None),     # a modal's subject is who acts
    ("Is it open on Sundays?", None),           # a pronoun
    ("Is there a bar?", None),
    ("Is Paris the capital?", None),            # a name: the names check reads it
    ("Priya Natarajan est-elle la gérante ?", None),
    ("Peut-on venir le dimanche ?", None),
    ("Y a-t-il un parking ?", None),
    ("Est-ce qu'il pleut ?", None),
    ("Est-ce que je peux venir ?", None),
    ("Quand la piscine est-elle ouverte ?", None),  # not a yes/no question
    ("Who is the manager?", None),
])
def test_the_subject_of_a_yes_no_question(question, subject):
    from rag.lang import polar_subject

    assert polar_subject(question) == subject


def test_prompt_sweep_compares_the_recorded_words_with_the_candidate_s():
    from benchmarks.coverage_prompts import sweep

    rows = [{"answerable": True, "correct": True, "recorded": {"a": 0.9}, "candidate": {"a": 0.6}},
            {"answerable": False, "correct": False, "recorded": {"b": 0.7, "c": 0.95}, "candidate": {"b": 0.5, "c": 0.9}},
            {"answerable": True, "correct": False, "recorded": {"d": 0.65}, "candidate": {"d": 0.8}}]
    assert sweep(rows, "recorded", (0.66, 0.75)) == [(0.66, 0, 1, 0), (0.75, 0, 1, 1)]
    assert sweep(rows, "candidate", (0.55, 0.66)) == [(0.55, 0, 0, 1), (0.66, 1, 0, 1)]


def test_what_heads_the_evidence_says_the_question_words_it_holds():
    """An answer under the question it replies to ("Can I pause my membership?" over "Yes, once a
    year.") or under its document's title says what they say; a word neither holds is still asked."""
    from rag.sentences import paragraph_lead

    page = "Can I pause my membership?\nYes, once a year, for up to three months."
    assert paragraph_lead(page) == "Can I pause my membership?"
    assert paragraph_lead("Lost property\nItems left in a basket are kept for 14 days.") == "Lost property"
    assert paragraph_lead("The pool is open daily.\nIt closes at 8 pm.") == ""  # a sentence, not a heading
    assert paragraph_lead("Can I pause my membership?") == ""  # nothing under it
    evidence = "Yes, once a year, for up to three months."
    llm = YesNo(0.3)
    c = coverage.check(llm, "How often can I pause my membership?", evidence, "en", 0.7, ("en",),
                       headings="Greenway Bike Share Can I pause my membership?")
    assert c.p_yes == {} and not llm.asked
    c = coverage.check(llm, "How often can I cancel my membership?", evidence, "en", 0.7, ("en",),
                       headings="Greenway Bike Share Can I pause my membership?")
    assert c.unexpressed == ["cancel"]


@pytest.mark.parametrize("question, item", [
    ("Combien coûte une entrée pour un étudiant à la piscine ?", [("entrée",), ("étudiant",)]),
    ("Combien coûte la location d'une serviette au club de tennis ?", [("serviette",)]),
    ("Combien coûte une nuit en mobil-home au camping ?", [("nuit",), ("mobil-home",)]),
    ("Combien coûte une parcelle entière par an ?", [("parcelle", "entière")]),
    ("Quel est le prix d'entrée pour les enfants ?", [("entrée",), ("enfants",)]),
    ("Combien coûte un cours de tennis avec un entraîneur ?", [("cours", "tennis")]),  # a compound: either word
    ("Combien coûte la cotisation annuelle d'un jeune ?", [("cotisation", "annuelle")]),  # a complement: cut
    ("Combien faut-il payer pour un chien au camping ?", [("chien",)]),
    ("Combien a coûté la rénovation ?", [("rénovation",)]),
    # the words between a price's noun and "de": what the price is said to be, a group of its own with the
    # noun; a period is left to the period checks
    ("Quel est le coût estimé du jardin partagé ?", [("coût", "estimé"), ("jardin", "partagé")]),
    ("Quel est le tarif réduit de la piscine pour les étudiants ?", [("tarif", "réduit"), ("piscine",), ("étudiants",)]),
    ("Quel est le coût annuel d'un casier ?", [("casier",)]),
    ("How much does a fixed desk cost per week?", [("fixed", "desk")]),
    ("How much does it cost to hire a towel at the hostel?", [("towel",)]),
    ("How much is a day pass?", [("day", "pass")]),
    ("What is the cost of a replacement card?", [("replacement", "card")]),
    ("Quel est le prix ?", []), ("Combien de chrétiens vivent au Pakistan ?", []), ("Who runs the pool?", []),
    ("How much time does it take?", []),
])
def test_what_a_price_question_prices(question, item):
    assert lang.priced_item(question) == item


@pytest.mark.parametrize("window, missing", [
    ("Une entrée coûte 4,50 euros pour un adulte.", ["étudiant"]),
    ("Les étudiants paient 3 euros l'entrée.", []),  # any form: "étudiants", "l'entrée"
    ("La carte de dix entrées est vendue 38 euros.", ["étudiant"]),
    ("Le bonnet de bain est obligatoire.", ["entrée", "étudiant"]),
])
def test_a_priced_item_the_cited_sentences_do_not_name(window, missing):
    question = "Combien coûte une entrée pour un étudiant à la piscine ?"
    item = lang.priced_item(question)
    assert coverage.missing_item(YesNo(), item, question, window, window, "fr", ("en",), 0.75) == missing


def test_a_priced_item_the_every_word_check_reads_is_not_matched_word_for_word():
    question = "Combien coûte la location d'une serviette ?"
    evidence = "Les balles sont vendues 6 euros la boîte."
    item = lang.priced_item(question)
    assert coverage.missing_item(YesNo(), item, question, evidence, evidence, "fr", ("en", "fr"), 0.75) == []


@pytest.mark.parametrize("p, missing", [(0.58, ["towel"]), (0.87, [])])
def test_a_priced_item_over_evidence_in_another_language_is_put_to_the_model(p, missing):
    llm = YesNo(p)
    question = "How much does it cost to hire a towel at the tennis club?"
    evidence = "Un membre peut inviter une personne extérieure, moyennant 8 euros par heure."
    assert coverage.missing_item(llm, lang.priced_item(question), question, evidence, evidence, "en", ("en",),
                                 0.75) == missing
    assert len(llm.asked) == 1 and '"towel"' in llm.asked[0]


def test_a_question_that_asks_no_price_asks_the_model_nothing():
    assert lang.priced_item("Who runs the club?") == []  # the answer path calls the check only with an item


def test_a_currency_word_is_said_by_the_evidence_s_sign():
    evidence = "The work cost $4.2 million, of which the city paid two thirds."
    assert "dollars" not in coverage.unmatched("How many dollars did the work cost?", evidence)
    assert coverage.unmatched("How many euros did the work cost?", evidence) == ["euros"]
