# The payer's browser pages (core/payments/templates): titles; the texts are in payments.ftl.
pages-success-title = Оплата получена
pages-paid-title = Уже оплачено
pages-expired-title = Срок действия ссылки истёк
pages-cancelled-title = Ссылка отменена
pages-failed-title = Оплата отклонена
pages-not-found-title = Ссылка не найдена
