## Розсилки (issue 13): вирази сегментів, перевірка вмісту, кнопка «Відписатися».

## Вирази сегментів: де (позиція з 1) і що очікувалось
seg-expected-term = У сегменті помилка на позиції { $position } («{ $found }»): тут очікувалась умова, наприклад orders>=1 або country=TR (кілька умов поєднуються словом «and»).
seg-expected-and = У сегменті помилка на позиції { $position } («{ $found }»): умови з'єднуються словом «and».
seg-unknown-term = У сегменті невідома умова «{ $term }» на позиції { $position }. Відомі: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager.
seg-expected-operator = У сегменті помилка на позиції { $position } («{ $found }»): після «{ $term }» очікувався один із знаків: { $operators }
seg-expected-value = У сегменті помилка на позиції { $position }: для «{ $term }» потрібне значення на кшталт { $format }
seg-bad-value = У сегменті невідповідне значення на позиції { $position } («{ $found }»): «{ $term }» приймає значення на кшталт { $format }

## Створення розсилки
mailing-no-text = Для розсилки потрібен текст.
mailing-bad-braces = У тексті непарна фігурна дужка. Змінні пишуться так: {"{"}first_name{"}"}.
mailing-unknown-variable = У тексті невідома змінна { $variable }. Доступні: { $known }
mailing-bad-language = Мови «{ $language }» тут немає.
mailing-text-too-long = Текст задовгий: щонайбільше { $limit } символів.
mailing-too-many-links = Можна додати щонайбільше { $limit } { $limit ->
    [one] кнопку-посилання
    [few] кнопки-посилання
   *[other] кнопок-посилань
}.
mailing-bad-link = Для кнопки-посилання потрібні назва та адреса http(s): { $url }
mailing-bad-picture = Зображення має бути адресою http(s): { $url }
mailing-bad-rate = Швидкість має бути від 1 до { $limit } повідомлень на секунду.
mailing-segment-not-found = Збереженого сегмента «{ $name }» немає.
mailing-bad-segment-name = Назва сегмента — одне слово до 64 символів.
mailing-not-found = Розсилку №{ $id } не знайдено.
mailing-bad-state = З розсилкою №{ $id } зараз цього зробити не можна: її стан — { $status }.
mailing-past-time = Цей час уже минув.
mailing-bad-time = Час має виглядати як 18:30 або 2026-12-24 18:30 (час агенції).

## Що бачать клієнти
mailing-unsubscribe = 🔕 Відписатися
mailing-unsubscribed = Готово: новин і пропозицій від нас більше не буде. Повідомлення про ваші подорожі й оплати надходитимуть і далі. Увімкнути пропозиції знову можна в Налаштуваннях.
mailing-var-friend = друже
mailing-var-none = —

## Підсумковий звіт
mailing-took = Тривалість: { $minutes } хв { $seconds } с
mailing-bad-interval = Інтервал має бути від 0,05 до 3600 секунд.
