"""Choosing an option is exactly once: presses racing on the same option or on two options of
one round make one order, in one process (concurrent transactions on the connection pool) and
across processes on PostgreSQL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.offers.option import Option
from core.offers.service import Outcome, choose, send_round
from core.services import Services
from storage.models import (
    Client,
    OfferStatus,
    Order,
    PaymentIntent,
    Role,
    Staff,
    TourOffer,
    TourRequest,
)
from tests.support import backends
from tests.support.factories import make_client, make_staff
from tests.support.procs import ROOT, clean_env


def option(hotel: str, price: int) -> Option:
    return Option(
        hotel=hotel,
        stars=5,
        country="TR",
        resort="Belek",
        start=date(2027, 6, 12).isoformat(),
        end=date(2027, 6, 19).isoformat(),
        nights=7,
        room="DBL",
        meal="AI",
        price=price,
        currency="UAH",
        operator="Coral",
    )


async def sent_round(services: Services) -> tuple[int, list[TourOffer]]:
    services.settings.payments.sandbox = True
    services.settings.web.public_url = "https://desk.example"
    manager, _ = await make_staff(Role.MANAGER, "m1", name="Iryna")
    client = await make_client("+380671234567", "Olena", user_id="c1", manager=manager)
    request = await TourRequest.create(number="R-0001", client=client, destination="Turkey")
    options = [option(f"Hotel {n}", 4_500_000 + n) for n in range(1, 4)]
    sent = await send_round(services, manager, request.id, options)
    return client.id, sent.offers


async def assert_one_order(offers: list[TourOffer], outcomes: list[Outcome]) -> None:
    assert Counter(outcomes)[Outcome.BOOKED] == 1, outcomes
    assert set(outcomes) <= {Outcome.BOOKED, Outcome.ALREADY, Outcome.TAKEN}, outcomes
    assert await Order.all().count() == 1
    assert await PaymentIntent.all().count() == 1
    statuses = Counter(o.status for o in await TourOffer.filter(id__in=[o.id for o in offers]))
    assert statuses == {OfferStatus.CHOSEN: 1, OfferStatus.CLOSED: len(offers) - 1}
    [chosen] = await TourOffer.filter(status=OfferStatus.CHOSEN)
    order = await Order.get()
    assert chosen.order_id == order.id and order.price == chosen.price  # type: ignore[attr-defined]


async def test_presses_racing_in_one_process_make_one_order(services: Services) -> None:
    client_id, offers = await sent_round(services)
    client = await Client.get(id=client_id)
    presses = [offers[0].id] * 4 + [offers[1].id] * 3 + [offers[2].id] * 3
    choices = await asyncio.gather(*(choose(services, client, i) for i in presses))
    await assert_one_order(offers, [c.outcome for c in choices])


def spawn(db_url: str, client_id: int, offer_id: int, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.offer_chooser",
            db_url,
            str(client_id),
            str(offer_id),
            str(go),
        ],
        cwd=ROOT,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(folder: Path, procs: list[subprocess.Popen[str]]) -> None:
    """Until every helper has connected (starting Python on a busy machine takes a while)."""
    for _ in range(3000):
        if len(list(folder.glob("ready.*"))) == len(procs):
            return
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.1)
    raise AssertionError("the helper processes did not start")


@pytest.mark.skipif(
    not backends.is_postgres(), reason="several processes share a database on PostgreSQL"
)
async def test_presses_racing_in_several_processes_make_one_order(
    services: Services, db_url: str, tmp_path: Path
) -> None:
    client_id, offers = await sent_round(services)
    # The helper processes read the real clock: keep the round open for them.
    await TourOffer.all().update(expires_at=services.clock.now() + timedelta(days=3650))
    go = tmp_path / "go"
    presses = [offers[0].id, offers[0].id, offers[1].id, offers[2].id]
    procs = [spawn(db_url, client_id, i, go) for i in presses]
    await asyncio.to_thread(wait_ready, tmp_path, procs)
    go.touch()
    outcomes = []
    for proc in procs:
        try:
            out, err = await asyncio.to_thread(proc.communicate, timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"a chooser hung: {err[-3000:]}") from None
        assert proc.returncode == 0, err
        outcomes.append(Outcome(out.strip().splitlines()[-1]))
    await assert_one_order(offers, outcomes)


async def test_a_double_send_leaves_one_open_round(services: Services) -> None:
    _, first = await sent_round(services)
    manager = await Staff.get(name="Iryna")
    request = await TourRequest.get(number="R-0001")
    options = [option("Hotel A", 4_000_000), option("Hotel B", 4_100_000)]
    results = await asyncio.gather(
        *(send_round(services, manager, request.id, options) for _ in range(2)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(r, InvalidInput) and r.key == "offer-send-raced" for r in refused), (
        refused
    )
    assert len(refused) <= 1
    open_rounds = {o.round for o in await TourOffer.filter(status=OfferStatus.OPEN)}
    assert len(open_rounds) == 1 and min(open_rounds) > 1
    assert await TourOffer.filter(round=max(open_rounds)).count() == 2
    assert {o.status for o in await TourOffer.filter(id__in=[o.id for o in first])} == {
        OfferStatus.CLOSED
    }
