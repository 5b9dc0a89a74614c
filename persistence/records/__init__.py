"""ORM classes, one module per business area; importing this package registers them all."""

from persistence.records.accounts import AccountTokenRecord, CustomerAccountRecord, SessionRecord
from persistence.records.base import Base
from persistence.records.catalog import ProductChannelRecord, ProductRecord, VariantRecord
from persistence.records.categories import (
    CategoryRecord,
    CollectionChannelRecord,
    CollectionProductRecord,
    CollectionRecord,
    ProductCategoryRecord,
)
from persistence.records.counts import StockCountLineRecord, StockCountRecord
from persistence.records.customer_groups import CustomerGroupPriceRecord, CustomerGroupRecord
from persistence.records.customers import (
    CustomerAddressRecord,
    CustomerNoteRecord,
    CustomerRecord,
)
from persistence.records.documents import DocumentStatusChangeRecord
from persistence.records.inventory import StockLevelRecord, StockMovementRecord
from persistence.records.invoices import (
    CustomerPaymentRecord,
    DocumentSeriesRecord,
    InvoiceAllocationRecord,
    InvoiceLineRecord,
    InvoiceRecord,
)
from persistence.records.job_leases import JobLeaseRecord
from persistence.records.locations import ChannelLocationRecord, ChannelRecord, LocationRecord
from persistence.records.manufacturing import (
    BomComponentRecord,
    WorkOrderComponentRecord,
    WorkOrderRecord,
)
from persistence.records.media import ProductMediaRecord, ProductMediaVariantRecord
from persistence.records.options import (
    AttributeRecord,
    AttributeValueRecord,
    ProductAttributeValueRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    VariantOptionCombinationRecord,
    VariantOptionValueRecord,
)
from persistence.records.orders import (
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
)
from persistence.records.outbox import OutboxEventRecord
from persistence.records.payments import (
    PaymentEntryRecord,
    PaymentRecord,
    PaymentRequestRecord,
    ProviderEventRecord,
)
from persistence.records.persisted_queries import PersistedQueryRecord
from persistence.records.pos import PosPaymentRecord, PosSaleRecord, PosTerminalRecord
from persistence.records.promotions import (
    PromotionCategoryRecord,
    PromotionChannelRecord,
    PromotionCollectionRecord,
    PromotionCustomerGroupRecord,
    PromotionProductRecord,
    PromotionRecord,
    VoucherCodeRecord,
    VoucherRedemptionRecord,
)
from persistence.records.purchasing import (
    PurchaseOrderLineRecord,
    PurchaseOrderRecord,
    SupplierPriceRecord,
    SupplierRecord,
)
from persistence.records.returns import ReturnLineRecord, ReturnRecord
from persistence.records.services import (
    ServiceBookingRecord,
    ServiceCapacityRecord,
    ServiceRecipeLineRecord,
    ServiceSlotRecord,
)
from persistence.records.shipments import (
    ShipmentLineRecord,
    ShipmentRecord,
    ShipmentTrackingEventRecord,
)
from persistence.records.shipping_methods import (
    ShippingMethodBracketRecord,
    ShippingMethodChannelRecord,
    ShippingMethodRecord,
    ShippingZoneCountryRecord,
    ShippingZoneRecord,
)
from persistence.records.taxes import TaxClassRecord, TaxRateRecord
from persistence.records.transfers import TransferLineRecord, TransferRecord
from persistence.records.webhooks import (
    WebhookDeliveryRecord,
    WebhookEventTypeRecord,
    WebhookRecord,
)

__all__ = [
    "AccountTokenRecord",
    "AttributeRecord",
    "AttributeValueRecord",
    "Base",
    "BomComponentRecord",
    "CategoryRecord",
    "ChannelLocationRecord",
    "ChannelRecord",
    "CollectionChannelRecord",
    "CollectionProductRecord",
    "CollectionRecord",
    "CustomerAccountRecord",
    "CustomerAddressRecord",
    "CustomerGroupPriceRecord",
    "CustomerGroupRecord",
    "CustomerNoteRecord",
    "CustomerPaymentRecord",
    "CustomerRecord",
    "DocumentSeriesRecord",
    "DocumentStatusChangeRecord",
    "InvoiceAllocationRecord",
    "InvoiceLineRecord",
    "InvoiceRecord",
    "JobLeaseRecord",
    "LocationRecord",
    "OrderAllocationRecord",
    "OrderLineRecord",
    "OrderRecord",
    "OrderStatusChangeRecord",
    "OutboxEventRecord",
    "PaymentEntryRecord",
    "PaymentRecord",
    "PaymentRequestRecord",
    "PersistedQueryRecord",
    "PosPaymentRecord",
    "PosSaleRecord",
    "PosTerminalRecord",
    "ProductAttributeValueRecord",
    "ProductCategoryRecord",
    "ProductChannelRecord",
    "ProductMediaRecord",
    "ProductMediaVariantRecord",
    "ProductOptionRecord",
    "ProductOptionValueRecord",
    "ProductRecord",
    "PromotionCategoryRecord",
    "PromotionChannelRecord",
    "PromotionCollectionRecord",
    "PromotionCustomerGroupRecord",
    "PromotionProductRecord",
    "PromotionRecord",
    "ProviderEventRecord",
    "PurchaseOrderLineRecord",
    "PurchaseOrderRecord",
    "ReturnLineRecord",
    "ReturnRecord",
    "ServiceBookingRecord",
    "ServiceCapacityRecord",
    "ServiceRecipeLineRecord",
    "ServiceSlotRecord",
    "SessionRecord",
    "ShipmentLineRecord",
    "ShipmentRecord",
    "ShipmentTrackingEventRecord",
    "ShippingMethodBracketRecord",
    "ShippingMethodChannelRecord",
    "ShippingMethodRecord",
    "ShippingZoneCountryRecord",
    "ShippingZoneRecord",
    "StockCountLineRecord",
    "StockCountRecord",
    "StockLevelRecord",
    "StockMovementRecord",
    "SupplierPriceRecord",
    "SupplierRecord",
    "TaxClassRecord",
    "TaxRateRecord",
    "TransferLineRecord",
    "TransferRecord",
    "VariantOptionCombinationRecord",
    "VariantOptionValueRecord",
    "VariantRecord",
    "VoucherCodeRecord",
    "VoucherRedemptionRecord",
    "WebhookDeliveryRecord",
    "WebhookEventTypeRecord",
    "WebhookRecord",
    "WorkOrderComponentRecord",
    "WorkOrderRecord",
]
