"""Real CV files for tests, made with the libraries that read them: a PDF whose page shows
lines of text in a standard font (pypdf), and a DOCX of paragraphs (python-docx)."""

import io

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

_LINE_HEIGHT = 16


def pdf_with(*lines: str) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
    })
    shown = " ".join(
        f"({_escaped(line)}) Tj 0 -{_LINE_HEIGHT} Td" for line in lines
    )
    contents = DecodedStreamObject()
    contents.set_data(f"BT /F1 12 Tf 56 780 Td {shown} ET".encode("cp1252"))
    page.replace_contents(contents)
    written = io.BytesIO()
    writer.write(written)
    return written.getvalue()


def docx_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    written = io.BytesIO()
    document.save(written)
    return written.getvalue()


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
