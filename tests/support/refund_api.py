"""LiqPay's ``/api/request`` and WayForPay's ``/api`` as far as refunds go: a local server that
checks our request's signature the way each provider does (computed here by hand, never by our
signer), records what it was asked, and answers what the test set."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.payments import WFP_MERCHANT, WFP_SECRET, liqpay_request

Answer = Callable[[dict[str, Any]], dict[str, Any]]


def liqpay_reversed(params: dict[str, Any]) -> dict[str, Any]:
    """LiqPay's answer to a refund it made."""
    return {
        "result": "ok",
        "action": "refund",
        "payment_id": 1000001,
        "status": "reversed",
        "order_id": params["order_id"],
    }


def liqpay_refused(params: dict[str, Any]) -> dict[str, Any]:
    return {
        "result": "error",
        "status": "error",
        "err_code": "refund_not_allowed",
        "err_description": "Refund is not allowed",
    }


def wfp_refunded(params: dict[str, Any]) -> dict[str, Any]:
    """WayForPay's answer to a REFUND it made, signed merchantAccount;orderReference;
    transactionStatus;reasonCode."""
    reference = params["orderReference"]
    text = f"{WFP_MERCHANT};{reference};Refunded;1100"
    signature = hmac.new(WFP_SECRET.encode(), text.encode(), hashlib.md5).hexdigest()
    return {
        "merchantAccount": WFP_MERCHANT,
        "orderReference": reference,
        "transactionStatus": "Refunded",
        "reason": "Ok",
        "reasonCode": 1100,
        "merchantSignature": signature,
    }


@dataclass
class RefundApi:
    liqpay_answer: Answer = liqpay_reversed
    wfp_answer: Answer = wfp_refunded
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # requests whose signature was wrong

    async def liqpay(self, request: web.Request) -> web.Response:
        params = liqpay_request(await request.post(), parse_float=str)
        if params is None:
            self.refused.append("liqpay")
            return web.json_response({"result": "error", "err_code": "invalid_signature"})
        self.requests.append({"provider": "liqpay", **params})
        return web.json_response(self.liqpay_answer(params))

    async def wayforpay(self, request: web.Request) -> web.Response:
        params = json.loads(await request.text(), parse_float=str, parse_int=str)
        fields = [params.get(k) for k in ("merchantAccount", "orderReference", "amount")]
        text = ";".join(str(f) for f in [*fields, params.get("currency")])
        expected = hmac.new(WFP_SECRET.encode(), text.encode(), hashlib.md5).hexdigest()
        if params.get("merchantSignature") != expected:
            self.refused.append("wayforpay")
            return web.json_response({"reasonCode": 1113, "reason": "Invalid signature"})
        self.requests.append({"provider": "wayforpay", **params})
        return web.json_response(self.wfp_answer(params))


@asynccontextmanager
async def refund_api() -> AsyncIterator[tuple[RefundApi, str]]:
    api = RefundApi()
    app = web.Application()
    app.router.add_post("/api/request", api.liqpay)
    app.router.add_post("/api", api.wayforpay)
    server = TestServer(app)
    await server.start_server()
    try:
        yield api, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()
