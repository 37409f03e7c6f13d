## Рассылки в панели персонала (администраторы): список, карточка, мастер, ход, история клиента.

mchat-menu = 📣 Рассылки
mchat-list-title = 📣 Последние рассылки:
mchat-list-empty = Рассылок пока нет.
mchat-list-line = â{ $id } · { $status } · { $percent }% из { $total } · { $when }
mchat-open = Открыть â{ $id }
mchat-new = ➕ Новая рассылка
mchat-list = 📣 Все рассылки
mchat-refresh = 🔄 Обновить
mchat-pause = ⏸ Приостановить
mchat-resume = ▶️ Продолжить
mchat-draft = ✏️ Продолжить черновик
mchat-cancel = ⏹ Отменить рассылку

mchat-status-draft = черновик
mchat-status-scheduled = запланирована
mchat-status-sending = отправляется
mchat-status-paused = приостановлена
mchat-status-done = завершена
mchat-status-cancelled = отменена

mchat-card-title = 📣 Рассылка â{ $id }: { $status }
mchat-card-segment = Сегмент: { $segment }
mchat-everyone = все, кто дал согласие
mchat-card-start = Начало: { $when }
mchat-card-progress = Ход: { $done } из { $total } ({ $percent }%)
mchat-card-counts = В очереди: { $queued } · отправлено: { $sent } · ошибки: { $failed } · заблокировано: { $blocked } · отписались: { $unsubscribed } · отменено: { $cancelled }
mchat-card-uncounted = Получатели: будут посчитаны, когда начнётся отправка
mchat-card-none-sent = Ничего не отправлено.
mchat-card-speed = Скорость: { $rate } в секунду · осталось около { $minutes } мин
mchat-card-paused = ⏸ Приостановлено: ничего не отправляется, пока рассылку не продолжат.
mchat-milestone = 📣 Рассылка â{ $id } выполнена на { $percent }%.
mchat-final-done = ✅ Рассылка â{ $id } завершена. Итог:
mchat-final-cancelled = ⏹ Рассылка â{ $id } отменена. Итог:
mchat-cancel-ask = Отменить рассылку â{ $id }? Сообщения, которые ещё не ушли, отправлены не будут.
mchat-cancel-yes = ⏹ Да, отменить
mchat-cancel-no = ◀️ Нет, отправлять дальше
mchat-paused = Рассылка â{ $id } приостановлена.
mchat-resumed = Рассылка â{ $id } снова отправляется.
mchat-cancelled = Рассылка â{ $id } отменена.

mchat-client-title = Полученные рассылки:
mchat-client-none = пока нет
mchat-client-consent-on = Согласие на рассылки: да
mchat-client-consent-off = Согласие на рассылки: нет (рассылки не получает)
mchat-client-line = â{ $id } · { $when } · { $outcome }
mchat-outcome-pending = ожидает
mchat-outcome-sent = отправлено
mchat-outcome-delivered = доставлено
mchat-outcome-seen = просмотрено
mchat-outcome-failed = ошибка
mchat-outcome-blocked = бот заблокирован
mchat-outcome-unsubscribed = отписка
mchat-outcome-cancelled = не отправлено (отмена)

mchat-ask-segment = Новая рассылка, шаг 1: кому? Введите сегмент, например: orders>=1 and country=TR and age=25-45 (условия: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager). Или выберите ниже.
mchat-everyone-button = 👥 Все, кто дал согласие
mchat-zero-audience = Под этот сегмент никто не подходит (учитываются только клиенты, согласившиеся получать предложения). Попробуйте другой.
mchat-preview-title = Сегмент: { $segment }
mchat-preview-total = Получателей: { $count }
mchat-preview-channel = · { $channel }: { $count }
mchat-preview-sample = Например: { $names }
mchat-preview-stars = Стоимость платной рассылки Telegram: ≈ { $stars ->
    [one] { $stars } звезда
    [few] { $stars } звезды
   *[other] { $stars } звёзд
}
mchat-continue = ➡️ Дальше
mchat-save-segment = 💾 Сохранить сегмент
mchat-ask-segment-name = Название сегмента (одно слово, например turkey_summer):
mchat-segment-saved = Сегмент «{ $name }» сохранён.
mchat-ask-text = Шаг 2: текст рассылки. Переменные: {"{"}first_name{"}"}, {"{"}name{"}"}, {"{"}manager{"}"}, {"{"}balance{"}"}, {"{"}bonus{"}"}, {"{"}next_trip{"}"}, {"{"}destination{"}"}, {"{"}due_amount{"}"}, {"{"}due_date{"}"}.
mchat-ask-langs = Отдельный текст для языка — по желанию: клиенты без него получат основной текст.
mchat-ask-lang-text = Текст для языка: { $language }
mchat-text-default = Основной текст
mchat-lang-uk = 🇺🇦 Украинский
mchat-lang-en = 🇬🇧 Английский
mchat-lang-ru = Русский
mchat-summary-text = { $language }: { $text }
mchat-summary-picture = Изображение: { $url }
mchat-summary-link = Ссылка: { $label } — { $url }
mchat-ask-picture = Добавить изображение? Отправьте его адрес (https://…) или пропустите.
mchat-skip = ⏭ Пропустить
mchat-ask-links = Кнопки-ссылки (до трёх), по одной в сообщении, так: Наши предложения - https://example.com/offers. Или нажмите «Дальше».
mchat-links-full = Это три кнопки-ссылки — больше в сообщение не помещается. Нажмите «Дальше».
mchat-bad-link-line = Кнопку-ссылку пишут так: название, тире и адрес: Наши предложения - https://example.com/offers
mchat-ready-title = Рассылка â{ $id } готова.
mchat-ask-ready = Сначала отправьте тест в этот чат, потом — сейчас или на определённое время.
mchat-test = 📨 Отправить мне тест
mchat-test-sent = Тест уже идёт в этот чат — так, как его увидит клиент на вашем языке.
mchat-send-now = 🚀 Отправить сейчас
mchat-schedule = 🕒 Запланировать
mchat-ask-when = Когда начать? Введите ЧЧ:ММ или ДД.ММ ЧЧ:ММ (часовой пояс { $tz }). Если это тихие часы, начало перенесётся на их конец.
mchat-bad-time = Время должно выглядеть так: 18:30 или 24.12 18:30.
mchat-started = 🚀 Рассылка â{ $id } отправляется. Ход будет появляться в этом чате.
mchat-scheduled = 🕒 Рассылка â{ $id } начнётся { $when }. Ход будет появляться в этом чате.
