"""The CV reader: a file's type from its bytes alone, and a bounded read of what a stranger
uploads."""

import io
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from itmj_adapters.cv_reader import MAX_DOCX_UNPACKED, LibraryCvReader
from itmj_domain.errors import InvalidInput
from tests.documents import pdf_with
from tests.refusals import refused

reader = LibraryCvReader()


def test_a_pdf_and_a_docx_are_read_with_a_docx_tables_cells():
    assert reader.text_of(pdf_with("Ada Lovelace", "Analytical (engines)")).split("\n")[:2] == [
        "Ada Lovelace", "Analytical (engines)",
    ]
    document = docx.Document()
    document.add_paragraph("Grace Hopper")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "1952", "A-0 compiler"
    written = io.BytesIO()
    document.save(written)
    assert reader.text_of(written.getvalue()) == "Grace Hopper\n1952 A-0 compiler"


@pytest.mark.parametrize("content", [
    b"",
    b"Plain text pretending to be cv.pdf",
    b"GIF89a\x01\x00\x01\x00",
    b"PK\x03\x04 not really a zip",
])
def test_anything_else_is_refused_whatever_its_name(content):
    with refused(InvalidInput, field="cv", match="PDF or DOCX"):
        reader.text_of(content)


def test_a_zip_without_a_word_document_is_not_a_docx():
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as package:
        package.writestr("word/other.xml", "<x/>")
    with refused(InvalidInput, field="cv", match="PDF or DOCX"):
        reader.text_of(written.getvalue())


def test_broken_and_locked_files_are_refused_as_unreadable():
    with refused(InvalidInput, field="cv", match="could not be read"):
        reader.text_of(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("word/document.xml", "<w:document>never closed")
    with refused(InvalidInput, field="cv", match="could not be read"):
        reader.text_of(broken.getvalue())
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with("Secret"))))
    locked.encrypt(user_password="open sesame", algorithm="RC4-128")
    written = io.BytesIO()
    locked.write(written)
    with refused(InvalidInput, field="cv", match="password"):
        reader.text_of(written.getvalue())


def test_a_docx_that_would_unpack_past_the_limit_is_refused_unread():
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (MAX_DOCX_UNPACKED + 1))
    assert len(written.getvalue()) < 1024 * 1024
    with refused(InvalidInput, field="cv", match="too much"):
        reader.text_of(written.getvalue())
