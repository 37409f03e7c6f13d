# Собственные слова консольного демо (bots/console.py, `tourdesk demo`) на языке демо:
# агентства или заданном через --lang. Не слова бота: они обрамляют разговор.

console-welcome = tourdesk demo — { $agency }. Наберите /start, чтобы начать; Ctrl-D — выйти.
console-web-busy = (веб-приложение не запущено: порт { $port } занят: { $reason })
console-now-user = (теперь вы — { $user })
console-no-button = (на экране пользователя { $user } нет кнопки { $button })
console-browser = (в браузере открывается { $url })
console-message-for = [сообщение; получатель: { $user }]
console-update-for = [обновление { $message }; получатель: { $user }]
