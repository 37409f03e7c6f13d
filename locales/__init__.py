"""The shipped translations and country memos, as package data.

``locales/<locale>/*.ftl`` are the Fluent catalogues and ``locales/<locale>/memos/<COUNTRY>.md``
the country memos; code reads them with ``importlib.resources.files("locales")`` so a wheel
installed anywhere finds them (see ``core.i18n``).
"""
