"""The troubleshooting table's fixes, one function per symptom.

* ``loss-flat`` / ``loss-exploding`` (LR too low / too high, "2-5x"): the learning rate
  times / divided by 3, the middle of the table's factor as a whole number; when that
  leaves the Base Learning Rates range for the method and adapter, by 2 (the table's
  smallest factor). Rounded to one significant digit in the file's notation.
  ``loss-exploding`` also turns gradient clipping on (For Stability: max_grad_norm 1.0):
  the dialect's key is inserted when absent and set when 0, null or above 1.
* ``early-plateau`` (undercapacity): the LoRA rank doubled, capped at the top of its
  Rank by Model Size row (SFT or RL by method); nothing when already at the top.
* ``overfitting`` (too many steps): ``max_steps`` (or torchtune's per-epoch cap) halved
  to two significant digits; else the epochs halved (whole epochs where the framework
  counts whole epochs, at least 1).
* ``poor-generation`` (missing unembed): the L004 rule's own fix adds the output layer
  to the targets in the dialect's spelling.
* ``slow-training`` (batch too small): the accumulation doubled (the same memory per
  step), unless that passes the top of the method's recommended effective batch.
"""

from __future__ import annotations

from cfgguard.canonical import Field
from cfgguard.derived.batch_steps import optimizer_batch
from cfgguard.derived.lr_levels import levels
from cfgguard.derived.targets import add_head, targets_head
from cfgguard.edits.numbers import scaled, value_of
from cfgguard.helpers.picks import number
from cfgguard.knowledge import tables
from cfgguard.triage import places
from cfgguard.triage.subject import Proposal, Subject, insert_line, replace_value

FACTOR, SMALLEST = 3.0, 2.0
STANDARD_CLIP = tables.optimizer_defaults().max_grad_norm


def _scaled(subject: Subject, f: Field[float], factor: float) -> str | None:
    if f.origin == "file":
        return scaled(subject.written(f), factor)
    return number(float(f"{f.value * factor:.0e}"))


def _factor(subject: Subject, f: Field[float], up: bool) -> tuple[float, str]:
    """3, or 2 when 3 would carry the rate past the range that 2 keeps it in."""
    big, small = (FACTOR, SMALLEST) if up else (1 / FACTOR, 1 / SMALLEST)
    lv = levels(subject.config)
    if lv is None:
        return big, ""
    first, second = _scaled(subject, f, big), _scaled(subject, f, small)
    a, b = value_of(first or ""), value_of(second or "")
    if a is None or b is None or lv.own.contains(a) or not lv.own.contains(b):
        note = ""
        if a is not None and not lv.own.contains(a):
            note = (
                f"the result is outside {lv.own.row} ({number(lv.own.low)}..{number(lv.own.high)}"
                f" for {lv.adapter}): `cfgguard check` says more (R001-R003)"
            )
        return big, note
    sign, way = ("x", "rise above") if up else ("/", "fall below")
    return small, (
        f"{sign}{FACTOR:g} would {way} {lv.own.row}"
        f" ({number(lv.own.low)}..{number(lv.own.high)} for {lv.adapter}): {sign}{SMALLEST:g}"
    )


def _lr(subject: Subject, up: bool) -> Proposal:
    p = Proposal()
    f = subject.config.learning_rate
    p.settings.append(subject.setting("learning_rate", f))
    if f is None:
        p.notes.append("no learning rate is set or known: nothing to scale")
        return p
    factor, note = _factor(subject, f, up)
    if note:
        p.notes.append(note)
    new = _scaled(subject, f, factor)
    if new is None:
        p.notes.append(f"learning rate {subject.written(f)} cannot be scaled: not changed")
        return p
    how = f"x{factor:g}" if up else f"/{1 / factor:g}"
    message = f"learning rate {subject.written(f)} -> {new} ({how})"
    if f.origin == "file":
        got = replace_value(f, new, message)
    else:
        place = places.learning_rate(subject)
        mapping = places.mapping(place, subject)
        got = insert_line(subject, mapping, place.leaf, float(new), place.after, message)
    if got is not None:
        p.fixes.append(got)
    return p


def loss_flat(subject: Subject) -> Proposal:
    return _lr(subject, up=True)


def _clip(subject: Subject, p: Proposal) -> None:
    wanted = number(STANDARD_CLIP)
    found = [pl for pl in places.clipping(subject) if subject.reader.has(pl.path)]
    for place in found:
        p.settings.append(subject.entry_setting(place.path))
        entry = subject.reader.entry(place.path)
        assert entry is not None
        value = subject.reader.scalar_value(entry.value)
        number_value = isinstance(value, int | float) and not isinstance(value, bool)
        if number_value and 0 < float(str(value)) <= STANDARD_CLIP:
            continue
        f: Field[object] = Field(value, "file", place.path, entry.value, entry.key, entry.parent)
        got = replace_value(f, wanted, f"clip gradients: {place.path} -> {wanted}")
        if got is not None:
            p.fixes.append(got)
    if found:
        return
    place = places.clipping(subject)[0]
    p.settings.append(subject.entry_setting(place.path))
    message = f"add {place.leaf}: {wanted}"
    got = insert_line(
        subject, places.mapping(place, subject), place.leaf, STANDARD_CLIP, place.after, message
    )
    if got is not None:
        p.fixes.append(got)


def loss_exploding(subject: Subject) -> Proposal:
    p = _lr(subject, up=False)
    _clip(subject, p)
    return p


def early_plateau(subject: Subject) -> Proposal:
    p = Proposal()
    config, model = subject.config, subject.model
    rank: Field[object] | None = config.lora_rank
    p.settings.append(subject.setting("lora_rank", rank, "a full fine-tune has no rank"))
    if not config.uses_adapter:
        p.notes.append("not a LoRA run: the table's 'Increase rank' does not apply")
        return p
    if config.lora_rank is None:
        p.notes.append("the LoRA rank is not set here (nor a framework default): set one")
        return p
    if model is None:
        p.notes.append("model not in the model table: the rank row is unknown")
        return p
    kind = tables.rank_kind(config.method.value if config.method else "sft")
    row = tables.lora_rank(kind, model.size_class)
    if model.is_moe and model.active_experts:
        row = tables.moe_rank(kind, model.size_class, model.active_experts)
    if row is None:
        p.notes.append(f"no {kind.upper()} rank row for {model.size_class}")
        return p
    now = config.lora_rank.value
    new = min(max(now * 2, row.low), row.high)
    if new <= now:
        p.notes.append(f"rank {now} is at or above the top of {row.row} ({row.low}-{row.high})")
        return p
    message = f"raise the LoRA rank {now} -> {new} (within {row.row}: {row.low}-{row.high})"
    if rank is not None and rank.origin == "file":
        got = replace_value(rank, str(new), message)
    else:
        place = places.rank(subject)
        got = insert_line(
            subject, places.mapping(place, subject), place.leaf, new, place.after, message
        )
    if got is not None:
        p.fixes.append(got)
    alpha = config.lora_alpha
    note = places.of(subject).alpha_default_note
    if alpha is not None and alpha.origin == "default" and note:
        p.notes.append(note.format(2 * new))
    return p


def _halve_int(n: int) -> int:
    half = max(1, n // 2)
    return int(float(f"{half:.2g}")) if half >= 100 else half


def overfitting(subject: Subject) -> Proposal:
    p = Proposal()
    config = subject.config
    steps: Field[object] | None = config.max_steps
    cap = config.extra.get("max_steps_per_epoch")
    for name, f in (("max_steps", steps), ("max_steps_per_epoch", cap)):
        if f is not None and f.origin == "file" and isinstance(f.value, int) and f.value > 0:
            p.settings.append(subject.setting(name, f))
            new = _halve_int(f.value)
            got = replace_value(f, str(new), f"halve the steps: {f.key} {f.value} -> {new}")
            if got is not None:
                p.fixes.append(got)
            return p
    epochs: Field[object] | None = config.num_epochs
    p.settings.append(subject.setting("epochs", epochs))
    if epochs is None or config.num_epochs is None:
        p.notes.append("neither steps nor epochs are set: nothing to reduce")
        return p
    now = config.num_epochs.value
    fractional = places.of(subject).float_epochs
    new = now / 2 if fractional else float(max(1, int(now) // 2))
    if new >= now:
        p.notes.append(f"{epochs.key} {now:g} is already the minimum whole epoch")
        return p
    text = number(new) if fractional else str(int(new))
    message = f"halve the epochs: {epochs.key} {now:g} -> {text}"
    if epochs.origin == "file":
        got = replace_value(epochs, text, message)
    else:
        place = places.epochs(subject)
        got = None
        if place is not None:
            value = new if fractional else int(new)
            mapping = places.mapping(place, subject)
            got = insert_line(subject, mapping, place.leaf, value, place.after, message)
    if got is not None:
        p.fixes.append(got)
    return p


def poor_generation(subject: Subject) -> Proposal:
    p = Proposal()
    config, model = subject.config, subject.model
    targets = config.target_modules
    p.settings.append(subject.setting("target_modules", targets))
    if not config.uses_adapter:
        p.notes.append("a full fine-tune trains the output layer already")
        return p
    if targets is None:
        p.notes.append("no target list in the file (the framework's default applies)")
        return p
    head = model.head_module if model else "lm_head"
    saved = config.modules_to_save.value if config.modules_to_save else ()
    if targets_head(targets.value, head) is not False or head in saved:
        p.notes.append(f"{head} is already adapted: the table's check finds nothing")
        return p
    if model is not None and model.tied_embeddings:
        p.notes.append(
            f"{model.id} ties {head} to the input embedding: adding it adapts the output use"
            " only (PEFT warns: peft 0.21.2 tuners_utils.py:1455-1463); not proposed"
        )
        return p
    at: Field[object] = targets
    switch = config.extra.get("apply_lora_to_output")
    if targets.value.output is False and switch is not None:
        at = switch
        p.settings.append(subject.setting("apply_lora_to_output", switch))
        if switch.origin == "default":
            mapping, after = switch.parent, ("apply_lora_to_mlp",)
            message = "add apply_lora_to_output: True"
            got = insert_line(subject, mapping, "apply_lora_to_output", True, after, message)
            p.fixes.extend([got] if got else [])
            return p
    got = add_head(subject.context(), at, targets.value, head)
    if got is None:
        p.notes.append(f"no edit keeps this target list's form; add {head} by hand")
    else:
        p.fixes.append(got)
    return p


def slow_training(subject: Subject) -> Proposal:
    p = Proposal()
    place = places.accumulation(subject)
    p.settings.append(subject.entry_setting(place.path))
    micro = subject.config.micro_batch_size
    if micro is not None:
        p.settings.append(subject.setting("micro_batch_size", micro))
    method = subject.config.method.value if subject.config.method else None
    rng = tables.effective_batch(tables.method_row(method))
    batch = optimizer_batch(subject.context())
    if rng is not None and batch is not None and batch.value * 2 > rng.high:
        p.notes.append(
            f"effective batch {batch.value:g} ({batch.note}): doubling it passes {rng.row}"
            f" ({rng.low:g}-{rng.high:g}); not proposed"
        )
        return p
    entry = subject.reader.entry(place.path)
    if entry is not None:
        value = subject.reader.scalar_value(entry.value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            p.notes.append(f"{place.path} is not a whole number: not changed")
            return p
        f: Field[object] = Field(value, "file", place.path, entry.value, entry.key, entry.parent)
        message = f"double the batch per update: {place.path} {value} -> {value * 2}"
        got = replace_value(f, str(value * 2), message)
        _keep_verl_step(subject, value * 2, p)
    else:
        message = f"add {place.leaf}: 2"
        got = insert_line(
            subject, places.mapping(place, subject), place.leaf, 2, place.after, message
        )
    if got is not None:
        p.fixes.append(got)
    return p


def _keep_verl_step(subject: Subject, mini: int, p: Proposal) -> None:
    """verl: a step's prompts (``data.train_batch_size``) must hold the mini-batch."""
    if not places.accumulation(subject).path.endswith("ppo_mini_batch_size"):
        return
    entry = subject.reader.entry("data.train_batch_size")
    if entry is None:
        return
    value = subject.reader.scalar_value(entry.value)
    if not isinstance(value, int) or isinstance(value, bool) or value >= mini:
        return
    f: Field[object] = Field(value, "file", entry.path, entry.value, entry.key, entry.parent)
    message = f"keep a step's prompts >= the mini-batch: data.train_batch_size -> {mini}"
    got = replace_value(f, str(mini), message)
    if got is not None:
        p.fixes.append(got)
