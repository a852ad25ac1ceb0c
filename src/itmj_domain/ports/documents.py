"""Documents: reading the text out of the CV files applicants upload."""

from typing import Protocol


class CvReader(Protocol):
    """Knows a file's type by its content, never by its name: a PDF by its header, a DOCX
    by the parts of its package."""

    def text_of(self, content: bytes) -> str:
        """The text of a PDF or DOCX file, as written in it. Raises ``InvalidInput`` (field
        ``cv``) for any other type of file, or one that cannot be read."""
        ...
