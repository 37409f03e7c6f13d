## Importing clients and orders from CSV / XLSX (CLI and API)

import-bad-format = { $name }: only .csv and .xlsx files can be imported.
import-bad-xlsx = { $name } is not a readable XLSX workbook.
import-no-file = There is no file { $name }.
import-empty-file = The file is empty: there is no header row.
import-map-syntax = --map expects COLUMN=field, not “{ $pair }”.
import-map-no-column = --map names a column the file does not have: “{ $column }”.
import-map-no-field = --map names an unknown field “{ $field }”. Known fields: { $fields }.
import-no-phone-column = No column was recognised as the phone. Name it with --map COLUMN=phone.
import-no-number-column = No column was recognised as the order number. Name it with --map COLUMN=number.

import-reason-missing = required, but empty
import-reason-phone = not a valid phone number
import-reason-date = not a date (write DD.MM.YYYY or YYYY-MM-DD)
import-reason-birthday = not a plausible date of birth
import-reason-gender = gender not recognised (write f or m)
import-reason-email = not a valid e-mail address
import-reason-consent = consent not recognised (write yes or no)
import-reason-currency = not a currency we accept (UAH, USD, EUR), or not the order's currency
import-reason-amount = not an amount of money (a positive number with at most two decimals)
import-reason-points = not a whole number of points
import-reason-too-long = too long
import-reason-country = not a two-letter country code
import-reason-dates = the return is before the departure
import-reason-duplicate = the same as line { $first } above; only the first is imported
import-reason-other-client = this order number belongs to another client's order

import-issue = Line { $line }, { $field }: { $reason }
import-issue-value = Line { $line }, { $field }: { $reason } (“{ $value }”)
import-columns = Columns: { $mapping }
import-dry-run = Dry run: nothing was changed.
import-summary = Rows: { $rows }. New: { $new }, updated: { $updated }, unchanged: { $unchanged }, duplicates: { $duplicate }, invalid: { $invalid }.
import-summary-money = Ledger entries: { $entries }. Opening bonuses: { $bonuses }.
import-summary-orders-money = Ledger entries: { $entries }. Clients created: { $clients }.
import-issues-left-out = …and { $count } more rows with problems, not listed.

ledger-kind-opening = opening balance
