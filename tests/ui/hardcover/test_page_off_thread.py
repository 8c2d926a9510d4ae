"""The Hardcover page after a write: its rows at once, on the window's thread; the account and
the counts over the whole library read on a worker thread and shown when they arrive, the
newest read winning over one begun before it. Real library and widgets."""

from __future__ import annotations

import asyncio
import threading

from bookorbit_desktop.hardcover.sync import counts
from tests.factories import add_book
from tests.ui.hardcover.conftest import refresh, settle, top_rows


def count_threads(monkeypatch) -> list[threading.Thread]:
    """The threads that count the sync's waiting work (the slow read of a large library)."""
    threads: list[threading.Thread] = []
    current = counts.current

    def counted():
        threads.append(threading.current_thread())
        return current()

    monkeypatch.setattr(counts, "current", counted)
    return threads


def test_after_a_write_the_rows_show_at_once_and_the_counts_when_read(hc, qloop, monkeypatch):
    add_book("Aa First", status="reading")
    refresh(hc, qloop)
    view = hc.view
    assert view.count_label.text() == "1 of 1 book" and hc.hub.status.to_match == 1
    threads = count_threads(monkeypatch)
    add_book("Bb Second", status="reading")  # read, never matched: one more to look up
    hc.refresh()
    assert top_rows(view) == ["Aa First", "Bb Second"]  # before the loop turns once
    assert not hc._reload_task.done()  # the account and the counts: on their way
    settle(hc, qloop)
    assert view.count_label.text() == "2 of 2 books"
    assert view.filter_combo.itemText(0) == "All books (2)"
    assert hc.hub.status.to_match == 2
    hc.refresh_status()  # after the user's own change: the account, also off the thread
    settle(hc, qloop)
    assert len(threads) == 2 and threading.main_thread() not in threads
    done = hc._reload_task
    hc.refresh()  # nothing written since the counts were read: they are not read again
    assert hc._reload_task is done and len(threads) == 2


def test_a_read_begun_before_a_refresh_is_never_shown_over_the_newer_one(hc, qloop):
    add_book("Aa First", status="reading")
    refresh(hc, qloop)
    view, service = hc.view, hc.service
    page_later = service.page_later
    reads, shown, to_match = [], [], []
    show_listing = view.show_listing

    def recorded(listing):
        shown.append(listing)
        show_listing(listing)

    view.show_listing = recorded
    hc.hub.changed.connect(lambda status: to_match.append(status.to_match))

    async def scenario():
        release = asyncio.Event()

        async def held_first(**kwargs):
            page = await page_later(**kwargs)
            reads.append(page)
            if len(reads) == 1:  # a slow read: two books counted, not yet shown
                await release.wait()
            return page

        service.page_later = held_first
        add_book("Bb Second", status="reading")
        hc.refresh()
        for _ in range(500):  # until the slow read has read (5 s at most)
            if reads:
                break
            await asyncio.sleep(0.01)
        assert reads, "refresh() after a write read nothing off the window's thread"
        add_book("Cc Third", status="reading")
        hc.refresh()  # the newer rows at once; the slow read is now older than the screen
        release.set()
        await hc._reload_task

    qloop.run_until_complete(scenario())
    first, second = reads
    assert sum(first.listing.counts.values()) == 2  # what the stale read would have shown
    assert first.listing not in shown and second.listing is shown[-1]
    assert 2 not in to_match and hc.hub.status.to_match == 3
    assert top_rows(view) == ["Aa First", "Bb Second", "Cc Third"]
    assert view.count_label.text() == "3 of 3 books"
