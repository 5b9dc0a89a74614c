"""`GET /invoices/{id}.pdf`: an invoice or credit note as a PDF, rendered with ReportLab.

The caller authenticates as on /graphql (`Authorization: Bearer …`) and sees the PDF of
an invoice it may see (its order's visibility); any other id answers 404, as if there were
no such invoice, so ids tell nobody what exists.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import Row
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import InvalidToken
from api.authentication import Authenticator
from api.loaders import order_scope
from api.types.nodes import parse_key
from domain.model.invoices import InvoiceKind
from domain.money import Money
from persistence.database import Database
from persistence.reads import invoices as invoice_reads

Endpoint = Callable[[Request], Awaitable[Response]]
TITLES = {InvoiceKind.INVOICE: "Invoice", InvoiceKind.CREDIT_NOTE: "Credit note"}


def invoice_pdf_endpoint(database: Database, authenticator: Authenticator) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        try:
            principal = await authenticator.principal_from_header(
                request.headers.get("authorization")
            )
        except InvalidToken as error:
            return JSONResponse({"error": str(error)}, status_code=401)
        scope = order_scope(principal) if principal.is_authenticated else None
        key = parse_key(request.path_params["id"])
        if scope is None or key is None:
            return _not_found()
        async with database.read_session() as session:
            rows = await invoice_reads.invoice_document(session, key, scope)
            if not rows:
                return _not_found()
            invoice = rows[0]
            lines = await invoice_reads.lines_by_invoice_ids(session, [key])
            credited = (
                await invoice_reads.invoice_numbers_by_ids(session, [invoice.invoice_id])
                if invoice.invoice_id is not None
                else {}
            )
        pdf = render(invoice, lines, credited.get(invoice.invoice_id or 0))
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{invoice.number}.pdf"'},
        )

    return endpoint


def _not_found() -> Response:
    return JSONResponse({"error": "no such invoice"}, status_code=404)


def _money(cents: int, currency: str) -> str:
    amount: Decimal = Money.from_minor_units(cents, currency).amount
    return f"{amount:,} {currency}"


def render(invoice: Row, lines: Sequence[Row], credited: str | None) -> bytes:
    """The document: number, dates, customer, lines, total, and due date."""
    styles = getSampleStyleSheet()
    kind = InvoiceKind(invoice.kind)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{TITLES[kind]} {invoice.number}",
        author="Omniorder",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    facts = [
        ["Number", invoice.number],
        ["Issued", invoice.issued_at.date().isoformat()],
        ["Due", invoice.due_on.isoformat()],
        ["Customer", f"{invoice.name} <{invoice.email}>"],
        ["Order", invoice.order_number or str(invoice.order_id)],
    ]
    if credited:
        facts.append(["Credits invoice", credited])
    rows = [["SKU", "Item", "Qty", "Unit price", "Total"]]
    for line in lines:
        rows.append(
            [
                line.sku or "",
                Paragraph(escape(line.name), styles["BodyText"]),
                str(line.quantity),
                _money(line.unit_price_cents, line.currency),
                _money(line.total_cents, line.currency),
            ]
        )
    rows.append(["", "Total", "", "", _money(invoice.total_cents, invoice.currency)])
    table = Table(rows, colWidths=[30 * mm, 70 * mm, 15 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    document.build(
        [
            Paragraph(f"{TITLES[kind]} {invoice.number}", styles["Title"]),
            Table(facts, colWidths=[35 * mm, 120 * mm]),
            Spacer(1, 8 * mm),
            table,
            Spacer(1, 6 * mm),
            Paragraph(
                f"Please pay {_money(invoice.total_cents, invoice.currency)} "
                f"by {invoice.due_on.isoformat()}."
                if kind is InvoiceKind.INVOICE
                else "Settled by the refund it records.",
                styles["BodyText"],
            ),
        ]
    )
    return buffer.getvalue()
