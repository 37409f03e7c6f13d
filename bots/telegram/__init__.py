"""Telegram (aiogram 3): updates -> Incoming -> dispatcher -> Reply -> Bot API calls.

The adapter lives in ``bots.telegram.channel``; importing this package loads no aiogram, so
commands that do not run Telegram (migrate, staff, mailing …) start quickly.
"""

from bots.telegram.lazy_models import install as _install_lazy_models

_install_lazy_models()
