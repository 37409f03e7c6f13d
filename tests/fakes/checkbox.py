"""A fake Checkbox (cloud PRRO) on 127.0.0.1 speaking its wire format (PROTOCOLS.md).

Checks the client headers and the license key, signs a cashier in by PIN, keeps one shift,
creates sell / return receipts under the caller's id (a second create of the same id answers
400 ``receipt.already_exists``), moves a receipt CREATED -> DONE after ``polls_to_done`` status
checks, validates the body (422 with ``detail``), and can be told to fail the next calls.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

LICENSE = "test-license-key-0001"
PIN = "1234567890"


@dataclass
class FakeCheckbox:
    polls_to_done: int = 1
    fail_next: list[int] = field(default_factory=list)  # HTTP statuses for the next sells
    tokens: set[str] = field(default_factory=set)
    shift_open: bool = False
    shifts_opened: int = 0
    shifts_closed: int = 0
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)
    sells: int = 0  # POST /receipts/sell calls, repeats included
    polls: dict[str, int] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    _codes: Any = field(default_factory=lambda: itertools.count(100000001))

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.router.add_post("/api/v1/cashier/signinPinCode", self.signin)
        app.router.add_get("/api/v1/cashier/shift", self.current_shift)
        app.router.add_post("/api/v1/shifts", self.open_shift)
        app.router.add_post("/api/v1/shifts/close", self.close_shift)
        app.router.add_post("/api/v1/receipts/sell", self.sell)
        app.router.add_get("/api/v1/receipts/{id}", self.receipt)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.log.append(f"{request.method} {request.path}")
        if not request.headers.get("X-Client-Name") or not request.headers.get("X-Client-Version"):
            return web.json_response({"message": "X-Client-Name is required"}, status=400)
        if request.headers.get("X-License-Key") != LICENSE:
            return web.json_response({"message": "Invalid license key"}, status=403)
        if request.path != "/api/v1/cashier/signinPinCode":
            auth = request.headers.get("Authorization", "")
            if auth.removeprefix("Bearer ") not in self.tokens:
                return web.json_response({"message": "Not authenticated"}, status=401)
        return await handler(request)

    async def signin(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("pin_code") != PIN:
            return web.json_response({"message": "Invalid PIN code"}, status=403)
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return web.json_response({"type": "bearer", "access_token": token})

    async def current_shift(self, request: web.Request) -> web.Response:
        if not self.shift_open:
            return web.json_response(None)
        return web.json_response({"id": "shift-1", "status": "OPENED"})

    async def open_shift(self, request: web.Request) -> web.Response:
        if self.shift_open:
            return web.json_response({"message": "Shift already opened"}, status=400)
        self.shift_open = True
        self.shifts_opened += 1
        return web.json_response({"id": "shift-1", "status": "CREATED"}, status=202)

    async def close_shift(self, request: web.Request) -> web.Response:
        if not self.shift_open:
            return web.json_response({"message": "Shift is not opened"}, status=400)
        self.shift_open = False
        self.shifts_closed += 1
        return web.json_response({"id": "shift-1", "status": "CLOSING"}, status=202)

    async def sell(self, request: web.Request) -> web.Response:
        self.sells += 1
        if self.fail_next:
            status = self.fail_next.pop(0)
            return web.json_response({"message": "Temporary failure"}, status=status)
        body = await request.json()
        problems = self._invalid(body)
        if problems:
            return web.json_response(
                {"message": "Validation error", "detail": problems}, status=422
            )
        if not self.shift_open:
            return web.json_response({"message": "Shift is not opened"}, status=400)
        if body["id"] in self.receipts:
            return web.json_response({"message": "receipt.already_exists"}, status=400)
        receipt = {
            "id": body["id"],
            "status": "CREATED",
            "fiscal_code": None,
            "is_return": bool(body.get("is_return")),
            "total_sum": body["payments"][0]["value"],
            "goods": body["goods"],
        }
        self.receipts[body["id"]] = receipt
        return web.json_response(receipt, status=201)

    def _invalid(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        problems = []
        try:
            uuid.UUID(str(body.get("id")))
        except ValueError:
            problems.append({"loc": ["body", "id"], "msg": "not a valid uuid", "type": "x"})
        goods = body.get("goods") or []
        if not goods:
            problems.append({"loc": ["body", "goods"], "msg": "field required", "type": "x"})
        for i, g in enumerate(goods):
            good = g.get("good") or {}
            if not isinstance(good.get("price"), int) or good["price"] <= 0:
                problems.append(
                    {"loc": ["body", "goods", i, "good", "price"], "msg": "bad price", "type": "x"}
                )
        total = sum(g["good"]["price"] * g.get("quantity", 0) // 1000 for g in goods if "good" in g)
        paid = sum(p.get("value", 0) for p in body.get("payments") or [])
        if goods and total != paid:
            problems.append({"loc": ["body", "payments"], "msg": "sum mismatch", "type": "x"})
        return problems

    async def receipt(self, request: web.Request) -> web.Response:
        found = self.receipts.get(request.match_info["id"])
        if found is None:
            return web.json_response({"message": "Not found"}, status=404)
        seen = self.polls[found["id"]] = self.polls.get(found["id"], 0) + 1
        if found["status"] == "CREATED" and seen >= self.polls_to_done:
            found["status"] = "DONE"
            found["fiscal_code"] = f"TEST-{next(self._codes)}"
        return web.json_response(found)
