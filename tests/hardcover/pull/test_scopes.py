"""A token without `read:lists` (Hardcover's "E-Reader / Sync Client" preset, or a token made
from an older link): the pull leaves the lists out, keeps them as last pulled, and the rest of
it runs and keeps its place; the loopback Hardcover refuses the lists as Hardcover does, with
403 insufficient_scope or in-band."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.errors import REQUESTED_SCOPES, TOKEN_PAGE_URL
from bookorbit_desktop.hardcover.api.token_health import FEATURES
from bookorbit_desktop.hardcover.pull import run, store
from bookorbit_desktop.hardcover.pull.run import pull
from tests.fakes.hardcover_catalog import SYNC_SCOPES, WANT_TO_READ
from tests.fakes.hardcover_shelves import add_list


def test_the_token_link_asks_for_every_scope_a_feature_uses():
    assert set(FEATURES) <= set(REQUESTED_SCOPES)
    assert "read:lists" in TOKEN_PAGE_URL.split("?scope=")[1].split("%20")


@pytest.mark.parametrize("answer", ["http", "in_band"])
async def test_without_read_lists_the_pull_runs_and_keeps_its_place(world, answer):
    uid = world.hardcover.user_id
    kept = world.catalog.add_book("Kept")
    world.catalog.add_user_book(uid, kept, status_id=WANT_TO_READ)
    add_list(world.catalog, uid, "Summer", (kept,))
    await pull(world.client, uid, full=True)
    assert [item["name"] for item in store.pulled_lists()] == ["Summer"]
    for token in world.catalog.tokens.values():
        token["scopes"] = SYNC_SCOPES
    world.hardcover.config.scope_errors = answer
    world.catalog.add_user_book(uid, world.catalog.add_book("New"), status_id=WANT_TO_READ)

    full = await pull(world.client, uid, full=True)
    assert full.error is None and full.off == ["read:lists"]
    assert full.entries == 2 and len(store.pulled()) == 2
    assert not run.status()["resuming"] and run.status()["error"] is None
    assert [item["name"] for item in store.pulled_lists()] == ["Summer"]  # as last pulled
    assert world.client.refused_scopes == {"read:lists"}

    world.hardcover.requests.clear()
    since = await pull(world.client, uid)
    assert not since.full and since.error is None and since.off == ["read:lists"]
    names = [r.operation_name for r in world.hardcover.requests]
    assert names == ["PullUserBooks", "PullLists", "PullReads"]
