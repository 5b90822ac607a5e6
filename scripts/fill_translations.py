"""Fill resources/translations/desktop_pos_en.ts with the English texts kept here.

Workflow (``make translations``): ``pyside6-lupdate`` collects the Russian source strings from
desktop_pos/ui into the .ts file, this script writes the English for every string it knows and
lists the ones it does not, and ``pyside6-lrelease`` builds the .qm the app loads.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS_FILE = Path(__file__).resolve().parents[1] / "resources" / "translations" / "desktop_pos_en.ts"

ENGLISH: dict[str, str] = {
    "Получено меньше суммы к оплате ({due}).": "Received is less than the amount due ({due}).",
    "ПОДСЧЕТ СДАЧИ": "CHANGE CALCULATION",
    "К оплате: {amount}": "Due: {amount}",
    "Получено:": "Received:",
    "Сдача:": "Change:",
    "Получено": "Received",
    "Сумма, полученная от покупателя. Enter — подтвердить, Esc — отмена.": "Amount received from the buyer. Enter confirms, Esc cancels.",
    "Сдача": "Change",
    "Ошибок, пока открыто это окно: {count}": "Errors while this window was open: {count}",
    "Скрыть подробности": "Hide details",
    "Подробнее": "Details",
    "Ошибка": "Error",
    "Произошла непредвиденная ошибка. Приложение продолжает работу. "
    "Подробности записаны в журнал: {path}.": "An unexpected error occurred. The application keeps running. "
    "The details are in the log: {path}.",
    "Произошла непредвиденная ошибка. Приложение продолжает работу. "
    "Подробности записаны в журнал.": "An unexpected error occurred. The application keeps running. "
    "The details are in the log.",
    "Закрыть": "Close",
    "Изменить количество": "Change quantity",
    "Изменить позицию": "Edit item",
    "Новая позиция": "New item",
    "&Наименование:": "&Name:",
    "&Количество:": "&Quantity:",
    "&Цена, руб.:": "&Price, RUB:",
    "&Скидка (уже учтена в цене), руб.:": "&Discount (already in the price), RUB:",
    "Н&ДС:": "&VAT:",
    "необязательно": "optional",
    "Сохранить": "Save",
    "Отмена": "Cancel",
    "Сумма: {amount}": "Sum: {amount}",
    "Сумма: —": "Sum: —",
    "СКИДКА = {amount}": "DISCOUNT = {amount}",
    "№": "No.",
    "Наименование": "Name",
    "Кол-во × Цена = Сумма": "Qty × Price = Sum",
    "НДС": "VAT",
    "Касса": "Till",
    "ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие": "DEMO MODE: a separate demo database, sales are not real",
    "&Файл": "&File",
    "&Выход": "E&xit",
    "&Язык": "&Language",
    "Русский": "Русский",
    "English": "English",
    "&Справка": "&Help",
    "&О программе": "&About",
    "РЕЗУЛЬТАТ": "RESULT",
    "ДАННЫЕ ЗАКАЗА": "ORDER DATA",
    "О программе": "About",
    "Касса для приёма оплаты заказов": "Point of sale for taking order payments",
    "Версия: {version}": "Version: {version}",
    "Демо-режим: отдельная демонстрационная база, продажи не настоящие.": "Demo mode: a separate demo database, sales are not real.",
    "Журнал: {path}": "Log: {path}",
    "Сохранение оплаты…": "Saving the payment…",
    "Принтер не подключён: печать чека появится в следующей версии.": "No printer connected: receipt printing comes in a later version.",
    "Дождитесь сохранения оплаты, затем закройте окно.": "Wait until the payment is saved, then close the window.",
    "Стереть (Backspace)": "Delete (Backspace)",
    "Стереть": "Delete",
    "Отмена (Esc)": "Cancel (Esc)",
    "Подтвердить (Enter)": "Confirm (Enter)",
    "Подтвердить": "Confirm",
    "Запятая": "Comma",
    "Точка": "Point",
    "&Номер заказа:": "Order &number:",
    "&Позиции заказа:": "Order &items:",
    "Добавить": "Add",
    "Изменить": "Edit",
    "Удалить": "Remove",
    "&Email для отправки чека:": "&E-mail for the receipt:",
    "Ко&мментарий к заказу:": "Order co&mment:",
    "Всего:": "Total:",
    "Пре&доплачено ранее:": "Pre&paid earlier:",
    "К оплате:": "Due:",
    "СПОСОБ ОПЛАТЫ": "PAYMENT METHOD",
    "Наличные": "Cash",
    "Картридер": "Card reader",
    "СБП": "SBP",
    "SoftPOS": "SoftPOS",
    "Картридер, СБП и SoftPOS в этой версии не подключены: принимаются только наличные.": "Card reader, SBP and SoftPOS are not connected in this version: cash only.",
    "Оплата картой через картридер появится в следующей версии.": "Card payment through a card reader comes in a later version.",
    "Оплата через СБП появится в следующей версии.": "SBP payment comes in a later version.",
    "Оплата через SoftPOS появится в следующей версии.": "SoftPOS payment comes in a later version.",
    "Не разрешено для этого заказа.": "Not allowed for this order.",
    "Предоплата больше суммы заказа ({total}).": "The prepayment exceeds the order total ({total}).",
    "Удаление позиции": "Remove item",
    "Удалить позицию {number} «{name}»?": "Remove item {number} “{name}”?",
    "Получено: {received}, сдача: {change}": "Received: {received}, change: {change}",
    "Информация о заказе": "Order information",
    "Статус заказа:": "Order status:",
    "Сумма заказа:": "Order amount:",
    "Предоплата:": "Prepayment:",
    "Способ оплаты:": "Payment method:",
    "Дата заказа:": "Order date:",
    "Номер заказа:": "Order number:",
    "Номер транзакции:": "Transaction number:",
    "Информация:": "Information:",
    "Печать чека": "Print receipt",
    "Напечатать чек (Ctrl+P)": "Print the receipt (Ctrl+P)",
    "Новый заказ": "New order",
    "Вернуться к новому заказу (Enter, Esc)": "Back to a new order (Enter, Esc)",
}


def main() -> int:
    tree = ET.parse(TS_FILE)
    missing: list[str] = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if source in ENGLISH:
            translation.text = ENGLISH[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS_FILE, encoding="utf-8", xml_declaration=True)
    for source in missing:
        print(f"no English text for: {source!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
