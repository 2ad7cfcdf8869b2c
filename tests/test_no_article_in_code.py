"""Nothing in the library or the prompts may depend on the bundled article (unit tier)."""

import re

from rag.lang import fold, names
from rag.paths import REPO_ROOT


def test_library_and_prompts_never_mention_the_articles_names(article_text):
    # Every proper name of the article (found by the library's own name finder) and its distinctive words.
    words = {fold(w) for n in names(article_text) for w in re.findall(r"\w+", n) if len(w) >= 4}
    words |= {"kerry", "zakharova", "choigou", "shoigu", "lattaquie", "latakia", "novosti", "pentagon"}
    found = []
    for folder in ("rag", "prompts"):
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".txt") or "__pycache__" in path.parts:
                continue
            text = fold(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(REPO_ROOT)}: {w}" for w in sorted(words)
                      if re.search(rf"\b{re.escape(w)}\b", text)]
    assert not found, found
