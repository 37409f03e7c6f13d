# Telegram channel: the command list shown in the "/" menu, and channel-level notes.
telegram-command-start = Начать сначала
telegram-command-menu = Главное меню
telegram-command-cancel = Отменить и вернуться в меню
telegram-contact-not-yours = Извините, мы можем принять только ваш собственный номер телефона, поэтому этот контакт не сохранён. Поделитесь, пожалуйста, своим номером или введите его.
telegram-staff-order = Заказ по номеру
telegram-staff-invite = Пригласить сотрудника
