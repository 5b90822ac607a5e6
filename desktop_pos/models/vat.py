"""VAT rates of 54-FZ and the VAT contained in an amount.

Prices in Russian retail include VAT, so the VAT of an amount ``S`` at rate ``r`` % is
``S × r / (100 + r)``, rounded half up to kopecks. The estimated rates (20/120, 10/110, ...) use the
same formula. VAT on a receipt is computed per rate from the sum of the items at that rate, which
is what a fiscal register prints as "Сумма НДС 20%".

Ids follow Assist's tax ids (``vat20``, ``vat10``, ``vat0``, ``novat``, ``vat120``, ``vat110``);
22 % (in force since 1 January 2026) and the 5 % / 7 % rates of the simplified tax system are
included too.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from desktop_pos.models.money import ZERO, to_money
from desktop_pos.models.texts import LocalizedText


class VatRate(StrEnum):
    VAT22 = "vat22"
    VAT20 = "vat20"
    VAT10 = "vat10"
    VAT7 = "vat7"
    VAT5 = "vat5"
    VAT0 = "vat0"
    NO_VAT = "novat"
    VAT122 = "vat122"
    VAT120 = "vat120"
    VAT110 = "vat110"
    VAT107 = "vat107"
    VAT105 = "vat105"

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, ``None`` for "no VAT"."""
        return _PERCENT[self]

    @property
    def label(self) -> str:
        """How the rate is printed: ``НДС 20%``, ``НДС 20/120``, ``БЕЗ НДС``."""
        return _LABEL[self]

    @property
    def text(self) -> LocalizedText:
        """The rate for the screen, in Russian (as printed) and English."""
        english = self.label.replace("БЕЗ НДС", "NO VAT").replace("НДС", "VAT")
        return LocalizedText(self.label, english)

    def vat_of(self, amount: Decimal) -> Decimal:
        """VAT contained in ``amount`` (which includes it)."""
        percent = self.percent
        if percent is None or percent == 0:
            return ZERO
        return to_money(to_money(amount) * percent / (100 + percent))


_PERCENT: dict[VatRate, Decimal | None] = {
    VatRate.VAT22: Decimal(22),
    VatRate.VAT20: Decimal(20),
    VatRate.VAT10: Decimal(10),
    VatRate.VAT7: Decimal(7),
    VatRate.VAT5: Decimal(5),
    VatRate.VAT0: Decimal(0),
    VatRate.NO_VAT: None,
    VatRate.VAT122: Decimal(22),
    VatRate.VAT120: Decimal(20),
    VatRate.VAT110: Decimal(10),
    VatRate.VAT107: Decimal(7),
    VatRate.VAT105: Decimal(5),
}

_LABEL: dict[VatRate, str] = {
    VatRate.VAT22: "НДС 22%",
    VatRate.VAT20: "НДС 20%",
    VatRate.VAT10: "НДС 10%",
    VatRate.VAT7: "НДС 7%",
    VatRate.VAT5: "НДС 5%",
    VatRate.VAT0: "НДС 0%",
    VatRate.NO_VAT: "БЕЗ НДС",
    VatRate.VAT122: "НДС 22/122",
    VatRate.VAT120: "НДС 20/120",
    VatRate.VAT110: "НДС 10/110",
    VatRate.VAT107: "НДС 7/107",
    VatRate.VAT105: "НДС 5/105",
}

DEFAULT_VAT = VatRate.VAT20


def vat_by_rate(lines: Iterable[tuple[VatRate, Decimal]]) -> dict[VatRate, tuple[Decimal, Decimal]]:
    """Group ``(rate, amount)`` lines: rate → (sum of amounts, VAT of that sum), in rate order."""
    sums: dict[VatRate, Decimal] = {}
    for rate, amount in lines:
        sums[rate] = sums.get(rate, ZERO) + to_money(amount)
    return {rate: (sums[rate], rate.vat_of(sums[rate])) for rate in VatRate if rate in sums}
