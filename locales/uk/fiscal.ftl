fiscal-receipt-ready = Фіскальний чек на { $amount }: № { $code }.
fiscal-return-ready = Фіскальний чек повернення на { $amount }: № { $code }.
fiscal-open-receipt = 🧾 Відкрити чек
fiscal-staff-failing = ⚠️ Фіскальний чек на { $amount } ({ $what }) не вдається створити: { $error }. Сам платіж записано; чек створюватиметься повторно.
fiscal-card-done = 🧾 { $amount }: фіскальний чек № { $code }
fiscal-card-pending = 🧾 { $amount }: фіскальний чек створюється
fiscal-card-failed = 🧾 { $amount }: фіскальний чек не створено ({ $error })
