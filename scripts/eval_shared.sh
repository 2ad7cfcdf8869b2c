#!/usr/bin/env bash
# The development sets nobody on the team wrote, from ../shared (beside every checkout):
# English SQuAD 2.0 (six articles, answerable and adversarial unanswerable questions) and French PIAF
# (eight articles). Each is one knowledge base of all its articles, built under $OUT.
# "squad-docs" and "piaf-docs" are the team's own question sets (eval/questions-<set>.jsonl, English and
# French, with near-miss unanswerables) over the SQuAD and the PIAF articles, each written before it was run;
# "new-docs" the team's set over five short documents of its own (eval/new-docs/, twenty-fifth step), and
# "page-docs" over two pages of short paragraphs (eval/page-docs/, twenty-sixth step), and "rule-docs"
# over two pages of house rules (eval/rule-docs/, twenty-seventh step: yes/no questions whose answer is
# an antonym of the question's word, across languages, and near-miss prices), and "polar-docs" over two
# more pages of rules (eval/polar-docs/, thirty-first step: yes/no questions, written before the
# polarity retry was run on them), and "news-docs" over two news articles (eval/news-docs/, thirty-ninth
# step: an English one and a French one, people with roles, figures, seasons, near misses), and "guide-docs"
# over an English owner's guide and a French obituary (eval/guide-docs/, forty-first step: units, modes,
# error codes, dates of a life, near misses of an attribute, a year or a person), and "study-docs" over an
# English science report and a French local news piece (eval/study-docs/, forty-third step: counts,
# shares, a year to compute, a critic's "ignored the previous…", near misses of a person, a number, an age),
# and "list-docs" over an English and a French information sheet of section titles and lists (bullets,
# dashes, lettered steps, lines of prices and hours with no full stop; eval/list-docs/, forty-fifth step),
# and "notice-docs" over an English ferry notice and a French recycling-centre guide (timetable, fare and
# item lines under section titles, near misses of a price, a name, a year; eval/notice-docs/, forty-sixth step),
# and "md-docs" over an English Markdown handbook and a French HTML page (headings on lines of their own,
# bulleted lists, a Markdown table and an HTML table; eval/md-docs/, forty-sixth step), and "table-docs"
# over an English Markdown price list and a French HTML page of tables of three and four columns (a price
# by column, a day's hours, near misses of a row, a column or a detail only the other place gives;
# eval/table-docs/, forty-seventh step), and "rate-docs" over an English marina price page and a French
# makerspace page (prices by the hour, day, night, week, month, quarter and year; near misses of a price
# for a period the page does not give; eval/rate-docs/, forty-eighth step), and "minutes-docs" over the
# minutes of an English residents' meeting and of a French association's general meeting (who proposed,
# seconded or said what, votes, actions and dates; near misses of a statement by someone who did not make
# it, a cost or a count the minutes do not give; eval/minutes-docs/, forty-ninth step), and "chrono-docs" over
# an English biography and a French lighthouse's chronology (dates, weekdays, ages, spans, "four years
# later"; near misses of a weekday, a cost, a year or a name the text does not give; eval/chrono-docs/,
# fiftieth step).
#   bash scripts/eval_shared.sh [squad|squad-docs|piaf|piaf-docs|new-docs|page-docs|rule-docs|polar-docs|news-docs|guide-docs|study-docs|list-docs|notice-docs|md-docs|table-docs|rate-docs|minutes-docs|chrono-docs]...
#   (default: all eighteen; reports in eval-out/<set>/)
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
SHARED="${SHARED:-../shared}"
OUT="${OUT:-eval-out}"
for set in "${@:-squad squad-docs piaf piaf-docs new-docs page-docs rule-docs polar-docs news-docs guide-docs study-docs list-docs notice-docs md-docs table-docs rate-docs minutes-docs chrono-docs}"; do
  for s in $set; do
    docs="${s%-docs}"
    questions="$SHARED/eval-$s/questions.jsonl"
    [ "$s" != "$docs" ] && questions="eval/questions-$s.jsonl"
    folder="$SHARED/eval-$docs/docs"
    [ -d "eval/$s" ] && folder="eval/$s"   # the team's own documents
    .venv/bin/rag index build "$folder" --index "$OUT/index-$docs"   # incremental
    .venv/bin/rag eval --questions "$questions" --index "$OUT/index-$docs" --out "$OUT/$s"
  done
done
