"""Reading goals kept with Hardcover's (`hardcover.goals`, `services.goals`), against the
loopback fake Hardcover: read, create, change, a change made on hardcover.app meanwhile (never
overwritten), a goal gone there, and a token without the goals' scopes."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken, TokenStore
from bookorbit_desktop.hardcover.api.errors import ScopeError
from bookorbit_desktop.library.goals import store
from bookorbit_desktop.library.goals.rules import BOOKS, PAGES, Goal
from bookorbit_desktop.library.reads.edits import add_read
from bookorbit_desktop.services.goals.service import (
    GoalChangedError,
    delete,
    goal_views,
    pull,
    send,
)
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from tests.factories import add_book
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401

YEAR = Goal(24, BOOKS, dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026")


def account_for(server, token=None) -> HardcoverAccount:
    factory = functools.partial(HardcoverClient, endpoint=server.url)
    return HardcoverAccount(
        supplied=SuppliedToken(token or server.token, "test"), client_factory=factory
    )


def goal_row(server, **values):
    row = {"user_id": server.user_id, "goal": 12, "metric": "book", "progress": 3,
           "start_date": "2026-01-01", "end_date": "2026-12-31", "description": "Twelve",
           "archived": False, "conditions": {}, "state": "active", "completed_at": None,
           "privacy_setting_id": 1}  # fmt: skip
    row.update(values)
    return server.catalog._insert("goals", row)


async def test_the_goals_on_hardcover_come_in_and_one_gone_there_goes(library, hardcover):  # noqa: F811
    books = goal_row(hardcover)
    pages = goal_row(hardcover, goal=5000, metric="pages", description="")
    goal_row(hardcover, goal=3, metric="author_gender")  # no word for it here
    goal_row(hardcover, archived=True)
    someone = hardcover.catalog.add_user("someone")
    goal_row(hardcover, user_id=someone)  # another reader's: never ours

    pulled = await pull(account_for(hardcover))
    assert pulled is not None and pulled.left_out == ["3 author_gender"]
    kept = {g.hardcover_goal_id: g for g in store.all_goals()}
    assert set(kept) == {books, pages}
    assert kept[books].goal == Goal(12, BOOKS, dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Twelve")
    assert kept[pages].goal.metric == PAGES and kept[books].hardcover_progress == 3

    hardcover.catalog.get("goals", pages)["archived"] = True
    hardcover.catalog.get("goals", books)["goal"] = 20
    pulled = await pull(account_for(hardcover))
    assert pulled is not None and [g.hardcover_goal_id for g in pulled.deleted] == [pages]
    assert [(g.hardcover_goal_id, g.goal.target) for g in store.all_goals()] == [(books, 20)]


async def test_a_goal_set_here_is_created_there_and_changed_by_its_id(library, hardcover):  # noqa: F811
    book = add_book("Dune").id
    add_read(book, started="2026-01-02", finished="2026-02-01")
    said = await send(account_for(hardcover), YEAR)
    assert said == "Goal 1 kept in the library and on Hardcover."
    (there,) = hardcover.catalog.rows("goals")
    assert (there["goal"], there["metric"], there["privacy_setting_id"]) == (24, "book", 3)
    assert (there["start_date"], there["end_date"], there["description"]) == (
        "2026-01-01",
        "2026-12-31",
        "2026",
    )
    (stored,) = store.all_goals()
    assert stored.hardcover_goal_id == there["id"]

    changed = Goal(30, BOOKS, YEAR.start, YEAR.end, "More")
    await send(account_for(hardcover), changed, stored.id)
    assert len(hardcover.catalog.rows("goals")) == 1  # the same goal, changed
    assert (there["goal"], there["description"]) == (30, "More")
    (view,) = goal_views(dt.date(2026, 3, 1))
    assert view.progress.done == 1 and view.books == ("2026-02-01  Dune",)


async def test_a_goal_changed_on_hardcover_meanwhile_is_never_overwritten(library, hardcover):  # noqa: F811
    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    there = hardcover.catalog.get("goals", stored.hardcover_goal_id)
    there["goal"] = 40  # changed on hardcover.app

    with pytest.raises(GoalChangedError, match="it is now 40 books from 2026-01-01"):
        await send(account_for(hardcover), Goal(30, BOOKS, YEAR.start, YEAR.end), stored.id)
    assert there["goal"] == 40  # nothing sent
    assert store.get_goal(stored.id).goal.target == 40  # Hardcover's values are kept here

    await send(account_for(hardcover), Goal(30, BOOKS, YEAR.start, YEAR.end), stored.id)
    assert there["goal"] == 30  # made again once seen: sent


async def test_a_goal_deleted_there_is_not_sent_and_stays_here_only(library, hardcover):  # noqa: F811
    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    hardcover.catalog.delete_row("goals", stored.hardcover_goal_id)
    with pytest.raises(GoalChangedError, match=r"deleted or archived on hardcover\.app"):
        await send(account_for(hardcover), Goal(30, BOOKS, YEAR.start, YEAR.end), stored.id)
    assert hardcover.catalog.rows("goals") == []
    kept = store.get_goal(stored.id)
    assert kept.hardcover_goal_id is None and kept.goal.target == 30


async def test_a_token_without_the_goal_scopes_says_what_to_tick(library, hardcover):  # noqa: F811
    token = hardcover.catalog.add_token(
        hardcover.user_id,
        scopes={"read:catalog", "read:library", "write:library", "read:me:content"},
    )
    with pytest.raises(ScopeError) as refused:
        await pull(account_for(hardcover, token))
    assert refused.value.scope == "read:goals"
    with pytest.raises(ScopeError) as refused:
        await send(account_for(hardcover, token), YEAR)
    assert refused.value.scope == "write:goals"
    assert [g.goal.target for g in store.all_goals()] == [24]  # kept here all the same
    assert hardcover.catalog.rows("goals") == []


async def test_a_goal_set_without_hardcover_goes_there_once_connected(library, hardcover, tmp_path):  # noqa: F811
    not_connected = HardcoverAccount(TokenStore(FileKeyring(tmp_path / "keyring.json")))
    assert await pull(not_connected) is None
    said = await send(not_connected, YEAR)
    later = " (it goes to Hardcover when Hardcover's goals are next read, once connected)."
    assert said == f"Goal 1 kept in the library; Hardcover is not connected{later}"
    assert await send(None, replace(YEAR, target=30)) == f"Goal 2 kept in the library{later}"
    assert hardcover.catalog.rows("goals") == []
    pulled = await pull(account_for(hardcover))  # connected: what waits is sent
    assert pulled is not None and [g.id for g in pulled.sent] == [1, 2]
    assert "sent: goal 1, 2" in pulled.describe()
    there = {row["goal"]: row for row in hardcover.catalog.rows("goals")}
    assert sorted(there) == [24, 30] and {g.hardcover_goal_id for g in store.all_goals()} == {
        row["id"] for row in there.values()
    }
    pulled = await pull(account_for(hardcover))  # sent once, never again
    assert pulled is not None and pulled.sent == [] and len(hardcover.catalog.rows("goals")) == 2


async def test_a_goal_gone_on_hardcover_is_not_sent_back_by_a_pull(library, hardcover):  # noqa: F811
    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    await send(None, replace(YEAR, target=30), stored.id)  # changed here, not sent
    hardcover.catalog.delete_row("goals", stored.hardcover_goal_id)  # deleted there meanwhile
    pulled = await pull(account_for(hardcover))
    assert pulled is not None and pulled.sent == []
    assert hardcover.catalog.rows("goals") == []  # the user deleted it there: it stays gone
    await pull(account_for(hardcover))
    assert hardcover.catalog.rows("goals") == []


async def test_a_goal_deleted_here_is_deleted_there_and_stays_gone(library, hardcover):  # noqa: F811
    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    said = await delete(account_for(hardcover), stored.id)
    assert said == f"Goal {stored.id} deleted here and on Hardcover."
    assert hardcover.catalog.rows("goals") == [] and store.all_goals() == []
    await pull(account_for(hardcover))
    assert store.all_goals() == []  # no pull brings it back

    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    hardcover.catalog.delete_row("goals", stored.hardcover_goal_id)  # gone there already
    await delete(account_for(hardcover), stored.id)
    assert store.all_goals() == []


async def test_a_change_made_here_offline_is_kept_by_the_pull_and_sent(library, hardcover):  # noqa: F811
    await send(account_for(hardcover), YEAR)
    (stored,) = store.all_goals()
    await send(None, Goal(30, BOOKS, YEAR.start, YEAR.end, "2026"), stored.id)  # not sent
    pulled = await pull(account_for(hardcover))
    assert pulled is not None and [g.id for g in pulled.held] == [stored.id]
    assert store.get_goal(stored.id).goal.target == 30  # the pull did not take it back
    assert [g.id for g in pulled.sent] == [stored.id] and "sent: goal 1" in pulled.describe()
    assert hardcover.catalog.get("goals", stored.hardcover_goal_id)["goal"] == 30
    pulled = await pull(account_for(hardcover))
    assert pulled is not None and pulled.held == [] and pulled.sent == []
