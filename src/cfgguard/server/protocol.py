"""The language server's glue to pygls: the server's state, debouncing, error answers.

Diagnostics are published on open and save at once, and on change after ``DEBOUNCE``
seconds without a further change (a burst of keystrokes is checked once). A request
whose handler fails is answered with a one-line JSON-RPC error and the server goes on;
a malformed message (not JSON, not JSON-RPC, parameters of the wrong shape) is answered
with the matching JSON-RPC error when it has an id, and logged when it has none.
Nothing here writes a file: fixes are edits the editor applies.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from cfgguard import __version__
from cfgguard.report.escape import visible
from cfgguard.server.diagnostics import diagnostics
from cfgguard.server.documents import Document, Project
from cfgguard.server.positions import UTF16

DEBOUNCE = 0.02  # seconds; a check of a 100-line config takes a few milliseconds
LOG = logging.getLogger("cfgguard.server")
R = TypeVar("R")


class _Refused:
    """A message already answered with an error: nothing more to do with it."""


_REFUSED = _Refused()


class Protocol(LanguageServerProtocol):
    """pygls's protocol, answering the malformed messages it would only log."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:  # parameters of the wrong shape
            self.refuse(data, exc)
            return _REFUSED

    def handle_message(self, message: Any) -> None:
        if message is _REFUSED:
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but no JSON-RPC message
            LOG.warning("ignored a message that is not JSON-RPC")
            if isinstance(message, dict):
                self.refuse(cast("dict[str, Any]", message), JsonRpcInvalidRequest())
            return
        super().handle_message(message)

    def refuse(self, data: dict[str, Any] | None, error: JsonRpcException) -> None:
        """Answer a request (``data`` has an id) with ``error``; a parse error (no
        ``data``) is answered with a null id, as JSON-RPC says."""
        if data is None:
            msg_id = None
        else:
            msg_id = data.get("id")
            if "method" not in data or not isinstance(msg_id, int | str):
                return  # a notification or a response: there is nothing to answer
        body: dict[str, object] = {"code": error.code, "message": error.message}
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": body})

    @property
    def shut_down(self) -> bool:
        """Whether a ``shutdown`` request came (an ``exit`` then ends with status 0)."""
        return self._shutdown


class Server(LanguageServer):
    def __init__(self) -> None:
        super().__init__(  # pyright: ignore[reportUnknownMemberType]
            "cfgguard",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=Protocol,
        )
        self.project = Project()
        self.documents: dict[str, Document] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.debounce = DEBOUNCE

    def shutdown(self) -> None:
        """Stop without waiting for the thread blocked reading standard input."""
        if self._stop_event is not None:
            self._stop_event.set()
        if self._thread_pool is not None:
            self._thread_pool.shutdown(wait=False, cancel_futures=True)

    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, ValueError):  # the body is not JSON (or not UTF-8)
            protocol = self.protocol
            if isinstance(protocol, Protocol):
                protocol.refuse(None, JsonRpcParseError(f"{JsonRpcParseError.MESSAGE}: {error}"))
        LOG.error("%s", _one_line(error))

    @property
    def encoding(self) -> str:
        found = self.workspace.position_encoding
        value = getattr(found, "value", found)
        return str(value) if value else UTF16

    def document(self, uri: str) -> Document | None:
        return self.documents.get(uri)

    def publish(self, uri: str) -> None:
        self.timers.pop(uri, None)
        document = self.documents.get(uri)
        if document is None:
            return
        try:
            checked = document.current(self.project, self.encoding)
            found = diagnostics(checked)
        except Exception as exc:  # a bug: say so once, keep serving
            LOG.error("checking %s failed: %s", visible(document.path), _one_line(exc))
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )

    def schedule(self, uri: str) -> None:
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.debounce, self.publish, uri)


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return visible(f"{type(error).__name__}: {text[0]}" if text else type(error).__name__)


def guarded(method: str) -> Callable[[Callable[[Any], R]], Callable[[Any], R]]:
    """A handler whose failure answers its request with a one-line internal error."""

    def decorate(handler: Callable[[Any], R]) -> Callable[[Any], R]:
        @functools.wraps(handler)
        def run(params: Any) -> R:
            try:
                return handler(params)
            except JsonRpcException:
                raise
            except Exception as exc:
                message = f"cfgguard: {method} failed: {_one_line(exc)}"
                LOG.error("%s", message)
                raise JsonRpcInternalError(message) from None

        return run

    return decorate


class OneLine(logging.Formatter):
    """Log records as one line each: no traceback (the message says what failed)."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return visible(super().format(record))


__all__ = ["DEBOUNCE", "LOG", "OneLine", "Protocol", "Server", "guarded"]
