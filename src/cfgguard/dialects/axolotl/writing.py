"""How axolotl is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.writing import fixed, transformers

# axolotl's own keys (utils/schemas/training.py, peft.py)
WRITING = transformers(fixed("lora_r", "adapter"), "num_epochs")
