#!/usr/bin/env python3
"""Benchmark ``cfgguard check`` against check-jsonschema and yamllint on the same YAML files.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python bench/run.py            # full run: 1, 200 and 10,000 files (several minutes)
    .venv/bin/python bench/run.py --quick    # CI smoke run: small N, one repetition, no judging
    .venv/bin/python bench/run.py --corpus   # ../shared/corpus's files instead of generated ones
    .venv/bin/python bench/run.py --profile  # where cfgguard's time goes (imports, cProfile)

What it measures, all in one run and interleaved (each repetition runs every tool once, in a
rotating order, so that load from other processes on the machine hits all of them alike):

* ``cfgguard check --output-format concise FILES`` (the console script next to this Python),
* ``check-jsonschema --schemafile SCHEMA FILES``, SCHEMA being the files' own dialect schema
  that cfgguard generates (``schemas/<dialect>.schema.json``, what an editor or a
  check-jsonschema pre-commit hook would use on such a file): for the 1-file case that
  file's dialect schema; for the mixed sets one schema that is the ``anyOf`` of the dialect
  schemas (built in the temporary directory), so that check-jsonschema, like the other two
  tools, validates all files in one process (one process per dialect would charge it five
  more start-ups). Not ``schemas/canonical.schema.json``: that schema describes cfgguard's
  canonical instance, not a file, so on raw files it reports nonsense, and it is also the
  slowest to load (about 0.40 s for 1 file against 0.25-0.30 s with a dialect schema, which
  would flatter cfgguard); ``--jsonschema-schema canonical`` selects it anyway,
* ``yamllint -d default -f parsable FILES``: yamllint's default rule set (what ``yamllint
  FILES`` and its pre-commit hook run without a config file; ``-d default`` keeps a
  ``.yamllint`` file from being picked up) with its one-line output format,

on 1, 200 and 10,000 files; ``cfgguard check --fix --unsafe-fixes`` on 200 files that each need
exactly one fix (a LoRA learning rate at full-fine-tune level -> R002, or a typo'd key -> K001;
the files are chosen by cfgguard's own JSON output and restored before each repetition);
peak memory (max RSS of each child, from ``os.wait4`` in a small launcher process);
CPU time (user + system) next to wall time; ``python -X importtime -c "import cfgguard.cli"``
against a ``python -c pass`` baseline (and ``import cfgguard.cli.commands``, which ``cfgguard
check`` imports as well). Every tool runs from byte-code: the children get
PYTHONPYCACHEPREFIX in the temporary directory and no PYTHONDONTWRITEBYTECODE, and untimed
warm-up runs fill that cache (an editable install would otherwise recompile cfgguard's
sources on every start while pip-installed tools read their .pyc files).

The configs are generated into a temporary directory from the repository's ``examples/`` and
``tests/fixtures/dialects/*/`` files (and ``../shared/corpus`` when it is present, unless
``--no-shared``), dialects in turn, with varied values (learning rates, ranks, batch sizes,
models, ...), extra known keys from cfgguard's key lists, comments and an occasional typo'd
key. Nothing is written into the repository.

The medians are printed as a table with the ratios cfgguard / check-jsonschema and cfgguard /
yamllint and the targets (met / not met): 1 file <= 0.3x check-jsonschema and <= 1.0x
yamllint; 200 files >= 4x faster than either; 10,000 files linear (marginal per-file time at
10,000 within 1.25x of that at 200); ``import cfgguard.cli`` <= 60 ms.

check-jsonschema and yamllint are not project dependencies and this script installs nothing.
For a full run install them into the virtualenv::

    .venv/bin/pip install check-jsonschema yamllint

A tool that is not installed is skipped with a line saying so. Exit status: 1 when cfgguard
crashed (exit status 2, a signal, or a traceback on stderr), else 0 (also with ``--quick``);
``--check-targets`` also exits 1 when a target is not met. POSIX only (``os.wait4``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
KEYS_DIR = REPO / "src" / "cfgguard" / "knowledge" / "data" / "keys"
BIN = Path(sys.executable).parent  # not resolved: a venv's python is a symlink
DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
CORPUS_DIALECTS = {"alignment-handbook": "trl"}
FLAT_DIALECTS = ("axolotl", "llamafactory", "trl")  # top-level keys are the settings
INSTALL_HINT = ".venv/bin/pip install check-jsonschema yamllint"

CFGGUARD = "cfgguard"
JSONSCHEMA = "check-jsonschema"
YAMLLINT = "yamllint"


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    maxrss_kb: int
    code: int
    stderr: str


class Crash(Exception):
    pass


# The children are started by a small launcher process, not by this one: Linux carries the
# parent's peak RSS over fork and exec into the child's ru_maxrss, so a child forked from this
# (larger) process could never report less than this process's own peak. The launcher also
# takes the wall time, around fork .. wait4, so its pipe round trip is not counted.
LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    argv, cwd, env, err_path = json.loads(line)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDWR)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(err, 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(err)
    os.close(null)
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([wall, cpu, usage.ru_maxrss, code]), flush=True)
"""


ENV: dict[str, str] = {}


def set_env(pycache: Path) -> None:
    """The children's environment: no colour, and byte-code caching on for every tool.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes), an editable install compiles
    its sources on every start while pip-installed packages read their .pyc files: the
    comparison would charge cfgguard a compile that pip-installed users never pay. The
    children write and read their .pyc under ``pycache`` (PYTHONPYCACHEPREFIX), the same for
    every tool and never inside the repository; the untimed warm-up runs fill it.
    """
    ENV.clear()
    ENV.update(os.environ)
    ENV["NO_COLOR"] = "1"
    ENV["PYTHONPYCACHEPREFIX"] = str(pycache)
    for name in ("FORCE_COLOR", "GITHUB_ACTIONS", "PYTHONDONTWRITEBYTECODE"):
        ENV.pop(name, None)


class Launcher:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.err: Path | None = None

    def run(self, cmd: Sequence[str], cwd: Path) -> Run:
        if self.proc is None or self.err is None:
            fd, name = tempfile.mkstemp(prefix="cfgguard-bench-", suffix=".stderr")
            os.close(fd)
            self.err = Path(name)
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        argv = list(cmd)
        if os.sep not in argv[0]:
            argv[0] = shutil.which(argv[0]) or argv[0]
        self.proc.stdin.write(json.dumps([argv, str(cwd), ENV, str(self.err)]) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise SystemExit("bench: the launcher process died")
        wall, cpu, maxrss, code = json.loads(reply)
        stderr = self.err.read_text(encoding="utf-8", errors="replace")
        return Run(float(wall), float(cpu), int(maxrss), int(code), stderr)

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None
        if self.err is not None:
            self.err.unlink(missing_ok=True)
            self.err = None


_launcher = Launcher()


def run(cmd: Sequence[str], cwd: Path) -> Run:
    """Run ``cmd`` in ``cwd``, stdout discarded: wall time, the child's rusage, its stderr."""
    return _launcher.run(cmd, cwd)


def crashed(result: Run) -> bool:
    return result.code not in (0, 1) or "Traceback (most recent call last)" in result.stderr


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list[Run])

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def wall_min(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.maxrss_kb for r in self.runs) / 1024


@dataclass(frozen=True)
class Tool:
    name: str
    exe: str
    argv: Callable[[list[str]], list[str]]
    version: str


def find_executable(name: str) -> str | None:
    beside = BIN / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def version_of(exe: str) -> str:
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=60, check=False, env=ENV
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def dialect_of(path: str) -> str:
    """The dialect of a generated or copied file: ``configs/<dialect>/...``."""
    parts = Path(path).parts
    return parts[1] if len(parts) > 2 and parts[1] in DIALECTS else "canonical"


class JsonSchemaArgv:
    """check-jsonschema's command line; ``mode`` "dialect" picks the files' own schemas.

    One dialect among the files: ``schemas/<dialect>.schema.json``. Several: one schema whose
    ``anyOf`` holds each of their dialect schemas (written into ``work``; the dialect schemas
    have no ``$ref``), so that one process validates all files, as the other tools do.
    Any other ``mode`` names ``schemas/<mode>.schema.json`` for every file set.
    """

    def __init__(self, exe: str, mode: str, work: Path) -> None:
        self.exe, self.mode, self.work = exe, mode, work

    def schema(self, files: Sequence[str]) -> Path:
        if self.mode != "dialect":
            return REPO / "schemas" / f"{self.mode}.schema.json"
        dialects = sorted({dialect_of(f) for f in files})
        if len(dialects) == 1:
            return REPO / "schemas" / f"{dialects[0]}.schema.json"
        path = self.work / "schemas" / f"any-of-{'-'.join(dialects)}.schema.json"
        if not path.exists():
            branches: list[dict[str, Any]] = []
            for dialect in dialects:
                branch = json.loads((REPO / "schemas" / f"{dialect}.schema.json").read_text())
                branch.pop("$schema", None)
                branches.append(branch)
            union = {"$schema": "http://json-schema.org/draft-07/schema#", "anyOf": branches}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(union), encoding="utf-8")
        return path

    def describe(self, files: Sequence[str]) -> str:
        schema = self.schema(files)
        if schema.parent == REPO / "schemas":
            return f"schemas/{schema.name}"
        names = schema.name.removeprefix("any-of-").removesuffix(".schema.json")
        return f"anyOf of the {names.replace('-', ', ')} schemas"

    def __call__(self, files: list[str]) -> list[str]:
        return [self.exe, "--schemafile", str(self.schema(files)), *files]


def tools(jsonschema_mode: str, work: Path, lines: list[str]) -> dict[str, Tool]:
    found: dict[str, Tool] = {}
    exe = find_executable(CFGGUARD)
    if exe is None:
        raise SystemExit("bench: the cfgguard console script is not installed (pip install -e .)")
    found[CFGGUARD] = Tool(
        CFGGUARD,
        exe,
        lambda files: [exe, "check", "--output-format", "concise", *files],
        version_of(exe),
    )
    cjs = find_executable(JSONSCHEMA)
    if cjs is None:
        lines.append(f"skipped: {JSONSCHEMA} is not installed ({INSTALL_HINT})")
    else:
        found[JSONSCHEMA] = Tool(
            JSONSCHEMA, cjs, JsonSchemaArgv(cjs, jsonschema_mode, work), version_of(cjs)
        )
    yl = find_executable(YAMLLINT)
    if yl is None:
        lines.append(f"skipped: {YAMLLINT} is not installed ({INSTALL_HINT})")
    else:
        found[YAMLLINT] = Tool(
            YAMLLINT,
            yl,
            lambda files: [yl, "-d", "default", "-f", "parsable", *files],
            version_of(yl),
        )
    return found


def interleave(
    jobs: dict[str, Callable[[], Run]],
    reps: int,
    before: Callable[[str], None] | None = None,
) -> dict[str, Series]:
    """Run every job once per repetition, the order rotating; ``before`` runs untimed."""
    series = {name: Series(name) for name in jobs}
    names = list(jobs)
    for rep in range(reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            if before is not None:
                before(name)
            result = jobs[name]()
            if name.startswith(CFGGUARD) and crashed(result):
                raise Crash(f"{name} exited {result.code}:\n{result.stderr}")
            series[name].runs.append(result)
    return series


# --------------------------------------------------------------------------- configs


@dataclass(frozen=True)
class Template:
    dialect: str
    name: str
    text: str
    suffix: str


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def load_templates(shared: Path | None) -> list[Template]:
    found: list[Template] = []
    for path in sorted((REPO / "examples").glob("*.y*ml")):
        dialect = path.name.split("-", 1)[0]
        text = _read_text(path)
        if dialect in DIALECTS and text is not None:
            found.append(Template(dialect, f"examples/{path.name}", text, path.suffix))
    fixtures = REPO / "tests" / "fixtures" / "dialects"
    for dialect in DIALECTS:
        for path in sorted((fixtures / dialect).glob("*.y*ml")):
            text = _read_text(path)
            if text is not None:
                found.append(
                    Template(dialect, f"fixtures/{dialect}/{path.name}", text, path.suffix)
                )
    if shared is not None and shared.is_dir():
        for sub in sorted(p for p in shared.iterdir() if p.is_dir()):
            dialect = CORPUS_DIALECTS.get(sub.name, sub.name)
            if dialect not in DIALECTS:
                continue
            for path in sorted(sub.glob("*.y*ml")):
                text = _read_text(path)
                if text is not None:
                    found.append(
                        Template(dialect, f"corpus/{sub.name}/{path.name}", text, path.suffix)
                    )
    return found


_SIMPLE_DEFAULT = re.compile(r'^(True|False|None|-?\d+(\.\d+)?([eE]-?\d+)?|"[\w./-]{0,30}")$')


def extra_keys() -> dict[str, list[tuple[str, str]]]:
    """Top-level keys with a plain default per flat dialect, from cfgguard's key lists."""
    out: dict[str, list[tuple[str, str]]] = {}
    for dialect in FLAT_DIALECTS:
        path = KEYS_DIR / f"{dialect}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries: list[dict[str, object]] = data.get("keys", [])
        pairs: list[tuple[str, str]] = []
        for entry in entries:
            key, default = entry.get("key"), entry.get("default")
            if not isinstance(key, str) or not isinstance(default, str) or "." in key:
                continue
            if (
                entry.get("removed")
                or not entry.get("user_key")
                or not _SIMPLE_DEFAULT.match(default)
            ):
                continue
            value = {"True": "true", "False": "false", "None": "null"}.get(default, default)
            pairs.append((key, value.strip('"')))
        out[dialect] = pairs
    return out


LR_VALUES = ("1e-6", "5e-6", "1e-5", "2e-5", "5e-5", "1e-4", "2e-4", "3e-4", "5e-4")
CHOICES: dict[str, tuple[str, ...]] = {}
for _keys, _values in (
    (("lora_r", "lora_rank", "r", "rank"), ("4", "8", "16", "32", "64", "128")),
    (("lora_alpha",), ("8", "16", "32", "64", "128")),
    (("lora_dropout",), ("0.0", "0.05", "0.1")),
    (
        (
            "micro_batch_size",
            "per_device_train_batch_size",
            "batch_size",
            "ppo_micro_batch_size_per_gpu",
        ),
        ("1", "2", "4", "8", "16"),
    ),
    (("gradient_accumulation_steps",), ("1", "2", "4", "8", "16")),
    (("train_batch_size",), ("64", "128", "256", "512")),
    (("ppo_mini_batch_size",), ("16", "32", "64", "128")),
    (("num_epochs", "num_train_epochs", "epochs", "total_epochs"), ("1", "2", "3", "5")),
    (
        (
            "sequence_len",
            "cutoff_len",
            "max_seq_len",
            "max_seq_length",
            "max_length",
            "max_prompt_length",
            "max_response_length",
            "max_completion_length",
        ),
        ("512", "1024", "2048", "4096", "8192"),
    ),
    (("warmup_ratio", "lr_warmup_steps_ratio"), ("0.0", "0.03", "0.05", "0.1")),
    (("warmup_steps", "num_warmup_steps"), ("0", "10", "50", "100", "200")),
    (("weight_decay",), ("0.0", "0.01", "0.05", "0.1")),
    (("max_grad_norm", "clip_grad_norm", "grad_clip"), ("0.3", "1.0")),
    (("beta", "dpo_beta", "pref_beta", "rl_beta"), ("0.01", "0.05", "0.1", "0.2", "0.5")),
    (("temperature",), ("0.6", "0.7", "0.8", "1.0", "1.2")),
    (("num_generations", "n", "group_size"), ("4", "8", "16")),
    (("val_set_size",), ("0.0", "0.01", "0.02", "0.05")),
    (("max_steps", "num_steps", "total_training_steps"), ("100", "500", "1000", "2000", "5000")),
    (("save_steps", "eval_steps", "logging_steps"), ("10", "50", "100", "500")),
):
    for _key in _keys:
        CHOICES[_key] = _values
MODEL_KEYS = {"base_model", "model_name_or_path", "model", "path", "pretrained_model_name_or_path"}
MODELS = (
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Llama-3.2-1B",
    "meta-llama/Llama-3.2-3B",
    "meta-llama/Llama-3.3-70B-Instruct",
    "Qwen/Qwen2.5-0.5B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-14B-Instruct",
    "Qwen/Qwen3-4B",
    "Qwen/Qwen3-8B",
    "Qwen/Qwen3-30B-A3B",
    "mistralai/Mistral-7B-v0.3",
    "google/gemma-2-9b",
    "google/gemma-3-4b-pt",
    "microsoft/phi-4",
    "HuggingFaceTB/SmolLM2-1.7B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
    "acme-labs/house-model-7b",  # not in cfgguard's model table: M001
)
MODEL_ORGS = {m.split("/", 1)[0].lower() for m in MODELS} | {"meta-llama", "mistralai", "thudm"}
UNIQUE_KEYS = {"output_dir", "run_name", "wandb_name", "hub_model_id", "wandb_run_id"}
LINE = re.compile(
    r"^(?P<head>[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][\w.-]*)[ \t]*:[ \t]+)"
    r"(?P<value>[^#\n]*?)(?P<tail>[ \t]+#.*)?$"
)
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
MODEL_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


def _lr(original: str, rng: random.Random) -> str:
    value = rng.choice(LR_VALUES)
    if ".0e" in original.lower():
        return value.replace("e", ".0e")
    if "e" not in original.lower():
        return f"{float(value):.6f}".rstrip("0")
    return value


def _number(key: str, original: str, rng: random.Random) -> str | None:
    if key in ("learning_rate", "lr"):
        return _lr(original, rng)
    if key == "seed":
        return str(rng.randrange(10_000))
    values = CHOICES.get(key)
    if values is None:
        return None
    value = rng.choice(values)
    if "." in original and "." not in value:
        value += ".0"
    return value


def mutate(
    template: Template, index: int, rng: random.Random, keys: dict[str, list[tuple[str, str]]]
) -> str:
    """A varied copy of ``template``: values, model, unique names, comments, extra keys."""
    lines = template.text.splitlines()
    out: list[str] = [f"# bench config {index} from {template.name}"]
    top_lines: list[int] = []
    for line in lines:
        match = LINE.match(line)
        if match is not None:
            key, value = match["key"], match["value"].strip()
            new: str | None = None
            if NUMBER.match(value) and rng.random() < 0.6:
                new = _number(key.lower(), value, rng)
            elif (
                key in MODEL_KEYS
                and MODEL_ID.match(value)
                and value.split("/", 1)[0].lower() in MODEL_ORGS
                and rng.random() < 0.5
            ):
                new = rng.choice(MODELS)
            elif (
                key in UNIQUE_KEYS
                and value
                and "$" not in value
                and not value.startswith(("'", '"'))
            ):
                new = f"{value}-{index}"
            if new is not None:
                line = f"{match['head']}{new}{match['tail'] or ''}"  # noqa: PLW2901
        if TOP_KEY.match(line):
            top_lines.append(len(out))
        out.append(line)
    if top_lines and rng.random() < 0.3:
        at = rng.choice(top_lines)
        out.insert(at, f"# tuned for run {index} ({rng.choice(('sweep', 'ablation', 'baseline'))})")
        top_lines = [i + 1 if i >= at else i for i in top_lines]
    if top_lines and rng.random() < 0.05:  # a typo'd key: K001 with a did-you-mean
        at = rng.choice(top_lines)
        key_match = TOP_KEY.match(out[at])
        key = key_match.group(1) if key_match else ""
        if len(key) >= 6:
            i = rng.randrange(1, len(key) - 2)
            typo = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
            out[at] = typo + out[at][len(key) :]
    text = "\n".join(out) + "\n"
    pool = keys.get(template.dialect, [])
    single_doc = not re.search(r"^(---|\.\.\.)", template.text[1:], re.MULTILINE)
    if pool and single_doc and top_lines:
        present = {m.group(1) for m in (TOP_KEY.match(x) for x in out) if m}
        extra = [
            kv
            for kv in rng.sample(pool, min(len(pool), rng.randrange(0, 16)))
            if kv[0] not in present
        ]
        if extra:
            text += "\n# extra settings\n" + "".join(f"{k}: {v}\n" for k, v in extra)
    return text


def generate(templates: list[Template], count: int, out_dir: Path, rng: random.Random) -> list[str]:
    """``count`` configs under ``out_dir``, dialects in turn; paths relative to ``out_dir``."""
    keys = extra_keys()
    by_dialect: dict[str, list[Template]] = {}
    for template in templates:
        by_dialect.setdefault(template.dialect, []).append(template)
    order = [d for d in DIALECTS if d in by_dialect]
    paths: list[str] = []
    for index in range(count):
        dialect = order[index % len(order)]
        template = rng.choice(by_dialect[dialect])
        stem = Path(template.name).stem.replace("__", "-")[:40]
        rel = f"configs/{dialect}/{index:05d}-{stem}{template.suffix}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(mutate(template, index, rng, keys), encoding="utf-8")
        paths.append(rel)
    return paths


def copy_corpus(corpus: Path, count: int, out_dir: Path) -> list[str]:
    """The corpus files as they are, dialects in turn, cycled to ``count`` (``--corpus``)."""
    by_dialect: dict[str, list[Path]] = {}
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            top = path.relative_to(corpus).parts[0]
            dialect = CORPUS_DIALECTS.get(top, top)
            by_dialect.setdefault(dialect if dialect in DIALECTS else "other", []).append(path)
    if not by_dialect:
        raise SystemExit(f"bench: no *.yaml/*.yml files under {corpus}")
    order = sorted(by_dialect)
    paths: list[str] = []
    for index in range(count):
        dialect = order[index % len(order)]
        group = by_dialect[dialect]
        source = group[(index // len(order)) % len(group)]
        rel = f"corpus/{dialect}/{index:05d}-{source.name}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        paths.append(rel)
    return paths


LR_LINE = re.compile(
    r"^(?P<head>[ \t]*(learning_rate|lr)[ \t]*:[ \t]+)(?P<value>[^#\n]+?)(?P<tail>[ \t]+#.*)?$"
)
TYPO_KEYS = (
    "gradient_accumulation_steps",
    "learning_rate",
    "lr_scheduler",
    "lr_scheduler_type",
    "num_train_epochs",
    "num_epochs",
    "warmup_ratio",
    "per_device_train_batch_size",
    "micro_batch_size",
    "output_dir",
)


def fix_candidate(template: Template, index: int, kind: str) -> str | None:
    """``template`` with one problem cfgguard can fix: an R002 learning rate or a K001 typo."""
    lines = [f"# bench fix config {index} from {template.name}", *template.text.splitlines()]
    for i, line in enumerate(lines):
        match = LR_LINE.match(line) if kind == "R002" else TOP_KEY.match(line)
        if match is None:
            continue
        if kind == "R002":
            value = match["value"].strip()
            new = "2.0e-5" if ".0e" in value else "2e-5" if "e" in value.lower() else "0.00002"
            lines[i] = f"{match['head']}{new}{match['tail'] or ''}"
            break
        key = match.group(1)
        if key in TYPO_KEYS:
            j = len(key) // 2
            lines[i] = key[:j] + key[j + 1] + key[j] + key[j + 2 :] + line[len(key) :]
            break
    else:
        return None
    return "\n".join(lines) + "\n"


def _kind(candidate: str) -> str:
    return Path(candidate).stem.split("-")[1]


def _cfgguard(cfgguard: str, args: list[str], cwd: Path) -> tuple[str, str]:
    """stdout and stderr of ``cfgguard check ARGS``; Crash on exit 2 or a traceback."""
    proc = subprocess.run(
        [cfgguard, "check", *args], cwd=cwd, capture_output=True, text=True, check=False, env=ENV
    )
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        raise Crash(f"cfgguard check {args[0]} ... exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout, proc.stderr


def fix_set(
    templates: list[Template], count: int, out_dir: Path, cfgguard: str
) -> tuple[list[str], Counter[str]]:
    """``count`` files that each have exactly one fixable finding (checked with cfgguard)."""
    cand_dir = out_dir / "fix-candidates"
    candidates: list[str] = []
    for t_index, template in enumerate(templates):
        for kind in ("R002", "K001"):
            text = fix_candidate(template, t_index, kind)
            if text is not None:
                rel = f"{t_index:04d}-{kind}{template.suffix}"
                (cand_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                (cand_dir / rel).write_text(text, encoding="utf-8")
                candidates.append(rel)
    # 1. exactly one fixable finding, and it is the one put in
    out, _ = _cfgguard(cfgguard, ["--output-format", "json", *candidates], cand_dir)
    try:
        findings: list[dict[str, Any]] = json.loads(out)
    except ValueError as exc:
        raise Crash(f"cfgguard check --output-format json printed no JSON: {exc}") from exc
    fixable: dict[str, list[str]] = {}
    for finding in findings:
        if finding.get("fix"):
            fixable.setdefault(finding["path"], []).append(finding["code"])
    good = [c for c in candidates if fixable.get(c) == [_kind(c)]]
    # 2. and --fix applies exactly that one fix (a fix can uncover another, e.g. a renamed key)
    trial = out_dir / "fix-trial"
    shutil.copytree(cand_dir, trial)
    _, err = _cfgguard(cfgguard, ["--fix", "--unsafe-fixes", "--show-fixes", *good], trial)
    applied: dict[str, list[str]] = {}
    for match in re.finditer(r"^Fixed (.+?):\d+:\d+: ([A-Z]\d{3}) ", err, re.MULTILINE):
        applied.setdefault(match.group(1), []).append(match.group(2))
    good = [c for c in good if applied.get(c) == [_kind(c)]]
    if not good:
        raise SystemExit("bench: no template yields a config with exactly one fix")
    pristine = out_dir / "fix-pristine"
    paths: list[str] = []
    mix: Counter[str] = Counter()
    for index in range(count):
        source = good[index % len(good)]
        rel = f"{index:04d}-{source}"
        text = (cand_dir / source).read_text(encoding="utf-8")
        pristine.joinpath(rel).parent.mkdir(parents=True, exist_ok=True)
        pristine.joinpath(rel).write_text(f"# copy {index}\n{text}", encoding="utf-8")
        paths.append(rel)
        mix[_kind(source)] += 1
    return paths, mix


# --------------------------------------------------------------------------- imports


def parse_importtime(stderr: str) -> list[tuple[str, float, float]]:
    """``-X importtime`` lines as (name with its indent, self s, cumulative s)."""
    out: list[tuple[str, float, float]] = []
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not line.startswith("import time:") or "self [us]" in line:
            continue
        out.append((parts[2][1:], float(parts[0].split(":")[1]) / 1e6, float(parts[1]) / 1e6))
    return out


def importtime(python: str, code: str, cwd: Path) -> tuple[float, float]:
    """(sum of every module's self time, cumulative time of top-level cfgguard imports)."""
    result = run([python, "-X", "importtime", "-c", code], cwd)
    if crashed(result) or result.code != 0:
        raise Crash(f"python -c {code!r} exited {result.code}:\n{result.stderr}")
    lines = parse_importtime(result.stderr)
    ours = sum(cum for name, _, cum in lines if name.startswith("cfgguard"))
    return sum(self_s for _, self_s, _ in lines), ours


# --------------------------------------------------------------------------- report


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ours: float, other: float | None) -> str:
    return "n/a" if other is None or other == 0 else f"{ours / other:.2f}x"


@dataclass
class Target:
    text: str
    value: str
    met: bool | None  # None: not judged


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines: list[str] = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- profile


PROFILE_CODE = """
import cProfile, io, sys
out, files = sys.argv[1], sys.argv[2:]
prof = cProfile.Profile()
stdout = sys.stdout
sys.stdout = io.StringIO()
prof.enable()
from cfgguard.cli import main
main(["check", "--output-format", "concise", *files])
prof.disable()
sys.stdout = stdout
prof.dump_stats(out)
"""


def _where(filename: str) -> str:
    """A profiled function's file, shortened: ``cfgguard/rules/x.py``, ``yaml/x.py``."""
    if filename == "~":
        return "(built-in functions: exec, isinstance, ...)"
    if filename.startswith("<"):
        return filename
    for marker in ("/src/", "/site-packages/", "/python3.", "/lib/"):
        if marker in filename:
            tail = filename.rsplit(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/python3." else tail
    return filename


def print_profile(path: Path, total_files: int) -> None:
    stats = pstats.Stats(str(path))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = getattr(
        stats, "stats", {}
    )
    by_file: dict[str, float] = {}
    rules: list[tuple[float, str]] = []
    for (filename, _line, func), (_cc, _nc, tottime, cumtime, _callers) in raw.items():
        where = _where(filename)
        by_file[where] = by_file.get(where, 0.0) + tottime
        if "cfgguard/rules/" in where and func == "check":
            rules.append((cumtime, where.rsplit("/", 1)[1].removesuffix(".py")))
    total = sum(by_file.values())
    print(f"-- own time (tottime) by source file, of {fmt_s(total)} profiled")
    for where, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {seconds / total:5.1%}  {where}")
    if total_files > 1:
        print(f"-- rules: cumulative time of check() over {total_files} files")
        for seconds, rule in sorted(rules, reverse=True)[:15]:
            print(f"  {seconds * 1000:8.1f} ms  {seconds / total:5.1%}  {rule}")
    print("-- top 25 functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(25)


def profile(files: list[str], cwd: Path, python: str) -> None:
    """Print -X importtime grouped by package and cProfile for 1 file and all ``files``."""
    run([python, "-m", "cfgguard", "check", *files], cwd)  # warm-up: .pyc files
    result = run(
        [
            python,
            "-X",
            "importtime",
            "-m",
            "cfgguard",
            "check",
            "--output-format",
            "concise",
            files[0],
        ],
        cwd,
    )
    per: dict[str, float] = {}
    groups: dict[str, float] = {}
    for name, self_s, _ in parse_importtime(result.stderr):
        name = name.strip()  # noqa: PLW2901
        per[name] = self_s
        pieces = name.split(".")
        group = ".".join(pieces[:2]) if pieces[0] == "cfgguard" else pieces[0]
        groups[group] = groups.get(group, 0.0) + self_s
    print(f"== -X importtime of `cfgguard check` on 1 file: {fmt_s(sum(per.values()))} in total")
    print("-- by package (self time summed; cfgguard split by subpackage)")
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {name}")
    print("-- slowest single modules (self time)")
    for name, seconds in sorted(per.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {name}")
    for subset in (files[:1], files):
        print(f"\n== cProfile of cfgguard.cli.main(['check', ...]), {len(subset)} file(s)")
        prof = cwd / f"profile-{len(subset)}.prof"
        proc = subprocess.run(
            [python, "-c", PROFILE_CODE, str(prof), *subset],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env=ENV,
        )
        if proc.returncode != 0 or not prof.exists():
            print(proc.stderr)
            continue
        print_profile(prof, len(subset))


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI smoke run: small N, one repetition, no judging"
    )
    parser.add_argument(
        "--corpus",
        nargs="?",
        const=str(SHARED_CORPUS),
        default=None,
        metavar="DIR",
        help=f"the corpus's files as they are, cycled (default: {SHARED_CORPUS})",
    )
    parser.add_argument(
        "--no-shared", action="store_true", help="generate from the repository's files only"
    )
    parser.add_argument("--sizes", default="1,200,10000", help="file counts (default 1,200,10000)")
    parser.add_argument(
        "--fix-files", type=_positive, default=200, help="files for the --fix run (default 200)"
    )
    parser.add_argument(
        "--reps-small", type=int, default=15, help="repetitions for 1 file and imports"
    )
    parser.add_argument(
        "--reps-medium", type=int, default=7, help="repetitions for up to 1,000 files"
    )
    parser.add_argument("--reps-large", type=int, default=2, help="repetitions above 1,000 files")
    parser.add_argument(
        "--jsonschema-schema",
        default="dialect",
        metavar="NAME",
        help="check-jsonschema's schema: 'dialect' (default): the files' own dialect schemas; "
        "else schemas/NAME.schema.json, e.g. canonical",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--profile", action="store_true", help="print import and cProfile profiles and stop"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files; print where")
    parser.add_argument(
        "--json", default=None, metavar="FILE", help="also write the medians as JSON"
    )
    parser.add_argument(
        "--check-targets", action="store_true", help="exit 1 when a target is not met"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "1,20"
        args.fix_files = min(args.fix_files, 10)
        args.reps_small = args.reps_medium = args.reps_large = 1
    return args


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    work = Path(tempfile.mkdtemp(prefix="cfgguard-bench-"))
    set_env(work / "pycache")
    try:
        return _main(args, sizes, work)
    except Crash as exc:
        print(f"\nbench: cfgguard crashed: {exc}", file=sys.stderr)
        return 1
    finally:
        _launcher.close()
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _reps(args: argparse.Namespace, size: int) -> int:
    if size <= 1:
        return int(args.reps_small)
    return int(args.reps_medium) if size <= 1000 else int(args.reps_large)


def _main(args: argparse.Namespace, sizes: list[int], work: Path) -> int:
    notes: list[str] = []
    mode = str(args.jsonschema_schema)
    if mode != "dialect" and not (REPO / "schemas" / f"{mode}.schema.json").is_file():
        raise SystemExit(f"bench: no schema schemas/{mode}.schema.json")
    found = tools(mode, work, notes)
    python = sys.executable
    rng = random.Random(args.seed)
    shared = None if args.no_shared else SHARED_CORPUS
    templates = load_templates(shared)
    largest = max(sizes)
    if args.corpus is not None:
        files = copy_corpus(Path(args.corpus), largest, work)
        source = f"--corpus {args.corpus} (files as they are, cycled to {largest})"
    else:
        files = generate(templates, largest, work, rng)
        counts = Counter(t.name.split("/", 1)[0] for t in templates)
        source = (
            "generated from "
            + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
            + " templates"
        )
    median_size = statistics.median((work / f).stat().st_size for f in files[:200])
    one = min(files[:200], key=lambda f: abs((work / f).stat().st_size - median_size))

    if args.profile:
        profile(files[: sizes[1] if len(sizes) > 1 else 200], work, python)
        return 0

    print(
        f"cfgguard benchmark, {time.strftime('%Y-%m-%d')}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}{' (--quick: times not judged)' if args.quick else ''}"
    )
    print(f"files: {source}; median size {median_size / 1024:.1f} KiB; 1-file case: {one}")
    for tool in found.values():
        print(f"  {tool.name}: {tool.version}")
    cjs_argv = found[JSONSCHEMA].argv if JSONSCHEMA in found else None
    if isinstance(cjs_argv, JsonSchemaArgv):
        print(
            f"  check-jsonschema --schemafile: {cjs_argv.describe([one])} for 1 file; "
            f"{cjs_argv.describe(files[:200])} for more"
        )
    if YAMLLINT in found:
        print("  yamllint config: -d default, -f parsable")
    for note in notes:
        print(note)
    sys.stdout.flush()

    # warm-up (untimed): byte-code caches, page cache
    for tool in found.values():
        run(tool.argv([one]), work)

    results: dict[str, dict[str, Series]] = {}
    counts: dict[str, int] = {}
    for size in sizes:
        subset = [one] if size == 1 else files[:size]
        jobs: dict[str, Callable[[], Run]] = {
            name: (lambda tool=tool, subset=subset: run(tool.argv(subset), work))
            for name, tool in found.items()
        }
        label = f"{size:,} file{'s' if size != 1 else ''}"
        print(f"timing {label} x {_reps(args, size)} ...", file=sys.stderr, flush=True)
        results[label] = interleave(jobs, _reps(args, size))
        counts[label] = size

    # --fix on files with exactly one fixable finding each
    fix_paths, mix = fix_set(templates, args.fix_files, work, found[CFGGUARD].exe)
    pristine, fixing = work / "fix-pristine", work / "fix-work"
    fix_argv = [
        found[CFGGUARD].exe,
        "check",
        "--fix",
        "--unsafe-fixes",
        "--output-format",
        "concise",
        *fix_paths,
    ]

    def restore(_name: str) -> None:
        shutil.rmtree(fixing, ignore_errors=True)
        shutil.copytree(pristine, fixing)

    fix_label = f"--fix, {len(fix_paths)} files"
    print(f"timing {fix_label} x {_reps(args, len(fix_paths))} ...", file=sys.stderr, flush=True)
    restore("")
    fix_series = interleave(
        {
            "cfgguard --fix --unsafe-fixes": lambda: run(fix_argv, fixing),
            "cfgguard check (same files)": lambda: run(found[CFGGUARD].argv(fix_paths), fixing),
        },
        _reps(args, len(fix_paths)),
        before=restore,
    )
    last_fix = fix_series["cfgguard --fix --unsafe-fixes"].runs[-1]
    fixed = re.search(r"(\d+) fixed", last_fix.stderr)
    restore("")
    run(fix_argv, fixing)
    changed = sum((pristine / p).read_bytes() != (fixing / p).read_bytes() for p in fix_paths)
    results[fix_label] = fix_series
    counts[fix_label] = len(fix_paths)

    # imports
    print(f"timing imports x {args.reps_small} ...", file=sys.stderr, flush=True)
    import_jobs: dict[str, Callable[[], Run]] = {
        "python -c pass": lambda: run([python, "-c", "pass"], work),
        "python -c 'import cfgguard.cli'": lambda: run([python, "-c", "import cfgguard.cli"], work),
        "python -c 'import cfgguard.cli.commands'": lambda: run(
            [python, "-c", "import cfgguard.cli.commands"], work
        ),
    }
    import_series = interleave(import_jobs, int(args.reps_small))
    results["startup"] = import_series
    counts["startup"] = 1
    cli_totals: list[float] = []
    cli_ours: list[float] = []
    pass_totals: list[float] = []
    commands_ours: list[float] = []
    for _ in range(int(args.reps_small)):
        pass_totals.append(importtime(python, "pass", work)[0])
        total, ours = importtime(python, "import cfgguard.cli", work)
        cli_totals.append(total)
        cli_ours.append(ours)
        commands_ours.append(importtime(python, "import cfgguard.cli.commands", work)[1])
    imp_cli = statistics.median(cli_ours)
    imp_total = statistics.median(cli_totals)
    imp_pass = statistics.median(pass_totals)
    imp_commands = statistics.median(commands_ours)

    # ------------------------------------------------------------------ the table
    rows = [
        ["workload", "tool", "runs", "wall median", "wall min", "CPU median", "per file", "max RSS"]
    ]
    for label, series in results.items():
        n = counts[label]
        for i, (name, s) in enumerate(series.items()):
            rows.append(
                [
                    label if i == 0 else "",
                    name,
                    str(len(s.runs)),
                    fmt_s(s.wall),
                    fmt_s(s.wall_min),
                    fmt_s(s.cpu),
                    f"{s.wall / n * 1000:.2f} ms",
                    f"{s.rss_mb:.0f} MiB",
                ]
            )
    print()
    print(table(rows))
    print()
    print(
        f"-X importtime: import cfgguard.cli {fmt_s(imp_cli)} (top-level cfgguard* cumulative); "
        f"all modules {fmt_s(imp_total)} vs python -c pass {fmt_s(imp_pass)} "
        f"(difference {fmt_s(imp_total - imp_pass)}); import cfgguard.cli.commands, which "
        f"`cfgguard check` also imports: {fmt_s(imp_commands)}"
    )
    print(
        f"--fix: {fixed.group(1) if fixed else '?'} fixed by the last timed run; "
        f"{changed}/{len(fix_paths)} files changed; fixes wanted: "
        + ", ".join(f"{n} {code}" for code, n in sorted(mix.items()))
    )

    # ------------------------------------------------------------------ ratios and targets
    ratio_rows = [["workload", "vs check-jsonschema: wall", "CPU", "vs yamllint: wall", "CPU"]]
    for label, series in results.items():
        if CFGGUARD not in series:
            continue
        ours = series[CFGGUARD]
        row = [label]
        for other in (JSONSCHEMA, YAMLLINT):
            theirs = series.get(other)
            row.append(fmt_ratio(ours.wall, theirs.wall if theirs else None))
            row.append(fmt_ratio(ours.cpu, theirs.cpu if theirs else None))
        ratio_rows.append(row)
    print()
    print("ratios cfgguard / other tool, of the medians (below 1: cfgguard is faster)")
    print(table(ratio_rows))
    busy = [
        f"{label} {name} ({s.wall / s.cpu - 1:.0%})"
        for label, series in results.items()
        for name, s in series.items()
        if s.cpu > 0 and s.wall > 1.15 * s.cpu
    ]
    if busy and not args.quick:
        print(
            "note: the machine was busy: wall time exceeds CPU time by more than 15% for "
            + ", ".join(busy)
            + "; the CPU-time ratios are the steadier ones"
        )

    targets = judge(results, sizes, imp_cli, quick=bool(args.quick))
    print()
    print("targets" + (" (not judged with --quick)" if args.quick else ""))
    for target in targets:
        verdict = "-" if target.met is None else "met" if target.met else "NOT MET"
        print(f"  {verdict:<8} {target.text}: {target.value}")

    if args.json:
        payload = {
            "date": time.strftime("%Y-%m-%d"),
            "cpus": os.cpu_count(),
            "source": source,
            "results": {
                label: {
                    name: {
                        "wall": s.wall,
                        "cpu": s.cpu,
                        "wall_min": s.wall_min,
                        "rss_mb": s.rss_mb,
                        "runs": len(s.runs),
                    }
                    for name, s in series.items()
                }
                for label, series in results.items()
            },
            "import_cfgguard_cli": imp_cli,
            "import_cfgguard_commands": imp_commands,
            "targets": [{"target": t.text, "value": t.value, "met": t.met} for t in targets],
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.check_targets and not args.quick and any(t.met is False for t in targets):
        return 1
    return 0


def judge(
    results: dict[str, dict[str, Series]], sizes: list[int], import_s: float, *, quick: bool
) -> list[Target]:
    def series(size: int, tool: str) -> Series | None:
        return results.get(f"{size:,} file{'s' if size != 1 else ''}", {}).get(tool)

    def verdict(ok: bool | None) -> bool | None:
        return None if quick else ok

    out: list[Target] = []
    for size, other, limit, what in (
        (1, JSONSCHEMA, 0.3, f"1 file: cfgguard <= 0.3x {JSONSCHEMA}"),
        (1, YAMLLINT, 1.0, f"1 file: cfgguard <= 1.0x {YAMLLINT}"),
        (200, JSONSCHEMA, 0.25, f"200 files: cfgguard >= 4x faster than {JSONSCHEMA}"),
        (200, YAMLLINT, 0.25, f"200 files: cfgguard >= 4x faster than {YAMLLINT}"),
    ):
        ours, theirs = series(size, CFGGUARD), series(size, other)
        if ours is None or theirs is None:
            out.append(Target(what, "not measured", None))
            continue
        ratio = ours.wall / theirs.wall
        value = (
            f"{ratio:.2f}x ({fmt_s(ours.wall)} vs {fmt_s(theirs.wall)}; "
            f"CPU time {ours.cpu / theirs.cpu:.2f}x)"
        )
        out.append(Target(what, value, verdict(ratio <= limit)))
    # linearity is judged on CPU time: the 10,000-file runs are few and long, so a busy
    # minute on a shared machine moves their wall time more than any other measurement
    big = max(sizes)
    s1, s200, sbig = series(1, CFGGUARD), series(200, CFGGUARD), series(big, CFGGUARD)
    what = (
        f"{big if big > 200 else 10_000:,} files: linear "
        "(marginal per-file CPU time within 1.25x of that at 200)"
    )
    if big > 200 and s1 is not None and s200 is not None and sbig is not None:
        at200 = (s200.cpu - s1.cpu) / 199
        atbig = (sbig.cpu - s1.cpu) / (big - 1)
        wall200 = (s200.wall - s1.wall) / 199
        wallbig = (sbig.wall - s1.wall) / (big - 1)
        value = (
            f"CPU {atbig * 1000:.2f} ms vs {at200 * 1000:.2f} ms per file "
            f"(wall {wallbig * 1000:.2f} vs {wall200 * 1000:.2f} ms; wall / N: "
            f"{sbig.wall / big * 1000:.2f} vs {s200.wall / 200 * 1000:.2f} ms)"
        )
        out.append(Target(what, value, verdict(atbig <= 1.25 * at200)))
    else:
        out.append(Target(what, "not measured", None))
    out.append(
        Target(
            "import cfgguard.cli <= 60 ms (-X importtime)",
            fmt_s(import_s),
            verdict(import_s <= 0.060),
        )
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
