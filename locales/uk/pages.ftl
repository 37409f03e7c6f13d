# The payer's browser pages (core/payments/templates): titles; the texts are in payments.ftl.
pages-success-title = Оплату отримано
pages-paid-title = Уже оплачено
pages-expired-title = Термін дії посилання минув
pages-cancelled-title = Посилання скасовано
pages-failed-title = Оплату відхилено
pages-not-found-title = Посилання не знайдено
