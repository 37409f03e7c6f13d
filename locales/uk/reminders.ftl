## Нагадування (issue 8): клієнтам, працівникам і відгук про поїздку.

## Оплата
reminder-payment-due = ⏰ Нагадуємо про вашу поїздку { $number } ({ $destination }): до сплати { $remaining } до { $due } — { $days ->
        [1] тобто завтра.
        [one] через { $days } день.
        [few] через { $days } дні.
       *[other] через { $days } днів.
    }
reminder-payment-due-today = ⏰ Сьогодні, { $due }, — день оплати вашої поїздки { $number } ({ $destination }). До сплати: { $remaining }.
reminder-payment-due-hint = Оплатити можна тут, кнопкою нижче. Якщо ви щойно оплатили — дякуємо, просто не зважайте на це повідомлення.
reminder-pay-button = 💳 Оплатити { $amount }

## Перед вильотом
reminder-departure = 🧳 { $days ->
        [0] Ваша поїздка { $number } ({ $destination }) починається сьогодні, { $date }!
        [1] Ваша поїздка { $number } ({ $destination }) починається завтра, { $date }!
        [one] Ваша поїздка { $number } ({ $destination }) починається { $date } — через { $days } день!
        [few] Ваша поїздка { $number } ({ $destination }) починається { $date } — через { $days } дні!
       *[other] Ваша поїздка { $number } ({ $destination }) починається { $date } — через { $days } днів!
    }
reminder-departure-checklist = Будь ласка, перевірте документи:
    • закордонні паспорти (дійсні щонайменше 6 місяців після повернення) і візи, якщо потрібні
    • авіаквитки та ваучер на готель
    • страховий поліс
    • для дітей, які їдуть з одним із батьків або з іншими дорослими, — нотаріальна згода батьків
    • банківські картки й трохи готівки в місцевій валюті
    • ліки, які ви приймаєте постійно
    Будьте в аеропорту за 2–3 години до вильоту. Гарної подорожі!
reminder-departure-memo = 📌 Пам'ятка: { $country }

## Відгук після повернення
reminder-review = 👋 З поверненням! Як пройшла ваша поїздка { $number } ({ $destination })? Оцініть її, будь ласка, — це дуже нам допоможе.
reminder-review-star = { $stars } ⭐

## День народження
reminder-birthday = 🎂 З днем народження, { $name }! Нехай цей рік подарує вам багато щасливих подорожей. Щиро ваша команда { $agency }.
reminder-birthday-noname = 🎂 З днем народження! Нехай цей рік подарує вам багато щасливих подорожей. Щиро ваша команда { $agency }.
reminder-birthday-find-tour = 🔎 Підібрати тур
reminder-birthday-stop = 🔕 Не надсилати привітання й пропозиції

## Щоденний дайджест для працівників
reminder-digest-title = ☀️ Доброго ранку! Ваш день, { $date }:
reminder-digest-departures = ✈️ Вильоти сьогодні ({ $count }):
reminder-digest-departure = • { $number } { $destination } — { $client }
reminder-digest-payments = 💳 Оплати на сьогодні й прострочені ({ $count }):
reminder-digest-payment-today = • { $number } { $destination } — { $client }: { $remaining }, термін сьогодні
reminder-digest-payment-overdue = • { $number } { $destination } — { $client }: { $remaining }, прострочено з { $due }
reminder-digest-requests = 🆕 Нові заявки без менеджера ({ $count }):
reminder-digest-request = • { $number } { $destination } — { $client }
reminder-digest-follow-ups = 📞 Заплановані контакти на сьогодні ({ $count }):
reminder-digest-follow-up = • { $time } { $client }: { $note }
reminder-digest-nothing = На сьогодні нічого не заплановано.
reminder-digest-more = … і ще { $count }

## Втрачені клієнти (щотижня, адміністраторам)
reminder-lost-title = 🕰 Клієнти без звісток понад { $days ->
    [one] { $days } день
    [few] { $days } дні
   *[other] { $days } днів
}: { $count }
reminder-lost-client = • { $client }, { $phone } — { $trip }
reminder-lost-no-trips = поїздок ще не було
reminder-lost-last-trip = остання поїздка: { $number } { $destination } ({ $date })

## Низька оцінка (працівникам)
reminder-review-alert = ⚠️ Низька оцінка: { $stars }/5 за { $number } { $destination } (клієнт: { $client }, { $phone }).
reminder-review-alert-comment = Коментар: { $comment }
reminder-review-alert-no-comment = Без коментаря.

## Розмова про відгук (клієнт)
review-ask-comment = Дякуємо за оцінку: { $stars } ⭐! Бажаєте додати кілька слів? Просто напишіть коментар або натисніть «Пропустити».
review-skip = ⏭ Пропустити
review-thanks = Дякуємо за відгук! Він допомагає нам робити кожну наступну подорож кращою.
review-already = Ви вже оцінили цю поїздку ({ $stars } ⭐). Дякуємо!
review-not-found = Не вдалося знайти цю поїздку серед ваших.
review-comment-too-long = Трохи задовго — будь ласка, вкладіться в { $max } символів.
review-comment-text-only = Будь ласка, напишіть коментар текстом або натисніть «Пропустити».
review-to-menu = 🏠 Головне меню
