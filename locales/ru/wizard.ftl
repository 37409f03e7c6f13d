# The tour request wizard: checks added with the declarative wizard (issue 16)
tour-error-nights-dates = Между этими датами { $span ->
    [one] только { $span } ночь
    [few] только { $span } ночи
   *[other] только { $span } ночей
}, а ночей в поездке — не меньше { $nights }. Выберите меньше ночей или более широкие даты.
tour-error-budget-max = Введите бюджет до { $max } или выберите «Без ограничений».
tour-error-budget-positive = Бюджет должен быть больше нуля: введите сумму, например 50000, или выберите «Без ограничений».
