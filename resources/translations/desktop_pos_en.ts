<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="ru_RU">
<context>
    <name>ChangeDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="216" />
        <source>Получено меньше суммы к оплате ({due}).</source>
        <translation>Received is less than the amount due ({due}).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="241" />
        <source>ПОДСЧЕТ СДАЧИ</source>
        <translation>CHANGE CALCULATION</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="244" />
        <source>К оплате: {amount}</source>
        <translation>Due: {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="245" />
        <source>Получено:</source>
        <translation>Received:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="246" />
        <source>Сдача:</source>
        <translation>Change:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="247" />
        <source>Получено</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="249" />
        <source>Сумма, полученная от покупателя. Enter — подтвердить, Esc — отмена.</source>
        <translation>Amount received from the buyer. Enter confirms, Esc cancels.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/change_dialog.py" line="251" />
        <source>Сдача</source>
        <translation>Change</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="281" />
        <source>Ошибок, пока открыто это окно: {count}</source>
        <translation>Errors while this window was open: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="290" />
        <source>Скрыть подробности</source>
        <translation>Hide details</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="292" />
        <source>Подробнее</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="295" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="298" />
        <source>Произошла непредвиденная ошибка. Приложение продолжает работу. Подробности записаны в журнал: {path}.</source>
        <translation>An unexpected error occurred. The application keeps running. The details are in the log: {path}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="303" />
        <source>Произошла непредвиденная ошибка. Приложение продолжает работу. Подробности записаны в журнал.</source>
        <translation>An unexpected error occurred. The application keeps running. The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="308" />
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="196" />
        <source>Изменить количество</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="198" />
        <source>Изменить позицию</source>
        <translation>Edit item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="200" />
        <source>Новая позиция</source>
        <translation>New item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="201" />
        <source>&amp;Наименование:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="202" />
        <source>&amp;Количество:</source>
        <translation>&amp;Quantity:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="203" />
        <source>&amp;Цена, руб.:</source>
        <translation>&amp;Price, RUB:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="204" />
        <source>&amp;Скидка (уже учтена в цене), руб.:</source>
        <translation>&amp;Discount (already in the price), RUB:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="205" />
        <source>Н&amp;ДС:</source>
        <translation>&amp;VAT:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="206" />
        <source>необязательно</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="207" />
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="208" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="299" />
        <source>Сумма: {amount}</source>
        <translation>Sum: {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="303" />
        <source>Сумма: —</source>
        <translation>Sum: —</translation>
    </message>
</context>
<context>
    <name>ItemsModel</name>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="69" />
        <source>СКИДКА = {amount}</source>
        <translation>DISCOUNT = {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="121" />
        <source>№</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="122" />
        <source>Наименование</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="123" />
        <source>Кол-во × Цена = Сумма</source>
        <translation>Qty × Price = Sum</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="124" />
        <source>НДС</source>
        <translation>VAT</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="184" />
        <location filename="../../desktop_pos/ui/main_window.py" line="185" />
        <source>Касса</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="187" />
        <source>ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие</source>
        <translation>DEMO MODE: a separate demo database, sales are not real</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="189" />
        <source>&amp;Файл</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="190" />
        <source>&amp;Выход</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="191" />
        <source>&amp;Язык</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="192" />
        <source>Русский</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="193" />
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="194" />
        <source>&amp;Справка</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="195" />
        <source>&amp;О программе</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="205" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="207" />
        <source>ДАННЫЕ ЗАКАЗА</source>
        <translation>ORDER DATA</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="274" />
        <source>О программе</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="276" />
        <source>Касса для приёма оплаты заказов</source>
        <translation>Point of sale for taking order payments</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="277" />
        <source>Версия: {version}</source>
        <translation>Version: {version}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="280" />
        <source>Демо-режим: отдельная демонстрационная база, продажи не настоящие.</source>
        <translation>Demo mode: a separate demo database, sales are not real.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="282" />
        <source>Журнал: {path}</source>
        <translation>Log: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="316" />
        <source>Сохранение оплаты…</source>
        <translation>Saving the payment…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="342" />
        <source>Принтер не подключён: печать чека появится в следующей версии.</source>
        <translation>No printer connected: receipt printing comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="348" />
        <source>Дождитесь сохранения оплаты, затем закройте окно.</source>
        <translation>Wait until the payment is saved, then close the window.</translation>
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
        <location filename="../../desktop_pos/ui/order_screen.py" line="304" />
        <source>&amp;Номер заказа:</source>
        <translation>Order &amp;number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="305" />
        <source>&amp;Позиции заказа:</source>
        <translation>Order &amp;items:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="306" />
        <source>Добавить</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="307" />
        <source>Изменить</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="308" />
        <source>Удалить</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="309" />
        <source>&amp;Email для отправки чека:</source>
        <translation>&amp;E-mail for the receipt:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="310" />
        <source>Ко&amp;мментарий к заказу:</source>
        <translation>Order co&amp;mment:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="311" />
        <location filename="../../desktop_pos/ui/order_screen.py" line="312" />
        <source>необязательно</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="313" />
        <source>Всего:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="314" />
        <source>Пре&amp;доплачено ранее:</source>
        <translation>Pre&amp;paid earlier:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="315" />
        <source>К оплате:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="316" />
        <source>СПОСОБ ОПЛАТЫ</source>
        <translation>PAYMENT METHOD</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="318" />
        <source>Наличные</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="319" />
        <source>Картридер</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="320" />
        <source>СБП</source>
        <translation>SBP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="321" />
        <source>SoftPOS</source>
        <translation>SoftPOS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="330" />
        <source>Картридер, СБП и SoftPOS в этой версии не подключены: принимаются только наличные.</source>
        <translation>Card reader, SBP and SoftPOS are not connected in this version: cash only.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="342" />
        <source>Оплата картой через картридер появится в следующей версии.</source>
        <translation>Card payment through a card reader comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="343" />
        <source>Оплата через СБП появится в следующей версии.</source>
        <translation>SBP payment comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="344" />
        <source>Оплата через SoftPOS появится в следующей версии.</source>
        <translation>SoftPOS payment comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="495" />
        <source>Не разрешено для этого заказа.</source>
        <translation>Not allowed for this order.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="530" />
        <source>Предоплата больше суммы заказа ({total}).</source>
        <translation>The prepayment exceeds the order total ({total}).</translation>
    </message>
</context>
<context>
    <name>RemoveItemQuestion</name>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="339" />
        <source>Удаление позиции</source>
        <translation>Remove item</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/item_dialog.py" line="341" />
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
    <name>UserErrorBox</name>
    <message>
        <location filename="../../desktop_pos/ui/crash.py" line="127" />
        <source>Ошибка</source>
        <translation>Error</translation>
    </message>
</context>
</TS>