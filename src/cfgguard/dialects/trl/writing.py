"""How TRL is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.writing import fixed, transformers

# TRL: TrainingArguments and ModelConfig (lora_r beside use_peft)
WRITING = transformers(fixed("lora_r", "use_peft"), "num_train_epochs")
