<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="ru_RU">
<context>
    <name>ChangeDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="228" />
        <source>Получено меньше суммы к оплате ({due}).</source>
        <translation>Received is less than the amount due ({due}).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="251" />
        <source>ПОДСЧЕТ СДАЧИ</source>
        <translation>CHANGE CALCULATION</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="254" />
        <source>К оплате: {amount}</source>
        <translation>Due: {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="255" />
        <source>Получено:</source>
        <translation>Received:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="256" />
        <source>Сдача:</source>
        <translation>Change:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="257" />
        <source>Получено</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="259" />
        <source>Сумма, полученная от покупателя. Enter — подтвердить, Esc — отмена.</source>
        <translation>Amount received from the buyer. Enter confirms, Esc cancels.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="261" />
        <source>Сдача</source>
        <translation>Change</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="112" />
        <source>Ошибок, пока открыто это окно: {count}</source>
        <translation>Errors while this window was open: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="121" />
        <source>Скрыть подробности</source>
        <translation>Hide details</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="123" />
        <source>Подробнее</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="126" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="129" />
        <source>Произошла непредвиденная ошибка. Приложение продолжает работу. Подробности записаны в журнал: {path}.</source>
        <translation>An unexpected error occurred. The application keeps running. The details are in the log: {path}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="134" />
        <source>Произошла непредвиденная ошибка. Приложение продолжает работу. Подробности записаны в журнал.</source>
        <translation>An unexpected error occurred. The application keeps running. The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash_dialog.py" line="139" />
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="195" />
        <source>Изменить количество</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="197" />
        <source>Изменить позицию</source>
        <translation>Edit item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="199" />
        <source>Новая позиция</source>
        <translation>New item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="200" />
        <source>&amp;Наименование:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="201" />
        <source>&amp;Количество:</source>
        <translation>&amp;Quantity:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="202" />
        <source>&amp;Цена, руб.:</source>
        <translation>&amp;Price, RUB:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="203" />
        <source>&amp;Скидка (уже учтена в цене), руб.:</source>
        <translation>&amp;Discount (already in the price), RUB:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="204" />
        <source>Н&amp;ДС:</source>
        <translation>&amp;VAT:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="205" />
        <source>необязательно</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="206" />
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="207" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="298" />
        <source>Сумма: {amount}</source>
        <translation>Sum: {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="302" />
        <source>Сумма: —</source>
        <translation>Sum: —</translation>
    </message>
</context>
<context>
    <name>ItemsModel</name>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="88" />
        <source>СКИДКА = {amount}</source>
        <translation>DISCOUNT = {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="140" />
        <source>№</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="141" />
        <source>Наименование</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="142" />
        <source>Кол-во × Цена = Сумма</source>
        <translation>Qty × Price = Sum</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="143" />
        <source>НДС</source>
        <translation>VAT</translation>
    </message>
</context>
<context>
    <name>JournalDetailsDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="80" />
        <source>Заказ № {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="82" />
        <source>ИНФОРМАЦИЯ О ЗАКАЗЕ</source>
        <translation>ORDER INFORMATION</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="92" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="93" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="94" />
        <source>Статус в Ассист:</source>
        <translation>Status at Assist:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="95" />
        <source>Дата и время:</source>
        <translation>Date and time:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="96" />
        <source>Оплачен:</source>
        <translation>Paid at:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="97" />
        <source>Сумма заказа:</source>
        <translation>Order amount:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="98" />
        <source>Предоплачено ранее:</source>
        <translation>Prepaid earlier:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="99" />
        <source>К оплате:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="100" />
        <source>Способ оплаты:</source>
        <translation>Payment method:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="101" />
        <source>Номер в Ассист:</source>
        <translation>Assist number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="102" />
        <source>Фискальный чек:</source>
        <translation>Fiscal receipt:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="103" />
        <source>E-mail покупателя:</source>
        <translation>Buyer's e-mail:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="104" />
        <source>Телефон покупателя:</source>
        <translation>Buyer's phone:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="107" />
        <source>Комментарий:</source>
        <translation>Comment:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="128" />
        <source>Попытки оплаты ({count})</source>
        <translation>Payment attempts ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="131" />
        <source>Чеки ({count})</source>
        <translation>Receipts ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="135" />
        <source>Очередь отправки ({count})</source>
        <translation>Send queue ({count})</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="140" />
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="206" />
        <location filename="../../desktop_pos/ui/journal_details.py" line="268" />
        <source>Создана</source>
        <translation>Created</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="207" />
        <source>Способ</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="208" />
        <location filename="../../desktop_pos/ui/journal_details.py" line="237" />
        <source>Статус</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="209" />
        <source>Сумма</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="210" />
        <source>Получено</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="211" />
        <source>Сдача</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="212" />
        <source>Номер транзакции</source>
        <translation>Transaction number</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="213" />
        <source>Номер в Ассист</source>
        <translation>Assist number</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="214" />
        <source>Обновлена</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="215" />
        <source>Код ответа</source>
        <translation>Response code</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="236" />
        <source>Тип</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="238" />
        <source>ФН</source>
        <translation>FN</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="239" />
        <source>ФД</source>
        <translation>FD</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="240" />
        <source>ФП</source>
        <translation>FP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="241" />
        <source>Смена</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="242" />
        <source>Чек №</source>
        <translation>Receipt No.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="243" />
        <source>РН ККТ</source>
        <translation>Register reg. no.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="244" />
        <source>Дата чека</source>
        <translation>Receipt date</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="245" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="247" />
        <source>Приход</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="247" />
        <source>Возврат прихода</source>
        <translation>Sale refund</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="267" />
        <source>Операция</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="269" />
        <source>Попыток</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="270" />
        <source>Следующая попытка</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="271" />
        <source>Выполнена</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="272" />
        <source>Последняя ошибка</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="275" />
        <source>Передача оплаты наличными</source>
        <translation>Cash payment upload</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="276" />
        <source>Фискализация</source>
        <translation>Fiscalization</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="277" />
        <source>Запрос статуса</source>
        <translation>Status request</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_details.py" line="285" />
        <source>Ожидает</source>
        <translation>Waiting</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="251" />
        <source>Дата и время</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="252" />
        <source>Номер заказа</source>
        <translation>Order number</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="253" />
        <source>Сумма, руб.</source>
        <translation>Amount, RUB</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="254" />
        <source>Способ оплаты</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="255" />
        <source>Статус заказа</source>
        <translation>Order status</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="256" />
        <source>Фискальный чек</source>
        <translation>Fiscal receipt</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="273" />
        <source>Статус в Ассист: {state}</source>
        <translation>Status at Assist: {state}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="276" />
        <source>Заказ оплачен дважды: поздний платеж СБП/SoftPOS нужно вернуть покупателю.</source>
        <translation>The order was paid twice: the late SBP/SoftPOS payment is to be refunded to the buyer.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="298" />
        <source>К возврату</source>
        <translation>To refund</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="306" />
        <source>Новый</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="307" />
        <source>Оплачен OFFLINE</source>
        <translation>Paid OFFLINE</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="308" />
        <source>В процессе</source>
        <translation>In process</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="309" />
        <source>Оплачен</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="310" />
        <source>Отклонен</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="311" />
        <source>Отменен</source>
        <translation>Canceled</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="312" />
        <source>Частично отменен</source>
        <translation>Partially canceled</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="313" />
        <source>Истекло время ожидания</source>
        <translation>Timed out</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="316" />
        <source>Неизвестно ({state})</source>
        <translation>Unknown ({state})</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="321" />
        <source>Ожидает отправки</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="322" />
        <source>Сформирован</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="323" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="324" />
        <source>Ошибка, повтор</source>
        <translation>Error, retrying</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="325" />
        <source>Не создан</source>
        <translation>Not created</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_model.py" line="326" />
        <source>Не требуется</source>
        <translation>Not needed</translation>
    </message>
</context>
<context>
    <name>JournalWindow</name>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="290" />
        <source>Журнал заказов</source>
        <translation>Order journal</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="291" />
        <source>ЖУРНАЛ ЗАКАЗОВ</source>
        <translation>ORDER JOURNAL</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="292" />
        <source>&amp;Поиск:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="293" />
        <source>Номер заказа или его начало</source>
        <translation>Order number or its beginning</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="294" />
        <source>П&amp;ериод:</source>
        <translation>P&amp;eriod:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="295" />
        <source>&amp;Статус:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="296" />
        <source>Спос&amp;об:</source>
        <translation>Meth&amp;od:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="300" />
        <source>За всё время</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="301" />
        <source>Сегодня</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="302" />
        <source>За 3 дня</source>
        <translation>Last 3 days</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="303" />
        <source>За неделю</source>
        <translation>Last week</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="304" />
        <source>За 30 дней</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="305" />
        <source>За дату…</source>
        <translation>On a date…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="309" />
        <source>Все статусы</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="310" />
        <source>Не переданы и в процессе</source>
        <translation>Not sent and in process</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="311" />
        <source>Неуспешные</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="312" />
        <source>К возврату (оплачены дважды)</source>
        <translation>To refund (paid twice)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="316" />
        <source>Все способы</source>
        <translation>All methods</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="320" />
        <source>оплачен</source>
        <translation>paid</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="321" />
        <source>в процессе</source>
        <translation>in process</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="322" />
        <source>результат неизвестен</source>
        <translation>result unknown</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="323" />
        <source>не оплачен</source>
        <translation>not paid</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="327" />
        <source>Подробнее (Enter)</source>
        <translation>Details (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="328" />
        <source>Обновить статус (F5)</source>
        <translation>Refresh status (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="329" />
        <source>Синхронизировать (Ctrl+R)</source>
        <translation>Synchronize (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="331" />
        <source>Отправить в Ассист все ожидающие операции сейчас</source>
        <translation>Send every waiting operation to Assist now</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="333" />
        <source>Связь с Ассист не настроена</source>
        <translation>No connection to Assist is set up</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="335" />
        <source>Закрыть (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="448" />
        <source>Загрузка…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="450" />
        <source>Заказов не найдено</source>
        <translation>No orders found</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="452" />
        <source>Показано заказов: {count} (прокрутите вниз, чтобы увидеть ещё)</source>
        <translation>Orders shown: {count} (scroll down to see more)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="456" />
        <source>Показано заказов: {count}</source>
        <translation>Orders shown: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="478" />
        <source>К отправке: {count}</source>
        <translation>To send: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="480" />
        <source>Нет связи</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="486" />
        <source>Связь с Ассист не настроена: синхронизация невозможна.</source>
        <translation>No connection to Assist is set up: synchronization is not possible.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="490" />
        <source>Синхронизация запущена. Журнал обновится, когда придут ответы Ассист.</source>
        <translation>Synchronization started. The journal will update when Assist answers.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="497" />
        <source>Выберите заказ в списке.</source>
        <translation>Select an order in the list.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="502" />
        <source>Запрос статуса заказа № {number}…</source>
        <translation>Requesting the status of order {number}…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="514" />
        <source>Запрос статуса заказа № {number} отправлен. Строка обновится, когда придет ответ Ассист.</source>
        <translation>Status request for order {number} sent. The row will update when Assist answers.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="520" />
        <source>Связь с Ассист не настроена: показан сохраненный статус.</source>
        <translation>No connection to Assist is set up: the stored status is shown.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="530" />
        <source>В Ассист нет заказа № {number}: он еще не передан. Операция будет завершена при синхронизации.</source>
        <translation>Assist has no order {number}: it has not been sent yet. The operation will be completed at the next synchronization.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="541" />
        <source>Ассист: заказ № {number} — {state} ({code}).</source>
        <translation>Assist: order {number} — {state} ({code}).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="573" />
        <source>Заказ не найден: возможно, он удален.</source>
        <translation>Order not found: it may have been deleted.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="248" />
        <location filename="../../desktop_pos/ui/main_window.py" line="249" />
        <source>Касса</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="251" />
        <source>ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие</source>
        <translation>DEMO MODE: a separate demo database, sales are not real</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="253" />
        <source>&amp;Файл</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="254" />
        <source>&amp;Выход</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="255" />
        <source>&amp;Язык</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="256" />
        <source>Русский</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="257" />
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="258" />
        <source>&amp;Справка</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="259" />
        <source>&amp;О программе</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="260" />
        <source>&amp;Заказы</source>
        <translation>&amp;Orders</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="261" />
        <source>&amp;Журнал заказов</source>
        <translation>Order &amp;journal</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="262" />
        <source>&amp;Синхронизировать</source>
        <translation>&amp;Synchronize</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="264" />
        <source>Отправить в Ассист все ожидающие операции сейчас</source>
        <translation>Send every waiting operation to Assist now</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="266" />
        <source>Связь с Ассист не настроена</source>
        <translation>No connection to Assist is set up</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="279" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="281" />
        <source>ОПЛАТА</source>
        <translation>PAYMENT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="283" />
        <source>ДАННЫЕ ЗАКАЗА</source>
        <translation>ORDER DATA</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="430" />
        <source>Синхронизация с Ассист запущена…</source>
        <translation>Synchronization with Assist started…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="445" />
        <source>О программе</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="447" />
        <source>Касса для приёма оплаты заказов</source>
        <translation>Point of sale for taking order payments</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="448" />
        <source>Версия: {version}</source>
        <translation>Version: {version}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="454" />
        <source>Демо-режим: отдельная демонстрационная база, продажи не настоящие.</source>
        <translation>Demo mode: a separate demo database, sales are not real.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="457" />
        <source>Журнал: {path}</source>
        <translation>Log: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="505" />
        <source>Сохранение оплаты…</source>
        <translation>Saving the payment…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="540" />
        <source>Дождитесь сохранения оплаты, затем закройте окно.</source>
        <translation>Wait until the payment is saved, then close the window.</translation>
    </message>
</context>
<context>
    <name>NotificationBanner</name>
    <message>
        <location filename="../../desktop_pos/ui/notifications.py" line="76" />
        <source>Скрыть уведомление</source>
        <translation>Hide the notification</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="96" />
        <source>Стереть (Backspace)</source>
        <translation>Delete (Backspace)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="97" />
        <source>Стереть</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="98" />
        <source>Отмена (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="99" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="100" />
        <source>Подтвердить (Enter)</source>
        <translation>Confirm (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="101" />
        <source>Подтвердить</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="102" />
        <source>Запятая</source>
        <translation>Comma</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/keypad.py" line="103" />
        <source>Точка</source>
        <translation>Point</translation>
    </message>
</context>
<context>
    <name>OrderScreen</name>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="305" />
        <source>&amp;Номер заказа:</source>
        <translation>Order &amp;number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="306" />
        <source>&amp;Позиции заказа:</source>
        <translation>Order &amp;items:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="307" />
        <source>Добавить</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="308" />
        <source>Изменить</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="309" />
        <source>Удалить</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="310" />
        <source>&amp;Email для отправки чека:</source>
        <translation>&amp;E-mail for the receipt:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="311" />
        <source>Ко&amp;мментарий к заказу:</source>
        <translation>Order co&amp;mment:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="312" />
        <location filename="../../desktop_pos/ui/order_screen.py" line="313" />
        <source>необязательно</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="314" />
        <source>Всего:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="315" />
        <source>Пре&amp;доплачено ранее:</source>
        <translation>Pre&amp;paid earlier:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="316" />
        <source>К оплате:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="317" />
        <source>СПОСОБ ОПЛАТЫ</source>
        <translation>PAYMENT METHOD</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="319" />
        <source>Наличные</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="320" />
        <source>Картридер</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="321" />
        <source>СБП</source>
        <translation>SBP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="322" />
        <source>SoftPOS</source>
        <translation>SoftPOS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="331" />
        <source>Картридер в этой версии не подключен: принимаются наличные, СБП и SoftPOS.</source>
        <translation>The card reader is not connected in this version: cash, SBP and SoftPOS are taken.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="342" />
        <source>Оплата картой через картридер появится в следующей версии.</source>
        <translation>Card payment through a card reader comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="499" />
        <source>Не разрешено для этого заказа.</source>
        <translation>Not allowed for this order.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="534" />
        <source>Предоплата больше суммы заказа ({total}).</source>
        <translation>The prepayment exceeds the order total ({total}).</translation>
    </message>
</context>
<context>
    <name>PrintActions</name>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="144" />
        <source>Печать ещё не готова: подождите несколько секунд.</source>
        <translation>Printing is not ready yet: wait a few seconds.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="219" />
        <source>Кассовый чек по заказу № {number} напечатан.</source>
        <translation>The fiscal receipt of order No. {number} is printed.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="239" />
        <source>Принтер чеков</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="244" />
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="245" />
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="304" />
        <source>Настройки принтера сохранены.</source>
        <translation>The printer settings are saved.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="312" />
        <source>Чеков ещё не было.</source>
        <translation>No receipts yet.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="318" />
        <source>Последний чек: {name}</source>
        <translation>Last receipt: {name}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="346" />
        <source>&amp;Настройки</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="347" />
        <source>&amp;Принтер…</source>
        <translation>&amp;Printer…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/print_actions.py" line="348" />
        <source>Последний &amp;чек</source>
        <translation>Last &amp;receipt</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="439" />
        <location filename="../../desktop_pos/ui/printer_settings.py" line="450" />
        <source>Печать тестовой страницы…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="445" />
        <source>Печать чеков выключена: включите её, чтобы проверить принтер.</source>
        <translation>Receipt printing is switched off: switch it on to test the printer.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="484" />
        <source>Принтер чеков</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="486" />
        <source>Печатать чеки</source>
        <translation>Print receipts</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="487" />
        <source>Подключение:</source>
        <translation>Connection:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="488" />
        <source>Адрес (IP или имя):</source>
        <translation>Address (IP or name):</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="489" />
        <source>Порт TCP:</source>
        <translation>TCP port:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="490" />
        <source>USB Vendor ID:</source>
        <translation>USB Vendor ID:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="491" />
        <source>USB Product ID:</source>
        <translation>USB Product ID:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="492" />
        <source>Последовательный порт:</source>
        <translation>Serial port:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="493" />
        <source>Скорость, бод:</source>
        <translation>Speed, baud:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="494" />
        <source>Управление потоком:</source>
        <translation>Flow control:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="495" />
        <source>Принтер Windows:</source>
        <translation>Windows printer:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="496" />
        <source>Файл или устройство:</source>
        <translation>File or device:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="497" />
        <source>Тайм-аут, с:</source>
        <translation>Timeout, s:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="498" />
        <source>Модель (профиль python-escpos):</source>
        <translation>Model (python-escpos profile):</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="499" />
        <source>Ширина бумаги, мм:</source>
        <translation>Paper width, mm:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="500" />
        <source>Символов в строке:</source>
        <translation>Characters per line:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="501" />
        <source>Кодовая страница:</source>
        <translation>Code page:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="502" />
        <source>QR-код:</source>
        <translation>QR code:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="503" />
        <source>Контакт денежного ящика:</source>
        <translation>Cash drawer pin:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="504" />
        <source>Импульс ящика, мс:</source>
        <translation>Drawer pulse, ms:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="505" />
        <source>Пауза после импульса, мс:</source>
        <translation>Pause after the pulse, ms:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="506" />
        <source>Открывать ящик при оплате наличными</source>
        <translation>Open the drawer on cash payments</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="507" />
        <source>Печатать кассовый чек, когда придут фискальные данные</source>
        <translation>Print the fiscal receipt when the fiscal data arrive</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="518" />
        <source>по ширине бумаги (58 мм: 32, 80 мм: 48)</source>
        <translation>by paper width (58 mm: 32, 80 mm: 48)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="521" />
        <source>как умеет модель</source>
        <translation>as the model supports</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="522" />
        <source>командой принтера</source>
        <translation>printer command</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="523" />
        <source>картинкой</source>
        <translation>as a picture</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="524" />
        <source>Проверить печать</source>
        <translation>Test print</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="525" />
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/printer_settings.py" line="526" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>QrPaymentScreen</name>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="257" />
        <source>К оплате*: {amount} руб.</source>
        <translation>Due*: {amount} RUB</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="320" />
        <source>Статус обновляется автоматически</source>
        <translation>The status refreshes automatically</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="342" />
        <source>ЗАКАЗ</source>
        <translation>ORDER</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="343" />
        <source>Данные заказа</source>
        <translation>Order data</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="344" />
        <source>Подождите...</source>
        <translation>Please wait...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="345" />
        <source>СБП</source>
        <translation>SBP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="345" />
        <source>SoftPOS</source>
        <translation>SoftPOS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="347" />
        <source>Покупатель сканирует QR-код при помощи банковского приложения на собственном телефоне и оплачивает заказ через СБП.</source>
        <translation>The buyer scans the QR code with the banking app on their own phone and pays the order through SBP.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="351" />
        <source>Отсканируйте QR-код телефоном с приложением SoftPOS и приложите карту покупателя к телефону.</source>
        <translation>Scan the QR code with the phone running the SoftPOS app and have the buyer tap the card on the phone.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="355" />
        <source>Статус заказа</source>
        <translation>Order status</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="356" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="357" />
        <source>Показать QR-код</source>
        <translation>Show the QR code</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="358" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="360" />
        <source>Сумма заказа:</source>
        <translation>Order amount:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="361" />
        <source>Способ оплаты:</source>
        <translation>Payment method:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="362" />
        <source>Дата заказа:</source>
        <translation>Order date:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="363" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="364" />
        <source>Номер транзакции:</source>
        <translation>Transaction number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="369" />
        <source>СБП QR-код:</source>
        <translation>SBP QR code:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="369" />
        <source>QR-код для SoftPOS:</source>
        <translation>QR code for SoftPOS:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="372" />
        <source>Другой способ оплаты</source>
        <translation>Another payment method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="373" />
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>ReceiptPreviewDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="192" />
        <source>Печать…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="213" />
        <source>Сохранить чек в PNG</source>
        <translation>Save the receipt as PNG</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="216" />
        <source>Сохранить чек в PDF</source>
        <translation>Save the receipt as PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="249" />
        <source>Нет связи с Ассист: печатается нефискальный слип. Кассовый чек будет напечатан, когда придут фискальные данные.</source>
        <translation>No connection to Assist: a non-fiscal slip is printed. The fiscal receipt will be printed when the fiscal data arrive.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="257" />
        <source>Ожидание фискальных данных… Можно напечатать нефискальный слип, кассовый чек будет напечатан, когда данные придут.</source>
        <translation>Waiting for the fiscal data… You can print a non-fiscal slip; the fiscal receipt will be printed when the data arrive.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="270" />
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="329" />
        <source>Печать</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="281" />
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="329" />
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="307" />
        <source>Чек сохранён: {path}</source>
        <translation>Receipt saved: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="311" />
        <source>Не удалось сохранить чек в {path}.</source>
        <translation>The receipt could not be saved to {path}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="328" />
        <source>Чек по заказу № {number}</source>
        <translation>Receipt of order No. {number}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="330" />
        <source>Напечатать чек (Enter, Ctrl+P)</source>
        <translation>Print the receipt (Enter, Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="331" />
        <source>Сохранить PNG</source>
        <translation>Save PNG</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="332" />
        <source>Сохранить PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="333" />
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/receipt_preview.py" line="334" />
        <source>Закрыть просмотр (Esc)</source>
        <translation>Close the preview (Esc)</translation>
    </message>
</context>
<context>
    <name>RemoveItemQuestion</name>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="338" />
        <source>Удаление позиции</source>
        <translation>Remove item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="340" />
        <source>Удалить позицию {number} «{name}»?</source>
        <translation>Remove item {number} “{name}”?</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="344" />
        <source>Удалить</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="345" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="245" />
        <source>Получено: {received}, сдача: {change}</source>
        <translation>Received: {received}, change: {change}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="271" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="272" />
        <source>Информация о заказе</source>
        <translation>Order information</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="274" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="275" />
        <source>Сумма заказа:</source>
        <translation>Order amount:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="276" />
        <source>Предоплата:</source>
        <translation>Prepayment:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="277" />
        <source>Способ оплаты:</source>
        <translation>Payment method:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="278" />
        <source>Дата заказа:</source>
        <translation>Order date:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="279" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="280" />
        <source>Номер транзакции:</source>
        <translation>Transaction number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="281" />
        <source>Информация:</source>
        <translation>Information:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="285" />
        <source>Печать чека</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="286" />
        <source>Напечатать чек (Ctrl+P)</source>
        <translation>Print the receipt (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="287" />
        <source>Новый заказ</source>
        <translation>New order</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/result_screen.py" line="288" />
        <source>Вернуться к новому заказу (Enter, Esc)</source>
        <translation>Back to a new order (Enter, Esc)</translation>
    </message>
</context>
<context>
    <name>SyncStatusIndicator</name>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="69" />
        <source>● Проверка связи…</source>
        <translation>● Checking the connection…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="71" />
        <source>К отправке: …</source>
        <translation>To send: …</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="75" />
        <source>● В сети</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="78" />
        <source>● Нет связи</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="80" />
        <source>К отправке: {count}</source>
        <translation>To send: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/sync_status.py" line="84" />
        <source>Операции, которые еще не переданы в Ассист или ждут ответа</source>
        <translation>Operations not yet sent to Assist or waiting for its answer</translation>
    </message>
</context>
<context>
    <name>UserErrorBox</name>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="122" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="34" />
        <source>&amp;Демо</source>
        <translation>&amp;Demo</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="42" />
        <source>Нет платежа СБП или SoftPOS на экране.</source>
        <translation>No SBP or SoftPOS payment on the screen.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="58" />
        <source>Покупатель оплатил QR СБП</source>
        <translation>The buyer paid the SBP QR</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="61" />
        <source>Телефон SoftPOS принял оплату</source>
        <translation>The SoftPOS phone took the payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="65" />
        <source>Не оплачивать: истекло время</source>
        <translation>Do not pay: time out</translation>
    </message>
</context>
</TS>