"""What a snapshot remembers once a push is confirmed (`snapshot_after`), and of a field the
push left as Hardcover has it. Pure.

The three-way rule (`reconcile._differs`) keeps a value the user changed on hardcover.app when
the library did not change it since the base. Once the push is confirmed, the new snapshot
would take Hardcover's value as the base's "confirmed" side while the library still wants its
own: on the next push neither side would look changed, and the library's value would go out,
overwriting the user's edit there. So for such a field the base keeps Hardcover's side as it
was: Hardcover's edit stays an edit (kept, and taken by the next pull) until the user changes
the field in the library, which is then a conflict (`pull.rule`). The same holds for the
dates of a read the user started on hardcover.app after the one synced before: while the
library holds that earlier read's dates, the new read's stay its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.hardcover.sync.model import (
    Local,
    Options,
    Remote,
    Snapshot,
    confirmed_values,
    users_later_read,
    wanted_for,
)

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.sync.model import Wanted
    from bookorbit_desktop.hardcover.sync.steps import Tracking

# The fields both sides edit; the read's dates only while the same read is synced.
ENTRY_FIELDS = ("status_id", "rating", "privacy_id", "edition_id")
READ_FIELDS = ("started", "finished")


def kept_bases(
    want: Wanted | None, confirmed: Mapping[str, Any], tracking: Tracking
) -> dict[str, Any]:
    """`confirmed` with the base's own value for each field the push kept as Hardcover's."""
    base, found = tracking.base, dict(confirmed)
    if want is None or base is None or not base.confirmed:
        return found
    wanted = want.to_json()
    # A date Hardcover stamped in answer to our own status write is not the user's edit.
    same_read = base.read_id == tracking.read_id and not tracking.stamped_finish
    # A read of the user's synced after another (a reread started on hardcover.app): the
    # library's dates unchanged since are the other read's, kept off this one the same way.
    users_read = users_later_read(base.read_id, tracking.read_id, tracking.seen_reads)
    names = ENTRY_FIELDS + (READ_FIELDS if same_read or users_read else ())
    for name in names:
        if name not in base.confirmed or name not in found:
            continue
        theirs, ours = found[name], wanted.get(name)
        library_unchanged = ours == base.wanted.get(name)
        hardcover_changed = theirs != base.confirmed[name]
        if theirs != ours and library_unchanged and hardcover_changed:
            found[name] = base.confirmed[name]
    return found


def snapshot_after(
    local: Local, options: Options, remote: Remote | None, tracking: Tracking
) -> Snapshot:
    """What to remember once Hardcover confirmed the push that ended with `remote`."""
    want = wanted_for(local, options)
    return Snapshot(
        hc_book_id=local.hc_book_id,
        user_book_id=remote.user_book_id if remote is not None else tracking.user_book_id,
        created_by_us=tracking.created_by_us,
        read_id=tracking.read_id,
        read_owned=tracking.read_owned,
        wanted=want.to_json() if want is not None else {},
        confirmed=kept_bases(want, confirmed_values(remote, tracking.read_id), tracking),
    )
