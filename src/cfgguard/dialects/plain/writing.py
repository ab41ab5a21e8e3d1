"""How the plain format is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.writing import HF_LR, Writing, fixed, hf_clip

WRITING = Writing(
    hf_clip,
    fixed("batch_size", "learning_rate"),
    fixed("lora_rank", "base_model"),
    HF_LR,
    no_qlora="the plain format has no quantization key",
)
