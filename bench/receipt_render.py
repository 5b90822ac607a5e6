"""Layout and ESC/POS rendering of a 100-item fiscal receipt: goal ≤ 30 ms (median).

Each round lays the receipt out for the paper and renders it to bytes through python-escpos, as
printing does; the first round (imports, python-escpos' printer database) is left out. Measured on
80 mm paper (48 columns) with the native QR and with the QR sent as a picture, and on 58 mm paper.

``python bench/receipt_render.py [--rounds N]``. Prints the figures; ``run()`` returns them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_pos.hardware.printer.escpos_render import render_escpos  # noqa: E402
from desktop_pos.hardware.printer.profile import PrinterProfile  # noqa: E402
from desktop_pos.models.order import OrderItem  # noqa: E402
from desktop_pos.models.receipt import (  # noqa: E402
    FiscalData,
    FiscalReceiptDoc,
    MerchantRequisites,
    Operation,
)
from desktop_pos.models.receipt_layout import layout_document  # noqa: E402
from desktop_pos.models.vat import VatRate  # noqa: E402

ITEMS = 100
ROUNDS = 50
GOAL_MS = 30.0


def receipt(items: int = ITEMS) -> FiscalReceiptDoc:
    rates = (VatRate.VAT20, VatRate.VAT10, VatRate.NO_VAT, VatRate.VAT0)
    lines = tuple(
        OrderItem(
            f"Товар № {i} — наименование средней длины, упаковка {i % 7 + 1} шт.",
            Decimal(i % 5 + 1),
            Decimal(f"{i * 13 % 1000 + 1}.{i % 100:02d}"),
            rates[i % len(rates)],
            discount=Decimal("1.00") if i % 3 == 0 else Decimal(0),
        )
        for i in range(1, items + 1)
    )
    total = sum((item.amount for item in lines), Decimal(0))
    return FiscalReceiptDoc(
        operation=Operation.SALE,
        items=lines,
        cash=True,
        paid=total,
        received=total + Decimal(100),
        change=Decimal(100),
        merchant=MerchantRequisites(
            'ООО "АССИСТ"',
            "7728029110",
            "Комиссара Смирнова 9",
            "пр. Шаумяна 4",
            "ОСН",
            "Рязанов Д.",
            "00106700276328",
            "ОФД1",
        ),
        fiscal=FiscalData(
            "9999078900011524",
            "135",
            "2550591940",
            9,
            21,
            "0000000001024742",
            datetime(2026, 1, 15, 10, 21, tzinfo=UTC),
            f"t=20260115T1021&s={total:.2f}&fn=9999078900011524&i=135&fp=2550591940&n=1",
        ),
        buyer_email="buyer@example.com",
    )


def _median_ms(doc: FiscalReceiptDoc, profile: PrinterProfile, rounds: int) -> tuple[float, int]:
    render_escpos(layout_document(doc, profile.chars_per_line), profile)  # warm-up
    times = []
    size = 0
    for _ in range(rounds):
        start = time.perf_counter()
        data = render_escpos(layout_document(doc, profile.chars_per_line), profile)
        times.append(time.perf_counter() - start)
        size = len(data)
    return statistics.median(times) * 1000, size


def run(rounds: int = ROUNDS) -> dict[str, float]:
    doc = receipt()
    results: dict[str, float] = {}
    for name, profile in (
        ("80mm_native_qr", PrinterProfile(paper_mm=80)),
        ("80mm_raster_qr", PrinterProfile(paper_mm=80, qr_native=False)),
        ("58mm_native_qr", PrinterProfile(paper_mm=58)),
    ):
        median, size = _median_ms(doc, profile, rounds)
        results[f"{name}_median_ms"] = median
        results[f"{name}_bytes"] = float(size)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    results = run(args.rounds)
    worst = 0.0
    for name in ("80mm_native_qr", "80mm_raster_qr", "58mm_native_qr"):
        median = results[f"{name}_median_ms"]
        worst = max(worst, median)
        print(
            f"{ITEMS}-item receipt, {name}: median {median:.1f} ms over {args.rounds} rounds, "
            f"{results[f'{name}_bytes']:.0f} bytes (goal ≤ {GOAL_MS:.0f} ms: "
            f"{'met' if median <= GOAL_MS else 'NOT met'})"
        )
    return 0 if worst <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
