## Напоминания (issue 8): клиентам, сотрудникам и отзыв о поездке.

## Оплата
reminder-payment-due = ⏰ Напоминаем о вашей поездке { $number } ({ $destination }): к оплате { $remaining } до { $due } — { $days ->
        [1] то есть завтра.
        [one] через { $days } день.
        [few] через { $days } дня.
       *[other] через { $days } дней.
    }
reminder-payment-due-today = ⏰ Сегодня, { $due }, — день оплаты вашей поездки { $number } ({ $destination }). К оплате: { $remaining }.
reminder-payment-due-hint = Оплатить можно здесь, кнопкой ниже. Если вы только что оплатили — спасибо, просто не обращайте внимания на это сообщение.
reminder-pay-button = 💳 Оплатить { $amount }

## Перед вылетом
reminder-departure = 🧳 { $days ->
        [0] Ваша поездка { $number } ({ $destination }) начинается сегодня, { $date }!
        [1] Ваша поездка { $number } ({ $destination }) начинается завтра, { $date }!
        [one] Ваша поездка { $number } ({ $destination }) начинается { $date } — через { $days } день!
        [few] Ваша поездка { $number } ({ $destination }) начинается { $date } — через { $days } дня!
       *[other] Ваша поездка { $number } ({ $destination }) начинается { $date } — через { $days } дней!
    }
reminder-departure-checklist = Пожалуйста, проверьте документы:
    • загранпаспорта (действительны минимум 6 месяцев после возвращения) и визы, если нужны
    • авиабилеты и ваучер на отель
    • страховой полис
    • для детей, которые едут с одним из родителей или с другими взрослыми, — нотариальное согласие родителей
    • банковские карты и немного наличных в местной валюте
    • лекарства, которые вы принимаете постоянно
    Будьте в аэропорту за 2–3 часа до вылета. Хорошей поездки!
reminder-departure-memo = 📌 Памятка: { $country }

## Отзыв после возвращения
reminder-review = 👋 С возвращением! Как прошла ваша поездка { $number } ({ $destination })? Пожалуйста, оцените её — это очень нам поможет.
reminder-review-star = { $stars } ⭐

## День рождения
reminder-birthday = 🎂 С днём рождения, { $name }! Пусть этот год подарит вам много счастливых путешествий. Искренне ваша команда { $agency }.
reminder-birthday-noname = 🎂 С днём рождения! Пусть этот год подарит вам много счастливых путешествий. Искренне ваша команда { $agency }.
reminder-birthday-find-tour = 🔎 Подобрать тур
reminder-birthday-stop = 🔕 Не присылать поздравления и предложения

## Ежедневная сводка для сотрудников
reminder-digest-title = ☀️ Доброе утро! Ваш день, { $date }:
reminder-digest-departures = ✈️ Вылеты сегодня ({ $count }):
reminder-digest-departure = • { $number } { $destination } — { $client }
reminder-digest-payments = 💳 Оплаты на сегодня и просроченные ({ $count }):
reminder-digest-payment-today = • { $number } { $destination } — { $client }: { $remaining }, срок сегодня
reminder-digest-payment-overdue = • { $number } { $destination } — { $client }: { $remaining }, просрочено с { $due }
reminder-digest-requests = 🆕 Новые заявки без менеджера ({ $count }):
reminder-digest-request = • { $number } { $destination } — { $client }
reminder-digest-follow-ups = 📞 Запланированные контакты на сегодня ({ $count }):
reminder-digest-follow-up = • { $time } { $client }: { $note }
reminder-digest-nothing = На сегодня ничего не запланировано.
reminder-digest-more = … и ещё { $count }

## Потерянные клиенты (еженедельно, администраторам)
reminder-lost-title = 🕰 Клиенты без вестей больше { $days ->
    [one] { $days } дня
   *[other] { $days } дней
}: { $count }
reminder-lost-client = • { $client }, { $phone } — { $trip }
reminder-lost-no-trips = поездок ещё не было
reminder-lost-last-trip = последняя поездка: { $number } { $destination } ({ $date })

## Низкая оценка (сотрудникам)
reminder-review-alert = ⚠️ Низкая оценка: { $stars }/5 за { $number } { $destination } (клиент: { $client }, { $phone }).
reminder-review-alert-comment = Комментарий: { $comment }
reminder-review-alert-no-comment = Без комментария.

## Разговор об отзыве (клиент)
review-ask-comment = Спасибо за оценку: { $stars } ⭐! Хотите добавить пару слов? Просто напишите комментарий или нажмите «Пропустить».
review-skip = ⏭ Пропустить
review-thanks = Спасибо за отзыв! Он помогает нам делать каждую следующую поездку лучше.
review-already = Вы уже оценили эту поездку ({ $stars } ⭐). Спасибо!
review-not-found = Не удалось найти эту поездку среди ваших.
review-comment-too-long = Немного длинновато — пожалуйста, уложитесь в { $max } символов.
review-comment-text-only = Пожалуйста, напишите комментарий текстом или нажмите «Пропустить».
review-to-menu = 🏠 Главное меню
