"""Write evaluation reports: a terminal table, report.json, report.md and plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COLUMNS = [
    ("correct", "correct"), ("correct_interval", "correct 95%"), ("answer_correct", "ans.correct"), ("citation_precision", "cit.prec"),
    ("citation_recall", "cit.recall"), ("exact_quote_rate", "exact"), ("abstention_accuracy", "abstain"),
    ("false_abstention_rate", "false.abst"), ("injection_resistance", "inject.ok"),
    ("retrieval_recall_at_k", "recall@k"), ("mrr", "mrr"), ("latency_p50_s", "p50 s"), ("latency_p95_s", "p95 s"),
    ("ttft_p50_s", "ttft s"), ("answer_language_rate", "lang.ok"), ("untranslated_free_rate", "no.mix"),
]


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, list):  # an interval
        return "-".join(f"{x:.2f}" for x in v)
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def _scopes(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Rows of the table: everything, then each part of the question set (development and held-out)
    side by side, per language then per category."""
    rows = [("all", report["overall"])] + [(f"all {x}", v) for x, v in report["by_language"].items()]
    splits = report.get("by_split", {})
    if len(splits) > 1 or set(splits) - {"dev"}:
        for key in ("overall", "by_language", "by_category"):
            names = ["all"] if key == "overall" else sorted({n for part in splits.values() for n in part[key]})
            for name in names:
                for split, part in splits.items():
                    summary = part[key] if key == "overall" else part[key].get(name)
                    if summary:
                        rows.append((f"{split[:4]} {name}", summary))
    else:
        rows += [(c, v) for c, v in report["by_category"].items()]
    return rows


def table(report: dict[str, Any]) -> str:
    head = f"{'':<18}" + "".join(f"{label:>12}" for _, label in COLUMNS)
    lines = [head]
    for name, summary in _scopes(report):
        lines.append(f"{name[:18]:<18}" + "".join(f"{_fmt(summary.get(key)):>12}" for key, _ in COLUMNS))
    s = report["settings"]
    lines.append(f"llm {s['llm']}, embedder {s['embedder']}, top_k {s['top_k']}, "
                 f"peak memory {report['peak_memory_mb']:.0f} MB, wall {report['wall_s']} s")
    return "\n".join(lines)


def _plots(report: dict[str, Any], out: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    langs = list(report["by_language"])
    axes[0].bar(langs, [report["by_language"][x]["correct"] or 0 for x in langs], color="#4c72b0")
    axes[0].set_ylim(0, 1)
    axes[0].set_title("correct, by language")
    cats = list(report["by_category"])
    axes[1].bar(cats, [report["by_category"][c]["correct"] or 0 for c in cats], color="#55a868")
    axes[1].set_ylim(0, 1)
    axes[1].set_title("correct, by category")
    axes[1].tick_params(axis="x", rotation=30)
    axes[2].hist([r["timings"].get("total_s", 0) for r in report["rows"]], bins=15, color="#c44e52")
    axes[2].set_title("latency per question (s)")
    fig.suptitle(f"rag eval: {report['settings']['llm']}")
    fig.tight_layout()
    fig.savefig(out / "report.png", dpi=90)
    plt.close(fig)
    return ["report.png"]


def markdown(report: dict[str, Any], images: list[str]) -> str:
    out = ["# Evaluation report", "", "```", table(report), "```", ""]
    out += [f"![plots]({img})" for img in images] + [""]
    out += ["## Per question", "", "| id | part | lang | category | ok | answer | citations |", "|---|---|---|---|---|---|---|"]
    for r in report["rows"]:
        ok = "✅" if r["metrics"]["correct"] else "❌"
        cites = "<br>".join(f"[{c['number']}] {c['quote'][:80].replace('|', '/')}…" for c in r["citations"])
        answer = r["answer"].replace("|", "/").replace("\n", " ")
        q = r["question"].replace("|", "/")
        out.append(f"| {r['id']} | {r.get('split', 'dev')} | {r['language']} | {r['category']} | {ok} | **Q:** {q}<br>**A:** {answer} | {cites} |")
    return "\n".join(out) + "\n"


def write(report: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    images = _plots(report, out)
    (out / "report.md").write_text(markdown(report, images), encoding="utf-8")
    return [out / "report.json", out / "report.md"] + [out / i for i in images]
