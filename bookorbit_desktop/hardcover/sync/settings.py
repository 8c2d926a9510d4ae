"""The user's sync settings: on or paused, which changes push by themselves, privacy.

A trigger that is off does not hide a change: the book still counts as pending and goes out
with the next manual sync.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.pull import store as pulled_store
from bookorbit_desktop.hardcover.sync.model import PRIVACY_IDS, PUBLIC, Options
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverSync
from bookorbit_desktop.library.store.settings import get_setting, set_setting

ENABLED = "hardcover.sync_enabled"
ON_STATUS = "hardcover.sync_on_status"
ON_PROGRESS = "hardcover.sync_on_progress"
ON_RATING = "hardcover.sync_on_rating"
PRIVACY = "hardcover.privacy"
PRIVACY_FOR_ALL = "hardcover.privacy_for_all"
ACCOUNT_PRIVACY = "account"
PRIVACY_CHOICES = (ACCOUNT_PRIVACY, *PRIVACY_IDS)

# Seconds a change waits before it is pushed, so a burst of changes becomes one push: a
# status or rating edit soon, reading progress in batches every few minutes.
DELAYS = {
    outbox.STATUS: 30.0,
    outbox.RATING: 30.0,
    outbox.LINK: 30.0,
    outbox.SETTINGS: 30.0,
    outbox.PROGRESS: 180.0,
}


@dataclass(frozen=True)
class SyncSettings:
    enabled: bool
    on_status: bool
    on_progress: bool
    on_rating: bool
    privacy: str  # one of PRIVACY_CHOICES
    privacy_for_all: bool

    def triggers(self) -> set[str]:
        """The kinds of change that push by themselves."""
        kinds = {outbox.LINK, outbox.SETTINGS}
        if self.on_status:
            kinds.add(outbox.STATUS)
        if self.on_progress:
            kinds.add(outbox.PROGRESS)
        if self.on_rating:
            kinds.add(outbox.RATING)
        return kinds

    def options(self, account_privacy: int | None, *, allow_rewind: bool = False) -> Options:
        privacy = PRIVACY_IDS.get(self.privacy) or account_privacy or PUBLIC
        return Options(
            privacy_id=privacy, privacy_for_all=self.privacy_for_all, allow_rewind=allow_rewind
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def load() -> SyncSettings:
    privacy = str(get_setting(PRIVACY) or ACCOUNT_PRIVACY)
    return SyncSettings(
        enabled=bool(get_setting(ENABLED)),
        on_status=bool(get_setting(ON_STATUS)),
        on_progress=bool(get_setting(ON_PROGRESS)),
        on_rating=bool(get_setting(ON_RATING)),
        privacy=privacy if privacy in PRIVACY_CHOICES else ACCOUNT_PRIVACY,
        privacy_for_all=bool(get_setting(PRIVACY_FOR_ALL)),
    )


def save(
    *,
    enabled: bool | None = None,
    on_status: bool | None = None,
    on_progress: bool | None = None,
    on_rating: bool | None = None,
    privacy: str | None = None,
    privacy_for_all: bool | None = None,
) -> SyncSettings:
    """Change some settings; a privacy change queues the books it concerns."""
    if privacy is not None:
        privacy = privacy.strip().lower()
        if privacy not in PRIVACY_CHOICES:
            raise InvalidValueError(
                f"Privacy must be one of {', '.join(PRIVACY_CHOICES)}, not {privacy!r}.",
                title="Unknown privacy",
            )
    before = load()
    for key, value in (
        (ENABLED, enabled),
        (ON_STATUS, on_status),
        (ON_PROGRESS, on_progress),
        (ON_RATING, on_rating),
        (PRIVACY, privacy),
        (PRIVACY_FOR_ALL, privacy_for_all),
    ):
        if value is not None:
            set_setting(key, value)
    after = load()
    if (after.privacy, after.privacy_for_all) != (before.privacy, before.privacy_for_all):
        # The user's word now: privacy taken from Hardcover by the pull gives way to it, and
        # where Hardcover changed it too since the last sync, the pull records a conflict.
        pulled_store.forget_field("privacy_id")
        synced = HardcoverSync.select(HardcoverSync.book).where(
            HardcoverSync.user_book_id.is_null(False)
        )
        outbox.note_changes((row.book_id for row in synced), [outbox.SETTINGS])
    return after
