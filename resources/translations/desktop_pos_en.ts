<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="ru_RU">
<context>
    <name>ApplicationChoiceDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/application_choice_dialog.py" line="161" />
        <source>Выберите платёжную систему</source>
        <translation>Choose the payment system</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/application_choice_dialog.py" line="166" />
        <source>Карта поддерживает несколько платёжных систем. Уточните у покупателя и выберите подходящий вариант для проведения оплаты:</source>
        <translation>The card supports several payment systems. Ask the buyer and choose the one to pay with:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/application_choice_dialog.py" line="171" />
        <source>Стрелки или Tab — выбор, Enter — подтвердить, Esc — отменить оплату</source>
        <translation>Arrows or Tab choose, Enter confirms, Esc cancels the payment</translation>
    </message>
</context>
<context>
    <name>CardPaymentFlow</name>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_flow.py" line="502" />
        <source>Оплата картой</source>
        <translation>Card payment</translation>
    </message>
</context>
<context>
    <name>CardPaymentScreen</name>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="370" />
        <source>ПРОВЕДЕНИЕ ПЛАТЕЖА</source>
        <translation>PAYMENT IN PROGRESS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="371" />
        <source>Детальная информация</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="372" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="373" />
        <source>К оплате*:</source>
        <translation>Due*:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="374" />
        <source>Карта:</source>
        <translation>Card:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="375" />
        <source>На экране картридера:</source>
        <translation>On the card reader's screen:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="376" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="377" />
        <source>Отменить оплату</source>
        <translation>Cancel payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="378" />
        <source>Отменить оплату на картридере (Esc)</source>
        <translation>Cancel the payment on the card reader (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="379" />
        <source>Статус обновляется автоматически</source>
        <translation>The status refreshes automatically</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_payment_screen.py" line="412" />
        <source>Ожидание ответа картридера...</source>
        <translation>Waiting for the card reader...</translation>
    </message>
</context>
<context>
    <name>CardReaderWiring</name>
    <message>
        <location filename="../../desktop_pos/ui/card_reader_wiring.py" line="230" />
        <source>Дождитесь окончания обновления прошивки картридера.</source>
        <translation>Wait until the card reader's firmware update is over.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_reader_wiring.py" line="232" />
        <source>Идёт оплата картой: дождитесь её окончания или отмените её (Esc).</source>
        <translation>A card payment is in progress: wait until it is over or cancel it (Esc).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_reader_wiring.py" line="246" />
        <source>&amp;Картридер…</source>
        <translation>&amp;Card reader…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_reader_wiring.py" line="248" />
        <source>Картридер: тестовые карты и условия…</source>
        <translation>Card reader: test cards and conditions…</translation>
    </message>
</context>
<context>
    <name>CardResultScreen</name>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="274" />
        <source>Ответ банка ещё не получен: статус обновляется автоматически.</source>
        <translation>No answer from the bank yet: the status updates automatically.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="352" />
        <source>Информация о заказе</source>
        <translation>Order information</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="353" />
        <source>Данные карты</source>
        <translation>Card data</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="355" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="356" />
        <source>Сумма заказа:</source>
        <translation>Order amount:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="357" />
        <source>Способ оплаты:</source>
        <translation>Payment method:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="358" />
        <source>Дата заказа:</source>
        <translation>Order date:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="359" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="360" />
        <source>Номер транзакции:</source>
        <translation>Transaction number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="361" />
        <source>Информация:</source>
        <translation>Information:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="362" />
        <source>Карта:</source>
        <translation>Card:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="363" />
        <source>Держатель карты:</source>
        <translation>Cardholder:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="364" />
        <source>AID:</source>
        <translation>AID:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="365" />
        <source>Способ:</source>
        <translation>Entry:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="366" />
        <source>TVR:</source>
        <translation>TVR:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="367" />
        <source>TSI:</source>
        <translation>TSI:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="368" />
        <source>RRN:</source>
        <translation>RRN:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="369" />
        <source>Код авторизации:</source>
        <translation>Authorization code:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="370" />
        <source>Код ответа:</source>
        <translation>Response code:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="375" />
        <source>Новый заказ</source>
        <translation>New order</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="375" />
        <source>Вернуться к новому заказу (Esc)</source>
        <translation>Go to a new order (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="377" />
        <source>Другой способ оплаты</source>
        <translation>Another payment method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="378" />
        <source>Вернуться к заказу и выбрать другой способ оплаты (Esc)</source>
        <translation>Back to the order to choose another payment method (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="380" />
        <source>Печать слипа</source>
        <translation>Print slip</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="380" />
        <source>Напечатать копию слипа</source>
        <translation>Print a copy of the slip</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="381" />
        <source>Печать чека</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="381" />
        <source>Напечатать чек (Ctrl+P)</source>
        <translation>Print the receipt (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="383" />
        <source>Повторить оплату</source>
        <translation>Retry payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="384" />
        <source>Новая попытка оплаты этого заказа картой (Enter)</source>
        <translation>Try paying for this order by card again (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/card_result_screen.py" line="390" />
        <source>Статус обновляется автоматически</source>
        <translation>The status refreshes automatically</translation>
    </message>
</context>
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
    <name>DemoControls</name>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="42" />
        <source>Нет платежа СБП или SoftPOS на экране.</source>
        <translation>No SBP or SoftPOS payment on the screen.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="76" />
        <source>Покупатель оплатил QR СБП</source>
        <translation>The buyer paid the SBP QR</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="79" />
        <source>Телефон SoftPOS принял оплату</source>
        <translation>The SoftPOS phone took the payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_controls.py" line="82" />
        <source>Не оплачивать: истекло время</source>
        <translation>Do not pay: time out</translation>
    </message>
</context>
<context>
    <name>DemoReaderPanel</name>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="188" />
        <source>Карта вынута из картридера.</source>
        <translation>The card is removed from the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="191" />
        <source>Нажата отмена на картридере.</source>
        <translation>Cancel is pressed on the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="221" />
        <source>Соединение с картридером разорвано.</source>
        <translation>The link to the card reader is dropped.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="328" />
        <source>Карта «{card}» приложена к картридеру.</source>
        <translation>Card “{card}” is tapped on the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="329" />
        <source>Карта «{card}» вставлена в картридер.</source>
        <translation>Card “{card}” is inserted into the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="330" />
        <source>Карта «{card}» проведена по картридеру.</source>
        <translation>Card “{card}” is swiped through the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="338" />
        <source>Карта «{card}» будет подана при следующей оплате.</source>
        <translation>Card “{card}” will be presented at the next payment.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="345" />
        <source>Заряд батареи: {level} %, заряжается.</source>
        <translation>Battery: {level}%, charging.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="347" />
        <source>Заряд батареи: {level} %.</source>
        <translation>Battery: {level}%.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="355" />
        <source>Обновления прошивки нет.</source>
        <translation>No firmware update.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="356" />
        <source>Картридер предлагает прошивку {version}.</source>
        <translation>The card reader offers firmware {version}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="357" />
        <source>Картридеру требуется прошивка {version}.</source>
        <translation>The card reader requires firmware {version}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="363" />
        <source>Картридер снова в зоне доступа.</source>
        <translation>The card reader is in range again.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="365" />
        <source>Картридер вне зоны доступа (не виден при поиске).</source>
        <translation>The card reader is out of range (not seen by a search).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="386" />
        <source>&amp;Картридер:</source>
        <translation>&amp;Card reader:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="387" />
        <source>&amp;Тестовая карта:</source>
        <translation>&amp;Test card:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="388" />
        <source>Карта</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="389" />
        <source>&amp;Приложить (NFC)</source>
        <translation>Ta&amp;p (NFC)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="390" />
        <source>&amp;Вставить (чип)</source>
        <translation>&amp;Insert (chip)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="391" />
        <source>Пр&amp;овести (магнитная полоса)</source>
        <translation>S&amp;wipe (magnetic stripe)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="392" />
        <source>При &amp;следующей оплате</source>
        <translation>At the &amp;next payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="393" />
        <source>В&amp;ынуть карту</source>
        <translation>Re&amp;move card</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="394" />
        <source>Отм&amp;ена на картридере</source>
        <translation>Canc&amp;el on the card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="395" />
        <source>Состояние картридера</source>
        <translation>Card reader conditions</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="396" />
        <source>&amp;Батарея:</source>
        <translation>&amp;Battery:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="397" />
        <source>&amp;Заряжается</source>
        <translation>C&amp;harging</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="398" />
        <source>Установить з&amp;аряд</source>
        <translation>Set the &amp;level</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="399" />
        <source>Прош&amp;ивка:</source>
        <translation>&amp;Firmware:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="400" />
        <source>Нет обновления</source>
        <translation>No update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="401" />
        <source>Обновление необязательное</source>
        <translation>Optional update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="402" />
        <source>Обновление обязательное</source>
        <translation>Required update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="403" />
        <source>Версия новой прошивки</source>
        <translation>Version of the new firmware</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="404" />
        <source>Пре&amp;дложить обновление</source>
        <translation>Offer the &amp;update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="405" />
        <source>В зо&amp;не доступа</source>
        <translation>In ran&amp;ge</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="406" />
        <source>&amp;Разорвать соединение</source>
        <translation>&amp;Drop the link</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/demo_reader_panel.py" line="418" />
        <source>Демо: картридер</source>
        <translation>Demo: card reader</translation>
    </message>
</context>
<context>
    <name>FirmwareUpdateDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="70" />
        <source>около {seconds} с</source>
        <translation>about {seconds} s</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="73" />
        <source>около {minutes} мин</source>
        <translation>about {minutes} min</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="80" />
        <source>{kb} КБ</source>
        <translation>{kb} KB</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="83" />
        <source>{mb:.1f} МБ</source>
        <translation>{mb:.1f} MB</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="250" />
        <source>Обновление прошивки картридера</source>
        <translation>Card reader firmware update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="251" />
        <source>ОБНОВЛЕНИЕ ПРОШИВКИ</source>
        <translation>FIRMWARE UPDATE</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="255" />
        <source>Прошивка картридера {serial} обновлена до версии {version}.</source>
        <translation>The firmware of card reader {serial} is updated to version {version}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="258" />
        <source>Прошивка передана. Картридер {serial} перезагружается, не выключайте его...</source>
        <translation>The firmware is sent. Card reader {serial} is restarting, do not switch it off...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="262" />
        <source>Обновление прошивки картридера {serial}... Не выключайте картридер и не уносите его от компьютера.</source>
        <translation>Updating the firmware of card reader {serial}... Do not switch the card reader off or take it away from the computer.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="267" />
        <source>Картридеру {serial} требуется обновление прошивки до версии {version}. Без обновления оплата картой невозможна.</source>
        <translation>Card reader {serial} needs a firmware update to version {version}. Card payments are impossible without it.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="272" />
        <source>Для картридера {serial} есть новая прошивка {version}. Обновить сейчас?</source>
        <translation>New firmware {version} is available for card reader {serial}. Update now?</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="276" />
        <source>Текущая версия: {current}. Размер: {size}. Обновление займёт {duration}.</source>
        <translation>Current version: {current}. Size: {size}. The update takes {duration}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="288" />
        <source>Обновление невозможно: заряд батареи картридера {level} %, а нужно не меньше {minimum} %. Подключите картридер к зарядному устройству; кнопка «Обновить» станет доступна, когда заряд будет достаточным.</source>
        <translation>The update is impossible: the card reader's battery is at {level}%, and at least {minimum}% is needed. Connect the card reader to a charger; the “Update” button becomes available once the charge is enough.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="302" />
        <source>Передано {received} из {total}</source>
        <translation>Sent {received} of {total}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="311" />
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="311" />
        <source>Обновить</source>
        <translation>Update</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="315" />
        <source>Позже</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/firmware_dialog.py" line="317" />
        <source>Готово</source>
        <translation>Done</translation>
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
        <location filename="../../desktop_pos/ui/items_model.py" line="100" />
        <source>СКИДКА = {amount}</source>
        <translation>DISCOUNT = {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="134" />
        <source>№</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="135" />
        <source>Наименование</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="136" />
        <source>Кол-во × Цена = Сумма</source>
        <translation>Qty × Price = Sum</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/items_model.py" line="137" />
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
        <location filename="../../desktop_pos/ui/journal_window.py" line="286" />
        <source>Журнал заказов</source>
        <translation>Order journal</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="287" />
        <source>ЖУРНАЛ ЗАКАЗОВ</source>
        <translation>ORDER JOURNAL</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="288" />
        <source>&amp;Поиск:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="289" />
        <source>Номер заказа или его начало</source>
        <translation>Order number or its beginning</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="290" />
        <source>П&amp;ериод:</source>
        <translation>P&amp;eriod:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="291" />
        <source>&amp;Статус:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="292" />
        <source>Спос&amp;об:</source>
        <translation>Meth&amp;od:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="296" />
        <source>За всё время</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="297" />
        <source>Сегодня</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="298" />
        <source>За 3 дня</source>
        <translation>Last 3 days</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="299" />
        <source>За неделю</source>
        <translation>Last week</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="300" />
        <source>За 30 дней</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="301" />
        <source>За дату…</source>
        <translation>On a date…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="305" />
        <source>Все статусы</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="306" />
        <source>Не переданы и в процессе</source>
        <translation>Not sent and in process</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="307" />
        <source>Неуспешные</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="308" />
        <source>К возврату (оплачены дважды)</source>
        <translation>To refund (paid twice)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="312" />
        <source>Все способы</source>
        <translation>All methods</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="316" />
        <source>оплачен</source>
        <translation>paid</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="317" />
        <source>в процессе</source>
        <translation>in process</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="318" />
        <source>результат неизвестен</source>
        <translation>result unknown</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="319" />
        <source>не оплачен</source>
        <translation>not paid</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="323" />
        <source>Подробнее (Enter)</source>
        <translation>Details (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="324" />
        <source>Обновить статус (F5)</source>
        <translation>Refresh status (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="325" />
        <source>Синхронизировать (Ctrl+R)</source>
        <translation>Synchronize (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="327" />
        <source>Отправить в Ассист все ожидающие операции сейчас</source>
        <translation>Send every waiting operation to Assist now</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="329" />
        <source>Связь с Ассист не настроена</source>
        <translation>No connection to Assist is set up</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="331" />
        <source>Закрыть (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="420" />
        <source>Загрузка…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="422" />
        <source>Заказов не найдено</source>
        <translation>No orders found</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="424" />
        <source>Показано заказов: {count} (прокрутите вниз, чтобы увидеть ещё)</source>
        <translation>Orders shown: {count} (scroll down to see more)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="428" />
        <source>Показано заказов: {count}</source>
        <translation>Orders shown: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="450" />
        <source>К отправке: {count}</source>
        <translation>To send: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="452" />
        <source>Нет связи</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="458" />
        <source>Связь с Ассист не настроена: синхронизация невозможна.</source>
        <translation>No connection to Assist is set up: synchronization is not possible.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="462" />
        <source>Синхронизация запущена. Журнал обновится, когда придут ответы Ассист.</source>
        <translation>Synchronization started. The journal will update when Assist answers.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="469" />
        <source>Выберите заказ в списке.</source>
        <translation>Select an order in the list.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="474" />
        <source>Запрос статуса заказа № {number}…</source>
        <translation>Requesting the status of order {number}…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="486" />
        <source>Запрос статуса заказа № {number} отправлен. Строка обновится, когда придет ответ Ассист.</source>
        <translation>Status request for order {number} sent. The row will update when Assist answers.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="492" />
        <source>Связь с Ассист не настроена: показан сохраненный статус.</source>
        <translation>No connection to Assist is set up: the stored status is shown.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="502" />
        <source>В Ассист нет заказа № {number}: он еще не передан. Операция будет завершена при синхронизации.</source>
        <translation>Assist has no order {number}: it has not been sent yet. The operation will be completed at the next synchronization.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="513" />
        <source>Ассист: заказ № {number} — {state} ({code}).</source>
        <translation>Assist: order {number} — {state} ({code}).</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/journal_window.py" line="545" />
        <source>Заказ не найден: возможно, он удален.</source>
        <translation>Order not found: it may have been deleted.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="249" />
        <location filename="../../desktop_pos/ui/main_window.py" line="250" />
        <source>Касса</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="252" />
        <source>ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие</source>
        <translation>DEMO MODE: a separate demo database, sales are not real</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="254" />
        <source>&amp;Файл</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="257" />
        <source>&amp;Выход</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="258" />
        <source>&amp;Язык</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="259" />
        <source>Русский</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="260" />
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="261" />
        <source>&amp;Справка</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="262" />
        <source>&amp;О программе</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="263" />
        <source>&amp;Заказы</source>
        <translation>&amp;Orders</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="264" />
        <source>&amp;Журнал заказов</source>
        <translation>Order &amp;journal</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="265" />
        <source>&amp;Синхронизировать</source>
        <translation>&amp;Synchronize</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="267" />
        <source>Отправить в Ассист все ожидающие операции сейчас</source>
        <translation>Send every waiting operation to Assist now</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="269" />
        <source>Связь с Ассист не настроена</source>
        <translation>No connection to Assist is set up</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="283" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="285" />
        <source>ОПЛАТА</source>
        <translation>PAYMENT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="289" />
        <source>ДАННЫЕ ЗАКАЗА</source>
        <translation>ORDER DATA</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="256" />
        <location filename="../../desktop_pos/ui/main_window.py" line="338" />
        <source>&amp;Демо</source>
        <translation>&amp;Demo</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="457" />
        <source>Синхронизация с Ассист запущена…</source>
        <translation>Synchronization with Assist started…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="472" />
        <source>О программе</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="474" />
        <source>Касса для приёма оплаты заказов</source>
        <translation>Point of sale for taking order payments</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="475" />
        <source>Версия: {version}</source>
        <translation>Version: {version}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="481" />
        <source>Демо-режим: отдельная демонстрационная база, продажи не настоящие.</source>
        <translation>Demo mode: a separate demo database, sales are not real.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="484" />
        <source>Журнал: {path}</source>
        <translation>Log: {path}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="549" />
        <source>Сохранение оплаты…</source>
        <translation>Saving the payment…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/main_window.py" line="585" />
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
        <location filename="../../desktop_pos/ui/order_screen.py" line="202" />
        <source>&amp;Номер заказа:</source>
        <translation>Order &amp;number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="203" />
        <source>&amp;Позиции заказа:</source>
        <translation>Order &amp;items:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="204" />
        <source>Добавить</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="205" />
        <source>Изменить</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="206" />
        <source>Удалить</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="207" />
        <source>&amp;Email для отправки чека:</source>
        <translation>&amp;E-mail for the receipt:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="208" />
        <source>Ко&amp;мментарий к заказу:</source>
        <translation>Order co&amp;mment:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="209" />
        <location filename="../../desktop_pos/ui/order_screen.py" line="210" />
        <source>необязательно</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="211" />
        <source>Всего:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="212" />
        <source>Пре&amp;доплачено ранее:</source>
        <translation>Pre&amp;paid earlier:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="213" />
        <source>К оплате:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="214" />
        <source>СПОСОБ ОПЛАТЫ</source>
        <translation>PAYMENT METHOD</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="216" />
        <source>Наличные</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="217" />
        <source>Картридер</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="218" />
        <source>СБП</source>
        <translation>SBP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="219" />
        <source>SoftPOS</source>
        <translation>SoftPOS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="230" />
        <source>Картридер в этой версии не подключен: принимаются наличные, СБП и SoftPOS.</source>
        <translation>The card reader is not connected in this version: cash, SBP and SoftPOS are taken.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="251" />
        <source>Оплата картой через картридер появится в следующей версии.</source>
        <translation>Card payment through a card reader comes in a later version.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="423" />
        <source>Не разрешено для этого заказа.</source>
        <translation>Not allowed for this order.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/order_screen.py" line="458" />
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
        <source>Напечатан кассовый чек по заказу № {number}.</source>
        <translation>Printed: the fiscal receipt of order No. {number}.</translation>
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
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="264" />
        <source>К оплате*: {amount} руб.</source>
        <translation>Due*: {amount} RUB</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="329" />
        <source>Статус обновляется автоматически</source>
        <translation>The status refreshes automatically</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="351" />
        <source>ЗАКАЗ</source>
        <translation>ORDER</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="352" />
        <source>Данные заказа</source>
        <translation>Order data</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="353" />
        <source>Подождите...</source>
        <translation>Please wait...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="354" />
        <source>СБП</source>
        <translation>SBP</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="354" />
        <source>SoftPOS</source>
        <translation>SoftPOS</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="356" />
        <source>Покупатель сканирует QR-код при помощи банковского приложения на собственном телефоне и оплачивает заказ через СБП.</source>
        <translation>The buyer scans the QR code with the banking app on their own phone and pays the order through SBP.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="360" />
        <source>Отсканируйте QR-код телефоном с приложением SoftPOS и приложите карту покупателя к телефону.</source>
        <translation>Scan the QR code with the phone running the SoftPOS app and have the buyer tap the card on the phone.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="364" />
        <source>Статус заказа</source>
        <translation>Order status</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="365" />
        <source>РЕЗУЛЬТАТ</source>
        <translation>RESULT</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="366" />
        <source>Показать QR-код</source>
        <translation>Show the QR code</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="367" />
        <source>Статус заказа:</source>
        <translation>Order status:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="369" />
        <source>Сумма заказа:</source>
        <translation>Order amount:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="370" />
        <source>Способ оплаты:</source>
        <translation>Payment method:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="371" />
        <source>Дата заказа:</source>
        <translation>Order date:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="372" />
        <source>Номер заказа:</source>
        <translation>Order number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="373" />
        <source>Номер транзакции:</source>
        <translation>Transaction number:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="378" />
        <source>СБП QR-код:</source>
        <translation>SBP QR code:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="378" />
        <source>QR-код для SoftPOS:</source>
        <translation>QR code for SoftPOS:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="382" />
        <source>Другой способ оплаты</source>
        <translation>Another payment method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/qr_payment_screen.py" line="383" />
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>ReaderConnectPanel</name>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="496" />
        <source>{name}    сигнал {rssi} дБм</source>
        <translation>{name}    signal {rssi} dBm</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="507" />
        <source>Картридер</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="513" />
        <source>Соединение с последним подключённым картридером {serial}...</source>
        <translation>Connecting to the last connected card reader {serial}...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="515" />
        <source>Поиск картридеров поблизости...</source>
        <translation>Searching for card readers nearby...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="517" />
        <source>Найден картридер {serial}. Хотите подключиться?</source>
        <translation>Card reader {serial} found. Connect to it?</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="520" />
        <source>Найдено картридеров поблизости: {count}. Выберите, к какому подключиться:</source>
        <translation>Card readers found nearby: {count}. Choose the one to connect to:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="523" />
        <source>Картридеры поблизости не найдены.</source>
        <translation>No card readers found nearby.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="524" />
        <source>Подключение картридера {serial}...</source>
        <translation>Connecting card reader {serial}...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="527" />
        <source>Картридер {serial} подключён.</source>
        <translation>Card reader {serial} is connected.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="528" />
        <source>Bluetooth недоступен: картридер не подключить.</source>
        <translation>Bluetooth is unavailable: the card reader cannot be connected.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="529" />
        <source>Картридер не подключён.</source>
        <translation>The card reader is not connected.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="535" />
        <source>Включите картридер и положите его рядом с компьютером, затем нажмите «Повторить поиск». Или выберите другой способ оплаты.</source>
        <translation>Switch the card reader on and put it next to the computer, then press “Search again”. Or choose another payment method.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="543" />
        <source>Включите Bluetooth на компьютере или выберите другой способ оплаты.</source>
        <translation>Switch Bluetooth on in the computer or choose another payment method.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="547" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="548" />
        <source>Остановить поиск (Esc)</source>
        <translation>Stop the search (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="549" />
        <source>Другой способ оплаты</source>
        <translation>Another payment method</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="550" />
        <source>ПОВТОРИТЬ ПОИСК</source>
        <translation>SEARCH AGAIN</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="551" />
        <source>ВЫБРАТЬ ДРУГОЙ</source>
        <translation>CHOOSE ANOTHER</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_dialogs.py" line="552" />
        <source>ПОДКЛЮЧИТЬСЯ</source>
        <translation>CONNECT</translation>
    </message>
</context>
<context>
    <name>ReaderSettingsDialog</name>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="268" />
        <source>Картридер {serial} используется по умолчанию.</source>
        <translation>Card reader {serial} is the default.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="281" />
        <source>Картридер {serial} удалён из списка.</source>
        <translation>Card reader {serial} is removed from the list.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="299" />
        <source>Поиск картридеров поблизости...</source>
        <translation>Searching for card readers nearby...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="311" />
        <source>Найдено картридеров: {count}.</source>
        <translation>Card readers found: {count}.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="315" />
        <source>Картридеры поблизости не найдены.</source>
        <translation>No card readers found nearby.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="328" />
        <source>Поиск остановлен.</source>
        <translation>Search stopped.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="338" />
        <source>Подключение картридера {serial}...</source>
        <translation>Connecting card reader {serial}...</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="347" />
        <source>Картридер {serial} подключён.</source>
        <translation>Card reader {serial} is connected.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="374" />
        <source>  (известный)</source>
        <translation>  (known)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="416" />
        <source>★ по умолчанию</source>
        <translation>★ default</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="437" />
        <source>Картридер</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="438" />
        <source>Известные картридеры</source>
        <translation>Known card readers</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="439" />
        <source>Картридеры поблизости</source>
        <translation>Card readers nearby</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="440" />
        <source>По умолчанию</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="442" />
        <source>Подключаться к этому картридеру без вопросов при оплате картой</source>
        <translation>Connect to this card reader without asking for card payments</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="444" />
        <source>Забыть</source>
        <translation>Forget</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="445" />
        <source>Удалить картридер из списка (Delete)</source>
        <translation>Remove the card reader from the list (Delete)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="447" />
        <source>Остановить поиск</source>
        <translation>Stop search</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="447" />
        <source>Найти картридеры</source>
        <translation>Find card readers</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="449" />
        <source>Подключить</source>
        <translation>Connect</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="450" />
        <source>Лимит без PIN и подписи, руб.:</source>
        <translation>Limit without PIN or signature, RUB:</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="453" />
        <source>Бесконтактная оплата (NFC) на сумму до этого лимита включительно проходит без PIN-кода и подписи покупателя. Обычно 3000.00 руб.</source>
        <translation>Contactless (NFC) payments up to and including this limit need no PIN or buyer's signature. Usually 3000.00 RUB.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="457" />
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="458" />
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_settings.py" line="460" />
        <source>Картридеры появятся здесь после первого подключения</source>
        <translation>Card readers appear here after their first connection</translation>
    </message>
</context>
<context>
    <name>ReaderStatusWidget</name>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="158" />
        <source>Картридер: не подключён</source>
        <translation>Card reader: not connected</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="159" />
        <source>Картридер: поиск…</source>
        <translation>Card reader: searching…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="160" />
        <source>Картридер: подключение…</source>
        <translation>Card reader: connecting…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="161" />
        <source>Картридер: обновление прошивки…</source>
        <translation>Card reader: updating firmware…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="162" />
        <source>Картридер: Bluetooth недоступен</source>
        <translation>Card reader: Bluetooth unavailable</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="165" />
        <source>Картридер {serial}</source>
        <translation>Card reader {serial}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="168" />
        <source>Картридер {serial}: восстановление связи…</source>
        <translation>Card reader {serial}: reconnecting…</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="186" />
        <source>батарея {level} %, заряжается</source>
        <translation>battery {level}%, charging</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="188" />
        <source>батарея {level} %</source>
        <translation>battery {level}%</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="194" />
        <source>Недостаточный заряд батареи картридера. Зарядите картридер.</source>
        <translation>The card reader's battery is low. Charge the card reader.</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="208" />
        <source>Картридер подключается при оплате картой</source>
        <translation>The card reader connects at a card payment</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="210" />
        <source>Модель: {model}</source>
        <translation>Model: {model}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="211" />
        <source>Серийный номер: {serial}</source>
        <translation>Serial number: {serial}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="212" />
        <source>Прошивка: {version}</source>
        <translation>Firmware: {version}</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/reader_status.py" line="215" />
        <source>Заряд батареи: {level} %</source>
        <translation>Battery: {level}%</translation>
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
    <name>SignaturePad</name>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="378" />
        <source>ПОДПИСЬ ПОКУПАТЕЛЯ</source>
        <translation>BUYER'S SIGNATURE</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="379" />
        <source>Очистить</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="380" />
        <source>Очистить поле подписи (Delete)</source>
        <translation>Clear the signature field (Delete)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="381" />
        <source>Отменить оплату (Esc)</source>
        <translation>Cancel payment (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="382" />
        <source>Подтвердить подпись (Enter)</source>
        <translation>Confirm the signature (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="384" />
        <source>Enter — подтвердить, Esc — отменить оплату, Delete — очистить</source>
        <translation>Enter confirms, Esc cancels the payment, Delete clears</translation>
    </message>
    <message>
        <location filename="../../desktop_pos/ui/signature_pad.py" line="386" />
        <source>Введите подпись</source>
        <translation>Sign here</translation>
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
</TS>