fiscal-receipt-ready = Фискальный чек на { $amount }: № { $code }.
fiscal-return-ready = Фискальный чек возврата на { $amount }: № { $code }.
fiscal-open-receipt = 🧾 Открыть чек
fiscal-staff-failing = ⚠️ Фискальный чек на { $amount } ({ $what }) не удаётся создать: { $error }. Сам платёж записан; чек будет создаваться повторно.
fiscal-card-done = 🧾 { $amount }: фискальный чек № { $code }
fiscal-card-pending = 🧾 { $amount }: фискальный чек создаётся
fiscal-card-failed = 🧾 { $amount }: фискальный чек не создан ({ $error })
