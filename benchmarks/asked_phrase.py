"""Does the model tell a role or attribute the cited sentence gives from another, asked as a phrase?

The asked-noun check puts one word to the coverage prompt ("Does the sentence say 'foreign'…?").
This probe puts the adjective, the noun and the two together, over a French sentence that gives the
thing asked (right) or gives another role or attribute (a near miss), and prints P("yes") for each:

    python -m benchmarks.asked_phrase

docs/quality-log.md, fortieth step: the phrase scored 0.82-0.92 on the near misses as on the right
one, so it was not built. The sentences are the bundled article's and the news set's (eval/news-docs).
"""

from __future__ import annotations

from rag import coverage
from rag.llm import get_llm
from rag.settings import Settings

SPOKESWOMAN = ("\"Nous n'avons jamais refusé le dialogue avec les Etats-Unis, et nous y restons ouverts sur tous les "
               "aspects qui porteraient sur notre intérêt commun, y compris la Syrie\", indique Maria Zakharova, "
               "porte-parole de ministère des Affaires étrangères, à l'agence publique RIA Novosti.")
MINISTERS = ("Ainsi, les ministres de la Défense américain Ashton Carter et russe Sergueï Choïgou ont eu une "
             "\"conversation constructive\" vendredi matin sur la Syrie, a annoncé le porte-parole du Pentagone Peter Cook.")
DAILY = ("Le quotidien régional L'Écho du Doubs rappelle que le musée avait déjà tenté d'acheter une œuvre du même "
         "peintre en 2009, sans succès : elle avait été vendue à un collectionneur américain.")
CASES = [  # question, sentence, words asked, is the phrase stated
    ("What is the name of the Russian foreign minister?", SPOKESWOMAN, ("foreign", "minister", "foreign minister"), False),
    ("Which two defence ministers had a conversation about Syria?", MINISTERS,
     ("defence", "ministers", "defence ministers"), True),
    ("Which regional newspaper recalled the 2009 attempt?", DAILY, ("regional", "newspaper", "regional newspaper"), True),
    ("Which national newspaper recalled the 2009 attempt?", DAILY, ("national", "newspaper", "national newspaper"), False),
]


def main() -> None:
    llm = get_llm(Settings.from_env())
    for question, sentence, words, stated in CASES:
        with llm.aside():
            p = {w: round(coverage._p_yes(llm, question, sentence, w), 3) for w in words}
        print(f"{'stated  ' if stated else 'not said'} {question} {p}")


if __name__ == "__main__":
    main()
