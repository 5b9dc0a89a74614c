"""The plan executor on a small schema: what it runs itself, what it leaves to graphql-core
(each fall-back trigger), and that the response is graphql-core's either way."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from strawberry.dataloader import DataLoader
from strawberry.extensions import SchemaExtension
from strawberry.permission import PermissionExtension

from api.observability.metrics import QUERY_PLANS
from api.permissions import IsSignedIn
from api.plans import executor as plan_executor
from api.plans.executor import PlanCache, PlanningExecutionContext
from api.settings import Settings
from domain.access import Principal, Role

ADMIN = Principal(role=Role.ADMIN, subject="admin")


@strawberry.type
class Part:
    name: str
    weight: float | None = None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tool(Named):
    teeth: int


@dataclass
class Calls:
    batches: list[list[int]]


@strawberry.type
class Kit(strawberry.relay.Node):
    id: strawberry.relay.NodeID[int]
    label: str
    spare: Part | None = None  # a plain field holding an object: filled in place

    @strawberry.field
    async def part(self, info: strawberry.Info) -> Part:
        return await info.context.parts.load(self.id)

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("no such thing")

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value]  # a bug: null where a value is promised

    @strawberry.field
    def doubled(self, times: int = 2) -> str:
        return self.label * times

    @strawberry.field(permission_classes=[IsSignedIn])
    async def owner(self) -> str:
        return f"owner of {self.label}"


@strawberry.type
class Query:
    @strawberry.field
    def kits(self) -> list[Kit]:
        return [
            Kit(id=i, label=f"kit {i}", spare=Part(name=f"spare {i}") if i % 2 else None)
            for i in range(1, 6)
        ]

    @strawberry.field
    def tool(self) -> Named:
        return Tool(name="saw", teeth=24)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> bool:
        return True


class Wrapping(SchemaExtension):
    """An extension that wraps every resolver (graphql-core middleware)."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


def schema(*extensions: type[SchemaExtension]) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Tool],
        extensions=list(extensions),
        execution_context_class=PlanningExecutionContext,
    )


def context(
    mode: str,
    calls: Calls | None = None,
    share: float = 1.0,
    principal: Principal = ADMIN,
) -> SimpleNamespace:
    calls = calls if calls is not None else Calls([])

    async def load_parts(ids: list[int]) -> list[Part]:
        calls.batches.append(list(ids))
        return [Part(name=f"part {i}", weight=i / 2) for i in ids]

    settings = Settings(query_plans=mode, query_plan_shadow_share=share)
    return SimpleNamespace(settings=settings, parts=DataLoader(load_parts), principal=principal)


def counted(outcome: str, reason: str = "") -> float:
    return QUERY_PLANS.labels(outcome, reason)._value.get()  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def fresh_plans(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(plan_executor, "PLANS", PlanCache())
    yield


def both(
    document: str,
    built: strawberry.Schema | None = None,
    principal: Principal = ADMIN,
    **variables: Any,
) -> Any:
    """The response as JSON text under plans and under graphql-core alone, which must be
    the same; the planned one is returned."""
    built = built or schema()

    async def run(mode: str) -> str:
        result = await built.execute(
            document, variable_values=variables, context_value=context(mode, principal=principal)
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return json.dumps(body)

    planned, plain = asyncio.run(run("on")), asyncio.run(run("off"))
    assert planned == plain
    return json.loads(planned)


def test_a_plan_answers_as_graphql_core_does() -> None:
    before = counted("planned")
    document = """
    query Kits { kits { id __typename label doubled(times: 3) ...Bits alias: part { name } } }
    fragment Bits on Kit { part { name weight } }
    """
    body = both(document)
    assert body["data"]["kits"][0] == {
        "id": "S2l0OjE=",
        "__typename": "Kit",
        "label": "kit 1",
        "doubled": "kit 1kit 1kit 1",
        "part": {"name": "part 1", "weight": 0.5},
        "alias": {"name": "part 1"},
    }
    assert counted("planned") == before + 1


def test_an_object_on_a_plain_field_is_filled_in_place_or_null() -> None:
    before = counted("planned")
    body = both("{ kits { spare { name weight } label } }")
    assert [kit["spare"] for kit in body["data"]["kits"][:2]] == [
        {"name": "spare 1", "weight": None},
        None,
    ]
    assert counted("planned") == before + 1


def test_the_loads_of_a_level_make_one_batch() -> None:
    calls = Calls([])
    result = asyncio.run(
        schema().execute("{ kits { part { name } } }", context_value=context("on", calls))
    )
    assert result.errors is None
    assert calls.batches == [[1, 2, 3, 4, 5]]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("{ __schema { queryType { name } } }", "introspection"),
        ("{ tool { name } }", "abstract_type"),
        ("query($on: Boolean!) { kits { label @include(if: $on) } }", "directive"),
    ],
)
def test_what_a_plan_does_not_cover_goes_to_graphql_core(document: str, reason: str) -> None:
    before = counted("not_planned", reason)
    body = both(document, on=True)
    assert "errors" not in body
    assert counted("not_planned", reason) == before + 1


def test_mutations_are_left_to_graphql_core() -> None:
    before = counted("planned")
    assert both("mutation { touch }") == {"data": {"touch": True}}
    assert counted("planned") == before


def test_resolver_middleware_leaves_every_query_to_graphql_core() -> None:
    before = counted("not_planned", "middleware")
    body = both("{ kits { label } }", schema(Wrapping))
    assert body["data"]["kits"][0] == {"label": "kit 1"}
    assert counted("not_planned", "middleware") == before + 1


@pytest.mark.parametrize(
    ("document", "reason", "message"),
    [
        ("{ kits { label broken } }", "error", "no such thing"),
        ("{ kits { label missing } }", "null_in_non_null", "Cannot return null"),
    ],
)
def test_a_run_that_meets_an_error_falls_back(document: str, reason: str, message: str) -> None:
    before = counted("fallback", reason)
    body = both(document)
    assert body["data"] is None  # a non-null field failed in a non-null list
    assert message in body["errors"][0]["message"]
    assert body["errors"][0]["path"] == ["kits", 0, document.split()[-3]]
    assert counted("fallback", reason) == before + 1


def test_the_plan_checks_a_gate_on_the_caller_itself_and_calls_the_resolver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrapped: list[str] = []
    resolve_async = PermissionExtension.resolve_async

    def counting(self: PermissionExtension, *args: Any, **kwargs: Any) -> Any:
        wrapped.append("wrapped")
        return resolve_async(self, *args, **kwargs)

    monkeypatch.setattr(PermissionExtension, "resolve_async", counting)
    before = counted("planned")
    context_value = context("on")
    result = asyncio.run(schema().execute("{ kits { owner } }", context_value=context_value))
    assert result.errors is None and result.data is not None
    assert result.data["kits"][0] == {"owner": "owner of kit 1"}
    assert counted("planned") == before + 1
    assert wrapped == []  # Strawberry's permission wrapper never ran


def test_a_caller_the_gate_refuses_gets_graphql_cores_refusal() -> None:
    before = counted("fallback", "error")
    body = both("{ kits { label owner } }", principal=Principal.anonymous())
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["kits", 0, "owner"]
    assert body["errors"][0]["message"] == IsSignedIn.message
    assert counted("fallback", "error") == before + 1


def test_a_read_the_plan_started_before_it_fell_back_is_finished_not_cut_off() -> None:
    calls = Calls([])
    built = schema()
    result = asyncio.run(
        built.execute("{ kits { part { name } broken } }", context_value=context("on", calls))
    )
    assert result.data is None and result.errors is not None
    assert result.errors[0].path == ["kits", 0, "broken"]
    # The plan's load of kit 1 ran to its end (graphql-core's run found it loaded, and
    # stopped at kit 1's error before loading the others).
    assert calls.batches == [[1]]


def test_the_plan_cache_keeps_the_documents_seen_last() -> None:
    cache = PlanCache(size=2)
    built = schema()
    plan_executor.PLANS = cache
    for document in ("{ kits { id } }", "{ kits { label } }", "{ kits { id label } }"):
        asyncio.run(built.execute(document, context_value=context("on")))
    assert len(cache) == 2


def test_shadow_mode_answers_with_graphql_core_and_logs_a_difference(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def wrong(plan: Any, executor: Any) -> dict[str, Any]:
        return {"kits": []}

    monkeypatch.setattr(plan_executor, "run_plan", wrong)
    before = counted("shadow_differs")
    with caplog.at_level(logging.WARNING, logger="omniorder.query_plans"):
        result = asyncio.run(
            schema().execute("query Few { kits { label } }", context_value=context("shadow"))
        )
    assert result.data is not None and len(result.data["kits"]) == 5
    assert counted("shadow_differs") == before + 1
    assert [record.operation for record in caplog.records] == ["Few"]  # type: ignore[attr-defined]


def test_shadow_mode_counts_agreement() -> None:
    before = counted("shadow_same")
    asyncio.run(schema().execute("{ kits { id label } }", context_value=context("shadow")))
    assert counted("shadow_same") == before + 1


def test_shadow_mode_samples_a_share_of_queries() -> None:
    before = counted("shadow_same")
    built = schema()
    for _ in range(5):
        asyncio.run(built.execute("{ kits { id } }", context_value=context("shadow", share=0)))
    assert counted("shadow_same") == before
