## E-mail (issue 19): subjects by message kind, the unsubscribe link and its page.
mail-subject-payment = { $agency }: оплата вашої подорожі
mail-subject-receipt = { $agency }: квитанція про оплату
mail-subject-reminder = { $agency }: нагадування про вашу подорож
mail-subject-mailing = { $agency }: новини та пропозиції
mail-subject-generic = { $agency }: повідомлення щодо вашої подорожі
mail-unsubscribe-line = Щоб більше не отримувати такі листи, відкрийте { $url }
mail-unsubscribe-link = Відписатися від цих листів
mail-unsubscribe-title = Відписка
mail-unsubscribed = Ви відписалися: ми більше не надсилатимемо вам новини та пропозиції. Повідомлення про ваші подорожі та оплати й надалі надходитимуть.
mail-unsubscribe-bad-link = Це посилання для відписки недійсне. Відкрийте, будь ласка, посилання з листа без змін.
