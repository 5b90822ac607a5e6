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
    "Оплата картой через картридер появится в следующей версии.": "Card payment through a card reader comes in a later version.",
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
    # printing: the main window's actions, the preview, the printer settings
    "Печать ещё не готова: подождите несколько секунд.": "Printing is not ready yet: wait a few seconds.",
    "Напечатан кассовый чек по заказу № {number}.": "Printed: the fiscal receipt of order No. {number}.",
    "Принтер чеков": "Receipt printer",
    "Повторить": "Retry",
    "Настройки принтера сохранены.": "The printer settings are saved.",
    "Чеков ещё не было.": "No receipts yet.",
    "Последний чек: {name}": "Last receipt: {name}",
    "&Настройки": "&Settings",
    "&Принтер…": "&Printer…",
    "Последний &чек": "Last &receipt",
    "Печать тестовой страницы…": "Printing the test page…",
    "Печать чеков выключена: включите её, чтобы проверить принтер.": "Receipt printing is switched off: switch it on to test the printer.",
    "Печатать чеки": "Print receipts",
    "Подключение:": "Connection:",
    "Адрес (IP или имя):": "Address (IP or name):",
    "Порт TCP:": "TCP port:",
    "USB Vendor ID:": "USB Vendor ID:",
    "USB Product ID:": "USB Product ID:",
    "Последовательный порт:": "Serial port:",
    "Скорость, бод:": "Speed, baud:",
    "Управление потоком:": "Flow control:",
    "Принтер Windows:": "Windows printer:",
    "Файл или устройство:": "File or device:",
    "Тайм-аут, с:": "Timeout, s:",
    "Модель (профиль python-escpos):": "Model (python-escpos profile):",
    "Ширина бумаги, мм:": "Paper width, mm:",
    "Символов в строке:": "Characters per line:",
    "Кодовая страница:": "Code page:",
    "QR-код:": "QR code:",
    "Контакт денежного ящика:": "Cash drawer pin:",
    "Импульс ящика, мс:": "Drawer pulse, ms:",
    "Пауза после импульса, мс:": "Pause after the pulse, ms:",
    "Открывать ящик при оплате наличными": "Open the drawer on cash payments",
    "Печатать кассовый чек, когда придут фискальные данные": "Print the fiscal receipt when the fiscal data arrive",
    "по ширине бумаги (58 мм: 32, 80 мм: 48)": "by paper width (58 mm: 32, 80 mm: 48)",
    "как умеет модель": "as the model supports",
    "командой принтера": "printer command",
    "картинкой": "as a picture",
    "Проверить печать": "Test print",
    "Печать…": "Printing…",
    "Сохранить чек в PNG": "Save the receipt as PNG",
    "Сохранить чек в PDF": "Save the receipt as PDF",
    "Нет связи с Ассист: печатается нефискальный слип. Кассовый чек будет напечатан, когда придут фискальные данные.": "No connection to Assist: a non-fiscal slip is printed. The fiscal receipt will be printed when the fiscal data arrive.",
    "Ожидание фискальных данных… Можно напечатать нефискальный слип, кассовый чек будет напечатан, когда данные придут.": "Waiting for the fiscal data… You can print a non-fiscal slip; the fiscal receipt will be printed when the data arrive.",
    "Печать": "Print",
    "Чек сохранён: {path}": "Receipt saved: {path}",
    "Не удалось сохранить чек в {path}.": "The receipt could not be saved to {path}.",
    "Чек по заказу № {number}": "Receipt of order No. {number}",
    "Напечатать чек (Enter, Ctrl+P)": "Print the receipt (Enter, Ctrl+P)",
    "Сохранить PNG": "Save PNG",
    "Сохранить PDF": "Save PDF",
    "Закрыть просмотр (Esc)": "Close the preview (Esc)",
    "Картридер в этой версии не подключен: принимаются наличные, СБП и SoftPOS.": "The card reader is not connected in this version: cash, SBP and SoftPOS are taken.",
    "ЗАКАЗ": "ORDER",
    "ОПЛАТА": "PAYMENT",
    "Заказ оплачен дважды: поздний платеж СБП/SoftPOS нужно вернуть покупателю.": "The order was paid twice: the late SBP/SoftPOS payment is to be refunded to the buyer.",
    "К возврату": "To refund",
    "К возврату (оплачены дважды)": "To refund (paid twice)",
    "Данные заказа": "Order data",
    "Подождите...": "Please wait...",
    "К оплате*: {amount} руб.": "Due*: {amount} RUB",
    "Покупатель сканирует QR-код при помощи банковского приложения "
    "на собственном телефоне и оплачивает заказ через СБП.": "The buyer scans the QR code with the banking app on their own phone "
    "and pays the order through SBP.",
    "Отсканируйте QR-код телефоном с приложением SoftPOS "
    "и приложите карту покупателя к телефону.": "Scan the QR code with the phone running the SoftPOS app "
    "and have the buyer tap the card on the phone.",
    "Статус заказа": "Order status",
    "Показать QR-код": "Show the QR code",
    "СБП QR-код:": "SBP QR code:",
    "QR-код для SoftPOS:": "QR code for SoftPOS:",
    "Другой способ оплаты": "Another payment method",
    "Статус обновляется автоматически": "The status refreshes automatically",
    "&Демо": "&Demo",
    "Нет платежа СБП или SoftPOS на экране.": "No SBP or SoftPOS payment on the screen.",
    "Покупатель оплатил QR СБП": "The buyer paid the SBP QR",
    "Телефон SoftPOS принял оплату": "The SoftPOS phone took the payment",
    "Не оплачивать: истекло время": "Do not pay: time out",
}


# The order journal, the sync status and notifications.
ENGLISH.update(
    {
        "&Журнал заказов": "Order &journal",
        "&Заказы": "&Orders",
        "&Поиск:": "&Search:",
        "&Синхронизировать": "&Synchronize",
        "&Статус:": "S&tatus:",
        "E-mail покупателя:": "Buyer's e-mail:",
        "Ассист: заказ № {number} — {state} ({code}).": "Assist: order {number} — {state} ({code}).",
        "В Ассист нет заказа № {number}: он еще не передан. Операция будет завершена при синхронизации.": "Assist has no order {number}: it has not been sent yet. The operation will be completed at the next synchronization.",
        "В процессе": "In process",
        "Возврат прихода": "Sale refund",
        "Все способы": "All methods",
        "Все статусы": "All statuses",
        "Выберите заказ в списке.": "Select an order in the list.",
        "Выполнена": "Done",
        "Дата и время": "Date and time",
        "Дата и время:": "Date and time:",
        "Дата чека": "Receipt date",
        "ЖУРНАЛ ЗАКАЗОВ": "ORDER JOURNAL",
        "Журнал заказов": "Order journal",
        "За 3 дня": "Last 3 days",
        "За 30 дней": "Last 30 days",
        "За всё время": "All time",
        "За дату…": "On a date…",
        "За неделю": "Last week",
        "Загрузка…": "Loading…",
        "Заказ не найден: возможно, он удален.": "Order not found: it may have been deleted.",
        "Заказ № {number}": "Order {number}",
        "Заказов не найдено": "No orders found",
        "Закрыть (Esc)": "Close (Esc)",
        "Запрос статуса": "Status request",
        "Запрос статуса заказа № {number} отправлен. Строка обновится, когда придет ответ Ассист.": "Status request for order {number} sent. The row will update when Assist answers.",
        "Запрос статуса заказа № {number}…": "Requesting the status of order {number}…",
        "ИНФОРМАЦИЯ О ЗАКАЗЕ": "ORDER INFORMATION",
        "Истекло время ожидания": "Timed out",
        "К отправке: {count}": "To send: {count}",
        "К отправке: …": "To send: …",
        "Код ответа": "Response code",
        "Комментарий:": "Comment:",
        "Не переданы и в процессе": "Not sent and in process",
        "Не создан": "Not created",
        "Не требуется": "Not needed",
        "Неизвестно ({state})": "Unknown ({state})",
        "Нет связи": "Offline",
        "Неуспешные": "Failed",
        "Новый": "New",
        "Номер в Ассист": "Assist number",
        "Номер в Ассист:": "Assist number:",
        "Номер заказа": "Order number",
        "Номер заказа или его начало": "Order number or its beginning",
        "Номер транзакции": "Transaction number",
        "Обновить статус (F5)": "Refresh status (F5)",
        "Обновлена": "Updated",
        "Ожидает": "Waiting",
        "Ожидает отправки": "Waiting to be sent",
        "Операции, которые еще не переданы в Ассист или ждут ответа": "Operations not yet sent to Assist or waiting for its answer",
        "Операция": "Operation",
        "Оплачен": "Paid",
        "Оплачен OFFLINE": "Paid OFFLINE",
        "Оплачен:": "Paid at:",
        "Отклонен": "Declined",
        "Отменен": "Canceled",
        "Отправить в Ассист все ожидающие операции сейчас": "Send every waiting operation to Assist now",
        "Очередь отправки ({count})": "Send queue ({count})",
        "Ошибка, повтор": "Error, retrying",
        "П&ериод:": "P&eriod:",
        "Передача оплаты наличными": "Cash payment upload",
        "Подробнее (Enter)": "Details (Enter)",
        "Показано заказов: {count}": "Orders shown: {count}",
        "Показано заказов: {count} (прокрутите вниз, чтобы увидеть ещё)": "Orders shown: {count} (scroll down to see more)",
        "Попытки оплаты ({count})": "Payment attempts ({count})",
        "Попыток": "Attempts",
        "Последняя ошибка": "Last error",
        "Предоплачено ранее:": "Prepaid earlier:",
        "Приход": "Sale",
        "РН ККТ": "Register reg. no.",
        "Связь с Ассист не настроена": "No connection to Assist is set up",
        "Связь с Ассист не настроена: показан сохраненный статус.": "No connection to Assist is set up: the stored status is shown.",
        "Связь с Ассист не настроена: синхронизация невозможна.": "No connection to Assist is set up: synchronization is not possible.",
        "Сегодня": "Today",
        "Синхронизация запущена. Журнал обновится, когда придут ответы Ассист.": "Synchronization started. The journal will update when Assist answers.",
        "Синхронизация с Ассист запущена…": "Synchronization with Assist started…",
        "Синхронизировать (Ctrl+R)": "Synchronize (Ctrl+R)",
        "Скрыть уведомление": "Hide the notification",
        "Следующая попытка": "Next attempt",
        "Смена": "Shift",
        "Создана": "Created",
        "Спос&об:": "Meth&od:",
        "Способ": "Method",
        "Способ оплаты": "Payment method",
        "Статус": "Status",
        "Статус в Ассист:": "Status at Assist:",
        "Статус в Ассист: {state}": "Status at Assist: {state}",
        "Статус заказа": "Order status",
        "Сумма": "Amount",
        "Сумма, руб.": "Amount, RUB",
        "Сформирован": "Issued",
        "Телефон покупателя:": "Buyer's phone:",
        "Тип": "Type",
        "ФД": "FD",
        "ФН": "FN",
        "ФП": "FP",
        "Фискализация": "Fiscalization",
        "Фискальный чек": "Fiscal receipt",
        "Фискальный чек:": "Fiscal receipt:",
        "Частично отменен": "Partially canceled",
        "Чек №": "Receipt No.",
        "Чеки ({count})": "Receipts ({count})",
        "в процессе": "in process",
        "не оплачен": "not paid",
        "оплачен": "paid",
        "результат неизвестен": "result unknown",
        "● В сети": "● Online",
        "● Нет связи": "● Offline",
        "● Проверка связи…": "● Checking the connection…",
    }
)


# Card reader: connection, settings, status, firmware, demo panel, payment screens.
ENGLISH.update(
    {
        # firmware_dialog.py (module-level helpers)
        "около {seconds} с": "about {seconds} s",
        "около {minutes} мин": "about {minutes} min",
        "{kb} КБ": "{kb} KB",
        "{mb:.1f} МБ": "{mb:.1f} MB",
        # application_choice_dialog.py
        "Выберите платёжную систему": "Choose the payment system",
        "Карта поддерживает несколько платёжных систем. Уточните у покупателя и выберите "
        "подходящий вариант для проведения оплаты:": "The card supports several payment systems. "
        "Ask the buyer and choose the one to pay with:",
        "Стрелки или Tab — выбор, Enter — подтвердить, Esc — отменить оплату": "Arrows or Tab choose, "
        "Enter confirms, Esc cancels the payment",
        # card_payment_screen.py
        "ПРОВЕДЕНИЕ ПЛАТЕЖА": "PAYMENT IN PROGRESS",
        "Детальная информация": "Details",
        "К оплате*:": "Due*:",
        "Карта:": "Card:",
        "На экране картридера:": "On the card reader's screen:",
        "Отменить оплату": "Cancel payment",
        "Отменить оплату на картридере (Esc)": "Cancel the payment on the card reader (Esc)",
        "Ожидание ответа картридера...": "Waiting for the card reader...",
        # card_reader_wiring.py, card_payment_flow.py
        "Дождитесь окончания обновления прошивки картридера.": "Wait until the card reader's "
        "firmware update is over.",
        "Идёт оплата картой: дождитесь её окончания или отмените её (Esc).": "A card payment is in "
        "progress: wait until it is over or cancel it (Esc).",
        "&Картридер…": "&Card reader…",
        "Картридер: тестовые карты и условия…": "Card reader: test cards and conditions…",
        "Оплата картой": "Card payment",
        # card_result_screen.py
        "Ответ банка ещё не получен: статус обновляется автоматически.": "No answer from the bank "
        "yet: the status updates automatically.",
        "Данные карты": "Card data",
        "Держатель карты:": "Cardholder:",
        "AID:": "AID:",
        "Способ:": "Entry:",
        "TVR:": "TVR:",
        "TSI:": "TSI:",
        "RRN:": "RRN:",
        "Код авторизации:": "Authorization code:",
        "Код ответа:": "Response code:",
        "Вернуться к новому заказу (Esc)": "Go to a new order (Esc)",
        "Вернуться к заказу и выбрать другой способ оплаты (Esc)": "Back to the order to choose "
        "another payment method (Esc)",
        "Печать слипа": "Print slip",
        "Напечатать копию слипа": "Print a copy of the slip",
        "Повторить оплату": "Retry payment",
        "Новая попытка оплаты этого заказа картой (Enter)": "Try paying for this order by card "
        "again (Enter)",
        # demo_reader_panel.py
        "Карта вынута из картридера.": "The card is removed from the card reader.",
        "Нажата отмена на картридере.": "Cancel is pressed on the card reader.",
        "Соединение с картридером разорвано.": "The link to the card reader is dropped.",
        "Карта «{card}» приложена к картридеру.": "Card “{card}” is tapped on the card reader.",
        "Карта «{card}» вставлена в картридер.": "Card “{card}” is inserted into the card reader.",
        "Карта «{card}» проведена по картридеру.": "Card “{card}” is swiped through the card reader.",
        "Карта «{card}» будет подана при следующей оплате.": "Card “{card}” will be presented at "
        "the next payment.",
        "Заряд батареи: {level} %, заряжается.": "Battery: {level}%, charging.",
        "Заряд батареи: {level} %.": "Battery: {level}%.",
        "Обновления прошивки нет.": "No firmware update.",
        "Картридер предлагает прошивку {version}.": "The card reader offers firmware {version}.",
        "Картридеру требуется прошивка {version}.": "The card reader requires firmware {version}.",
        "Картридер снова в зоне доступа.": "The card reader is in range again.",
        "Картридер вне зоны доступа (не виден при поиске).": "The card reader is out of range "
        "(not seen by a search).",
        "&Картридер:": "&Card reader:",
        "&Тестовая карта:": "&Test card:",
        "Карта": "Card",
        "&Приложить (NFC)": "Ta&p (NFC)",
        "&Вставить (чип)": "&Insert (chip)",
        "Пр&овести (магнитная полоса)": "S&wipe (magnetic stripe)",
        "При &следующей оплате": "At the &next payment",
        "В&ынуть карту": "Re&move card",
        "Отм&ена на картридере": "Canc&el on the card reader",
        "Состояние картридера": "Card reader conditions",
        "&Батарея:": "&Battery:",
        "&Заряжается": "C&harging",
        "Установить з&аряд": "Set the &level",
        "Прош&ивка:": "&Firmware:",
        "Нет обновления": "No update",
        "Обновление необязательное": "Optional update",
        "Обновление обязательное": "Required update",
        "Версия новой прошивки": "Version of the new firmware",
        "Пре&дложить обновление": "Offer the &update",
        "В зо&не доступа": "In ran&ge",
        "&Разорвать соединение": "&Drop the link",
        "Демо: картридер": "Demo: card reader",
        # firmware_dialog.py
        "Обновление прошивки картридера": "Card reader firmware update",
        "ОБНОВЛЕНИЕ ПРОШИВКИ": "FIRMWARE UPDATE",
        "Прошивка картридера {serial} обновлена до версии {version}.": "The firmware of card "
        "reader {serial} is updated to version {version}.",
        "Прошивка передана. Картридер {serial} перезагружается, не выключайте его...": "The "
        "firmware is sent. Card reader {serial} is restarting, do not switch it off...",
        "Обновление прошивки картридера {serial}... Не выключайте картридер и не уносите его от "
        "компьютера.": "Updating the firmware of card reader {serial}... Do not switch the card "
        "reader off or take it away from the computer.",
        "Картридеру {serial} требуется обновление прошивки до версии {version}. Без обновления "
        "оплата картой невозможна.": "Card reader {serial} needs a firmware update to version "
        "{version}. Card payments are impossible without it.",
        "Для картридера {serial} есть новая прошивка {version}. Обновить сейчас?": "New firmware "
        "{version} is available for card reader {serial}. Update now?",
        "Текущая версия: {current}. Размер: {size}. Обновление займёт {duration}.": "Current "
        "version: {current}. Size: {size}. The update takes {duration}.",
        "Обновление невозможно: заряд батареи картридера {level} %, а нужно не меньше {minimum} %. "
        "Подключите картридер к зарядному устройству; кнопка «Обновить» станет доступна, когда "
        "заряд будет достаточным.": "The update is impossible: the card reader's battery is at "
        "{level}%, and at least {minimum}% is needed. Connect the card reader to a charger; the "
        "“Update” button becomes available once the charge is enough.",
        "Передано {received} из {total}": "Sent {received} of {total}",
        "Обновить": "Update",
        "Позже": "Later",
        "Готово": "Done",
        # reader_dialogs.py
        "{name}    сигнал {rssi} дБм": "{name}    signal {rssi} dBm",
        "Соединение с последним подключённым картридером {serial}...": "Connecting to the last "
        "connected card reader {serial}...",
        "Поиск картридеров поблизости...": "Searching for card readers nearby...",
        "Найден картридер {serial}. Хотите подключиться?": "Card reader {serial} found. Connect "
        "to it?",
        "Найдено картридеров поблизости: {count}. Выберите, к какому подключиться:": "Card readers "
        "found nearby: {count}. Choose the one to connect to:",
        "Картридеры поблизости не найдены.": "No card readers found nearby.",
        "Подключение картридера {serial}...": "Connecting card reader {serial}...",
        "Картридер {serial} подключён.": "Card reader {serial} is connected.",
        "Bluetooth недоступен: картридер не подключить.": "Bluetooth is unavailable: the card "
        "reader cannot be connected.",
        "Картридер не подключён.": "The card reader is not connected.",
        "Включите картридер и положите его рядом с компьютером, затем нажмите «Повторить поиск». "
        "Или выберите другой способ оплаты.": "Switch the card reader on and put it next to the "
        "computer, then press “Search again”. Or choose another payment method.",
        "Включите Bluetooth на компьютере или выберите другой способ оплаты.": "Switch Bluetooth "
        "on in the computer or choose another payment method.",
        "Остановить поиск (Esc)": "Stop the search (Esc)",
        "ПОВТОРИТЬ ПОИСК": "SEARCH AGAIN",
        "ВЫБРАТЬ ДРУГОЙ": "CHOOSE ANOTHER",
        "ПОДКЛЮЧИТЬСЯ": "CONNECT",
        # reader_settings.py
        "Картридер {serial} используется по умолчанию.": "Card reader {serial} is the default.",
        "Картридер {serial} удалён из списка.": "Card reader {serial} is removed from the list.",
        "Найдено картридеров: {count}.": "Card readers found: {count}.",
        "Поиск остановлен.": "Search stopped.",
        "  (известный)": "  (known)",
        "★ по умолчанию": "★ default",
        "Известные картридеры": "Known card readers",
        "Картридеры поблизости": "Card readers nearby",
        "По умолчанию": "Default",
        "Подключаться к этому картридеру без вопросов при оплате картой": "Connect to this card "
        "reader without asking for card payments",
        "Забыть": "Forget",
        "Удалить картридер из списка (Delete)": "Remove the card reader from the list (Delete)",
        "Остановить поиск": "Stop search",
        "Найти картридеры": "Find card readers",
        "Подключить": "Connect",
        "Лимит без PIN и подписи, руб.:": "Limit without PIN or signature, RUB:",
        "Бесконтактная оплата (NFC) на сумму до этого лимита включительно проходит без PIN-кода "
        "и подписи покупателя. Обычно 3000.00 руб.": "Contactless (NFC) payments up to and "
        "including this limit need no PIN or buyer's signature. Usually 3000.00 RUB.",
        "Картридеры появятся здесь после первого подключения": "Card readers appear here after "
        "their first connection",
        # reader_status.py
        "Картридер: не подключён": "Card reader: not connected",
        "Картридер: поиск…": "Card reader: searching…",
        "Картридер: подключение…": "Card reader: connecting…",
        "Картридер: обновление прошивки…": "Card reader: updating firmware…",
        "Картридер: Bluetooth недоступен": "Card reader: Bluetooth unavailable",
        "Картридер {serial}": "Card reader {serial}",
        "Картридер {serial}: восстановление связи…": "Card reader {serial}: reconnecting…",
        "батарея {level} %, заряжается": "battery {level}%, charging",
        "батарея {level} %": "battery {level}%",
        "Недостаточный заряд батареи картридера. Зарядите картридер.": "The card reader's battery "
        "is low. Charge the card reader.",
        "Картридер подключается при оплате картой": "The card reader connects at a card payment",
        "Модель: {model}": "Model: {model}",
        "Серийный номер: {serial}": "Serial number: {serial}",
        "Прошивка: {version}": "Firmware: {version}",
        "Заряд батареи: {level} %": "Battery: {level}%",
        # signature_pad.py
        "ПОДПИСЬ ПОКУПАТЕЛЯ": "BUYER'S SIGNATURE",
        "Очистить": "Clear",
        "Очистить поле подписи (Delete)": "Clear the signature field (Delete)",
        "Отменить оплату (Esc)": "Cancel payment (Esc)",
        "Подтвердить подпись (Enter)": "Confirm the signature (Enter)",
        "Enter — подтвердить, Esc — отменить оплату, Delete — очистить": "Enter confirms, Esc "
        "cancels the payment, Delete clears",
        "Введите подпись": "Sign here",
    }
)


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
