"""``cfgguard server`` under bad input: malformed messages get JSON-RPC error answers,
text that is not YAML gets a diagnostic, a failing request gets an error, and the server
keeps serving; the check path never imports the server's libraries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.client import Client, uri

GOOD = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nmicro_batch_size: 2\nlora_r: 32\n"


def _hover(server: Client, document: str) -> Any:
    return server.call(
        "textDocument/hover",
        {"textDocument": {"uri": document}, "position": {"line": 3, "character": 1}},
    )


@pytest.fixture
def document(server: Client, project: Path) -> str:
    opened = server.open(project / "good.yaml", GOOD)
    server.diagnostics(opened)
    return opened


def _error(answer: dict[str, Any]) -> tuple[int, str]:
    return answer["error"]["code"], answer["error"]["message"]


def test_body_that_is_not_json(server: Client, document: str) -> None:
    server.send_raw(b"{not json")
    code, message = _error(server.response(None))
    assert code == -32700
    assert message.startswith("Parse Error: ")
    assert _hover(server, document) is not None  # still serving


def test_body_that_is_not_utf8(server: Client, document: str) -> None:
    server.send_raw(b'{"jsonrpc": "2.0", "id": 1, "method": "\xff"}')
    assert _error(server.response(None))[0] == -32700
    assert _hover(server, document) is not None


def test_parameters_of_the_wrong_shape(server: Client, document: str) -> None:
    server.send({"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": 7})
    assert _error(server.response(900))[0] == -32602
    assert _hover(server, document) is not None


def test_unknown_method(server: Client, document: str) -> None:
    answer = server.response(server.request("cfgguard/nothing", {}))
    assert _error(answer) == (-32601, "Method Not Found: cfgguard/nothing")
    assert _hover(server, document) is not None


def test_message_that_is_not_json_rpc(server: Client, document: str) -> None:
    server.send({"id": 901, "method": "textDocument/hover"})
    assert _error(server.response(901))[0] == -32600
    server.send_raw(b"[1, 2]")  # no id to answer: ignored
    assert _hover(server, document) is not None


def test_notification_of_the_wrong_shape(server: Client, document: str) -> None:
    server.notify("textDocument/didOpen", {"textDocument": "nothing"})
    assert _hover(server, document) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: 1\nb: \x00\n", "Y001", id="nul-byte"),
        pytest.param("a: \x01\x02\x03\n", "Y001", id="control-characters"),
        pytest.param("key: [1, 2\n", "Y001", id="syntax-error"),
        pytest.param("\x00a" * 40 + "\n", None, id="utf-16-looking"),
        pytest.param("a: 1\nb: \ud800\n", None, id="lone-surrogate"),
        pytest.param("a: 1\rb: 2\n", None, id="lone-carriage-return"),
    ],
)
def test_text_that_is_not_yaml(
    server: Client, project: Path, document: str, text: str, expected: str | None
) -> None:
    opened = server.open(project / "bad.yaml", text)
    found = server.diagnostics(opened)
    assert len(found) == 1
    assert found[0]["severity"] == 1
    assert found[0].get("code") == expected
    assert _hover(server, document) is not None


def test_unreadable_text_says_why_and_where(server: Client, project: Path) -> None:
    opened = server.open(project / "surrogate.yaml", "a: 1\nb: \ud800\n")
    found = server.diagnostics(opened)
    assert found[0]["message"] == "not valid UTF-8 (byte 0xed)"
    assert found[0]["range"]["start"] == {"line": 1, "character": 3}
    assert "code" not in found[0]  # no rule: the file is not read, as `check` exits 2


PLANTED = textwrap.dedent(
    """
    import sys
    import cfgguard.server.features as features

    def boom(*args):
        print("noise on stdout")  # must not reach the protocol's stream
        raise RuntimeError("planted")

    features.hover = boom
    from cfgguard.server import main
    sys.exit(main())
    """
)


@pytest.fixture
def crashing(workspace: Path) -> Iterator[Client]:
    client = Client(workspace, (sys.executable, "-c", PLANTED))
    try:
        client.initialize()
        yield client
    finally:
        client.kill()


def test_crash_in_a_request_answers_it_and_keeps_serving(crashing: Client, project: Path) -> None:
    document = crashing.open(project / "cfg.yaml", GOOD)
    assert [d["code"] for d in crashing.diagnostics(document)] == []
    answer = crashing.response(
        crashing.request(
            "textDocument/hover",
            {"textDocument": {"uri": document}, "position": {"line": 3, "character": 1}},
        )
    )
    assert _error(answer) == (
        -32603,
        "cfgguard: textDocument/hover failed: RuntimeError: planted",
    )
    completion = crashing.call(
        "textDocument/completion",
        {"textDocument": {"uri": document}, "position": {"line": 4, "character": 0}},
    )
    assert completion["items"]
    assert crashing.stop() == 0
    log = crashing.kill()
    assert "noise on stdout" in log
    assert "cfgguard server: cfgguard: textDocument/hover failed: RuntimeError: planted" in log
    assert "Traceback" not in log


def test_exit_without_shutdown_is_status_1(workspace: Path) -> None:
    client = Client(workspace)
    try:
        client.initialize()
        client.notify("exit")
        assert client.process.wait(timeout=20) == 1
    finally:
        client.kill()


def test_end_of_input_ends_the_server(workspace: Path) -> None:
    client = Client(workspace)
    try:
        client.initialize()
        stdin = client.process.stdin
        assert stdin is not None
        stdin.close()
        assert client.process.wait(timeout=20) == 1
    finally:
        client.kill()


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=60,
        check=False,
    )  # fmt: skip


def test_server_without_the_extra(tmp_path: Path) -> None:
    done = _run(
        "import sys; sys.modules['pygls'] = None\n"
        "from cfgguard.cli import main; sys.exit(main(['server']))",
        tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "cfgguard: cfgguard server needs the 'server' extra (pygls, lsprotocol):"
        " pip install 'cfgguard[server]'\n"
    )
    assert done.stdout == ""


def test_check_does_not_import_the_server_libraries(tmp_path: Path) -> None:
    (tmp_path / "cfg.yaml").write_text(GOOD)
    done = _run(
        "import sys\nfrom cfgguard.cli import main\nmain(['check', 'cfg.yaml'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('pygls', 'lsprotocol', 'cattrs', 'cfgguard.server')))",
        tmp_path,
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_uri_of_a_path(tmp_path: Path) -> None:
    assert uri(tmp_path / "a b.yaml").endswith("/a%20b.yaml")
