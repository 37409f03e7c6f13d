## Розсилки в панелі персоналу (адміністратори): список, картка, майстер, хід, історія клієнта.

mchat-menu = 📣 Розсилки
mchat-list-title = 📣 Останні розсилки:
mchat-list-empty = Розсилок ще немає.
mchat-list-line = â{ $id } · { $status } · { $percent }% з { $total } · { $when }
mchat-open = Відкрити â{ $id }
mchat-new = ➕ Нова розсилка
mchat-list = 📣 Усі розсилки
mchat-refresh = 🔄 Оновити
mchat-pause = ⏸ Призупинити
mchat-resume = ▶️ Продовжити
mchat-draft = ✏️ Продовжити чернетку
mchat-cancel = ⏹ Скасувати розсилку

mchat-status-draft = чернетка
mchat-status-scheduled = заплановано
mchat-status-sending = надсилається
mchat-status-paused = призупинено
mchat-status-done = завершено
mchat-status-cancelled = скасовано

mchat-card-title = 📣 Розсилка â{ $id }: { $status }
mchat-card-segment = Сегмент: { $segment }
mchat-everyone = усі зі згодою на розсилку
mchat-card-start = Початок: { $when }
mchat-card-progress = Хід: { $done } з { $total } ({ $percent }%)
mchat-card-counts = У черзі: { $queued } · надіслано: { $sent } · помилки: { $failed } · заблоковано: { $blocked } · відписалися: { $unsubscribed } · скасовано: { $cancelled }
mchat-card-uncounted = Отримувачі: їх порахують, коли почнеться надсилання
mchat-card-none-sent = Нічого не надіслано.
mchat-card-speed = Швидкість: { $rate } за секунду · лишилося близько { $minutes } хв
mchat-card-paused = ⏸ Призупинено: нічого не надсилається, доки розсилку не продовжать.
mchat-milestone = 📣 Розсилку â{ $id } виконано на { $percent }%.
mchat-final-done = ✅ Розсилку â{ $id } завершено. Підсумок:
mchat-final-cancelled = ⏹ Розсилку â{ $id } скасовано. Підсумок:
mchat-cancel-ask = Скасувати розсилку â{ $id }? Повідомлення, які ще не пішли, надіслано не буде.
mchat-cancel-yes = ⏹ Так, скасувати
mchat-cancel-no = ◀️ Ні, надсилати далі
mchat-paused = Розсилку â{ $id } призупинено.
mchat-resumed = Розсилка â{ $id } надсилається знову.
mchat-cancelled = Розсилку â{ $id } скасовано.

mchat-client-title = Отримані розсилки:
mchat-client-none = поки немає
mchat-client-consent-on = Згода на розсилки: так
mchat-client-consent-off = Згода на розсилки: ні (розсилок не отримує)
mchat-client-line = â{ $id } · { $when } · { $outcome }
mchat-outcome-pending = очікує
mchat-outcome-sent = надіслано
mchat-outcome-delivered = доставлено
mchat-outcome-seen = переглянуто
mchat-outcome-failed = помилка
mchat-outcome-blocked = бот заблоковано
mchat-outcome-unsubscribed = відписка
mchat-outcome-cancelled = не надіслано (скасовано)

mchat-ask-segment = Нова розсилка, крок 1: кому? Введіть сегмент, наприклад: orders>=1 and country=TR and age=25-45 (умови: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager). Або виберіть нижче.
mchat-everyone-button = 👥 Усі зі згодою на розсилку
mchat-zero-audience = Під цей сегмент ніхто не підходить (враховуються лише клієнти, які погодилися отримувати пропозиції). Спробуйте інший.
mchat-preview-title = Сегмент: { $segment }
mchat-preview-total = Отримувачів: { $count }
mchat-preview-channel = · { $channel }: { $count }
mchat-preview-sample = Наприклад: { $names }
mchat-preview-stars = Вартість платної розсилки Telegram: ≈ { $stars ->
    [one] { $stars } зірка
    [few] { $stars } зірки
   *[other] { $stars } зірок
}
mchat-continue = ➡️ Далі
mchat-save-segment = 💾 Зберегти сегмент
mchat-ask-segment-name = Назва сегмента (одне слово, наприклад turkey_summer):
mchat-segment-saved = Сегмент «{ $name }» збережено.
mchat-ask-text = Крок 2: текст розсилки. Змінні: {"{"}first_name{"}"}, {"{"}name{"}"}, {"{"}manager{"}"}, {"{"}balance{"}"}, {"{"}bonus{"}"}, {"{"}next_trip{"}"}, {"{"}destination{"}"}, {"{"}due_amount{"}"}, {"{"}due_date{"}"}.
mchat-ask-langs = Окремий текст для мови — за бажанням: клієнти без нього отримають основний текст.
mchat-ask-lang-text = Текст для мови: { $language }
mchat-text-default = Основний текст
mchat-lang-uk = 🇺🇦 Українська
mchat-lang-en = 🇬🇧 Англійська
mchat-lang-ru = Російська
mchat-summary-text = { $language }: { $text }
mchat-summary-picture = Зображення: { $url }
mchat-summary-link = Посилання: { $label } — { $url }
mchat-ask-picture = Додати зображення? Надішліть його адресу (https://…) або пропустіть.
mchat-skip = ⏭ Пропустити
mchat-ask-links = Кнопки-посилання (до трьох), по одній у повідомленні, так: Наші пропозиції - https://example.com/offers. Або натисніть «Далі».
mchat-links-full = Це три кнопки-посилання — більше в повідомлення не вміщується. Натисніть «Далі».
mchat-bad-link-line = Кнопку-посилання пишуть так: назва, тире й адреса: Наші пропозиції - https://example.com/offers
mchat-ready-title = Розсилка â{ $id } готова.
mchat-ask-ready = Спершу надішліть тест у цей чат, потім — зараз або на певний час.
mchat-test = 📨 Надіслати мені тест
mchat-test-sent = Тест уже йде в цей чат — так, як його побачить клієнт вашою мовою.
mchat-send-now = 🚀 Надіслати зараз
mchat-schedule = 🕒 Запланувати
mchat-ask-when = Коли почати? Введіть ГГ:ХХ або ДД.ММ ГГ:ХХ (часовий пояс { $tz }). Якщо це тихі години, початок перенесеться на їх кінець.
mchat-bad-time = Час має виглядати так: 18:30 або 24.12 18:30.
mchat-started = 🚀 Розсилка â{ $id } надсилається. Хід з'являтиметься в цьому чаті.
mchat-scheduled = 🕒 Розсилка â{ $id } почнеться { $when }. Хід з'являтиметься в цьому чаті.
