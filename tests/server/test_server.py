"""``cfgguard server`` end to end: the real server as a subprocess, spoken to in JSON-RPC.

Diagnostics are exactly ``cfgguard check``'s findings, code actions' edits give the exact
fixed text, hover and completion read the dialect's key data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.server.client import Client, apply_edits, column, uri

HREF = "https://github.com/cfgguard/cfgguard#rules"
ROCKET = "\U0001f680"  # two UTF-16 code units: columns after it differ from code points
BAD = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
    "adapter: lora\n"
    "lora_r: 32\n"
    "lora_alpha: 32\n"
    "lora_dropuot: 0.05  # typo\n"
    "micro_batch_size: 4\n"
    "sequence_len: 2048\n"
    "num_epochs: 1\n"
    "learning_rate: 2e-5\n"
    f'datasets: [{{path: "{ROCKET}data", typ: alpaca}}]\n'
)
# enough of axolotl's keys to be read as axolotl
HEAD = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nmicro_batch_size: 2\n"
SAFE_FIXED = BAD.replace("lora_dropuot", "lora_dropout").replace("typ:", "type:")


def _range(line: int, start: int, end: int) -> dict[str, Any]:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def _at(document: str, line: int, character: int) -> dict[str, Any]:
    return {"textDocument": {"uri": document}, "position": {"line": line, "character": character}}


def _actions(server: Client, document: str, span: dict[str, Any], **context: Any) -> list[Any]:
    params: dict[str, Any] = {
        "textDocument": {"uri": document},
        "range": span,
        "context": {"diagnostics": [], **context},
    }
    return server.call("textDocument/codeAction", params)


def _open(server: Client, project: Path, text: str, name: str = "cfg.yaml") -> tuple[str, Any]:
    path = project / name
    path.write_text(text, encoding="utf-8")  # as saved: `cfgguard check` reads the same
    document = server.open(path, text)
    return document, server.diagnostics(document)


def test_initialize_announces_the_features(workspace: Path) -> None:
    client = Client(workspace)
    try:
        capabilities = client.initialize()["capabilities"]
        assert client.stop() == 0
    finally:
        client.kill()
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert capabilities["hoverProvider"] is True
    assert capabilities["completionProvider"]["triggerCharacters"] == [" ", ":"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix", "source.fixAll"]


def test_utf8_position_encoding(workspace: Path, project: Path) -> None:
    client = Client(workspace)
    try:
        capabilities = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
        result = client.initialize(capabilities=capabilities)
        assert result["capabilities"]["positionEncoding"] == "utf-8"
        _, found = _open(client, project, BAD)
        assert client.stop() == 0
    finally:
        client.kill()
    assert found[2]["range"] == _range(9, 30, 33)  # the rocket is four bytes


def test_changes_within_the_debounce_are_checked_once(workspace: Path, project: Path) -> None:
    client = Client(workspace)
    try:
        client.initialize({"debounce_ms": 300})
        document, _ = _open(client, project, BAD)
        client.change(document, SAFE_FIXED.replace("2e-5", "2e-4"), 2)
        client.change(document, SAFE_FIXED, 3)
        assert [d["code"] for d in client.diagnostics(document, version=3)] == ["R002"]
        # answered after any check already due: none for version 2, none twice for 3
        client.call("textDocument/hover", _at(document, 0, 0))
        published = client.received(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert published == []
        assert client.stop() == 0
    finally:
        client.kill()


def test_diagnostics_on_open(server: Client, project: Path) -> None:
    _, found = _open(server, project, BAD)
    assert [(d["code"], d["severity"], d["range"]) for d in found] == [
        ("K001", 1, _range(4, 0, 12)),
        ("R002", 2, _range(8, 15, 19)),
        # code-point column 27, after the rocket: UTF-16 character 28
        ("K001", 1, _range(9, 28, 31)),
    ]
    assert {(d["source"], d["codeDescription"]["href"]) for d in found} == {("cfgguard", HREF)}
    assert found[0]["message"] == (
        "unknown key 'lora_dropuot' (did you mean 'lora_dropout'?); axolotl ignores it"
        " silently, so the default applies"
    )


def _check_json(path: Path, cwd: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "cfgguard", "check", "--output-format", "json", str(path)],
        capture_output=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _as_findings(found: list[dict[str, Any]], text: str) -> list[tuple[Any, ...]]:
    """Diagnostics as ``check``'s JSON has them (1-based code points)."""
    severity = {1: "error", 2: "warning", 3: "info"}
    lines = text.split("\n")

    def at(position: dict[str, int]) -> tuple[int, int]:
        line = position["line"]
        return line + 1, column(lines[line], position["character"]) + 1

    return [
        (d["code"], severity[d["severity"]], *at(d["range"]["start"]), *at(d["range"]["end"]),
         d["message"])
        for d in found
    ]  # fmt: skip


PINNED_TRL = (
    "model_name_or_path: Qwen/Qwen2.5-7B\n"
    "torch_dtype: bfloat16\n"
    "learning_rate: 2.0e-5\n"
    "max_prompt_length: 512\n"
    "num_train_epochs: 3\n"
    "lr_scheduler_typ: cosine\n"
)


@pytest.mark.parametrize(
    ("files", "text"),
    [
        pytest.param({}, BAD, id="no-configuration"),
        pytest.param(
            {".cfgguard.toml": 'ignore = ["R002"]\n[severity]\nK001 = "info"\n'},
            BAD,
            id="ignore-and-severity",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.cfgguard.target-versions]\ntrl = "==0.19.1"\n'},
            PINNED_TRL,
            id="target-versions",
        ),
        pytest.param({"requirements.txt": "trl==0.26.0\n"}, PINNED_TRL, id="repository-pins"),
    ],
)
def test_diagnostics_are_what_check_reports(
    server: Client, project: Path, files: dict[str, str], text: str
) -> None:
    for name, content in files.items():
        (project / name).write_text(content)
    path = project / "cfg.yaml"
    _, found = _open(server, project, text)
    expected = [
        (f["code"], f["severity"], f["line"], f["column"], f["end_line"], f["end_column"],
         f["message"])
        for f in _check_json(path, project)
    ]  # fmt: skip
    assert expected, "the case must have findings"
    assert _as_findings(found, text) == expected


def test_quick_fix_gives_the_fixed_text(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    actions = _actions(server, document, found[0]["range"])
    fix = actions[0]
    assert (fix["title"], fix["kind"], fix["isPreferred"]) == (
        "K001: rename 'lora_dropuot' to 'lora_dropout'",
        "quickfix",
        True,
    )
    assert fix["diagnostics"][0]["code"] == "K001"
    assert apply_edits(BAD, fix["edit"]["changes"][document]) == BAD.replace(
        "lora_dropuot", "lora_dropout"
    )


def test_quick_fix_after_a_non_bmp_character(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    fix = _actions(server, document, found[2]["range"])[0]
    assert fix["title"] == "K001: rename 'typ' to 'type'"
    assert fix["edit"]["changes"][document] == [{"range": _range(9, 28, 31), "newText": "type"}]
    assert apply_edits(BAD, fix["edit"]["changes"][document]) == BAD.replace("typ:", "type:")


def test_unsafe_fix_is_marked(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    fix = _actions(server, document, found[1]["range"])[0]
    assert (fix["title"], fix["isPreferred"]) == (
        "R002: learning rate 2e-5 -> 2e-4 (unsafe fix)",
        False,
    )
    assert apply_edits(BAD, fix["edit"]["changes"][document]) == BAD.replace("2e-5", "2e-4")


def test_fix_all_safe(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    actions = _actions(server, document, _range(0, 0, 0), only=["source.fixAll"])
    assert [(a["title"], a["kind"]) for a in actions] == [
        ("cfgguard: fix all safe problems in this file", "source.fixAll.cfgguard")
    ]
    edits = actions[0]["edit"]["changes"][document]
    assert edits[0]["range"] == {
        "start": {"line": 0, "character": 0},
        "end": {"line": 10, "character": 0},
    }
    assert apply_edits(BAD, edits) == SAFE_FIXED


def test_fix_all_keeps_bom_and_crlf(server: Client, project: Path) -> None:
    text = "\ufeff" + BAD.replace("\n", "\r\n")
    document, found = _open(server, project, text)
    assert found[0]["range"] == _range(4, 0, 12)  # the BOM is no character of the key's line
    actions = _actions(server, document, _range(0, 0, 0), only=["source.fixAll"])
    fixed = apply_edits(text, actions[0]["edit"]["changes"][document])
    assert fixed == "\ufeff" + SAFE_FIXED.replace("\n", "\r\n")


def test_suppress_writes_what_add_ignore_writes(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    actions = _actions(server, document, found[1]["range"])
    suppress = next(a for a in actions if a["title"] == "Suppress R002 on this line")
    suppressed = apply_edits(BAD, suppress["edit"]["changes"][document])
    assert suppressed == BAD.replace("2e-5\n", "2e-5  # cfgguard: ignore[R002]\n")
    # the same line `check --add-ignore` writes for that finding
    path = project / "cfg.yaml"
    subprocess.run(
        [sys.executable, "-m", "cfgguard", "check", "--add-ignore", "--select", "R002", str(path)],
        capture_output=True,
        cwd=project,
        timeout=60,
        check=False,
    )
    assert path.read_text(encoding="utf-8") == suppressed


def test_only_filters_kinds(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    assert _actions(server, document, found[0]["range"], only=["refactor"]) == []


def test_hover_on_a_key(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    answer = server.call("textDocument/hover", _at(document, 2, 3))
    assert answer["range"] == _range(2, 0, 6)
    text = answer["contents"]["value"]
    assert answer["contents"]["kind"] == "markdown"
    assert text.startswith(
        "**`lora_r`**: axolotl key (in every allowed release: axolotl 0.21.0 (assumed: no pin"
        " found, the newest release in cfgguard's data))"
    )
    assert "Type: `int | None`\n\nDefault: `None`" in text
    assert "Source: `axolotl 0.21.0 src/axolotl/utils/schemas/peft.py:" in text


def test_hover_on_a_value_with_a_finding(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    text = server.call("textDocument/hover", _at(document, 8, 16))["contents"]["value"]
    assert text.startswith("**R002** lora-lr-at-full-level (warning): learning rate 2e-5")
    assert "\n\nReference: Learning Rates / Base Learning Rates\n\n" in text
    assert "**What it does**\nFlags a LoRA or QLoRA run" in text  # the rule's doc


VERL = (
    "data:\n"
    "  train_files: data/train.parquet\n"
    "actor_rollout_ref:\n"
    "  model:\n"
    "    path: Qwen/Qwen2.5-7B-Instruct\n"
    "  actor:\n"
    "    optim:\n"
    "      lr: 1e-6\n"
    "      \n"
    "algorithm:\n"
    "  adv_estimator: grpo\n"
)


def test_hover_on_a_nested_key(server: Client, project: Path) -> None:
    document, _ = _open(server, project, VERL)
    answer = server.call("textDocument/hover", _at(document, 7, 7))
    assert answer["range"] == _range(7, 6, 8)
    text = answer["contents"]["value"]
    assert text.startswith("**`actor_rollout_ref.actor.optim.lr`**: verl key (in every allowed")
    assert "Type: `float`" in text


def test_completion_in_a_nested_section(server: Client, project: Path) -> None:
    document, _ = _open(server, project, VERL)
    labels = _labels(server.call("textDocument/completion", _at(document, 8, 6)))
    assert {"weight_decay", "lr_warmup_steps_ratio"} <= set(labels)
    assert "lr" not in labels
    assert not [label for label in labels if label.startswith("_")]  # `_target_` markers
    top = _labels(server.call("textDocument/completion", _at(document, 11, 0)))
    assert "trainer" in top
    assert "data" not in top


def test_hover_on_nothing(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    assert server.call("textDocument/hover", _at(document, 1, 11)) is None  # a clean value


def _labels(answer: Any) -> list[str]:
    return [item["label"] for item in answer["items"]]


def test_completion_of_top_level_keys(server: Client, project: Path) -> None:
    text = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nmicro_batch_size: 2\nlora_\n"
    document, _ = _open(server, project, text)
    answer = server.call("textDocument/completion", _at(document, 3, 5))
    items = {item["label"]: item for item in answer["items"]}
    assert "adapter" not in items  # the mapping has it already
    dropout = items["lora_dropout"]
    assert dropout["detail"] == "float | None"
    assert dropout["textEdit"] == {"range": _range(3, 0, 5), "newText": "lora_dropout: "}
    assert "Default: `0.0`" in dropout["documentation"]["value"]


def test_completion_in_a_list_item_while_the_text_does_not_parse(
    server: Client, project: Path
) -> None:
    text = (
        "base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 2\n"
        "datasets:\n  - path: x\n    ty\n  - path: y\n"
    )
    document, found = _open(server, project, text)
    assert [d["code"] for d in found] == ["Y001"]
    answer = server.call("textDocument/completion", _at(document, 4, 6))
    labels = _labels(answer)
    assert {"type", "split", "data_files"} <= set(labels)
    assert "path" not in labels
    assert "base_model" not in labels  # a top-level key, not a dataset's


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("excess_length_strategy: ", ["drop", "truncate", "raise"], id="choices"),
        pytest.param("bf16: ", ["auto", "true", "false"], id="literal-or-bool"),
        pytest.param("output_dir: ", [], id="open-type"),
    ],
)
def test_completion_of_values(
    server: Client, project: Path, line: str, expected: list[str]
) -> None:
    document, _ = _open(server, project, f"{HEAD}{line}\n")
    answer = server.call("textDocument/completion", _at(document, 3, len(line)))
    assert _labels(answer) == expected
    if expected:
        edit = answer["items"][0]["textEdit"]
        assert edit == {"range": _range(3, len(line), len(line)), "newText": expected[0]}


def test_completion_marks_the_default(server: Client, project: Path) -> None:
    document, _ = _open(server, project, f"{HEAD}bf16: a\n")
    answer = server.call("textDocument/completion", _at(document, 3, 7))
    first = answer["items"][0]
    assert (first["label"], first.get("detail")) == ("auto", "default")
    assert answer["items"][0]["textEdit"]["range"] == _range(3, 6, 7)  # the typed "a"


def test_did_change_publishes_the_new_diagnostics(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    assert len(found) == 3
    server.change(document, SAFE_FIXED, 2)
    after = server.diagnostics(document, version=2)
    assert [(d["code"], d["range"]) for d in after] == [("R002", _range(8, 15, 19))]
    # a code action on the new text
    actions = _actions(server, document, after[0]["range"])
    assert apply_edits(SAFE_FIXED, actions[0]["edit"]["changes"][document]) == (
        SAFE_FIXED.replace("2e-5", "2e-4")
    )


def test_incremental_change(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": document, "version": 2},
            "contentChanges": [{"range": _range(4, 0, 12), "text": "lora_dropout"}],
        },
    )
    after = server.diagnostics(document, version=2)
    assert [d["code"] for d in after] == ["R002", "K001"]


def test_save_reads_the_configuration_again(server: Client, project: Path) -> None:
    document, found = _open(server, project, BAD)
    assert [d["code"] for d in found] == ["K001", "R002", "K001"]
    (project / ".cfgguard.toml").write_text('ignore = ["K001"]\n')
    server.notify("textDocument/didSave", {"textDocument": {"uri": document}})
    assert [d["code"] for d in server.diagnostics(document)] == ["R002"]


def test_excluded_file_gets_no_diagnostics(server: Client, project: Path) -> None:
    (project / ".cfgguard.toml").write_text('exclude = ["skip/*"]\n')
    (project / "skip").mkdir()
    _, found = _open(server, project, BAD, name="skip/cfg.yaml")
    assert found == []


def test_broken_configuration_is_one_diagnostic(server: Client, project: Path) -> None:
    (project / ".cfgguard.toml").write_text("select = 3\n")
    _, found = _open(server, project, BAD)
    assert len(found) == 1
    assert found[0]["range"] == _range(0, 0, 0)
    assert found[0]["message"].startswith(f"cfgguard configuration: {project}/.cfgguard.toml:1:")


def test_close_clears_the_diagnostics(server: Client, project: Path) -> None:
    document, _ = _open(server, project, BAD)
    server.notify("textDocument/didClose", {"textDocument": {"uri": document}})
    assert server.diagnostics(document) == []
    assert server.call("textDocument/hover", _at(document, 2, 3)) is None


def test_unsaved_buffer_is_checked_under_the_workspace(server: Client) -> None:
    document = "untitled:Untitled-1"
    item = {"uri": document, "languageId": "yaml", "version": 1, "text": BAD}
    server.notify("textDocument/didOpen", {"textDocument": item})
    assert [d["code"] for d in server.diagnostics(document)] == ["K001", "R002", "K001"]


def test_unknown_document_answers_nothing(server: Client, project: Path) -> None:
    document = uri(project / "never-opened.yaml")
    assert server.call("textDocument/hover", _at(document, 0, 0)) is None
    assert server.call("textDocument/completion", _at(document, 0, 0)) is None
