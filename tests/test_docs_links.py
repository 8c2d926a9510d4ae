"""Every relative link and image in README.md and docs/*.md points at a file in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target); the target ends at the first space or closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def local_targets(markdown: str) -> list[str]:
    """The link targets that name a file in the repository (no scheme, not a bare #anchor)."""
    targets = []
    for match in LINK.finditer(CODE.sub("", markdown)):
        target = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("see [the CLI](docs/cli.md#serve) and ![shot](../a.png)", ["docs/cli.md", "../a.png"]),
        ("[site](https://hardcover.app) [here](#first-run) [mail](mailto:a@b.c)", []),
        ("`[not a link](nowhere.md)` and\n```\n[nor](this.md)\n```", []),
        ('[titled](docs/x.md "Title")', ["docs/x.md"]),
    ],
)
def test_local_targets(markdown: str, expected: list[str]) -> None:
    assert local_targets(markdown) == expected


def test_the_readme_links_the_documents() -> None:
    readme = local_targets((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {
        "docs/cli.md",
        "docs/hardcover-sync.md",
        "docs/koreader.md",
        "docs/internals.md",
    } <= set(readme)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_local_link_resolves(document: Path) -> None:
    targets = local_targets(document.read_text(encoding="utf-8"))
    broken = [t for t in targets if not (document.parent / t).exists()]
    assert targets or document.name != "README.md"
    assert broken == [], f"{document.relative_to(ROOT)} links to missing files: {broken}"
