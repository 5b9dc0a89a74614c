"""Demo data a storefront walk-through needs (README, "A storefront, step by step"): the
demo products in a category tree, US sales tax added on top of web and mobile prices,
shipping in the United States (Standard, free from 75.00 USD, and Express by weight), a
3-for-2 on socks and a first-order voucher, WELCOME10.

Like the rest of the demo, everything goes through the use cases the API calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from domain.access import Principal
from domain.commands.categories import CreateCategory, SetProductCategories
from domain.commands.promotions import CreatePromotion, VoucherRequest
from domain.commands.shipping_methods import (
    AmountRequest,
    BracketRequest,
    CreateShippingMethod,
    CreateShippingZone,
    SetVariantWeights,
    VariantWeight,
)
from domain.commands.taxes import SetChannelTaxSettings, SetTaxRate
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.promotions import PromotionKind
from domain.model.shipping import ShippingPricing
from domain.usecases import categories, promotions, shipping_methods, taxes
from persistence.uow import SqlUnitOfWork

# (name, parent's name or None, the product stems in it)
CATEGORIES = [
    ("Clothing", None, ()),
    ("Tops", "Clothing", ("TEE", "HOODIE")),
    ("Bottoms", "Clothing", ("JEANS",)),
    ("Accessories", None, ("CAP", "SOCKS", "SCARF", "BEANIE", "BACKPACK", "WALLET")),
    ("Home", None, ("MUG", "BOTTLE", "CANDLE", "TOWEL", "APRON")),
    ("Stationery", None, ("NOTEBOOK", "PEN")),
]
# State sales tax, added on top of web and mobile prices as US shops show them.
SALES_TAX = {"US-CA": "7.25", "US-NY": "4", "US-IL": "6.25", "US-TX": "6.25"}
WEB_AND_MOBILE = (ChannelCode.WEB, ChannelCode.MOBILE)
# Grams per unit, by product stem; unlisted products weigh nothing a carrier charges for.
WEIGHTS = {"TEE": 180, "HOODIE": 650, "JEANS": 700, "SNEAKER": 900, "MUG": 450, "BOTTLE": 380}


async def seed_storefront(
    uow: Callable[[], SqlUnitOfWork],
    seeder: Principal,
    products: Mapping[str, int],
    skus: Mapping[str, list[str]],
    now: datetime,
) -> None:
    """`products`: each demo product's id by SKU stem; `skus`: its variants' SKUs."""
    ids: dict[str, int] = {}
    placed: dict[str, list[int]] = {}
    for name, parent, stems in CATEGORIES:
        category = await categories.create_category(
            uow(), seeder, CreateCategory(name, parent_id=ids.get(parent or "")), now
        )
        ids[name] = id_of(category)
        for stem in stems:
            placed.setdefault(stem, []).append(ids[name])
    for stem, category_ids in placed.items():
        await categories.set_product_categories(
            uow(), seeder, SetProductCategories(products[stem], tuple(category_ids)), now
        )
    for region, percent in SALES_TAX.items():
        await taxes.set_tax_rate(
            uow(), seeder, SetTaxRate("US", region, None, Decimal(percent), "Sales tax")
        )
    for channel in WEB_AND_MOBILE:
        await taxes.set_channel_tax_settings(uow(), seeder, SetChannelTaxSettings(channel, False))
    await _shipping(uow, seeder, skus)
    await promotions.create_promotion(
        uow(),
        seeder,
        CreatePromotion(
            "Socks: 3 for 2",
            PromotionKind.BUY_X_GET_Y,
            Decimal(100),
            WEB_AND_MOBILE,
            product_ids=(products["SOCKS"],),
            buy_quantity=2,
            get_quantity=1,
        ),
        now,
    )
    await promotions.create_promotion(
        uow(),
        seeder,
        CreatePromotion(
            "Welcome: 10% off a first order",
            PromotionKind.ORDER_PERCENTAGE,
            Decimal(10),
            WEB_AND_MOBILE,
            voucher_codes=(VoucherRequest("WELCOME10", per_customer_limit=1),),
        ),
        now,
    )


async def _shipping(
    uow: Callable[[], SqlUnitOfWork], seeder: Principal, skus: Mapping[str, list[str]]
) -> None:
    await shipping_methods.create_shipping_zone(
        uow(), seeder, CreateShippingZone("US", "United States", ("US",))
    )
    await shipping_methods.create_shipping_method(
        uow(),
        seeder,
        CreateShippingMethod(
            "STANDARD",
            "Standard (3-5 days)",
            "US",
            ShippingPricing.FLAT,
            WEB_AND_MOBILE,
            price=_usd("5.00"),
            free_above=_usd("75.00"),
        ),
    )
    await shipping_methods.create_shipping_method(
        uow(),
        seeder,
        CreateShippingMethod(
            "EXPRESS",
            "Express (next day)",
            "US",
            ShippingPricing.BY_WEIGHT,
            WEB_AND_MOBILE,
            brackets=(BracketRequest(1000, _usd("9.00")), BracketRequest(5000, _usd("15.00"))),
        ),
    )
    await shipping_methods.set_variant_weights(
        uow(),
        seeder,
        SetVariantWeights(
            tuple(
                VariantWeight(sku, grams) for stem, grams in WEIGHTS.items() for sku in skus[stem]
            )
        ),
    )


def _usd(amount: str) -> AmountRequest:
    return AmountRequest(Decimal(amount), "USD")
