"""`books duplicates` and `books merge KEEP OTHER`: find the books that look like copies of one
book, and merge two of them into one (`services.library.merge`, the operation the window's Find
Duplicates runs). A merge asks first unless `--yes`, and is one step `undo` takes back.
"""

from __future__ import annotations

import argparse

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from bookorbit_desktop.services.library.merge import MergeService


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `duplicates` and `merge` to the `books` actions."""
    add_command(actions, "duplicates", run_duplicates, reads=True)
    summary, _, description = (run_merge.__doc__ or "").partition("\n\n")
    merge = actions.add_parser("merge", help=summary, description=description)
    merge.set_defaults(handler=run_merge)
    merge.add_argument("keep", type=int, metavar="KEEP", help="the book that stays")
    merge.add_argument("other", type=int, metavar="OTHER", help="the book merged into it")
    merge.add_argument("--yes", action="store_true", help="do not ask before merging")


def _service(ctx: CliContext) -> MergeService:
    from bookorbit_desktop.services.library.merge import MergeService

    return MergeService(ctx.paths)


def run_duplicates(ctx: CliContext, args: argparse.Namespace) -> int:
    """list the books that look like copies of one book

    Books with the same ISBN, or the same title by the same author (case, accents and a
    subtitle aside), one group per book. Merge two with `books merge KEEP OTHER`."""
    groups = _service(ctx).groups()
    if not groups:
        print("No duplicates found.")
        return 0
    for number, group in enumerate(groups, 1):
        print(f"Group {number}:")
        for copy in group:
            print(f"  {copy.id:>5}  {copy.title} — {copy.authors} [{copy.formats}]")
    print(f"{len(groups)} {'group' if len(groups) == 1 else 'groups'} of duplicates.")
    return 0


def run_merge(ctx: CliContext, args: argparse.Namespace) -> int:
    """merge book OTHER into book KEEP: one book with the files, tags, reading and links of both

    Shows the two side by side with the value the merged book takes for each field (marked
    with *) and asks first (unless --yes). Both files stay where they are; reading state,
    history, highlights, KOReader positions, shelves and the Hardcover link all go to KEEP.
    Two books linked to different Hardcover books are not merged. `undo` splits them back.
    Exit status 0 when merged, 1 when not confirmed, 2 for a wrong id or a refused merge."""
    from bookorbit_desktop.errors import InvalidValueError
    from bookorbit_desktop.services.library.merge import KEEP

    service = _service(ctx)
    seen = service.side_by_side(args.keep, args.other)
    if seen.refusal:
        raise InvalidValueError(seen.refusal, title="Cannot merge")
    print(f"{'':<16}{'KEEP ' + str(seen.keep):<32}OTHER {seen.other}")
    for row in seen.rows:
        mine, theirs = ("*", " ") if row.choice == KEEP else (" ", "*")
        keep, other = _fit(row.keep, 30), _fit(row.other, 52)
        print(f"{row.label:<15}{mine}{keep:<31}{theirs}{other}")
    for index, files in enumerate(seen.files):
        for path in files:
            print(f"{'file':<16}{'' if index == 0 else ' ' * 32}{path}")
    for index, names in enumerate(seen.tags):  # every tag of both is kept
        print(f"{'tags':<16}{'' if index == 0 else ' ' * 32}{', '.join(names) or '(none)'}")
    print("Reading (the furthest state, the earliest start, the latest finish):")
    for row in seen.reading:
        print(f"{row.label:<16}{row.keep:<32}{row.other:<20} → {row.choice}")
    if not args.yes and not _confirmed(seen.titles[1], seen.titles[0]):
        print("Nothing was merged.")
        return 1
    print(service.merge(args.keep, args.other))
    print(ctx.undo_hint())
    return 0


def _fit(text: str, width: int) -> str:
    """A value cut to its column (`book ID` shows it whole)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _confirmed(other: str, keep: str) -> bool:
    try:
        answer = input(f"Merge “{other}” into “{keep}”? [y/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")
