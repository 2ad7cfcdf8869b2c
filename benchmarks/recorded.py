"""The arguments of the what-if benchmarks over recorded answers: REPORT.json:INDEX_DIR[:SPLIT] ..."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

from rag.index import Index, open_index
from rag.settings import set_offline_environment


def recorded_runs(description: str, argv: list[str] | None = None) -> Iterator[tuple[str, dict, Index, str]]:
    """(report path, report, its index, split or "") for each REPORT.json:INDEX_DIR[:SPLIT] argument."""
    set_offline_environment()
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("runs", nargs="+", help="REPORT.json:INDEX_DIR[:SPLIT]")
    for run in parser.parse_args(argv).runs:
        report_path, index_dir, *split = run.split(":")
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        yield report_path, report, open_index(index_dir), (split[0] if split else "")
