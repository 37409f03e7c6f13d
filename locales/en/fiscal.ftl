fiscal-receipt-ready = Fiscal receipt for { $amount }: No. { $code }.
fiscal-return-ready = Fiscal return receipt for { $amount }: No. { $code }.
fiscal-open-receipt = 🧾 Open the receipt
fiscal-staff-failing = ⚠️ The fiscal receipt for { $amount } ({ $what }) is not being made: { $error }. The payment itself is recorded; the receipt is retried.
fiscal-card-done = 🧾 { $amount }: fiscal receipt No. { $code }
fiscal-card-pending = 🧾 { $amount }: fiscal receipt being made
fiscal-card-failed = 🧾 { $amount }: fiscal receipt failed ({ $error })
