"""Bad input never crashes cfgguard: one line with a position, the right exit code.

Every case runs through ``cfgguard.cli.main`` (``check``, ``check --fix --unsafe-fixes``
and ``show``); a few also through the installed ``cfgguard`` script, so that no
traceback can reach stderr by a path the in-process runs do not take.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from cfgguard.check import Options
from cfgguard.cli import main
from cfgguard.fix import run as fix_run
from cfgguard.fix.engine import Outcome
from cfgguard.source import Source
from cfgguard.yaml import compose as compose_module

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCRIPT = Path(sys.executable).with_name("cfgguard")

# a GRPO LoRA run with an SFT-sized rank (L002 at 17:16, fixable) and an LR at the full
# fine-tune level (R002, fixable)
FIXABLE = (EXAMPLES / "verl-grpo-sft-rank.yaml").read_bytes()
L002 = "x.yaml:17:16: L002 [info]"
NL = b"\n"


@dataclass(frozen=True)
class Result:
    rc: int
    out: str
    err: str


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """Run ``main`` and check the error channel's shape: one line per problem."""
    rc = main(list(argv))
    out, err = capsys.readouterr()
    _assert_clean(err)
    return Result(rc, out, err)


def _assert_clean(err: str, *, report: bool = False) -> None:
    """No traceback; unless the report goes to stderr (stdin fixing), only error lines."""
    assert "Traceback" not in err, err
    if report:
        return
    for line in err.splitlines():
        ok = line.startswith("cfgguard: error: ") or re.fullmatch(
            r"(\d+ fixed|would fix \d+), \d+ remaining"
            r" \(\d+ fixable with --unsafe-fixes\)",
            line,
        )
        assert ok, f"unexpected stderr line: {line!r}"


def script(*argv: str, cwd: Path, stdin: bytes | None = None, report: bool = False) -> Result:
    """Run the installed ``cfgguard`` script in a real process."""
    proc = subprocess.run(
        [str(SCRIPT), *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    err = proc.stderr.decode("utf-8", "replace")
    _assert_clean(err, report=report)
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"), err)


# -- file contents --------------------------------------------------------------------


def _alias_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def _mapping_bomb() -> bytes:
    lines = ["a0: &a0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} {{" + ", ".join(f"m{j}: *a{i - 1}" for j in range(10)) + "}")
    return ("\n".join(lines) + "\n").encode()


def _merge_bomb() -> bytes:
    lines = ["a0: &a0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"]
    for i in range(1, 8):
        merged = ", ".join(f"m{j}: {{<<: *a{i - 1}}}" for j in range(10))
        lines.append(f"a{i}: &a{i} {{{merged}}}")
    return ("\n".join(lines) + "\n").encode()


DEEP_BLOCK = 1_000  # block nesting: 1,000 levels of indentation is 0.5 MB, not 50
DEEP = 10_000


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    check_rc: int
    expect: str  # a regex: a finding line (stdout) or an error line (stderr)
    show_rc: int
    stream: str = "out"  # where ``expect`` appears for check


CASES = [
    Case("empty", b"", 0, r"^All checks passed \(1 file checked\)\.$", 0),
    Case("only-comments", b"# a comment\n  # another\n", 0, r"^All checks passed", 0),
    Case(
        "top-level-scalar",
        b"42\n",
        0,
        r"^x\.yaml:1:1: Y010 \[info\] unrecognised config: a scalar or list",
        0,
    ),
    Case(
        "top-level-list",
        b"- base_model: meta-llama/Llama-3.1-8B\n- lr: 1e-4\n",
        0,
        r"^x\.yaml:1:1: Y010 \[info\] unrecognised config: a scalar or list",
        0,
    ),
    # bytes(range(256)): the first byte that is not UTF-8 is 0x80, line 2 (after 0x0a)
    Case(
        "binary",
        bytes(range(256)) * 64,
        2,
        r"^cfgguard: error: x\.yaml:2:118: not valid UTF-8 \(byte 0x80\)$",
        2,
        "err",
    ),
    Case(
        "binary-but-utf8",
        b"\x01\x02\x03\x04 base_model: x\n",
        1,
        r"^x\.yaml:1:1: Y001 \[error\] YAML syntax error: (control|special) characters are not"
        r" allowed",
        2,
    ),
    Case(
        "invalid-utf8",
        b"base_model: meta-llama/Llama-3.1-8B\nrun_name: caf\xe9\n",
        2,
        r"^cfgguard: error: x\.yaml:2:14: not valid UTF-8 \(byte 0xe9\)$",
        2,
        "err",
    ),
    Case(
        "utf16-le-bom",
        "base_model: x\n".encode("utf-16"),
        2,
        r"^cfgguard: error: x\.yaml: file is encoded as UTF-16 \(little-endian, with a"
        r" byte-order mark\); cfgguard reads UTF-8 only$",
        2,
        "err",
    ),
    Case(
        "utf16-be-bom",
        codecs.BOM_UTF16_BE + "base_model: x\n".encode("utf-16-be"),
        2,
        r"^cfgguard: error: x\.yaml: file is encoded as UTF-16 \(big-endian, with a"
        r" byte-order mark\); cfgguard reads UTF-8 only$",
        2,
        "err",
    ),
    Case(
        "lone-cr-line-breaks",  # classic Mac OS: YAML breaks lines there, editors too
        FIXABLE.replace(b"\n", b"\r"),
        2,
        rf"^cfgguard: error: x\.yaml:1:{FIXABLE.index(NL) + 1}: line break is a lone carriage"
        r" return \(\\r, classic Mac OS\); cfgguard reads LF or CRLF line endings$",
        2,
        "err",
    ),
    Case(
        "stray-cr-in-crlf",
        b"base_model: meta-llama/Llama-3.1-8B\r\nadapter: lora\rlora_r: 8\r\n",
        2,
        r"^cfgguard: error: x\.yaml:2:14: line break is a lone carriage return",
        2,
        "err",
    ),
    Case(
        "nul-bytes",
        b"base_model: meta-llama/Llama-3.1-8B\nlr: 1e-4\x00\x00\n",
        1,
        r"^x\.yaml:2:9: Y001 \[error\] YAML syntax error: (control|special) characters are not"
        r" allowed",
        2,
    ),
    Case(
        "tab-indentation",
        b"model:\n\tlora_rank: 8\n",
        1,
        r"^x\.yaml:2:1: Y001 \[error\] YAML syntax error: .*cannot start any token",
        2,
    ),
    Case(
        "deep-flow-sequence",
        b"a: " + b"[" * DEEP + b"]" * DEEP + b"\n",
        1,
        r"^x\.yaml:1:\d+: Y005 \[error\] nesting deeper than 200 levels",
        2,
    ),
    Case(
        "deep-flow-mapping",
        b"{a: " * DEEP + b"1" + b"}" * DEEP + b"\n",
        1,
        r"^x\.yaml:1:\d+: Y005 \[error\] nesting deeper than 200 levels",
        2,
    ),
    Case(
        "deep-block-mapping",
        b"".join(b" " * i + b"k:\n" for i in range(DEEP_BLOCK)),
        1,
        r"^x\.yaml:201:201: Y005 \[error\] nesting deeper than 200 levels",
        2,
    ),
    Case(
        "deep-block-sequence",
        b"".join(b"  " * i + b"-\n" for i in range(DEEP_BLOCK)),
        1,
        r"^x\.yaml:201:401: Y005 \[error\] nesting deeper than 200 levels",
        2,
    ),
    Case(
        "alias-bomb",
        _alias_bomb(),
        1,
        r"^x\.yaml:\d+:\d+: Y004 \[error\] alias expansion exceeds 200000 nodes",
        2,
    ),
    Case(
        "alias-bomb-mappings",
        _mapping_bomb(),
        1,
        r"^x\.yaml:\d+:\d+: Y004 \[error\] alias expansion exceeds 200000 nodes",
        2,
    ),
    Case(
        "alias-bomb-merge-keys",
        _merge_bomb(),
        1,
        r"^x\.yaml:\d+:\d+: Y004 \[error\] alias expansion exceeds 200000 nodes",
        2,
    ),
    Case("self-alias", b"a: &a [1, *a]\n", 1, r"^x\.yaml:1:11: Y001 \[error\] unknown alias", 2),
    Case(
        "python-object-tag",
        b"base_model: meta-llama/Llama-3.1-8B\nadapter: lora\n"
        b"lora_r: !!python/object/apply:os.system ['touch PWNED']\n",
        1,
        r"^x\.yaml:3:9: Y001 \[error\] unknown tag !!python/object/apply:os.system: "
        r"yaml\.safe_load and OmegaConf cannot construct it and refuse the file",
        2,
    ),
    Case(
        "custom-tag-on-a-mapping",
        b"base_model: meta-llama/Llama-3.1-8B\ntrl: !Trl {beta: 0.1}\n",
        1,
        r"^x\.yaml:2:6: Y001 \[error\] unknown tag !Trl: ",
        2,
    ),
    Case(
        "core-tags",
        b"a: !!str 1\nb: !!binary aGk=\nc: !!set {x}\nd: !<tag:yaml.org,2002:int> 3\ne: ! x\n",
        0,
        r"^x\.yaml:1:1: Y010 \[info\] unrecognised config: a YAML mapping",
        0,
    ),
    Case(
        "core-tag-with-a-bad-value",
        b"base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: !!int ''\n"
        b"learning_rate: !!float x\nbf16: !!bool maybe\n",
        1,
        r"^x\.yaml:3:9: Y001 \[error\] !!int '': yaml\.safe_load and OmegaConf cannot read the"
        r" value as its tag says and refuse the file$",
        2,
    ),
    Case(
        "syntax-error-after-a-document",
        b"base_model: x\n---\nlora_rank: [\n",
        1,
        r"^x\.yaml:4:1: Y001 \[error\] YAML syntax error",
        2,
    ),
]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.MULTILINE) is not None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check(case: Case, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "x.yaml").write_bytes(case.data)
    result = cli(capsys, "check", "x.yaml")
    assert result.rc == case.check_rc, result
    assert _matches(case.expect, result.out if case.stream == "out" else result.err), result
    # every line of the report is one finding or the summary
    for line in result.out.splitlines():
        assert re.match(
            r"x\.yaml:\d+:\d+: [A-Z]\d{3} |All checks passed|Found \d+|No findings", line
        )
        # a run that exits 2 never says all checks passed
        assert result.rc != 2 or "All checks passed" not in line, line


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fix_leaves_bad_input_as_it_is(
    case: Case, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "x.yaml"
    path.write_bytes(case.data)
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == case.check_rc, result
    assert _matches(case.expect, result.out if case.stream == "out" else result.err), result
    assert path.read_bytes() == case.data
    assert [p.name for p in work.iterdir()] == ["x.yaml"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_show(case: Case, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "x.yaml").write_bytes(case.data)
    result = cli(capsys, "show", "x.yaml")
    assert result.rc == case.show_rc, result
    if case.show_rc == 2:
        assert _matches(r"^cfgguard: error: x\.yaml(:\d+:\d+)?: ", result.err), result
    assert cli(capsys, "show", "--output-format", "json", "x.yaml").rc == case.show_rc


PURE = [c for c in CASES if c.name.startswith(("deep", "alias", "nul", "tab", "binary-but"))]


@pytest.mark.parametrize("case", PURE, ids=[c.name for c in PURE])
def test_check_with_the_pure_python_parser(
    case: Case, work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where libyaml is missing, PyYAML's Python parser runs: same findings, no crash."""
    monkeypatch.setattr(compose_module, "_Loader", yaml.SafeLoader)
    (work / "x.yaml").write_bytes(case.data)
    result = cli(capsys, "check", "x.yaml")
    assert result.rc == case.check_rc, result
    assert _matches(case.expect, result.out), result


def test_utf8_bom_is_fine_and_kept_by_fix(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "x.yaml"
    path.write_bytes(codecs.BOM_UTF8 + FIXABLE)
    assert cli(capsys, "check", "x.yaml").rc == 1
    assert cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml").rc == 0
    assert path.read_bytes().startswith(codecs.BOM_UTF8 + FIXABLE[:40])


def test_crlf_is_read_and_kept_by_fix(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "x.yaml"
    path.write_bytes(FIXABLE.replace(b"\n", b"\r\n"))
    result = cli(capsys, "check", "x.yaml")
    assert (result.rc, L002 in result.out) == (1, True)
    assert cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml").rc == 0
    fixed = path.read_bytes()
    assert b"lora_rank: 16\r\n" in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n") == FIXABLE.count(b"\n")


# -- a 50 MB file ---------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024
NINE_MB = 9 * 1024 * 1024  # under the 10 MiB bound (Y007)


def _big(shape: str, size: int) -> bytes:
    if shape == "comments":
        tail = b"# " + b"x" * 97 + b"\n"
        return tail * (size // len(tail))
    # a key verl's trainer config has, so the filler itself is no finding
    return b"custom_reward_function:\n  name: " + b"y" * size + b"\n"


@pytest.mark.parametrize("shape", ["comments", "one-long-scalar"])
def test_nine_megabytes(shape: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Checked and fixed in a few seconds; the fix keeps every byte after the config."""
    tail = _big(shape, NINE_MB)
    path = work / "x.yaml"
    path.write_bytes(FIXABLE + tail)
    result = cli(capsys, "check", "x.yaml")
    assert result.rc == 1
    assert L002 in result.out
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == 0, result
    fixed = path.read_bytes()
    assert fixed.endswith(tail)
    assert b"lora_rank: 16" in fixed[:2000]
    assert len(fixed) == len(FIXABLE) + len(tail)  # the fixes here keep the length


@pytest.mark.parametrize("shape", ["comments", "one-long-scalar", "list"])
def test_fifty_megabytes(shape: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Over 10 MiB: one finding (Y007) in a second or two, and the file is never written."""
    tail = b"- x\n" * (FIFTY_MB // 4) if shape == "list" else _big(shape, FIFTY_MB)
    data = (b"" if shape == "list" else FIXABLE) + tail
    path = work / "x.yaml"
    path.write_bytes(data)
    started = time.perf_counter()
    result = cli(capsys, "check", "x.yaml")
    assert time.perf_counter() - started < 20
    assert result.rc == 1
    assert result.out.splitlines() == [
        f"x.yaml:1:1: Y007 [warning] file of {len(data):,} characters is larger than cfgguard"
        " checks (10,485,760, 10 MiB); it was not checked",
        "Found 1 finding (1 warning) in 1 file (1 checked).",
    ]
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == 1, result
    assert path.read_bytes() == data


# -- paths that are no readable file ---------------------------------------------------


def test_missing_path(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("check", "show"):
        result = cli(capsys, command, "missing.yaml")
        assert result.rc == 2
        assert result.err == "cfgguard: error: missing.yaml: no such file or directory\n"


def test_missing_path_does_not_hide_the_others(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "x.yaml").write_bytes(FIXABLE)
    result = cli(capsys, "check", "missing.yaml", "x.yaml")
    assert result.rc == 2
    assert L002 in result.out
    assert result.err == "cfgguard: error: missing.yaml: no such file or directory\n"


def test_dangling_symlink(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "x.yaml").symlink_to(work / "gone.yaml")
    for command in ("check", "show"):
        result = cli(capsys, command, "x.yaml")
        assert result.rc == 2
        assert result.err == (
            "cfgguard: error: x.yaml: dangling symbolic link (its target is missing)\n"
        )
    # and inside a directory that is walked
    result = cli(capsys, "check", ".")
    assert result.rc == 2
    assert "x.yaml: dangling symbolic link" in result.err


def test_symlink_loop(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "x.yaml").symlink_to(work / "y.yaml")
    (work / "y.yaml").symlink_to(work / "x.yaml")
    result = cli(capsys, "check", "x.yaml")
    assert result.rc == 2
    assert result.err == (
        "cfgguard: error: x.yaml: cannot read (Too many levels of symbolic links)\n"
    )


def test_fifo_is_refused_without_waiting_for_a_writer(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO is unreadable even for root: opening it would wait for a writer forever."""
    os.mkfifo(work / "x.yaml")
    for command in ("check", "show"):
        result = cli(capsys, command, "x.yaml")
        assert result.rc == 2
        assert result.err == (
            "cfgguard: error: x.yaml: not a regular file (use - to read standard input)\n"
        )
    result = cli(capsys, "check", ".")  # a FIFO met while walking a directory
    assert result.rc == 2
    assert "x.yaml: not a regular file" in result.err


def test_device_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "check", os.devnull)
    assert result.rc == 2
    assert result.err == (
        f"cfgguard: error: {os.devnull}: not a regular file (use - to read standard input)\n"
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a chmod 000 file; the FIFO and directory cases cover unreadable paths",
)
def test_permission_denied(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "x.yaml"
    path.write_bytes(FIXABLE)
    path.chmod(0)
    try:
        result = cli(capsys, "check", "x.yaml")
    finally:
        path.chmod(0o644)
    assert result.rc == 2
    assert result.err == "cfgguard: error: x.yaml: permission denied\n"


def test_directory_is_walked(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "d" / "sub.yaml").mkdir(parents=True)  # a directory with a YAML name
    (work / "d" / "x.yaml").write_bytes(FIXABLE)
    result = cli(capsys, "check", "d")
    assert result.rc == 1
    assert "d/x.yaml:17:16: L002" in result.out
    assert "1 file" in result.out
    empty = work / "empty"
    empty.mkdir()
    result = cli(capsys, "check", "empty")
    assert (result.rc, result.err) == (0, "")
    assert "0 files checked" in result.out


def test_directory_read_as_a_file(work: Path) -> None:
    from cfgguard.source import SourceError, read

    with pytest.raises(SourceError, match=r"^\.: is a directory$"):
        read(".")


# -- --fix on files it must not or cannot write ---------------------------------------


def test_read_only_file_is_refused_under_fix(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "x.yaml"
    path.write_bytes(FIXABLE)
    path.chmod(0o444)
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == 2
    assert "cfgguard: error: x.yaml: is read-only; left as it is\n" in result.err
    assert path.read_bytes() == FIXABLE
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in work.iterdir()] == ["x.yaml"]
    # the report is of the file as it stays: the findings fixing would have removed remain
    assert L002 in result.out


def test_file_changed_while_being_fixed_is_not_overwritten(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = work / "x.yaml"
    path.write_bytes(FIXABLE)
    edited = FIXABLE.replace(b"lora_alpha: 32", b"lora_alpha: 64")
    real = fix_run.fix_source

    def edit_meanwhile(source: Source, options: Options, *, unsafe: bool = False) -> Outcome:
        outcome = real(source, options, unsafe=unsafe)
        path.write_bytes(edited)  # someone saves in their editor between read and write
        return outcome

    monkeypatch.setattr(fix_run, "fix_source", edit_meanwhile)
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == 2
    assert (
        "cfgguard: error: x.yaml: changed while it was being fixed; left as it is\n" in result.err
    )
    assert path.read_bytes() == edited
    assert [p.name for p in work.iterdir()] == ["x.yaml"]


def test_symlinked_file_is_not_fixed_through_the_link(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "real.yml").write_bytes(FIXABLE)
    (work / "x.yaml").symlink_to(work / "real.yml")
    result = cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml")
    assert result.rc == 2
    assert "x.yaml: is a symbolic link" in result.err
    assert (work / "real.yml").read_bytes() == FIXABLE
    assert (work / "x.yaml").is_symlink()


# -- the same through a real process ---------------------------------------------------


@pytest.fixture
def installed() -> Path:
    if not SCRIPT.exists():
        pytest.skip(f"no installed cfgguard script at {SCRIPT}")
    return SCRIPT


SUBPROCESS_CASES = ["binary", "invalid-utf8", "deep-block-mapping", "alias-bomb", "nul-bytes"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_real_process(name: str, installed: Path, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    (tmp_path / "x.yaml").write_bytes(case.data)
    for argv in (["check"], ["check", "--fix", "--unsafe-fixes"], ["show"]):
        result = script(*argv, "x.yaml", cwd=tmp_path)
        assert result.rc == (case.show_rc if argv == ["show"] else case.check_rc), result
    assert (tmp_path / "x.yaml").read_bytes() == case.data


def test_real_process_paths(installed: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "ro.yaml").write_bytes(FIXABLE)
    (tmp_path / "ro.yaml").chmod(0o444)
    paths = ["fifo.yaml", "dangling.yaml", "missing.yaml", "ro.yaml"]
    result = script("check", "--fix", "--unsafe-fixes", *paths, cwd=tmp_path)
    assert result.rc == 2
    errors = [line for line in result.err.splitlines() if line.startswith("cfgguard: error")]
    assert sorted(errors) == [
        "cfgguard: error: dangling.yaml: dangling symbolic link (its target is missing)",
        "cfgguard: error: fifo.yaml: not a regular file (use - to read standard input)",
        "cfgguard: error: missing.yaml: no such file or directory",
        "cfgguard: error: ro.yaml: is read-only; left as it is",
    ]
    assert (tmp_path / "ro.yaml").read_bytes() == FIXABLE
    assert "ro.yaml:17:16: L002 [info]" in result.out


def test_real_process_stdin_garbage(installed: Path, tmp_path: Path) -> None:
    result = script("check", "-", cwd=tmp_path, stdin=bytes(range(256)))
    assert result.rc == 2
    assert result.err.endswith("cfgguard: error: -:2:118: not valid UTF-8 (byte 0x80)\n")
    result = script("check", "--fix", "-", cwd=tmp_path, stdin=_alias_bomb(), report=True)
    assert result.rc == 1
    assert result.out == _alias_bomb().decode()  # stdin mode echoes the text unchanged
    assert "-:6:11: Y004 [error]" in result.err


def test_no_temp_files_left(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every refusal above cleans up; a sanity check that a fix leaves only the file."""
    (work / "x.yaml").write_bytes(FIXABLE)
    assert cli(capsys, "check", "--fix", "--unsafe-fixes", "x.yaml").rc == 0
    assert [p.name for p in work.iterdir()] == ["x.yaml"]


def test_hostile_file_names_stay_one_line(installed: Path, tmp_path: Path) -> None:
    """Control characters and undecodable bytes in file names are escaped, in the report
    and in the error lines, in every format."""
    directory = os.fsencode(tmp_path)
    (tmp_path / "esc\x1b[31m\nline.yaml").write_bytes(FIXABLE)
    with open(directory + b"/undecodable\xff.yaml", "wb") as handle:
        handle.write(b"lr: caf\xe9\n")
    for output_format in ("text", "concise", "grouped", "json", "github", "sarif", "junit"):
        result = script("check", "--output-format", output_format, ".", cwd=tmp_path)
        assert result.rc == 2, result
        # github keeps the real name (%0A for the newline) so the annotation finds the file
        assert "\x1b" not in (result.err if output_format == "github" else result.out + result.err)
        assert result.err.splitlines() == [
            "cfgguard: error: ./undecodable\\xff.yaml:1:8: not valid UTF-8 (byte 0xe9)"
        ]
    result = script("check", ".", cwd=tmp_path)
    assert "./esc\\x1b[31m\\nline.yaml:17:16: L002 [info]" in result.out
