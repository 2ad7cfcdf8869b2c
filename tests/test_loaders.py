import pytest

from rag.errors import DocumentError, InputError
from rag.loaders import load_text
from rag.question import validate_question
from rag.settings import Settings


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF with `text` (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_reads_txt_md_html_pdf(tmp_path):
    (tmp_path / "a.txt").write_text("Bonjour à tous.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Titre\n\nTexte.", encoding="utf-8")
    (tmp_path / "c.html").write_text("<html><head><title>x</title><script>var a=1;</script></head>"
                                     "<body><h1>Heading</h1><p>Some <b>bold</b> text.</p></body></html>")
    (tmp_path / "d.pdf").write_bytes(make_pdf("The treaty was signed in Geneva."))
    assert load_text(tmp_path / "a.txt") == "Bonjour à tous."
    assert load_text(tmp_path / "b.md").startswith("# Titre")
    html = load_text(tmp_path / "c.html")
    assert "Heading" in html and "bold" in html and "var a" not in html
    assert "signed in Geneva" in load_text(tmp_path / "d.pdf")


def test_html_keeps_its_layout_headings_paragraphs_lists_and_table_rows(tmp_path):
    (tmp_path / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>\n<h1>Club guide</h1>\n"
        "<p>The talks took place in\n  <a href='x'>London</a> on <b>Friday</b>.<br>A second line.</p>\n"
        "<!-- a comment -->\n<h2>Fees</h2>\n<table>\n<tr><th>Plan</th><th>Price</th></tr>\n"
        "<tr><td>Adult</td><td>£12</td></tr>\n</table>\n<h2>Steps</h2>\n<ol>\n  <li>Open the lid.</li>\n"
        "  <li>Pour the water.</li>\n</ol>\n<ul><li>a towel</li><li>a padlock</li></ul></body></html>", encoding="utf-8")
    assert load_text(tmp_path / "page.html") == (
        "Club guide\n\nThe talks took place in London on Friday.\nA second line.\n\nFees\n\n| Plan | Price |\n"
        "| --- | --- |\n| Adult | £12 |\n\nSteps\n\n1. Open the lid.\n2. Pour the water.\n\n- a towel\n- a padlock")


def test_an_html_header_row_is_marked_as_markdown_marks_it_and_a_table_without_one_is_not(tmp_path):
    (tmp_path / "t.html").write_text(
        "<table><thead><tr><th>Day</th><th>Hours</th></tr></thead><tbody><tr><td>Monday</td><td>9-5</td></tr>"
        "</tbody></table><p>Grid:</p><table><tr><td>Monday</td><td>9-5</td></tr><tr><th>Total</th><th>8 h</th></tr>"
        "</table><table><tr><th>Name</th><td>Jane</td></tr></table>", encoding="utf-8")
    assert load_text(tmp_path / "t.html") == (
        "| Day | Hours |\n| --- | --- |\n| Monday | 9-5 |\n\nGrid:\n\n| Monday | 9-5 |\n| Total | 8 h |\n\n| Name | Jane |")


def test_the_manifest_records_how_files_are_read(monkeypatch):
    from rag import loaders

    before = loaders.reader_record()
    monkeypatch.setattr(loaders, "_BLOCKS", loaders._BLOCKS + ("main2",))
    assert loaders.reader_record() != before


def test_detects_legacy_encoding(tmp_path):
    text = "Le ministère a déclaré qu'il était ouvert à des discussions sur la sécurité régionale."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    assert load_text(tmp_path / "latin.txt") == text


@pytest.mark.parametrize("name,data,words", [
    ("empty.txt", b"", "no text"),
    ("blank.md", b"  \n\n ", "no text"),
    ("binary.txt", bytes(range(256)) * 50, "binary"),
    ("image.png", b"\x89PNG....", "unsupported"),
    ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
])
def test_bad_files_get_one_line_errors(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        load_text(path)
    msg = str(err.value)
    assert words.lower() in msg.lower() and "\n" not in msg and name in msg


def test_oversized_file_is_refused(tmp_path):
    (tmp_path / "big.txt").write_text("x " * 1000)
    with pytest.raises(DocumentError, match="limit"):
        load_text(tmp_path / "big.txt", max_bytes=100)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="cannot read"):
        load_text(tmp_path / "nope.txt")


def test_question_validation():
    s = Settings()
    with pytest.raises(InputError, match="empty"):
        validate_question("   ", s)
    with pytest.raises(InputError, match="characters long"):
        validate_question("why " * 25_000, s)  # 100 KB
    assert validate_question("  Who is   Kerry? ", s) == "Who is Kerry?"
