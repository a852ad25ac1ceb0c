"""The text of uploaded CVs, read by pypdf (PDF) and python-docx (DOCX), from the ``[http]``
extra.

The type comes from the bytes alone: a PDF starts with its ``%PDF-`` header (readers accept
it within the first kilobyte), a DOCX is a ZIP package holding ``word/document.xml``. The
files come from strangers, so reading is bounded: pypdf caps what one stream may inflate to
(75 MB), a DOCX package whose parts would inflate past ``MAX_DOCX_UNPACKED`` is refused before
it is parsed, and reading stops once ``MAX_RAW_TEXT`` characters are in hand, more than the
application keeps.
"""

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from itmj_adapters.extras import requires
from itmj_domain.applications import MAX_CV_TEXT
from itmj_domain.errors import InvalidInput

if TYPE_CHECKING:
    from docx.document import Document

PDF_HEADER = b"%PDF-"
ZIP_HEADER = b"PK\x03\x04"
DOCX_MAIN_PART = "word/document.xml"
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
# Layout blanks collapse when the application keeps the text: read some way past its limit.
MAX_RAW_TEXT = 4 * MAX_CV_TEXT
NOT_A_CV = "a CV must be a PDF or DOCX file"


class LibraryCvReader:
    def text_of(self, content: bytes) -> str:
        if PDF_HEADER in content[:1024]:
            return _pdf_text(content)
        if content.startswith(ZIP_HEADER) and _is_docx(content):
            return _docx_text(content)
        raise InvalidInput(NOT_A_CV, field="cv")


def _pdf_text(content: bytes) -> str:
    with requires("http"):
        from pypdf import PdfReader
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput("this PDF is protected by a password: upload one without",
                               field="cv")
        texts: list[str] = []
        read = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            texts.append(text)
            read += len(text)
            if read >= MAX_RAW_TEXT:
                break
    except InvalidInput:
        raise
    # A stranger's file may break the library in any way it can break: each is one refusal.
    except Exception as error:
        raise InvalidInput("this PDF could not be read", field="cv") from error
    return "\n".join(texts)


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError):
        return False
    if DOCX_MAIN_PART not in names:
        return False
    if unpacked > MAX_DOCX_UNPACKED:
        raise InvalidInput("this DOCX file unpacks to too much to read", field="cv")
    return True


def _docx_text(content: bytes) -> str:
    with requires("http"):
        import docx
    try:
        document = docx.Document(io.BytesIO(content))
        texts: list[str] = []
        read = 0
        for block in _blocks(document):
            texts.append(block)
            read += len(block)
            if read >= MAX_RAW_TEXT:
                break
    except Exception as error:  # as for PDFs: any failure of a stranger's file is one refusal
        raise InvalidInput("this DOCX file could not be read", field="cv") from error
    return "\n".join(texts)


def _blocks(document: "Document") -> Iterator[str]:
    """The paragraphs, then each table's cells by row: CVs often lay out their skills and
    dates in tables."""
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " ".join(cell.text for cell in row.cells)
