# The tour request wizard: checks added with the declarative wizard (issue 16)
tour-error-nights-dates = Між цими датами { $span ->
    [one] лише { $span } ніч
    [few] лише { $span } ночі
   *[other] лише { $span } ночей
}, а ночей у подорожі — щонайменше { $nights }. Оберіть менше ночей або ширші дати.
tour-error-budget-max = Введіть бюджет до { $max } або оберіть «Без обмежень».
tour-error-budget-positive = Бюджет має бути більшим за нуль: введіть суму, наприклад 50000, або оберіть «Без обмежень».
