"""Running the API: bind the port first (so a taken port is one clear error), open the store read-only, then
hand both to uvicorn."""
from __future__ import annotations

import errno
import logging
import socket

from ..errors import ConfigError

LOGGER = logging.getLogger(__name__)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; ConfigError when the port is taken or the address is not ours."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: expected 0-65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host!r}: {exc.strerror}") from None
    family, _type, _proto, _name, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is already in use; stop the other server or pick "
                              "another with --port") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def serve(target: str, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning",
          on_ready=None) -> None:
    """Serve the API and dashboard until interrupted; `on_ready(url)` is called once the store is open and the
    port bound. StoreError when the store is missing or locked, ConfigError when the port is taken."""
    import uvicorn

    from .api import create_app

    sock = bind(host, port)
    try:
        app = create_app(target)
    except BaseException:
        sock.close()
        raise
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    if on_ready is not None:
        on_ready(f"http://{shown}:{bound[1]}/")
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.state.stores.close()
        sock.close()
