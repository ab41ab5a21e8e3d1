"""Findings and files for the reporter tests, hostile ones included."""

from __future__ import annotations

from pathlib import Path

from cfgguard.findings import Edit, Finding, Fix, Severity
from cfgguard.report.escape import visible

# Everything a reporter must survive: quotes, markup, entities, line breaks, workflow
# command syntax, property separators, percent signs, ANSI escapes, a bidi override,
# a bell, NUL, DEL and a C1 control.
HOSTILE = (
    'quote " and \' <tag attr="x"> & &amp; ]]> line\nbreak\r\nCRLF'
    " ::error::injected, a,b: 50% %0A \x1b[31mred\x1b[0m \u202eexe.yaml \x07\x00\x7f\x85 end"
)
# A file name with the same hazards (no NUL or slash: a file system refuses those).
HOSTILE_NAME = "we\"ird' <a> & b, c: 50% %2C\n::x \x1b[31mred\x1b[0m \u202e.yaml"

DUPLICATE = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
    "lora_rank: 8\nlora_rank: 16\nbatch_size: 4\nnum_steps: 10\n"
)
CLEAN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 32
lora_alpha: 32
learning_rate: 2.0e-4
batch_size: 16
num_steps: 5000
max_seq_len: 4096
target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head]
"""


def finding(
    path: str = "configs/a.yaml",
    *,
    code: str = "R002",
    severity: Severity = Severity.WARNING,
    message: str = "learning rate 2e-5 is at the full fine-tune level",
    line: int = 3,
    column: int = 16,
    fix: Fix | None = None,
) -> Finding:
    return Finding(
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 6,
        code=code,
        name="lora-lr-at-full-level",
        severity=severity,
        message=message,
        source="Learning Rates / Base Learning Rates",
        dialect="axolotl",
        fix=fix,
    )


def hostile_finding(path: str = HOSTILE_NAME) -> Finding:
    fix = Fix("safe", HOSTILE, (Edit(3, 16, 3, 22, "2.0e-4 # " + HOSTILE),))
    return finding(path, message=HOSTILE, fix=fix, severity=Severity.ERROR)


def three_findings() -> list[Finding]:
    return [
        finding("configs/a.yaml", code="Y002", severity=Severity.ERROR, line=3, column=1),
        finding("configs/a.yaml", code="R002", severity=Severity.WARNING, line=9, column=16),
        finding("configs/b.yaml", code="L004", severity=Severity.INFO, line=12, column=21),
    ]


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def toolkit_visible(text: str) -> str:
    """What a runner reads back from the github format: CR and LF kept, the rest escaped."""
    return "".join(c if c in "\r\n" else visible(c) for c in text)
