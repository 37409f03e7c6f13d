# Telegram channel: the command list shown in the "/" menu, and channel-level notes.
telegram-command-start = Почати спочатку
telegram-command-menu = Головне меню
telegram-command-cancel = Скасувати й повернутися до меню
telegram-contact-not-yours = Вибачте, ми можемо прийняти лише ваш власний номер телефону, тож цей контакт не збережено. Поділіться, будь ласка, своїм номером або введіть його.
telegram-staff-order = Замовлення за номером
telegram-staff-invite = Запросити члена команди
