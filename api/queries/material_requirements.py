"""Material requirements planning: what a location is short of (ADMIN; STAFF there)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Context
from api.errors import request_error
from api.types.material_requirements import MaterialRequirement
from domain.commands.manufacturing import PlanMaterialRequirements
from domain.errors import DomainError
from domain.model.material_requirements import MAX_HORIZON_DAYS
from domain.usecases.material_requirements import plan_material_requirements


@strawberry.type
class MaterialRequirementQueries:
    @strawberry.field(
        description="What a location is short of for its PLANNED work orders due within the "
        "horizon and its backordered sales orders of manufactured goods: bills of materials "
        "exploded level by level, each variant netted against what is available, incoming "
        "and in production there before its shortfall is exploded further. By needed date, "
        "then SKU (ADMIN; STAFF at the location)."
    )
    async def material_requirements(
        self,
        info: strawberry.Info,
        location_code: Annotated[str, strawberry.argument(description="The location planned.")],
        horizon_days: Annotated[
            int,
            strawberry.argument(
                description=f"Work orders due within this many days from today count, 0 to "
                f"{MAX_HORIZON_DAYS} (overdue ones always do)."
            ),
        ] = 30,
    ) -> list[MaterialRequirement]:
        context: Context = info.context
        command = PlanMaterialRequirements(location_code, horizon_days)
        try:
            requirements = await plan_material_requirements(
                context.unit_of_work(), context.principal, command, context.now()
            )
        except DomainError as error:
            raise request_error(error) from error
        return [MaterialRequirement.of(requirement) for requirement in requirements]
