# Власні слова консольного демо (bots/console.py, `tourdesk demo`) мовою демо: агентства або
# заданою через --lang. Не слова бота: вони обрамлюють розмову.

console-welcome = tourdesk demo — { $agency }. Наберіть /start, щоб почати; Ctrl-D — вийти.
console-web-busy = (вебзастосунок не запущено: порт { $port } зайнятий: { $reason })
console-now-user = (тепер ви — { $user })
console-no-button = (на екрані користувача { $user } немає кнопки { $button })
console-browser = (у браузері відкривається { $url })
console-message-for = [повідомлення; отримувач: { $user }]
console-update-for = [оновлення { $message }; отримувач: { $user }]
