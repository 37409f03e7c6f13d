"""A PostgreSQL server that refuses every password, speaking the real wire protocol.

The local test PostgreSQL trusts 127.0.0.1, so it never checks a password: a "wrong password"
cannot be produced there. This fake answers a client's startup message (after refusing SSL)
with AuthenticationCleartextPassword, reads the password message, and replies with the
ErrorResponse a real server sends (SQLSTATE 28P01), so the driver raises exactly what it raises
against a real server with a wrong password.
"""

from __future__ import annotations

import asyncio
import struct

SSL_REQUEST = 80877103


def _error(user: str) -> bytes:
    fields = (
        b"SFATAL\x00VFATAL\x00C28P01\x00"
        + f'Mpassword authentication failed for user "{user}"\x00'.encode()
        + b"\x00"
    )
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            (length,) = struct.unpack("!I", await reader.readexactly(4))
            body = await reader.readexactly(length - 4)
            if struct.unpack("!I", body[:4])[0] == SSL_REQUEST:
                writer.write(b"N")  # no SSL here: the client goes on in plain text
                continue
            break
        params = body[4:].split(b"\x00")
        user = dict(zip(params[::2], params[1::2], strict=False)).get(b"user", b"?").decode()
        writer.write(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        await writer.drain()
        kind = await reader.readexactly(1)
        (length,) = struct.unpack("!I", await reader.readexactly(4))
        await reader.readexactly(length - 4)
        if kind == b"p":
            writer.write(_error(user))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def start() -> tuple[asyncio.Server, int]:
    """Listen on 127.0.0.1 (a free port); returns the server and its port."""
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]
