## E-mail (issue 19): subjects by message kind, the unsubscribe link and its page.
mail-subject-payment = { $agency }: оплата вашей поездки
mail-subject-receipt = { $agency }: квитанция об оплате
mail-subject-reminder = { $agency }: напоминание о вашей поездке
mail-subject-mailing = { $agency }: новости и предложения
mail-subject-generic = { $agency }: сообщение о вашей поездке
mail-unsubscribe-line = Чтобы больше не получать такие письма, откройте { $url }
mail-unsubscribe-link = Отписаться от этих писем
mail-unsubscribe-title = Отписка
mail-unsubscribed = Вы отписались: мы больше не будем присылать вам новости и предложения. Сообщения о ваших поездках и оплатах по-прежнему будут приходить.
mail-unsubscribe-bad-link = Эта ссылка для отписки недействительна. Пожалуйста, откройте ссылку из письма без изменений.
