"""Which sentences a claim cites: completing the model's evidence (unit tier, fake embedder)."""

from rag.chunking import chunk_id
from rag.evidence import complete, plain_stems
from rag.names import VectorCache
from rag.sentences import sentences_of
from rag.types import Chunk, Hit
from rag.verify import verify

from test_verify import BagOfWords

TEXT = ("The ministers met in Geneva on Monday. Their objective remains the destruction of the militias. "
        "Their hope is to find a diplomatic path forward, the minister said. The weather was mild all week. "
        "A British commander led the northern army.")


def sentences():
    c = Chunk(chunk_id("b.txt", 0, len(TEXT), TEXT), "b.txt", 0, len(TEXT), TEXT)
    return sentences_of([Hit(c, 0.5, 0.6)])


def check(question, answer, evidence, text_sentences=None):
    return verify(question, answer, evidence, text_sentences or sentences(), VectorCache(BagOfWords()), 0.3)


def test_a_claim_joining_two_sentences_cites_both():
    v = check("What is their objective and their hope?",
              "The objective is the destruction of the militias and the hope is to find a diplomatic path forward.", [2])
    assert [c.quote for c in v.citations] == [
        "Their objective remains the destruction of the militias.",
        "Their hope is to find a diplomatic path forward, the minister said."]
    assert v.text.endswith("forward [1][2].")


def test_a_claim_one_sentence_says_cites_only_that_one():
    v = check("Where did the ministers meet?", "The ministers met in Geneva.", [1])
    assert [c.quote for c in v.citations] == ["The ministers met in Geneva on Monday."]


def test_one_or_two_missing_words_add_no_sentence():
    # the claim's "mild" is held by another sentence, but one ordinary word is not enough to cite it
    s = sentences()
    claim = "A mild commander led the northern army."
    assert complete(claim, "Who led the northern army?", [s[4]], s, lambda x: 0.9, 0.45, lambda ev: True) == [s[4]]
    # nor are two ("mild", "week"): a title restated beside a name is not the sentence the claim came from
    claim = "A mild commander led the northern army that week."
    assert complete(claim, "Who led the northern army?", [s[4]], s, lambda x: 0.9, 0.45, lambda ev: True) == [s[4]]


def test_plain_words_leave_out_names_numbers_and_the_question():
    assert plain_stems("Kerry met Lavrov in Geneva on 12 May to discuss peace.", "Whom did Kerry meet?") == {
        "met", "discu", "peace"}


def test_a_covered_sentence_is_dropped_only_while_the_checks_still_pass():
    text = "The militias gathered near the river. Their objective remains the destruction of the militias near the river."
    c = Chunk(chunk_id("c.txt", 0, len(text), text), "c.txt", 0, len(text), text)
    near, objective = sentences_of([Hit(c, 0.5, 0.6)])
    support = {near.number: 0.5, objective.number: 0.9}.get
    claim = "Their objective remains the destruction of the militias near the river."
    # `near` holds only words `objective` holds too: cited alone before, it gives way once `objective` is added
    assert complete(claim, "?", [near], [near, objective], lambda x: support(x.number), 0.45, lambda ev: True) == [objective]
    # unless the exact checks fail without it
    assert complete(claim, "?", [near], [near, objective], lambda x: support(x.number), 0.45, lambda ev: False) == [near, objective]


def test_a_sentence_sharing_no_word_with_the_claim_is_not_dropped_as_covered():
    # across languages nothing matches: "salée" says the claim's "savory", though no word is shared
    text = "Le petit-déjeuner est à dominante salée. Le déjeuner commence avec une soupe, une salade et un dessert."
    c = Chunk(chunk_id("f.txt", 0, len(text), text), "f.txt", 0, len(text), text)
    breakfast, lunch = sentences_of([Hit(c, 0.5, 0.6)])
    claim = "Breakfast is savory, with a soupe, a salade and a dessert."
    got = complete(claim, "What is breakfast like?", [breakfast], [breakfast, lunch], lambda x: 0.9, 0.45, lambda ev: True)
    assert got == [breakfast, lunch]


def test_a_sentence_the_model_did_not_pick_needs_more_support_to_replace_its_pick_and_does_not_block_it():
    from rag.evidence import choose
    ss = sentences()
    scores = {1: 0.52, 2: 0.47, 3: 0.2, 4: 0.1, 5: 0.1}  # the closest sentence, 1, was not picked
    support = lambda s: scores[s.number]
    assert [s.number for s in choose("claim", ss, [ss[1]], support, 0.45)] == [2]  # the pick stands
    assert choose("claim", ss, [ss[2]], support, 0.45) == []  # a pick under min_support does not
    scores[1] = 0.6  # clearly supportive: cited instead of the pick
    assert [s.number for s in choose("claim", ss, [ss[1]], support, 0.45)] == [1]
    assert choose("claim", ss, [], lambda s: 0.5, 0.45) == []  # nothing picked, nothing clearly supportive
