"""One bot process per DATA_DIR: an OS file lock, released by the OS on any exit (even SIGKILL)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

LOCK_FILE = "bot.lock"


class AlreadyRunning(Exception):
    """Another process holds DATA_DIR; the message says which and what to do."""


def lock_data_dir(data_dir: Path) -> IO[str]:
    """Take DATA_DIR for this process and return the open lock file (keep it open while running).

    Raises ``AlreadyRunning`` if another process holds it, ``OSError`` if DATA_DIR is unusable.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        owner = f" (pid {pid})" if pid.isdigit() else ""
        raise AlreadyRunning(
            f"another bot process{owner} is already running with DATA_DIR "
            f"{data_dir}: stop it first, or give this one its own DATA_DIR"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
