"""Every batch padded to `sequence_len` without sample packing (axolotl).

## What it does
Reports an axolotl SFT config with `pad_to_sequence_len: true` and sample packing off
(`sample_packing: false`, or left out: its default). Preference and RL runs (`rl:` set)
use TRL's collators, which do not read the key, and are not checked; nor are smoke tests.

## Why is this bad?
With `pad_to_sequence_len`, axolotl's collator pads every batch to a multiple of
`sequence_len` (axolotl 0.21.0 `core/builders/causal.py:394-397`: `pad_to_multiple_of` =
`ceil(sequence_len / 64) * 64`). Packing fills those positions with other examples;
without it they are padding, so each example costs `sequence_len` tokens of compute
however short it is. axolotl's own validation turns the key on *for* packing
(`schemas/validation.py:458-473`). Severity `warning` at `sequence_len` 2048 or more, where
typical instruction or chat examples (a few hundred tokens) are mostly padding and the
run costs several times what it needs; `info` below that.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
sequence_len: 4096
sample_packing: false
pad_to_sequence_len: true
```
Use instead: `sample_packing: true` (keep `pad_to_sequence_len`), or drop
`pad_to_sequence_len` (batches padded to their longest example).

## Fix
None: which of the two the run wants (packing, or constant-size buffers to avoid memory
fragmentation) is the author's choice.

## Source
axolotl 0.21.0 `src/axolotl/core/builders/causal.py:394-397` (`pad_to_multiple_of` =
`sequence_len` rounded up to 64), `src/axolotl/utils/schemas/config.py:783-788` (the
key's description), `src/axolotl/utils/schemas/validation.py:458-473` (turned on for
`sample_packing`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.dialects.base import as_bool
from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule

SOURCE = "axolotl 0.21.0 src/axolotl/core/builders/causal.py:394-397 (pad_to_sequence_len)"
WARN_AT = 2048


def check(ctx: Context) -> Iterator[Report]:
    r = ctx.reader
    if not ctx.traits.pads_to_sequence_len or r.value("rl") or not ctx.run.judged:
        return
    pad = r.field("pad_to_sequence_len", as_bool)
    packing = r.field("sample_packing", as_bool)
    if pad is None or not pad.value or (packing is not None and packing.value):
        return
    length = ctx.config.max_seq_len
    n = length.value if length is not None else 0
    how = "sample_packing: false" if packing is not None else "sample_packing off (default)"
    yield Report(
        pad,
        f"pad_to_sequence_len: true with {how}: every batch is padded to sequence_len"
        f" {n}, so each example costs {n} tokens however short it is ({SOURCE})",
        severity=Severity.WARNING if n >= WARN_AT else Severity.INFO,
    )


RULE = Rule("C002", "padding-without-packing", Severity.WARNING, SOURCE, __doc__ or "", check)
