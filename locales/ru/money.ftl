# Отмена заказа, за который уже заплатили, и возвраты (issue 11).

money-cancel-ask-nothing = Отменить заказ { $number } ({ $destination })? За него ещё ничего не оплачено.
money-cancel-yes = ❌ Да, отменить заказ
money-cancel-ask = Отменить заказ { $number } ({ $destination })? За него уже оплачено { $paid }. Куда направить эти деньги?
money-cancel-keep-info = • Оставить на балансе: { $amount } перейдёт на баланс клиента в боте — для другой поездки или возврата позже.
money-cancel-refund-info = • Вернуть на карту через { $providers }: { $amount }; банк обычно возвращает деньги в течение { $days ->
    [one] { $days } дня
   *[other] { $days } дней
}.
money-cancel-refund-rest = • Остальные { $amount } оплачены с баланса и останутся там.
money-cancel-no-refund = • Возврат на карту здесь невозможен: деньги поступили с баланса или через платёжную систему, которая не поддерживает возвраты.
money-cancel-keep = 💼 Отменить, { $amount } — на баланс
money-cancel-refund = ↩️ Отменить, вернуть { $amount } на карту
money-changed = Сумма, оплаченная за заказ { $number }, только что изменилась. Проверьте и выберите ещё раз.
money-refund-unavailable = Возврат на карту для этого заказа невозможен: деньги поступили с баланса или через платёжную систему, которая не поддерживает возвраты.

money-client-refunding = ↩️ { $amount } возвращаем на вашу карту; банк обычно зачисляет деньги в течение { $days ->
    [one] { $days } дня
   *[other] { $days } дней
}.
money-client-kept = 💼 Оплаченные { $amount } теперь на вашем балансе в боте (баланс: { $balance }); ими можно оплатить другую поездку.

money-staff-refund-done = ↩️ Возврат { $amount } через { $provider }: подтверждён.
money-staff-refund-waiting = ⏳ Возврат { $amount } через { $provider }: запрос отправлен, ждём подтверждения.
money-staff-refund-failed = ⚠️ Возврат { $amount } через { $provider } отклонён ({ $reason }); деньги остаются на балансе клиента.
money-staff-kept = 💼 { $amount } — на балансе клиента (теперь { $balance }).
money-staff-refund-too-much = ⚠️ Возврат { $amount } (клиент: { $client }, платёж { $reference }) не учтён: тот платёж составлял { $paid }, и { $refunded } из него уже возвращено. Проверьте это в кабинете платёжной системы.

money-card-cancelled = Цена: { $price } · отменён
money-card-nothing = За него ничего не оплачено.
money-card-refunded = ↩️ Возвращено на карту: { $amount }
money-card-refunding = ⏳ Возврат ждёт подтверждения: { $amount }
money-card-on-balance = 💼 Переведено на баланс клиента: { $amount }

money-trip-cancelled = 💰 Цена { $price } · отменено
money-trip-nothing = За эту поездку ничего не оплачено.
money-trip-refunded = ↩️ Возвращено на вашу карту: { $amount }
money-trip-refunding = ⏳ Возвращается на вашу карту: { $amount }
money-trip-on-balance = 💼 Возвращено на ваш баланс: { $amount }

money-order-line-cancelled = { $number } · { $destination } · { $client }
    { $status } · { $price }
money-client-card-order-cancelled = • { $number } { $destination } — { $status }
money-staff-refund-confirmed = ↩️ Возврат { $amount } подтверждён (клиент: { $client }, { $provider }).
