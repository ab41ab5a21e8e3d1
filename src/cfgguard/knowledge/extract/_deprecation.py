"""Which keys a framework's deprecation message is about, and what it says to use.

Messages are read as written in the source (f-string parts as ``{expr}``). A message
is a deprecation when it says so ("deprecated", "no longer supported", "has been
removed", "renamed", ...); its subjects are the keys named before that phrase in the
same sentence (quoted in backticks, or a known key); a ``key: value`` or ``key=value``
there means a value is deprecated, not the key. The replacement is the one key the
rest of the message tells to use: "use `x`", "superseded by x", "a key under `x`"
(then ``x.<subject>``); none when it names several, or a ``key: value``.
"""

from __future__ import annotations

import re

from cfgguard.knowledge.extract._pydantic import Message

CUE = re.compile(
    r"deprecat\w*|no longer (?:supported|used|needed|available)|been removed|is removed"
    r"|renamed|superseded|been replaced",
    re.IGNORECASE,
)
MENTION = re.compile(r"`([^`]+)`|\b([A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+)\b")
KEYLIKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
UNDER = re.compile(r"\bunder `?([A-Za-z_][\w.]*)`?")
VALUE_OF = re.compile(r"\s+for\s+`?([A-Za-z_][\w.]*)`?")  # "`offload` is deprecated for x"
NESTED = re.compile(r"`([A-Za-z_]\w*)` in `([A-Za-z_][\w.]*)`")  # "`a` in `b` is deprecated"
ADVICE = re.compile(r"\b(?:use|instead|prefer)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TEXT = 240


def clip(text: str, limit: int = TEXT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def deprecated_keys(message: Message, known: set[str]) -> list[tuple[str, str, str]]:
    """(key, replacement or "", the message for that key) per key ``message`` says is
    deprecated. ``known``: the keys of the model the validator belongs to."""
    cue = CUE.search(message.text)
    if cue is None:
        return []
    start = max(message.text.rfind(s, 0, cue.start()) + 1 for s in (". ", "; "))
    head, tail = message.text[start : cue.start()], message.text[cue.end() :]
    value_of = VALUE_OF.match(tail)
    if value_of and value_of.group(1) in known:
        return []
    nested = NESTED.search(head)
    if nested and nested.group(2) in known:
        head = f"`{nested.group(2)}.{nested.group(1)}`"
    subjects: list[str] = []
    for mention in MENTION.finditer(head):
        quoted, bare = mention.group(1), mention.group(2)
        after = head[mention.end() : mention.end() + 2]
        if (quoted is not None and (":" in quoted or "=" in quoted)) or after[:1] in (":", "="):
            return []  # "`type: sharegpt` is deprecated", "x=False is ...": a value
        if after == ".{":
            return []  # "fsdp_config.{name} is ...": some key of a section
        name = (quoted or bare or "").strip()
        if name in known or (quoted is not None and KEYLIKE.fullmatch(name.replace(".", "_"))):
            subjects.append(name)
    if message.fields:
        quoted_any = any(m.group(1) for m in MENTION.finditer(head))
        subjects = [s for s in subjects if s in message.fields] or (
            [] if quoted_any else list(message.fields)
        )
    texts = dict.fromkeys(subjects, message.text)
    if not subjects and "{" in head:  # f"`{', '.join(found)}` ... removed": listed names
        subjects = [s for s in message.listed if KEYLIKE.fullmatch(s)]
        texts = {s: PLACEHOLDER.sub("…", PLACEHOLDER.sub(s, message.text, 1)) for s in subjects}
    others = known - set(subjects)
    return [(s, replacement(tail, others, s), texts[s]) for s in dict.fromkeys(subjects)]


def replacement(text: str, known: set[str], subject: str) -> str:
    """The one key ``text`` tells to use instead of ``subject``: sentences saying
    "use"/"instead" first, then the others; the first that names keys decides."""
    sentences = text.split(". ")
    advice = [s for s in sentences if ADVICE.search(s)]
    for sentence in [*advice, *(s for s in sentences if s not in advice)]:
        under_key = UNDER.search(sentence)
        if under_key and under_key.group(1) in known:
            return f"{under_key.group(1)}.{subject}"
        named: list[str] = []
        for mention in MENTION.finditer(sentence):
            quoted, bare = mention.group(1), mention.group(2)
            after = sentence[mention.end() : mention.end() + 1]
            name = (quoted or bare or "").strip()
            if (quoted is not None and (":" in quoted or "=" in quoted)) or (
                name in known and after in (":", "=")
            ):
                return ""  # "use `attn_implementation: sdpa`": a value change, not a rename
            if name in known and name != subject and name not in named:
                named.append(name)
        if named:
            return named[0] if len(named) == 1 else ""
    return ""
