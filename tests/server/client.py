"""A small LSP client for the tests: the real ``cfgguard server`` as a subprocess, spoken
to in JSON-RPC with ``Content-Length`` framing. Every read has a timeout."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

Message = dict[str, Any]
TIMEOUT = 20.0  # seconds; a read that takes this long is a failure, never a hang


def uri(path: Path) -> str:
    return path.resolve().as_uri()


class Client:
    def __init__(self, cwd: Path, command: Sequence[str] | None = None) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            list(command or (sys.executable, "-m", "cfgguard", "server")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.root = cwd
        self._messages: queue.Queue[Message | None] = queue.Queue()
        self._backlog: list[Message] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # --- framing -------------------------------------------------------------------------

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            length = None
            while True:
                header = out.readline()
                if not header:
                    self._messages.put(None)
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "a message without Content-Length"
            body = out.read(length)
            self._messages.put(cast("Message", json.loads(body)))

    def send_raw(self, body: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def send(self, message: Message) -> None:
        self.send_raw(json.dumps(message).encode("utf-8"))

    # --- requests and notifications ------------------------------------------------------

    def request(self, method: str, params: Any = None) -> int:
        self._next_id += 1
        message: Message = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self._next_id

    def notify(self, method: str, params: Any = None) -> None:
        message: Message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def wait_for(self, wanted: Callable[[Message], bool], timeout: float = TIMEOUT) -> Message:
        for index, message in enumerate(self._backlog):
            if wanted(message):
                return self._backlog.pop(index)
        while True:
            try:
                message = self._messages.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no awaited message within {timeout} s") from None
            if message is None:
                raise AssertionError(f"the server ended: {self.stderr()}")
            if wanted(message):
                return message
            self._backlog.append(message)

    def received(self, wanted: Callable[[Message], bool]) -> list[Message]:
        """The messages read so far that no wait took, and that match ``wanted``."""
        return [m for m in self._backlog if wanted(m)]

    def response(self, msg_id: int | None, timeout: float = TIMEOUT) -> Message:
        return self.wait_for(lambda m: m.get("id", "none") == msg_id and "method" not in m, timeout)

    def call(self, method: str, params: Any = None) -> Any:
        """A request's result (an error answer fails the test)."""
        answer = self.response(self.request(method, params))
        assert "error" not in answer, answer
        return answer.get("result")

    def diagnostics(self, document: str, version: int | None = None) -> list[Message]:
        def wanted(m: Message) -> bool:
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            params = m["params"]
            wanted_version = version is None or params.get("version") == version
            return params["uri"] == document and wanted_version

        return self.wait_for(wanted)["params"]["diagnostics"]

    # --- the session ---------------------------------------------------------------------

    def initialize(
        self, options: Message | None = None, capabilities: Message | None = None
    ) -> Message:
        params: Message = {
            "processId": os.getpid(),
            "rootUri": uri(self.root),
            "capabilities": capabilities or {},
        }
        if options is not None:
            params["initializationOptions"] = options
        result = self.call("initialize", params)
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, version: int = 1) -> str:
        document = uri(path)
        item = {"uri": document, "languageId": "yaml", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})
        return document

    def change(self, document: str, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": document, "version": version},
                "contentChanges": [{"text": text}],
            },
        )

    def stop(self) -> int:
        """shutdown, exit; the server's exit status."""
        self.call("shutdown")
        self.notify("exit")
        stdin = self.process.stdin
        assert stdin is not None
        return self.process.wait(timeout=TIMEOUT)

    def kill(self) -> str:
        """End the server if it still runs; what it wrote to stderr."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        log = self.stderr()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return log

    def stderr(self) -> str:
        err = self.process.stderr
        if self.process.poll() is None or err is None or err.closed:
            return "(still running)" if self.process.poll() is None else ""
        return err.read().decode("utf-8", "replace")


def column(line: str, character: int) -> int:
    """The code-point column of a UTF-16 ``character`` in ``line``."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def apply_edits(text: str, edits: Sequence[Message]) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor does."""
    lines: list[str] = text.split("\n")

    def offset(position: Message) -> int:
        line: int = position["line"]
        character: int = position["character"]
        if line >= len(lines):
            return len(text)
        start = sum(len(x) + 1 for x in lines[:line])
        return start + column(lines[line], character)

    spans = sorted(
        ((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
