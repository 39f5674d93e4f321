"""The organisers' commands, one module per feature; this module gathers their public names.

Access: ``organisers.admin_only``. Features: ``announcements`` (/announce), ``live_reload``
(the file watcher and /reload), ``stats`` (/stats) and ``teaching`` (/unanswered, /undo).
"""

from bot.telegram_app.announcements import (
    ANNOUNCE,
    ANNOUNCE_RETRY_PREFIX,
    RESUME_JOB,
    announce,
    announce_button,
    announcement_key,
    resume_announcements_job,
)
from bot.telegram_app.live_reload import RELOAD_JOB, apply_reload, reload, watch_knowledge
from bot.telegram_app.organisers import admin_only
from bot.telegram_app.stats import stats

__all__ = [
    "ANNOUNCE", "ANNOUNCE_RETRY_PREFIX", "RELOAD_JOB", "RESUME_JOB", "admin_only", "announce", "announce_button",
    "announcement_key", "apply_reload", "reload", "resume_announcements_job", "stats", "watch_knowledge",
]  # fmt: skip
