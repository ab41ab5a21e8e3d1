"""``cfgguard convert FILE --to D [-o OUT]``: one dialect to another via the canonical config.

Every canonical field the source states (in the file, or derived from it) is written in
the target's keys; a source default is written too when the target's own default
differs (axolotl's cosine schedule stays cosine in LLaMA-Factory, whose default is
linear). What the target cannot hold is listed, at the top of the output as comments
and on stderr: fields with no key ("not mapped"), fields written through a conversion
that does not read back equal ("approximated"), and source keys outside the canonical
config (datasets, logging, paths: "not carried"). Keys the target requires but the
canonical config has no value for are written as placeholders marked ``replace``.

Exit codes: 0 written; 2 usage or I/O problems, or a run the target cannot express (a
method it has no trainer for, an adapter other than LoRA/QLoRA/full such as
LLaMA-Factory's OFT, a model torchtune has no builder for), or a file with no value of a
run (a Hydra fragment).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import cast

from cfgguard.convert.base import Handler, layout_writers, simple_writers
from cfgguard.convert.tree import Out, Refused
from cfgguard.convert.view import Item, Read, read_view, view_of
from cfgguard.dialects import BY_NAME
from cfgguard.helpers.output import emit
from cfgguard.helpers.yamltext import EmitError, Text
from cfgguard.records import dataclass, replace
from cfgguard.report.escape import print_error, print_note
from cfgguard.source import SourceError, decode, read
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

Finish = Callable[[Out, Read], None]
Writers = tuple[dict[str, Handler], Finish]


@cache
def writers(target: str) -> Writers:
    """The target's handler per canonical field, and what it adds at the end (placeholders).

    A field the target reads from one key (its ``Dialect.fields``, or a trainer's
    ``Dialect.layouts``) is written to that key unless the target's own writers (``WRITERS``
    in its package's ``convert_writer``) say otherwise."""
    dialect = BY_NAME[target]
    module = dialect.writer("convert")
    own = cast(dict[str, Handler], module.WRITERS)
    handlers = {**simple_writers(dialect.fields), **layout_writers(dialect.layouts), **own}
    return handlers, cast(Finish, module.placeholders)


# Source keys a canonical field stands for without naming them (switches and flags).
IMPLIED = frozenset(
    {"load_in_4bit", "quantization_bit", "quantize_base", "use_peft", "finetuning_type",
     "stage", "pref_loss", "rl", "lora_target_linear", "apply_lora_to_mlp",
     "apply_lora_to_output", "_component_", "bf16", "fp16", "pure_bf16", "nnodes",
     "n_gpus_per_node", "max_response_length", "max_prompt_length", "adv_estimator"}
)  # fmt: skip


# Defaults that decide the run's kind: always written (TRL infers DPO from `beta`).
ALWAYS = frozenset({"method", "adapter", "dpo_beta", "group_size"})


class ConvertError(Exception):
    pass


ADAPTERS = frozenset({"lora", "qlora", "full"})  # the kinds every writer knows


def _adapter_refusal(src: Read, target: str) -> str | None:
    """Why the target cannot hold the source's adapter (OFT, IA3; QLoRA where ``init``
    refuses it too), or None. Written without it the run would be another run (a full
    fine-tune, or a LoRA that needs the base model's full memory)."""
    field = src.config.adapter
    no_qlora = BY_NAME[target].writing.no_qlora
    if field is not None and field.value == "qlora" and no_qlora:
        return f"{no_qlora}: the QLoRA would be written as a 16-bit LoRA; nothing written"
    if field is None or field.value in ADAPTERS:
        return None
    node = field.node
    spelled = node.value if isinstance(node, Scalar) else str(field.value)
    return (
        f"{BY_NAME[src.dialect].title} adapter '{field.key}: {spelled}' has no"
        f" {BY_NAME[target].title} equivalent (cfgguard converts LoRA, QLoRA and full"
        " fine-tunes); nothing written"
    )


@dataclass
class Result:
    text: str
    out: Out
    source: Read
    not_carried: list[str]


def _write(src: Read, target: str, view: dict[str, Item]) -> Out:
    handlers, finish = writers(target)
    out = Out(target)
    done: set[str] = set()
    for name, item in view.items():
        if name in out.mapped or name in done or any(n == name for n, _ in out.approx):
            continue
        handler = handlers.get(name)
        if handler is None:
            out.skip(name, f"no {BY_NAME[target].title} key")
        else:
            handler(out, name, item, replace(src, view=view))
        done.add(name)
    finish(out, replace(src, view=view))
    return out


def _chosen(src: Read, target: str) -> dict[str, Item]:
    """File and derived fields, plus the defaults the target would read differently."""
    stated = {n: i for n, i in src.view.items() if i.origin != "default" or n in ALWAYS}
    first = _write(src, target, stated)
    back = read_back(render(first, src, target, []), target)
    handlers = writers(target)[0]
    chosen = dict(stated)
    for name, item in src.view.items():
        if name in chosen:
            continue
        theirs = back.view.get(name) if back is not None else None
        if theirs is None or theirs.value != item.value or name not in handlers:
            chosen[name] = item  # a default the target reads otherwise, or cannot hold
    return {n: chosen[n] for n in src.view if n in chosen}


def read_back(text: str, dialect: str) -> Read | None:
    return read_view(decode(text.encode(), f"converted.{dialect}.yaml"), dialect)


def _keys(node: Node, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, Mapping):
        for key, value in node.entries():
            path = f"{prefix}{key.value}"
            if isinstance(value, Mapping) and value.pairs:
                out.extend(_keys(value, f"{path}."))
            else:
                out.append(path)
    elif isinstance(node, Sequence):
        return [prefix.rstrip(".")] if prefix else []
    return out


def not_carried(text: str, src: Read) -> list[str]:
    """Source key paths no canonical field was read from."""
    used = {i.key for i in src.view.values()} | {f.key for _, f in src.config.items()}
    docs = compose(text).documents
    root = docs[0].root if docs else None
    if root is None:
        return []
    return [
        k for k in _keys(root)
        if k not in used and k.rsplit(".", 1)[-1] not in IMPLIED
        and k.split(".")[0] not in ("defaults", "hydra")
    ]  # fmt: skip


def _lines(out: Out, carried: list[str]) -> list[str]:
    lines: list[str] = []
    if out.approx:
        lines.append("Approximated: " + "; ".join(f"{n} ({why})" for n, why in out.approx))
    if out.unmapped:
        lines.append("Not mapped: " + "; ".join(f"{n} ({why})" for n, why in out.unmapped))
    if carried:
        shown = ", ".join(carried[:12]) + (
            f" and {len(carried) - 12} more" if len(carried) > 12 else ""
        )
        lines.append(f"Not carried (no canonical field): {shown}")
    if out.placeholders:
        lines.append("Placeholders (replace): " + ", ".join(out.placeholders))
    return lines


def render(out: Out, src: Read, target: str, carried: list[str]) -> str:
    text = Text(capital_bools=BY_NAME[target].writing.capital_bools)
    title = BY_NAME[target].title
    text.comment(f"Converted by `cfgguard convert` from {BY_NAME[src.dialect].title} to {title}.")
    text.comment("Mapped: " + (", ".join(out.mapped) or "nothing"))
    for line in _lines(out, carried):
        text.comment(line)
    text.blank()
    out.tree.emit(text)
    return text.render()


def convert_text(text: str, path: str, target: str, dialect: str | None = None) -> Result:
    src = read_view(decode(text.encode(), path), dialect)
    if src is None:
        raise ConvertError(f"{path}: not a config cfgguard recognises (use --dialect)")
    if src.dialect == target:
        raise ConvertError(f"{path}: already {BY_NAME[target].title}")
    if not any(i.origin == "file" for i in src.view.values()):
        raise ConvertError(
            f"{path}: no value of a training run that cfgguard reads (a config fragment?);"
            " nothing written"
        )
    refusal = _adapter_refusal(src, target)
    if refusal is not None:
        raise ConvertError(f"{path}: {refusal}")
    try:
        view = _chosen(src, target)
        out = _write(src, target, view)
        carried = not_carried(text, src)
        return Result(render(out, src, target, carried), out, src, carried)
    except Refused as exc:
        raise ConvertError(f"{path}: {exc}") from None
    except EmitError as exc:
        raise ConvertError(f"{path}: {exc}; nothing written") from None


def convert_command(
    path: str, target: str, output: str | None, force: bool, dialect: str | None = None
) -> int:
    try:
        source = read(path)
        result = convert_text(source.text, path, target, dialect)
    except (SourceError, ConvertError) as exc:
        print_error(exc)
        return 2
    for line in _lines(result.out, result.not_carried):
        print_note(f"{path}: {line}")
    return emit(result.text, output, force)


__all__ = ["ConvertError", "Result", "convert_command", "convert_text", "read_back", "view_of"]
