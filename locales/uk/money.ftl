# Скасування замовлення, за яке вже заплачено, і повернення коштів (issue 11).

money-cancel-ask-nothing = Скасувати замовлення { $number } ({ $destination })? За нього ще нічого не сплачено.
money-cancel-yes = ❌ Так, скасувати замовлення
money-cancel-ask = Скасувати замовлення { $number } ({ $destination })? За нього вже сплачено { $paid }. Що зробити з цими коштами?
money-cancel-keep-info = • Залишити на балансі: { $amount } перейде на баланс клієнта в боті — для іншої подорожі або повернення згодом.
money-cancel-refund-info = • Повернути на картку через { $providers }: { $amount }; банк зазвичай повертає кошти протягом { $days ->
    [one] { $days } дня
   *[other] { $days } днів
}.
money-cancel-refund-rest = • Решту, { $amount }, сплачено з балансу — вона там і залишиться.
money-cancel-no-refund = • Повернення на картку тут неможливе: кошти надійшли з балансу або через платіжну систему, яка не підтримує повернень.
money-cancel-keep = 💼 Скасувати, { $amount } — на баланс
money-cancel-refund = ↩️ Скасувати, повернути { $amount } на картку
money-changed = Сума, сплачена за замовлення { $number }, щойно змінилася. Перевірте й оберіть ще раз.
money-refund-unavailable = Повернення на картку для цього замовлення неможливе: кошти надійшли з балансу або через платіжну систему, яка не підтримує повернень.

money-client-refunding = ↩️ { $amount } повертаємо на вашу картку; банк зазвичай зараховує кошти протягом { $days ->
    [one] { $days } дня
   *[other] { $days } днів
}.
money-client-kept = 💼 Сплачені { $amount } тепер на вашому балансі в боті (баланс: { $balance }); ними можна оплатити іншу подорож.

money-staff-refund-done = ↩️ Повернення { $amount } через { $provider }: підтверджено.
money-staff-refund-waiting = ⏳ Повернення { $amount } через { $provider }: запит надіслано, чекаємо підтвердження.
money-staff-refund-failed = ⚠️ Повернення { $amount } через { $provider } відхилено ({ $reason }); кошти залишаються на балансі клієнта.
money-staff-kept = 💼 { $amount } — на балансі клієнта (тепер { $balance }).
money-staff-refund-too-much = ⚠️ Повернення { $amount } (клієнт: { $client }, платіж { $reference }) не враховано: той платіж становив { $paid }, і { $refunded } з нього вже повернуто. Перевірте це в кабінеті платіжної системи.

money-card-cancelled = Ціна: { $price } · скасовано
money-card-nothing = За нього нічого не сплачено.
money-card-refunded = ↩️ Повернуто на картку: { $amount }
money-card-refunding = ⏳ Повернення чекає підтвердження: { $amount }
money-card-on-balance = 💼 Переведено на баланс клієнта: { $amount }

money-trip-cancelled = 💰 Ціна { $price } · скасовано
money-trip-nothing = За цю подорож нічого не сплачено.
money-trip-refunded = ↩️ Повернуто на вашу картку: { $amount }
money-trip-refunding = ⏳ Повертається на вашу картку: { $amount }
money-trip-on-balance = 💼 Повернуто на ваш баланс: { $amount }

money-order-line-cancelled = { $number } · { $destination } · { $client }
    { $status } · { $price }
money-client-card-order-cancelled = • { $number } { $destination } — { $status }
money-staff-refund-confirmed = ↩️ Повернення { $amount } підтверджено (клієнт: { $client }, { $provider }).
