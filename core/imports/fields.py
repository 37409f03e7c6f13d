"""Which column is which, and what a cell means: header synonyms (uk / en / ru) and parsers.

A header is matched after folding case, ``ё`` -> ``е`` and dropping everything but letters and
digits, so "E-mail", "email" and "Е-мейл " are compared as written by different people.
``--map COLUMN=field`` (or ``mapping`` in the API) wins over the guess; ``COLUMN=-`` ignores a
column. Parsers raise :class:`BadValue` with the key of the reason a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from core.clients import normalise_phone
from core.errors import InvalidInput
from core.money import CURRENCIES, minor_digits

IGNORE = "-"


class BadValue(Exception):
    """A cell we cannot take; ``key`` is the reason's translation key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def fold(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold().replace("ё", "е").replace("№", "no"))


def _synonyms(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {fold(word): field for field, words in table.items() for word in (field, *words)}


CLIENT_FIELDS: dict[str, str] = _synonyms(
    {
        "phone": (
            "телефон",
            "тел",
            "мобільний",
            "мобильный",
            "номер телефону",
            "номер телефона",
            "phone number",
            "mobile",
            "cell",
            "tel",
        ),
        "first_name": ("ім'я", "імя", "имя", "first name", "firstname", "name"),
        "last_name": ("прізвище", "фамилия", "last name", "lastname", "surname"),
        "full_name": ("піб", "фіо", "фио", "повне ім'я", "клієнт", "клиент", "full name", "client"),
        "birthday": (
            "дата народження",
            "день народження",
            "дата рождения",
            "день рождения",
            "date of birth",
            "dob",
            "birth date",
            "birthdate",
        ),
        "gender": ("стать", "пол", "sex"),
        "email": ("e-mail", "ел пошта", "електронна пошта", "эл почта", "почта", "пошта", "mail"),
        "consent": (
            "згода",
            "згода на розсилку",
            "согласие",
            "согласие на рассылку",
            "marketing consent",
            "marketing",
            "subscribed",
            "розсилка",
            "рассылка",
        ),
        "balance": (
            "баланс",
            "залишок",
            "остаток",
            "opening balance",
            "депозит",
            "deposit",
        ),
        "bonus": ("бонус", "бонуси", "бонусы", "бали", "баллы", "bonus points", "points"),
        "tags": ("теги", "мітки", "метки", "tag", "labels", "група", "группа", "group"),
        "currency": ("валюта", "curr"),
    }
)

ORDER_FIELDS: dict[str, str] = _synonyms(
    {
        "phone": (
            "телефон",
            "тел",
            "телефон клієнта",
            "телефон клиента",
            "client phone",
            "customer phone",
            "mobile",
            "tel",
        ),
        "number": (
            "номер",
            "номер замовлення",
            "номер заявки",
            "номер заказа",
            "заявка",
            "замовлення",
            "заказ",
            "order",
            "order number",
            "order no",
            "booking",
            "claim",
            "№",
            "№ заявки",
            "№ замовлення",
            "№ заказа",
            "№ договору",
            "№ договора",
            "no",
        ),
        "destination": (
            "напрямок",
            "направление",
            "курорт",
            "тур",
            "готель",
            "отель",
            "route",
            "tour",
            "hotel",
            "resort",
        ),
        "country": ("країна", "страна", "country code"),
        "departure": (
            "дата початку",
            "дата виїзду",
            "виліт",
            "дата заїзду",
            "дата начала",
            "дата вылета",
            "вылет",
            "заезд",
            "начало тура",
            "start",
            "date from",
            "check in",
            "departure date",
            "from",
        ),
        "return": (
            "дата закінчення",
            "повернення",
            "дата выезда",
            "дата окончания",
            "возврат",
            "окончание тура",
            "end",
            "date to",
            "check out",
            "return date",
            "to",
        ),
        "price": (
            "ціна",
            "вартість",
            "сума",
            "цена",
            "стоимость",
            "сумма",
            "total",
            "amount",
            "cost",
        ),
        "currency": ("валюта", "curr"),
        "paid": ("сплачено", "оплачено", "оплата", "paid amount", "payment"),
        "due_date": (
            "сплатити до",
            "оплатити до",
            "термін оплати",
            "оплатить до",
            "срок оплаты",
            "due",
            "pay by",
            "payment due",
        ),
        "status": ("статус", "стан", "состояние", "state"),
        "first_name": ("ім'я", "імя", "имя", "first name", "firstname"),
        "last_name": ("прізвище", "фамилия", "last name", "lastname", "surname"),
        "full_name": ("піб", "фіо", "фио", "турист", "клієнт", "клиент", "full name", "client"),
    }
)


def build_mapping(
    headers: Iterable[str], known: Mapping[str, str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``{header: field}`` for the headers we recognise; ``overrides`` (``--map``) win.

    An override naming a field we do not have, or a column the file lacks, is refused: a typo
    in ``--map`` must not silently import nothing.
    """
    fields = set(known.values())
    headers = [h for h in headers if h]
    by_fold = {fold(h): h for h in headers}
    mapping: dict[str, str] = {}
    for header in headers:
        guess = known.get(fold(header))
        if guess and guess not in mapping.values():
            mapping[header] = guess
    for column, field in (overrides or {}).items():
        found = column if column in headers else by_fold.get(fold(column))
        if found is None:
            raise InvalidInput("import-map-no-column", column=column)
        header = found
        if field == IGNORE:
            mapping.pop(header, None)
            continue
        if field not in fields:
            raise InvalidInput("import-map-no-field", field=field, fields=", ".join(sorted(fields)))
        for other in [h for h, f in mapping.items() if f == field]:
            del mapping[other]
        mapping[header] = field
    return mapping


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """``["Моб=phone", "Notes=-"]`` -> ``{"Моб": "phone", "Notes": "-"}``."""
    result: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise InvalidInput("import-map-syntax", pair=pair)
        result[column.strip()] = field.strip()
    return result


# ---- cells ------------------------------------------------------------------------------------


def text(value: Any, limit: int) -> str:
    result = re.sub(r"\s+", " ", str(value)).strip()
    if len(result) > limit:
        raise BadValue("import-reason-too-long")
    return result


def phone(value: Any, region: str) -> str:
    raw = value
    if isinstance(value, float) and value.is_integer():
        raw = int(value)  # Excel keeps a typed-in number as 380671234567.0
    try:
        return normalise_phone(str(raw), region)
    except InvalidInput:
        raise BadValue("import-reason-phone") from None


_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y", "%Y.%m.%d")
EXCEL_EPOCH = date(1899, 12, 30)


def day(value: Any) -> date:
    """A date as Excel stores it (a datetime, or a serial number) or as people type it."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 1 <= value < 100_000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    cleaned = str(value).strip().split(" ")[0].split("T")[0]
    quick = _DMY.match(cleaned) or _YMD.match(cleaned)  # strptime is slow; these are most
    if quick:
        a, b, c = (int(g) for g in quick.groups())
        try:
            return date(c, b, a) if quick.re is _DMY else date(a, b, c)
        except ValueError:
            raise BadValue("import-reason-date") from None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise BadValue("import-reason-date")


def birthday(value: Any, today: date) -> date:
    result = day(value)
    if not date(1900, 1, 1) <= result <= today:
        raise BadValue("import-reason-birthday")
    return result


_GENDERS = {
    "f": ("f", "female", "woman", "w", "ж", "жін", "жінка", "жіноча", "жен", "женский", "жена"),
    "m": ("m", "male", "man", "ч", "чол", "чоловік", "чоловіча", "м", "муж", "мужской", "мужчина"),
}
_GENDER = {fold(word): code for code, words in _GENDERS.items() for word in words}


def gender(value: Any) -> str:
    code = _GENDER.get(fold(str(value)))
    if code is None:
        raise BadValue("import-reason-gender")
    return code


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: Any) -> str:
    result = str(value).strip().lower()
    if len(result) > 254 or not _EMAIL.match(result):
        raise BadValue("import-reason-email")
    return result


_YES = {"1", "yes", "y", "true", "так", "да", "+", "згоден", "згодна", "согласен", "x", "v"}
_NO = {"0", "no", "n", "false", "ні", "нет", "-", "не"}


def consent(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if isinstance(value, int | float):
        word = str(int(value))
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadValue("import-reason-consent")


def currency(value: Any) -> str:
    code = str(value).strip().upper()
    code = {"ГРН": "UAH", "₴": "UAH", "$": "USD", "€": "EUR", "ДОЛ": "USD"}.get(code, code)
    if code not in CURRENCIES:
        raise BadValue("import-reason-currency")
    return code


def money(value: Any, code: str) -> int:
    """Minor units from ``1500``, ``1 500,50``, ``1,500.50`` or an Excel number; >= 0."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        cleaned = re.sub(r"[\s\u00a0\u202f]|грн|uah|usd|eur|[₴$€]", "", str(value).casefold())
        if "," in cleaned and "." in cleaned:  # thousands separator plus decimal point
            cleaned = (
                cleaned.replace(",", "")
                if cleaned.rfind(".") > cleaned.rfind(",")
                else (cleaned.replace(".", "").replace(",", "."))
            )
        cleaned = cleaned.replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise BadValue("import-reason-amount") from None
    scaled = amount.scaleb(minor_digits(code))
    if amount < 0 or scaled != scaled.to_integral_value() or scaled > 10**13:
        raise BadValue("import-reason-amount")
    return int(scaled)


def points(value: Any) -> int:
    try:
        number = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise BadValue("import-reason-points") from None
    if number < 0 or number != number.to_integral_value() or number > 10**9:
        raise BadValue("import-reason-points")
    return int(number)


def tags(value: Any) -> list[str]:
    """``"VIP; Єгипет, vip"`` -> ``["vip", "єгипет"]``: lower case, unique, sorted."""
    words = {t.strip().casefold()[:32] for t in re.split(r"[;,|]", str(value))}
    return sorted(w for w in words if w)


def full_name(value: Any) -> tuple[str, str]:
    """(first, last) from "Шевченко Тарас Григорович" — surname first, as agencies' lists are."""
    parts = text(value, 200).split(" ")
    if len(parts) == 1:
        return parts[0][:100], ""
    return parts[1][:100], parts[0][:100]
