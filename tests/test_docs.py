"""The manuals stay true to the code: every GraphQL example in README.md and docs/ validates
against the schema, and every relative link leads to a file (and heading) that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, parse, specified_rules, validate
from graphql.validation import LoneAnonymousOperationRule

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_BLOCK = re.compile(r"```.*?```", re.S)
# Examples show several operations side by side, so an anonymous one need not be alone.
RULES = [rule for rule in specified_rules if rule is not LoneAnonymousOperationRule]


def _examples() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for block in re.finditer(r"```graphql\n(.*?)```", text, re.S):
            line = text[: block.start()].count("\n") + 1
            found.append((f"{page.relative_to(ROOT)}:{line}", block.group(1)))
    return found


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema((ROOT / "schema.graphql").read_text())


@pytest.mark.parametrize(("where", "example"), _examples(), ids=[w for w, _ in _examples()])
def test_every_graphql_example_is_valid_against_the_schema(schema, where, example):
    assert [error.message for error in validate(schema, parse(example), RULES)] == []


def _anchors(page: Path) -> set[str]:
    """The #anchors of a page's headings, as GitHub makes them."""
    made: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", CODE_BLOCK.sub("", page.read_text()), re.M):
        slug = re.sub(r"[^\w\- ]", "", re.sub(r"[`*]", "", heading).strip().lower())
        slug = slug.replace(" ", "-")
        seen = made.get(slug, 0)
        made[slug] = seen + 1
        made.setdefault(f"{slug}-{seen}" if seen else slug, 1)
    return set(made)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_leads_somewhere(page):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", CODE_BLOCK.sub("", page.read_text())):
        if re.match(r"^[a-z]+:", target):
            continue  # http:, https:, mailto:
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no such heading")
    assert broken == []
