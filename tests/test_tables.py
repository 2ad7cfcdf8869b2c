"""Rows of a pipe table read with the names of their columns (`rag.tables`), and shown so to the model."""

from rag.context import Context, RETRIEVED
from rag.sentences import sentences_of
from rag.tables import cells, header_of, is_separator, labelled
from rag.types import Chunk, Hit

TABLE = ("Fees\n| Course | Residents | Others |\n|---|:---:|---|\n| Early music | 90 € | 150 € |\n"
         "| Instrument \\| theory | 240 € | 390 € |")


def test_cells_and_separators():
    assert cells("| Early music | 90 € | 150 € |") == ["Early music", "90 €", "150 €"]
    assert cells("| Instrument \\| theory | 240 € |") == ["Instrument \\| theory", "240 €"]  # an escaped bar
    assert is_separator("|---|:---:|---|") and is_separator("| --- | --- |")
    assert not is_separator("| Early music | 90 € |") and not is_separator("| - | 5 |")


def test_a_row_after_a_header_and_its_separator_is_labelled_with_the_columns_names():
    header = header_of(TABLE, "| Early music | 90 € | 150 € |")
    assert header == ["Course", "Residents", "Others"]
    assert labelled("| Early music | 90 € | 150 € |", header) == "| Course: Early music | Residents: 90 € | Others: 150 € |"
    assert header_of(TABLE, "| Instrument \\| theory | 240 € | 390 € |") == header


def test_no_header_for_the_header_itself_its_separator_a_ragged_row_or_a_table_without_separator():
    assert header_of(TABLE, "| Course | Residents | Others |") == []
    assert header_of(TABLE, "|---|:---:|---|") == []
    assert header_of(TABLE + "\n| Choir | 60 € |", "| Choir | 60 € |") == []
    grid = "| Monday | 9 am | 5 pm |\n| Tuesday | 10 am | 6 pm |"  # a plain-text grid: no header to name cells
    assert header_of(grid, "| Tuesday | 10 am | 6 pm |") == []
    assert header_of("Hours: | Monday |", "Hours: | Monday |") == []  # no row
    assert labelled("| a | b |", []) == "| a | b |"


def test_an_unnamed_column_or_an_empty_cell_stays_as_it_is():
    table = "|  | Adult | Child |\n|---|---|---|\n| Swim |  | £2.80 |"
    assert labelled("| Swim |  | £2.80 |", header_of(table, "| Swim |  | £2.80 |")) == "| Swim |  | Child: £2.80 |"


def test_the_prompt_lists_a_row_with_its_columns_names_and_a_citation_quotes_the_source_row():
    text = "Price list\n\n" + TABLE + "\n\nPayment in three instalments."
    chunk = Chunk(id="c", source="fees.md", start=0, end=len(text), text=text)
    sentences = sentences_of([Hit(chunk, 0.5, 0.6)], paragraphs=lambda name: text)
    lines = Context(sentences, RETRIEVED, []).lines
    assert any(line.endswith("] | Course: Early music | Residents: 90 € | Others: 150 € |") for line in lines)
    assert any(line.endswith("] Payment in three instalments.") for line in lines)
    row = next(s for s in sentences if s.text.startswith("| Early"))
    assert text[row.start:row.end] == row.text == "| Early music | 90 € | 150 € |"


def test_the_word_checks_read_a_cited_row_as_the_model_was_shown_it():
    from rag.types import Citation

    text = "Price list\n\n" + TABLE + "\n\nPayment in three instalments."
    chunk = Chunk(id="c", source="fees.md", start=0, end=len(text), text=text)
    sentences = sentences_of([Hit(chunk, 0.5, 0.6)], paragraphs=lambda name: text)
    context = Context(sentences, RETRIEVED, [])
    cited = [Citation(i, s.source, s.text, s.start, s.end, "c", 0.5) for i, s in enumerate(sentences, 1)
             if s.text.startswith("| Early") or s.text.startswith("Payment")]
    assert context.shown_of(cited) == ("| Course: Early music | Residents: 90 € | Others: 150 € | "
                                       "Payment in three instalments.")
