"""Which payment providers are configured, and the URLs the world reaches us at.

Built once per :class:`Services` from the settings and kept in ``services.payments``. The first
configured provider (LiqPay, then WayForPay, then the sandbox) is the default; staff may name
one explicitly. Provider base URLs are attributes (``api_url``, ``checkout_url``, ``pay_url``)
so operators and tests can point them elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import DomainError
from core.payments.base import Provider
from core.payments.liqpay import LiqPayProvider
from core.payments.sandbox import SandboxProvider
from core.payments.wayforpay import WayForPayProvider, domain_of
from core.services import Services
from core.settings import Settings

ORDER = ("liqpay", "wayforpay", "sandbox")


class PaymentProviders:
    def __init__(self, providers: dict[str, Provider]) -> None:
        self._providers = {name: providers[name] for name in ORDER if name in providers}

    def names(self) -> list[str]:
        return list(self._providers)

    def get(self, name: str) -> Provider | None:
        return self._providers.get(name)

    def choose(self, name: str | None = None) -> Provider:
        """The named provider, or the default; refuses politely when none is configured."""
        if name:
            provider = self._providers.get(name)
            if provider is None:
                raise DomainError("pay-provider-unknown", provider=name)
            return provider
        for provider in self._providers.values():
            return provider
        raise DomainError("pay-no-provider")

    @property
    def sandbox(self) -> SandboxProvider | None:
        provider = self._providers.get("sandbox")
        return provider if isinstance(provider, SandboxProvider) else None


@dataclass(frozen=True)
class ProviderState:
    """One provider as the start-up log and the config checks see it: on or off, and why."""

    name: str
    kind: type[Provider]
    on: bool
    detail: dict[str, str]  # the mode it runs in when on; the reason when off


def provider_states(settings: Settings) -> list[ProviderState]:
    """Every provider this build knows, in :data:`ORDER`, configured or not (no secrets)."""
    lp, wfp = settings.liqpay, settings.wayforpay
    return [
        ProviderState(
            "liqpay",
            LiqPayProvider,
            lp.enabled,
            {"sandbox": str(lp.sandbox).lower()}
            if lp.enabled
            else {"reason": "LIQPAY_PUBLIC_KEY and LIQPAY_PRIVATE_KEY are not both set"},
        ),
        ProviderState(
            "wayforpay",
            WayForPayProvider,
            wfp.enabled,
            {"domain": wfp.domain or domain_of(settings.web.public_url) or "localhost"}
            if wfp.enabled
            else {"reason": "WAYFORPAY_MERCHANT and WAYFORPAY_SECRET are not both set"},
        ),
        ProviderState(
            "sandbox",
            SandboxProvider,
            settings.payments.sandbox,
            {"note": "test payments only, no money moves"}
            if settings.payments.sandbox
            else {"reason": "PAYMENTS_SANDBOX is not true"},
        ),
    ]


def _secret(value: Any) -> str:
    return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


def build_providers(settings: Settings) -> PaymentProviders:
    providers: dict[str, Provider] = {}
    lp = settings.liqpay
    if lp.enabled and lp.public_key and lp.private_key:
        liqpay = LiqPayProvider(lp.public_key, _secret(lp.private_key), sandbox=lp.sandbox)
        for attr in ("api_url", "checkout_url"):
            if getattr(lp, attr, None):
                setattr(liqpay, attr, getattr(lp, attr))
        providers["liqpay"] = liqpay
    wfp = settings.wayforpay
    if wfp.enabled and wfp.merchant and wfp.secret:
        domain = wfp.domain or domain_of(settings.web.public_url) or "localhost"
        wayforpay = WayForPayProvider(wfp.merchant, _secret(wfp.secret), domain)
        for attr in ("api_url", "pay_url"):
            if getattr(wfp, attr, None):
                setattr(wayforpay, attr, getattr(wfp, attr))
        providers["wayforpay"] = wayforpay
    if settings.payments.sandbox:
        configured = getattr(settings.payments, "sandbox_secret", None)
        providers["sandbox"] = SandboxProvider(_secret(configured).encode() if configured else None)
    return PaymentProviders(providers)


def payment_providers(services: Services) -> PaymentProviders:
    if services.payments is None:
        services.payments = build_providers(services.settings)
    return services.payments


def public_base(settings: Settings) -> str:
    """PUBLIC_URL, or ``http://HTTP_HOST:HTTP_PORT`` (0.0.0.0 shown as 127.0.0.1)."""
    if settings.web.public_url:
        return settings.web.public_url.rstrip("/")
    host = settings.web.http_host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{settings.web.http_port}"
