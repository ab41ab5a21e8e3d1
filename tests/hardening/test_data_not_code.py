"""A config is data, never code: no tag constructed, no ``_component_``/``_target_``
imported, no OmegaConf resolver called, no URL fetched.

Bait: a module on ``sys.path`` (and a fake ``omegaconf``/``hydra``) whose import writes a
marker file, ``os.system`` and sockets that record any call, PyYAML's object constructors
made to fail, and a local HTTP server that records every request.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cfgguard.cli import main

SCRIPT = Path(sys.executable).with_name("cfgguard")
BAIT_MODULES = ("cfgguard_marker_mod", "omegaconf", "hydra")
SECRET_HOME = "/sentinel-home-3f9c"
SECRET_LR = "0.000424242"
SECRET_RANK = "48611"

TAGS = """\
base_model: !!python/object/apply:os.system ["touch {marker}.tag-system"]
learning_rate: !!python/object/apply:cfgguard_marker_mod.boom []
lora_rank: !!python/object/new:cfgguard_marker_mod.Boom [8]
lora_alpha: !!python/name:cfgguard_marker_mod.boom
target_modules: !!python/module:cfgguard_marker_mod
batch_size: !!python/object:cfgguard_marker_mod.Boom {{size: 4}}
num_steps: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}.tag-long"]
max_seq_len: !custom 2048
method: !!binary c2Z0
extra: !!set {{a, b}}
when: !!timestamp 2001-12-14
"""

TORCHTUNE = """\
model:
  _component_: cfgguard_marker_mod.lora_llama3_1_8b
  lora_attn_modules: ['q_proj', 'v_proj']
  lora_rank: ${{oc.env:CFGGUARD_RANK}}
tokenizer:
  _component_: os.system
  path: touch {marker}.component
checkpointer:
  _component_: cfgguard_marker_mod.Checkpointer
  checkpoint_dir: ${{oc.env:HOME}}
optimizer:
  _component_: torch.optim.AdamW
  lr: ${{oc.env:CFGGUARD_LR}}
loss:
  _component_: ${{eval:'__import__("os").system("touch {marker}.eval")'}}
batch_size: ${{python:__import__('os').system('touch {marker}.python')}}
epochs: ${{oc.decode:'3'}}
"""

VERL = """\
_target_: cfgguard_marker_mod.Config
algorithm:
  adv_estimator: grpo
actor_rollout_ref:
  model:
    _target_: cfgguard_marker_mod.ModelConfig
    path: ${{oc.env:HOME}}
    lora_rank: ${{oc.env:CFGGUARD_RANK}}
  actor:
    optim:
      lr: ${{oc.env:CFGGUARD_LR}}
  rollout:
    n: 8
custom_reward_function:
  path: {marker}.reward.py
  name: compute_score
"""

AXOLOTL = """\
# yaml-language-server: $schema={url}/schema.json
base_model: ${{oc.env:HOME}}
tokenizer_config: {url}/tokenizer
adapter: lora
lora_r: 16
lora_alpha: 32
learning_rate: ${{oc.env:CFGGUARD_LR}}
sequence_len: 2048
micro_batch_size: 2
datasets:
  - path: {url}/data.jsonl
    type: alpaca
"""

CONFIGS = {"tags.yaml": TAGS, "torchtune.yaml": TORCHTUNE, "verl.yaml": VERL}


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b"base_model: fetched\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server; yields its URL and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def bait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Modules whose import leaves a marker; returns the marker prefix."""
    lib = tmp_path / "lib"
    lib.mkdir()
    marker = tmp_path / "MARKER"
    for name in BAIT_MODULES:
        (lib / f"{name}.py").write_text(
            f"open({str(marker) + '.' + name + '.import'!r}, 'w').close()\n"
            "def boom(*a, **k):\n"
            f"    open({str(marker) + '.' + name + '.call'!r}, 'w').close()\n"
            "class Boom:\n"
            "    def __init__(self, *a, **k):\n"
            "        boom()\n"
        )
    monkeypatch.syspath_prepend(str(lib))  # pyright: ignore[reportUnknownMemberType]
    for name in BAIT_MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield marker
    for name in BAIT_MODULES:
        assert name not in sys.modules, f"{name} was imported"
    assert _markers(tmp_path) == []


def _markers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("MARKER"))


@pytest.fixture
def no_code(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """``os.system``, processes, sockets and PyYAML's object constructors all record."""
    calls: list[str] = []

    def record(name: str):
        def called(*args: object, **kwargs: object) -> object:
            calls.append(name)
            raise AssertionError(f"{name} called")

        return called

    monkeypatch.setattr(os, "system", record("os.system"))
    monkeypatch.setattr(subprocess, "Popen", record("subprocess.Popen"))
    monkeypatch.setattr(socket.socket, "connect", record("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", record("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", record("socket.getaddrinfo"))
    constructor = yaml.constructor
    for cls, name in [
        (constructor.BaseConstructor, "construct_document"),
        (constructor.BaseConstructor, "construct_object"),
        (constructor.FullConstructor, "find_python_name"),
        (constructor.FullConstructor, "find_python_module"),
        (constructor.FullConstructor, "make_python_instance"),
        (constructor.UnsafeConstructor, "find_python_name"),
        (constructor.UnsafeConstructor, "find_python_module"),
        (constructor.UnsafeConstructor, "make_python_instance"),
    ]:
        monkeypatch.setattr(cls, name, record(f"yaml {cls.__name__}.{name}"))
    yield calls
    assert calls == []


def _write(directory: Path, name: str, template: str, **values: str) -> Path:
    path = directory / name
    path.write_text(template.format(**values), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return rc, out, err


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", SECRET_HOME)
    monkeypatch.setenv("CFGGUARD_RANK", SECRET_RANK)
    monkeypatch.setenv("CFGGUARD_LR", SECRET_LR)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_nothing_in_a_config_runs(
    name: str,
    bait: Path,
    no_code: list[str],
    env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _write(Path.cwd(), name, CONFIGS[name], marker=str(bait))
    before = path.read_bytes()
    for argv in (
        ["check", name],
        ["check", "--dialect", "plain", name],
        ["check", "--output-format", "json", name],
        ["check", "--fix", "--unsafe-fixes", name],
        ["show", name],
        ["show", "--output-format", "json", name],
    ):
        rc, out, _ = _run(capsys, *argv)
        # tags.yaml: Y001 (exit 1), and for show an error (exit 2)
        assert rc in ((1, 2) if name == "tags.yaml" else (0, 1)), argv
        assert SECRET_HOME not in out
        assert SECRET_LR not in out
        assert SECRET_RANK not in out
    if name == "tags.yaml":
        assert path.read_bytes() == before


TAG_LINES = [line for line in TAGS.splitlines() if "!!python" in line or "!<" in line]


@pytest.mark.parametrize("line", TAG_LINES, ids=[t.split(":")[0] for t in TAG_LINES])
def test_each_unknown_tag_is_an_error_at_its_position(
    line: str, bait: Path, no_code: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each tag alone in a config the plain dialect reads: Y001 where the tag starts."""
    text = "base_model: meta-llama/Llama-3.1-8B\nlora_rank: 16\n" + line.format(marker=bait)
    Path("x.yaml").write_text(text + "\n", encoding="utf-8")
    rc, out, _ = _run(capsys, "check", "--dialect", "plain", "x.yaml")
    assert rc == 1
    column = line.index(": ") + 3
    assert out.startswith(f"x.yaml:3:{column}: Y001 [error] unknown tag !"), out
    assert len(out.splitlines()) == 2  # the finding and the summary


def test_core_tags_are_read_as_the_loader_reads_them(
    no_code: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    os.chdir(tmp_path)
    Path("x.yaml").write_text(
        "base_model: !!str meta-llama/Llama-3.1-8B\nlora_rank: !!int 16\n"
        "learning_rate: !!float 2e-4\nlora_alpha: !<tag:yaml.org,2002:int> 32\n",
        encoding="utf-8",
    )
    rc, out, _ = _run(capsys, "show", "--output-format", "json", "--dialect", "plain", "x.yaml")
    assert rc == 0
    fields = json.loads(out)[0]["fields"]
    values = {k: fields[k]["value"] for k in ("base_model", "lora_rank", "lora_alpha")}
    assert values == {"base_model": "meta-llama/Llama-3.1-8B", "lora_rank": 16, "lora_alpha": 32}
    assert fields["learning_rate"]["value"] == 2e-4


def test_interpolations_stay_unresolved(
    env: None, no_code: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``${oc.env:HOME}`` is unknown to cfgguard: in OmegaConf dialects the field is not
    known; where the framework's loader is plain YAML, it is the text as written."""
    os.chdir(tmp_path)
    _write(tmp_path, "ax.yaml", AXOLOTL, url="https://example.invalid")
    _write(tmp_path, "verl.yaml", VERL, marker="m")
    _write(tmp_path, "torchtune.yaml", TORCHTUNE, marker="m")
    rc, out, _ = _run(capsys, "show", "--output-format", "json", "ax.yaml")
    assert rc == 0
    (ax,) = json.loads(out)
    assert ax["dialect"] == "axolotl"
    assert ax["fields"]["base_model"]["value"] == "${oc.env:HOME}"
    assert "learning_rate" not in ax["fields"]  # '${oc.env:CFGGUARD_LR}' is no number
    rc, out, _ = _run(capsys, "show", "--output-format", "json", "verl.yaml", "torchtune.yaml")
    assert rc == 0
    verl, torchtune = json.loads(out)
    assert (verl["dialect"], torchtune["dialect"]) == ("verl", "torchtune")
    for doc in (verl, torchtune):
        for name in ("learning_rate", "lora_rank", "micro_batch_size", "num_epochs"):
            assert name not in doc["fields"], (doc["dialect"], name)
        base = doc["fields"].get("base_model", {}).get("value")
        assert base is None or SECRET_HOME not in base
    assert SECRET_HOME not in out
    assert SECRET_LR not in out


def test_url_path_argument_is_an_io_error_and_nothing_is_fetched(
    server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, requests = server
    os.chdir(tmp_path)
    for argv in (
        ["check", f"{url}/x.yaml"],
        ["check", "--fix", f"{url}/x.yaml"],
        ["show", f"{url}/x.yaml"],
        ["check", "https://example.invalid/config.yaml"],
    ):
        rc, out, err = _run(capsys, *argv)
        assert rc == 2, argv
        assert err.endswith(f"cfgguard: error: {argv[-1]}: no such file or directory\n")
        assert "fetched" not in out
    rc, _, err = _run(capsys, "check", "--config", f"{url}/pyproject.toml", ".")
    assert rc == 2
    assert err.startswith("cfgguard: error: ")
    assert requests == []


def test_urls_inside_a_config_are_just_strings(
    server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, requests = server
    os.chdir(tmp_path)
    _write(tmp_path, "ax.yaml", AXOLOTL.replace("${{oc.env:HOME}}", "{url}/model"), url=url)
    rc, out, _ = _run(capsys, "show", "--output-format", "json", "ax.yaml")
    assert rc == 0
    assert json.loads(out)[0]["fields"]["base_model"]["value"] == f"{url}/model"
    rc, out, _ = _run(capsys, "check", "--fix", "--unsafe-fixes", "ax.yaml")
    assert rc in (0, 1)
    assert requests == []


def test_real_process_runs_no_code(bait: Path, tmp_path: Path) -> None:
    """The installed script, with the bait modules importable: no marker appears."""
    if not SCRIPT.exists():
        pytest.skip(f"no installed cfgguard script at {SCRIPT}")
    for name, template in CONFIGS.items():
        _write(tmp_path, name, template, marker=str(bait))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "lib"),
        "HOME": SECRET_HOME,
        "CFGGUARD_LR": SECRET_LR,
    }
    for argv in (["check"], ["check", "--fix", "--unsafe-fixes"], ["show"]):
        proc = subprocess.run(
            [str(SCRIPT), *argv, *sorted(CONFIGS)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode in ((2,) if argv == ["show"] else (1,)), proc
        assert b"Traceback" not in proc.stderr
        assert SECRET_HOME.encode() not in proc.stdout
        assert SECRET_LR.encode() not in proc.stdout
    assert _markers(tmp_path) == []


def test_the_bait_is_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The markers above would appear: PyYAML's unsafe loader on the same tags runs the
    bait (in a child process), as importing a ``_component_`` path would."""
    monkeypatch.chdir(tmp_path)
    lib = tmp_path / "lib"
    lib.mkdir()
    marker = tmp_path / "MARKER"
    (lib / "cfgguard_marker_mod.py").write_text(
        f"open({str(marker) + '.import'!r}, 'w').close()\ndef boom(*a): pass\n"
    )
    code = "import yaml, sys; yaml.unsafe_load(sys.stdin.read())"  # what cfgguard never does
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=b"a: !!python/object/apply:cfgguard_marker_mod.boom []\n",
        env={**os.environ, "PYTHONPATH": str(lib)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert _markers(tmp_path) == ["MARKER.import"]
