"""A real headless Chromium (Debian's ``chromium`` package) driven over the DevTools protocol
with aiohttp's websocket client: no extra dependency, no downloaded browser.

The browser runs in a fresh profile with a phone-sized viewport; a :class:`Tab` opens pages,
reads what is shown (``innerText``, as a person reads it), presses buttons with real mouse
events at their on-screen position and takes PNG screenshots.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = Path(os.environ.get("TOURDESK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--remote-debugging-port=0",
)
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
START_LIMIT = 30.0  # seconds for Chromium to open its DevTools port
WAIT_LIMIT = 20.0  # seconds for a page to load or a condition to hold

# A property set on the old document: a new document (after a form post) does not have it.
_MARK = "window.__tourdeskOld = true"
_LOADED = "!window.__tourdeskOld && document.readyState === 'complete'"


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(BrowserError("Chromium closed the DevTools connection"))

    async def send(self, method: str, session: str | None = None, **params: Any) -> Any:
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self._ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, WAIT_LIMIT)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def new_tab(self) -> Tab:
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        tab = Tab(self, attached["sessionId"])
        await tab.call("Page.enable")
        await tab.call("Emulation.setDeviceMetricsOverride", **PHONE)
        return tab

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.send("Browser.close")
        await self._ws.close()
        self._reader.cancel()


class Tab:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    async def call(self, method: str, **params: Any) -> Any:
        return await self.browser.send(method, self.session, **params)

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, what: str) -> None:
        deadline = asyncio.get_running_loop().time() + WAIT_LIMIT
        while True:
            with contextlib.suppress(BrowserError):  # the document may be between pages
                if await self.js(expression):
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise BrowserError(f"{what} did not happen; the page shows: {await self.text()}")
            await asyncio.sleep(0.05)

    async def open(self, url: str) -> None:
        await self.js(_MARK)
        await self.call("Page.navigate", url=url)
        await self.wait_for(_LOADED, f"loading {url}")

    async def url(self) -> str:
        return str(await self.js("location.href"))

    async def text(self) -> str:
        """What the page shows, as read from the screen (spaces of every kind collapsed)."""
        shown = await self.js("document.body ? document.body.innerText : ''")
        return " ".join(str(shown).split())

    async def html(self) -> str:
        return str(await self.js("document.documentElement.outerHTML"))

    async def press(self, label: str) -> None:
        """Tap the button whose visible label contains ``label`` and wait for the next page."""
        find = (
            "(() => { const found = [...document.querySelectorAll('button')]"
            f".filter(b => b.innerText.includes({json.dumps(label)}));"
            " if (found.length !== 1) return null; const b = found[0];"
            " b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2, r.width, window.innerWidth]; })()"
        )
        where = await self.js(find)
        if where is None:
            raise BrowserError(f"no single button {label!r}; the page shows: {await self.text()}")
        x, y, width, viewport = where
        assert 0 < x < viewport and width > 0, f"button {label!r} is off screen: {where}"
        await self.js(_MARK)
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        await self.wait_for(_LOADED, f"the page after pressing {label!r}")

    async def screenshot(self, path: Path) -> bytes:
        height = await self.js("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": height, "scale": 1}
        shot = await self.call("Page.captureScreenshot", format="png", clip=clip)
        data = base64.b64decode(shot["data"])
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_bytes, data)
        return data


async def _devtools_url(profile: Path, proc: asyncio.subprocess.Process) -> str:
    """Chromium writes the port it chose (and the browser's path) into the profile."""
    active = profile / "DevToolsActivePort"
    deadline = asyncio.get_running_loop().time() + START_LIMIT
    while True:
        if active.exists():
            lines = active.read_text().split()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if proc.returncode is not None or asyncio.get_running_loop().time() > deadline:
            raise BrowserError(f"Chromium did not start (exit code {proc.returncode})")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A headless Chromium in a fresh profile, stopped (by its own process id) afterwards."""
    # Chromium's helper processes may still be writing to the profile as it exits.
    with tempfile.TemporaryDirectory(
        prefix="tourdesk-chromium-", ignore_cleanup_errors=True
    ) as folder:
        profile = Path(folder)
        proc = await asyncio.create_subprocess_exec(
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        session = aiohttp.ClientSession()
        browser: Browser | None = None
        try:
            url = await _devtools_url(profile, proc)
            ws = await session.ws_connect(url, max_msg_size=64 * 1024 * 1024)
            browser = Browser(ws)
            yield browser
        finally:
            if browser is not None:
                await browser.close()
            await session.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 5)  # Browser.close ends it
            if proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 10)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()
