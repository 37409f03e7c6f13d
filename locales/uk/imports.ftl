## Імпорт клієнтів і замовлень із CSV / XLSX (CLI та API)

import-bad-format = { $name }: імпортувати можна лише файли .csv і .xlsx.
import-bad-xlsx = { $name } не вдається прочитати як книгу XLSX.
import-no-file = Файлу { $name } немає.
import-empty-file = Файл порожній: немає рядка заголовків.
import-map-syntax = --map очікує СТОВПЕЦЬ=поле, а не «{ $pair }».
import-map-no-column = --map називає стовпець, якого у файлі немає: «{ $column }».
import-map-no-field = --map називає невідоме поле «{ $field }». Відомі поля: { $fields }.
import-no-phone-column = Жоден стовпець не розпізнано як телефон. Укажіть його через --map СТОВПЕЦЬ=phone.
import-no-number-column = Жоден стовпець не розпізнано як номер замовлення. Укажіть його через --map СТОВПЕЦЬ=number.

import-reason-missing = обов'язкове поле порожнє
import-reason-phone = недійсний номер телефону
import-reason-date = не дата (пишіть ДД.ММ.РРРР або РРРР-ММ-ДД)
import-reason-birthday = неправдоподібна дата народження
import-reason-gender = стать не розпізнано (пишіть ж або ч)
import-reason-email = недійсна адреса e-mail
import-reason-consent = згоду не розпізнано (пишіть так або ні)
import-reason-currency = валюта не приймається (UAH, USD, EUR) або не збігається з валютою замовлення
import-reason-amount = не сума грошей (додатне число, не більше двох знаків після коми)
import-reason-points = не ціла кількість балів
import-reason-too-long = задовге значення
import-reason-country = не дволітерний код країни
import-reason-dates = повернення раніше за виїзд
import-reason-duplicate = те саме, що в рядку { $first } вище; імпортується лише перший
import-reason-other-client = цей номер замовлення належить замовленню іншого клієнта

import-issue = Рядок { $line }, { $field }: { $reason }
import-issue-value = Рядок { $line }, { $field }: { $reason } («{ $value }»)
import-columns = Стовпці: { $mapping }
import-dry-run = Пробний прогін: нічого не змінено.
import-summary = Рядків: { $rows }. Нових: { $new }, оновлених: { $updated }, без змін: { $unchanged }, повторів: { $duplicate }, з помилками: { $invalid }.
import-summary-money = Записів у реєстрі: { $entries }. Початкових бонусів: { $bonuses }.
import-summary-orders-money = Записів у реєстрі: { $entries }. Створено клієнтів: { $clients }.
import-issues-left-out = …і ще { $count } рядків із проблемами, не показаних тут.

ledger-kind-opening = початковий баланс
