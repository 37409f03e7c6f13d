## Рассылки (issue 13): выражения сегментов, проверка содержимого, кнопка «Отписаться».

## Выражения сегментов: где (позиция с 1) и что ожидалось
seg-expected-term = В сегменте ошибка на позиции { $position } («{ $found }»): здесь ожидалось условие, например orders>=1 или country=TR (несколько условий соединяются словом «and»).
seg-expected-and = В сегменте ошибка на позиции { $position } («{ $found }»): условия соединяются словом «and».
seg-unknown-term = В сегменте неизвестное условие «{ $term }» на позиции { $position }. Известные: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager.
seg-expected-operator = В сегменте ошибка на позиции { $position } («{ $found }»): после «{ $term }» ожидался один из знаков: { $operators }
seg-expected-value = В сегменте ошибка на позиции { $position }: для «{ $term }» нужно значение вроде { $format }
seg-bad-value = В сегменте неподходящее значение на позиции { $position } («{ $found }»): «{ $term }» принимает значение вроде { $format }

## Создание рассылки
mailing-no-text = Для рассылки нужен текст.
mailing-bad-braces = В тексте непарная фигурная скобка. Переменные пишутся так: {"{"}first_name{"}"}.
mailing-unknown-variable = В тексте неизвестная переменная { $variable }. Доступные: { $known }
mailing-bad-language = Языка «{ $language }» здесь нет.
mailing-text-too-long = Текст слишком длинный: не больше { $limit } символов.
mailing-too-many-links = Можно добавить не больше { $limit } { $limit ->
    [one] кнопки-ссылки
   *[other] кнопок-ссылок
}.
mailing-bad-link = Для кнопки-ссылки нужны название и адрес http(s): { $url }
mailing-bad-picture = Изображение должно быть адресом http(s): { $url }
mailing-bad-rate = Скорость должна быть от 1 до { $limit } сообщений в секунду.
mailing-segment-not-found = Сохранённого сегмента «{ $name }» нет.
mailing-bad-segment-name = Название сегмента — одно слово до 64 символов.
mailing-not-found = Рассылка №{ $id } не найдена.
mailing-bad-state = С рассылкой №{ $id } сейчас этого сделать нельзя: её статус — { $status }.
mailing-past-time = Это время уже прошло.
mailing-bad-time = Время должно выглядеть как 18:30 или 2026-12-24 18:30 (время агентства).

## Что видят клиенты
mailing-unsubscribe = 🔕 Отписаться
mailing-unsubscribed = Готово: новостей и предложений от нас больше не будет. Сообщения о ваших поездках и оплатах будут приходить как прежде. Включить предложения снова можно в Настройках.
mailing-var-friend = друг
mailing-var-none = —

## Итоговый отчёт
mailing-took = Длительность: { $minutes } мин { $seconds } с
mailing-bad-interval = Интервал должен быть от 0,05 до 3600 секунд.
