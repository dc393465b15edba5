"""Uploads stay in memory: a document is never written to disk before it is encrypted.

Django's default handlers put an upload larger than 2.5 MB into a temporary file, in clear.
This handler keeps each file in memory instead, but only up to one byte over the document
limit (NAS_DOCUMENT_MAX_BYTES): the rest is read and dropped, so memory stays bounded and the
service still sees that the file was too large and refuses it with its message.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from nas.documents.services import document_max_bytes


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep an uploaded file in memory, truncated at one byte over the document limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.keep = document_max_bytes() + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.keep - self.buffer.tell()
        if room > 0:
            self.buffer.write(raw_data[:room])

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.buffer.getbuffer().nbytes,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
