"""Reading a knowledge file without surprises: a regular file of bounded size, never a wait on a pipe.

Kept apart from the YAML reader (no heavy imports) because the knowledge cache uses it on every start.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# A knowledge file larger than this is refused before it is parsed (the shipped faq.yaml is under 100 kB):
# a huge file would hold every answer up while it is parsed, and take memory in proportion.
MAX_FILE_BYTES = 1_000_000


class RefusedFile(OSError):
    """A knowledge file that is not read at all: not a regular file, or over the size limit; the message says which."""


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; ``RefusedFile`` otherwise.

    Never blocks: a FIFO or a device in place of a knowledge file is refused (it is opened
    without waiting for a writer and checked on the opened descriptor), and never more than
    ``limit`` bytes are read, even from a file that grows meanwhile.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile("is not a regular file (a pipe, device or socket?): replace it with the YAML file itself")
        data = file.read(limit + 1) if status.st_size <= limit else b""
        if status.st_size > limit or len(data) > limit:
            size = max(status.st_size, len(data))
            raise RefusedFile(
                f"is {size:,} bytes, over the limit of {limit:,} bytes per knowledge file: keep it smaller"
            )
    return data
