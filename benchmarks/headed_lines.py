"""What embedding a document's list and table lines under their headings costs (`Sentence.headed`).

Verification reads each line of a list, a timetable or a table under its title, section and lead lines;
the build stores those vectors beside the sentences' (`rag.sentence_vectors`), and this measures what a
question would pay without them: the default embedder (`Embedder.documents`, as verification calls it)
on the first 4, 8 and all of a document's headed lines, the median of 5 rounds each.

    python -m benchmarks.headed_lines [DOCUMENT ...]   (default: eval/notice-docs/dechetterie.txt)
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main(paths: list[str]) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rag.embedder import get_embedder
    from rag.loaders import load_text
    from rag.sentences import sentences_of
    from rag.settings import Settings
    from rag.types import Chunk, Hit

    settings = Settings.from_env()
    emb = get_embedder(settings.models.embedder, settings.models.models_dir, settings.models.n_threads)
    for path in paths or ["eval/notice-docs/dechetterie.txt"]:
        text = load_text(path)
        chunk = Chunk("whole", path, 0, len(text), text)
        lines = [s.headed for s in sentences_of([Hit(chunk, 0.0, 0.0)], paragraphs=lambda _: text) if s.headed]
        if not lines:
            print(f"{path}: no line under a heading")
            continue
        emb.documents(lines[:2])  # warm up
        for n in sorted({min(4, len(lines)), min(8, len(lines)), len(lines)}):
            rounds = []
            for _ in range(5):
                t0 = time.perf_counter()
                emb.documents(lines[:n])
                rounds.append(time.perf_counter() - t0)
            print(f"{path}: {n} lines, {statistics.median(rounds) * 1000:.0f} ms (median of 5, "
                  f"{settings.models.n_threads} threads)")


if __name__ == "__main__":
    main(sys.argv[1:])
