#!/usr/bin/env python3
"""Benchmark ``cfgguard server``: the time from ``didChange`` to published diagnostics.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python bench/lsp.py              # 100-line axolotl config, 50 changes
    .venv/bin/python bench/lsp.py -n 200 --debounce-ms 0

The server runs as a subprocess (``python -m cfgguard server``) in a temporary repository
(a ``.git`` folder, so the checks look no further up). The config is
``examples/axolotl-llama3-lora-sft.yaml`` grown to ``--lines`` lines with keys every
allowed axolotl release has, each set to its default. Each round sends one ``didChange``
with the whole text (the learning rate alternates between two values, so every round
has a new text to check) and waits for the ``publishDiagnostics`` of that version; the
time between the two includes the server's debounce (``--debounce-ms``, the server's
default when not given). Printed: median, 90th percentile, min and max over the rounds
after ``--warmup`` untimed ones, and, for comparison, ``check_source`` on the same text
in this process. Goal: median under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "axolotl-llama3-lora-sft.yaml"
GOAL_MS = 50.0
SIMPLE_DEFAULT = ("True", "False", "true", "false")


def config(lines: int) -> str:
    """The example grown to ``lines`` lines with known keys at their defaults."""
    from cfgguard.check import analyse
    from cfgguard.cli.options import options_from
    from cfgguard.config import Config
    from cfgguard.keyspaces import NoProject, document_keys
    from cfgguard.source import decode
    from cfgguard.yaml.nodes import Mapping

    text = EXAMPLE.read_text(encoding="utf-8")
    options = options_from(Config(), "bench.yaml")
    _, analyses = analyse(decode(text.encode(), "bench.yaml"), options)
    analysis = analyses[0]
    detection, root, canonical = analysis.detection, analysis.document.root, analysis.config
    assert detection is not None
    assert detection.dialect.keys is not None
    assert isinstance(root, Mapping)
    assert canonical is not None
    keys = document_keys(detection.dialect.keys, root, canonical, NoProject())
    assert keys is not None
    body = text.rstrip("\n").split("\n")
    present = set(root.keys())
    for name in sorted(keys.space.everywhere()):
        if len(body) >= lines:
            break
        if "." in name or "[" in name or name in present:
            continue
        definition = keys.space.verdict(name).newest()
        default = str(definition.run.attrs.get("default", "")) if definition else ""
        if default in SIMPLE_DEFAULT or default.isdigit():
            body.append(f"{name}: {default.lower()}")
    return "\n".join(body[:lines]) + "\n"


class Client:
    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cfgguard", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
        )
        self.next_id = 0

    @property
    def _in(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def _out(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        self._in.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._in.flush()

    def receive(self) -> dict[str, Any]:
        length = 0
        while True:
            header = self._out.readline()
            if not header:
                raise SystemExit("bench/lsp.py: the server ended")
            if header == b"\r\n":
                break
            name, _, value = header.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self._out.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        while True:
            message = self.receive()
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message["params"]
            if params["uri"] == uri and params.get("version") == version:
                return params["diagnostics"]

    def stop(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def check_time(text: str, path: str, rounds: int) -> float:
    """Median seconds of ``check_source`` on ``text`` in this process (warm)."""
    from cfgguard.check import check_source
    from cfgguard.cli.options import options_from
    from cfgguard.config import Finder
    from cfgguard.source import decode

    options = options_from(Finder().for_file(path), path)
    check_source(decode(text.encode(), path), options)
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        check_source(decode(text.encode(), path), options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description="didChange -> diagnostics time of the server")
    parser.add_argument("-n", "--rounds", type=int, default=50, help="timed changes")
    parser.add_argument("--warmup", type=int, default=5, help="untimed changes first")
    parser.add_argument("--lines", type=int, default=100, help="lines of the config")
    parser.add_argument("--debounce-ms", type=float, default=None, help="the server's debounce")
    args = parser.parse_args()

    text = config(args.lines)
    variants = (text, text.replace("learning_rate: 2.0e-4", "learning_rate: 3.0e-4"))
    assert variants[0] != variants[1]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        path = root / "config.yaml"
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        client = Client(root)
        options = {} if args.debounce_ms is None else {"debounce_ms": args.debounce_ms}
        start = time.perf_counter()
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {},
                "initializationOptions": options,
            },
        )
        client.notify("initialized", {})
        item = {"uri": uri, "languageId": "yaml", "version": 0, "text": text}
        client.notify("textDocument/didOpen", {"textDocument": item})
        found = client.diagnostics(uri, 0)
        first = time.perf_counter() - start
        times: list[float] = []
        for version in range(1, args.warmup + args.rounds + 1):
            change = {"text": variants[version % 2]}
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            client.diagnostics(uri, version)
            if version > args.warmup:
                times.append(time.perf_counter() - sent)
        client.stop()
        in_process = check_time(text, str(path), args.rounds)

    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    debounce = "server default" if args.debounce_ms is None else f"{args.debounce_ms:g} ms"
    print(f"config: {args.lines} lines ({len(found)} diagnostics), debounce: {debounce}")
    print(f"start to first diagnostics (initialize, didOpen): {first * 1000:.1f} ms")
    print(
        f"didChange -> publishDiagnostics over {len(ms)} changes: median {median:.1f} ms,"
        f" p90 {p90:.1f} ms, min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(f"check_source in process (the check alone): median {in_process * 1000:.1f} ms")
    verdict = "met" if median < GOAL_MS else "not met"
    print(f"goal: median under {GOAL_MS:g} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
