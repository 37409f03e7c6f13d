## Импорт клиентов и заказов из CSV / XLSX (CLI и API)

import-bad-format = { $name }: импортировать можно только файлы .csv и .xlsx.
import-bad-xlsx = { $name } не удаётся прочитать как книгу XLSX.
import-no-file = Файла { $name } нет.
import-empty-file = Файл пуст: нет строки заголовков.
import-map-syntax = --map ожидает СТОЛБЕЦ=поле, а не «{ $pair }».
import-map-no-column = --map называет столбец, которого в файле нет: «{ $column }».
import-map-no-field = --map называет неизвестное поле «{ $field }». Известные поля: { $fields }.
import-no-phone-column = Ни один столбец не распознан как телефон. Укажите его через --map СТОЛБЕЦ=phone.
import-no-number-column = Ни один столбец не распознан как номер заказа. Укажите его через --map СТОЛБЕЦ=number.

import-reason-missing = обязательное поле пусто
import-reason-phone = недействительный номер телефона
import-reason-date = не дата (пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)
import-reason-birthday = неправдоподобная дата рождения
import-reason-gender = пол не распознан (пишите ж или м)
import-reason-email = недействительный адрес e-mail
import-reason-consent = согласие не распознано (пишите да или нет)
import-reason-currency = валюта не принимается (UAH, USD, EUR) или не совпадает с валютой заказа
import-reason-amount = не сумма денег (положительное число, не больше двух знаков после запятой)
import-reason-points = не целое количество баллов
import-reason-too-long = слишком длинное значение
import-reason-country = не двухбуквенный код страны
import-reason-dates = возвращение раньше выезда
import-reason-duplicate = то же, что в строке { $first } выше; импортируется только первая
import-reason-other-client = этот номер заказа принадлежит заказу другого клиента

import-issue = Строка { $line }, { $field }: { $reason }
import-issue-value = Строка { $line }, { $field }: { $reason } («{ $value }»)
import-columns = Столбцы: { $mapping }
import-dry-run = Пробный прогон: ничего не изменено.
import-summary = Строк: { $rows }. Новых: { $new }, обновлённых: { $updated }, без изменений: { $unchanged }, повторов: { $duplicate }, с ошибками: { $invalid }.
import-summary-money = Записей в реестре: { $entries }. Начальных бонусов: { $bonuses }.
import-summary-orders-money = Записей в реестре: { $entries }. Создано клиентов: { $clients }.
import-issues-left-out = …и ещё { $count } строк с проблемами, не показанных здесь.

ledger-kind-opening = начальный баланс
