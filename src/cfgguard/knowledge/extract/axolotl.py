"""axolotl's config keys, from its pydantic schema (``ast`` only, nothing imported).

``validate_config`` (``axolotl/utils/config/__init__.py``) validates the YAML with
``AxolotlInputConfig``: ``axolotl/utils/config/models/input/v0_4_1/`` up to 0.7,
``axolotl/utils/schemas/`` from 0.8, a model over many mixin bases. A plugin listed
under ``plugins:`` adds the fields of the model its ``get_input_args()`` names
(``axolotl/integrations/<name>/args.py``) as further bases (``merge_input_args``).

Key set ``config``: every dotted path a user may write (``trl.beta``,
``datasets[].path``), over all bases and nested models. ``help`` starts with
``[plugin <class path>]`` for a plugin's keys and with ``[<Model> (<condition>)]``
for a key only some dataset models have (``validate_config`` builds ``DPODataset``
when ``rl`` is dpo, ...). ``deprecated`` is the framework's message, starting with
``raises: `` when the validator stops the run. Key set ``validated``: keys that are no
field but that a validator warns or raises about (``unsloth_lora_mlp``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from packaging.requirements import InvalidRequirement, Requirement

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract._deprecation import clip, deprecated_keys, replacement
from cfgguard.knowledge.extract._pydantic import Message, ModelField, Models
from cfgguard.knowledge.extract._pymodules import ClassRef, Index, module_name
from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import SourceTree, find, under
from cfgguard.records import replace

PACKAGE = "axolotl"
ROOT = "AxolotlInputConfig"
SCHEMA_DIRS = ("axolotl/utils/schemas", "axolotl/utils/config/models")
LOADER = "axolotl/utils/config/__init__.py"
INTEGRATIONS = "axolotl/integrations/"
MAX_FILES = 400  # a tree without axolotl's layout: its first Python files
MAX_NESTING = 8
HELP = 160
DEPENDENCIES = ("transformers", "trl", "peft", "torchtune", "verl", "llamafactory")
# ``def get_input_args(self) -> str | None:`` [docstring] ``return "axolotl.integrations.x.XArgs"``
PLUGIN_ARGS = re.compile(
    r"def get_input_args\(self\)[^:]*:"
    r"(?:\s*(?:\"\"\"[\s\S]*?\"\"\"|#[^\n]*))*"
    r"\s*return\s+[\"']([\w.]+)[\"']"
)
CLASS = re.compile(r"^class (\w+)", re.MULTILINE)


def extract(tree: SourceTree, version: str) -> Snapshot:
    paths = _source_paths(tree)
    models = Models(Index(tree, paths, PACKAGE, _worth_parsing))
    root = _root(models)
    classes: dict[str, ClassInfo] = {}
    key_sets: dict[str, tuple[FieldInfo, ...]] = {}
    if root is not None:
        dispatch = _dataset_dispatch(models.index)
        infos: dict[int, FieldInfo] = {}
        core = _Flattener(models, dispatch, infos)
        core.model(root, "", (root.name,), "")
        for plugin, args in _plugins(tree, models, paths):
            extra = _Flattener(models, dispatch, infos)
            extra.model(args, "", (args.name,), "", by_name=True)
            core.absorb(extra, plugin)
        key_sets["config"] = _prefix_aliases(core.keys(), _prefix_rules(models, paths))
        if core.validated:
            key_sets["validated"] = tuple(core.validated.values())
    else:  # a partial copy: its models, no key set (with one, they would repeat it)
        for ref in models.index.classes():
            if models.index.is_model(ref):
                _class_info(models, ref, classes)
    return Snapshot(
        package=PACKAGE,
        version=version,
        classes=tuple(classes.values()),
        key_sets=key_sets,
        parsers={"config": ("config",)} if key_sets else {},
        requires=_requires(tree),
    )


def _prefix_rules(models: Models, paths: list[str]) -> list[tuple[str, str]]:
    """(section, prefix) of validators that strip a prefix from a section's keys.

    0.14+ ``check_fsdp_config_kwargs_prefix`` reads ``data.get("fsdp_config")`` and
    renames each ``fsdp_<x>`` key to ``<x>`` (``key.replace("fsdp_", "")``): the prefixed
    spellings are accepted, with a deprecation warning.
    """
    out: list[tuple[str, str]] = []
    for path in paths:
        module = models.index.modules.get(path)
        for node in ast.walk(module) if module is not None else ():
            if not isinstance(node, ast.FunctionDef):
                continue
            sections: set[str] = set()
            stripped: set[str] = set()
            for call in ast.walk(node):
                if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                    continue
                args = [a.value for a in call.args if isinstance(a, ast.Constant)]
                if call.func.attr == "get" and pyast.dotted(call.func.value) == "data" and args:
                    sections.add(str(args[0]))
                elif call.func.attr == "replace" and len(args) == 2 and args[1] == "":
                    stripped.add(str(args[0]))
            if len(sections) == 1 and len(stripped) == 1:
                out.append((sections.pop(), stripped.pop()))
    return out


def _prefix_aliases(
    keys: tuple[FieldInfo, ...], rules: list[tuple[str, str]]
) -> tuple[FieldInfo, ...]:
    out: list[FieldInfo] = []
    for info in keys:
        aliases = info.aliases
        parent, _, leaf = info.name.rpartition(".")
        for section, prefix in rules:
            if parent == section and not leaf.startswith(prefix):
                aliases = (*aliases, f"{section}.{prefix}{leaf}")
        out.append(replace(info, aliases=tuple(dict.fromkeys(aliases))))
    return tuple(out)


def _source_paths(tree: SourceTree) -> list[str]:
    schema = [p for folder in SCHEMA_DIRS for p in under(tree, folder)]
    if not schema:
        paths = [p for p in tree.paths() if p.endswith(".py") and "tests/" not in p]
        return sorted(paths)[:MAX_FILES]
    loader = find(tree, LOADER)
    plugins: list[str] = []
    for path in under(tree, INTEGRATIONS):
        rest = path[path.index(INTEGRATIONS) + len(INTEGRATIONS) :]
        if rest.count("/") <= 1:  # integrations/<name>/<file>.py, not their libraries
            plugins.append(path)
    return [*schema, *([loader] if loader else []), *plugins]


def _worth_parsing(path: str, text: str) -> bool:
    """An integration's file only when it defines a model (its plugin file is scanned
    as text: some are long)."""
    return INTEGRATIONS not in path or "BaseModel" in text


def _root(models: Models) -> ClassRef | None:
    """``AxolotlInputConfig``: the one ``validate_config`` imports, else the first."""
    index = models.index
    refs = [r for r in index.classes_named(ROOT) if index.is_model(r)]
    loader = next((p for p in index.modules if p.endswith(LOADER)), "")
    for source, original in index.imports(loader).values():
        found = index.qualified(f"{source}.{ROOT}") if original == ROOT else None
        if found is not None and found in refs:
            return found
    return refs[0] if refs else None


def _plugins(tree: SourceTree, models: Models, paths: list[str]) -> list[tuple[str, ClassRef]]:
    """(plugin class path as users list it, its input-args model) for every plugin."""
    index = models.index
    out: list[tuple[str, ClassRef]] = []
    for path in paths:
        if INTEGRATIONS not in path:
            continue
        text = tree.read(path) or ""
        if "def get_input_args" not in text:
            continue
        package = ".".join(module_name(path, PACKAGE).split(".")[:3])
        for match in PLUGIN_ARGS.finditer(text):
            owner = CLASS.findall(text, 0, match.start())
            args = index.qualified(match.group(1))
            if owner and args is not None and index.is_model(args):
                out.append((f"{package}.{owner[-1]}", args))
    return sorted(set(out), key=lambda pair: pair[0])


def _dataset_dispatch(index: Index) -> dict[str, str]:
    """``<key>[].<Model>`` -> the condition under which ``validate_config`` builds that
    model for the items of ``<key>`` (``datasets[].DPODataset`` -> ``rl: dpo``)."""
    out: dict[str, str] = {}
    module = next((m for p, m in index.modules.items() if p.endswith(LOADER)), None)
    body = module.body if module is not None else []
    function = next(
        (n for n in body if isinstance(n, ast.FunctionDef) and n.name == "validate_config"), None
    )
    for node in ast.walk(function) if function is not None else ():
        if not isinstance(node, ast.If):
            continue
        condition = _condition(node.test) or "otherwise"  # ``elif not isinstance(...)``
        for assign in _outside_ifs(node.body):
            if isinstance(assign.value, ast.Call) and isinstance(assign.value.func, ast.Name):
                keys = [n.value for n in ast.walk(assign.targets[0]) if isinstance(n, ast.Constant)]
                if keys and isinstance(keys[0], str):
                    out.setdefault(f"{keys[0]}[].{assign.value.func.id}", condition)
    return out


def _outside_ifs(statements: list[ast.stmt]) -> Iterator[ast.Assign]:
    """The assignments in ``statements``, not descending into nested ``if``s."""
    for statement in statements:
        if isinstance(statement, ast.Assign):
            yield statement
        elif isinstance(statement, ast.For | ast.While | ast.With):
            yield from _outside_ifs(statement.body)


def _condition(test: ast.expr) -> str:
    """``cfg.get("rl") in ["dpo", "ipo"]`` -> ``rl: dpo, ipo``."""
    parts: list[str] = []
    for node in ast.walk(test):
        if not isinstance(node, ast.Compare) or not isinstance(node.ops[0], ast.Eq | ast.In):
            continue
        left = node.left.body if isinstance(node.left, ast.IfExp) else node.left
        key = ""
        if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.args:
            key = pyast.string(left.args[0]) if left.func.attr == "get" else ""
        elif isinstance(left, ast.Subscript):
            key = pyast.string(left.slice)
        values = pyast.literal_strings(node.comparators[0]) or (pyast.string(node.comparators[0]),)
        if key and all(values):
            parts.append(f"{key}: {', '.join(values)}")
    return "; ".join(parts)


def _class_info(models: Models, ref: ClassRef, out: dict[str, ClassInfo]) -> None:
    if ref.name in out:
        return
    own = [f for f in models.fields(ref) if f.owner is ref]
    out[ref.name] = ClassInfo(
        name=ref.name,
        file=ref.path,
        line=ref.node.lineno,
        bases=pyast.base_names(ref.node),
        fields=tuple(replace(_info(models, f, {}), file="") for f in own),
    )
    for base in models.index.mro(ref)[0][1:]:
        _class_info(models, base, out)


def _info(models: Models, field: ModelField, infos: dict[int, FieldInfo]) -> FieldInfo:
    """The field as a key (``infos``: worked out once per field)."""
    info = infos.get(id(field))
    if info is None:
        info = infos[id(field)] = FieldInfo(
            name=field.name,
            type=pyast.source_text(field.annotation),
            default=field.default,
            line=field.line,
            file=field.owner.path,
            choices=models.choices(field.annotation, field.owner.path),
            aliases=field.aliases,
            deprecated=clip(field.deprecated),
            help=pyast.first_sentence(field.help, HELP),
        )
    return info


class _Flattener:
    """One model's fields as dotted paths, its nested models' fields below them."""

    def __init__(self, models: Models, dispatch: dict[str, str], infos: dict[int, FieldInfo]):
        self.models = models
        self.dispatch = dispatch
        self.infos = infos
        self.entries: dict[str, FieldInfo] = {}
        self.branches: dict[str, list[str]] = {}  # path -> union members that have it
        self.unions: dict[str, list[str]] = {}  # prefix -> the union's member models
        self.validated: dict[str, FieldInfo] = {}

    def model(
        self, ref: ClassRef, prefix: str, stack: tuple[str, ...], branch: str, by_name: bool = False
    ) -> None:
        for field in self.models.fields(ref, by_name):
            path = prefix + field.name
            if path not in self.entries:
                info = _info(self.models, field, self.infos)
                aliases = tuple(prefix + a for a in info.aliases)
                self.entries[path] = replace(info, name=path, aliases=aliases)
            if branch:
                self.branches.setdefault(path, []).append(branch)
            nested = self.models.nested_models(field.annotation, field.owner.path)
            for sub, in_list in nested if len(stack) < MAX_NESTING else ():
                if sub.name in stack:
                    continue
                below = path + ("[]." if in_list else ".")
                if len(nested) > 1:
                    self.unions.setdefault(below, []).append(sub.name)
                self.model(sub, below, (*stack, sub.name), sub.name if len(nested) > 1 else branch)
        self._deprecations(ref, prefix)

    def _deprecations(self, ref: ClassRef, prefix: str) -> None:
        """Mark the keys the model's deprecation markers and validators name (the first
        text found wins: ``Field(deprecated=)``, field validators, model validators)."""
        known = {p[len(prefix) :] for p in self.entries if p.startswith(prefix)}
        for info in self.entries.values():
            if info.name.startswith(prefix):
                known.update(a[len(prefix) :] for a in info.aliases)
        for field in self.models.fields(ref):
            path = prefix + field.name
            info = self.entries[path]
            if info.deprecated and not info.replacement:
                found = replacement(info.deprecated, known, field.name)
                self.entries[path] = replace(info, replacement=prefix + found if found else "")
        messages = self.models.validator_messages(ref)
        for message in sorted(messages, key=lambda m: not m.fields):
            for key, instead, said in deprecated_keys(message, known):
                text = ("raises: " if message.raised else "") + clip(said)
                self._mark(prefix + key, text, prefix + instead if instead else "", message)
        for field in self.models.fields(ref):
            path = prefix + field.name
            if field.owner.name == "DeprecatedParameters" and not self.entries[path].deprecated:
                self.entries[path] = replace(
                    self.entries[path], deprecated="deprecated (DeprecatedParameters)"
                )

    def _mark(self, path: str, text: str, instead: str, message: Message) -> None:
        info = self.entries.get(path)
        if info is None:
            if path not in self.validated:
                self.validated[path] = FieldInfo(
                    name=path,
                    line=message.line,
                    file=message.path,
                    deprecated=text,
                    replacement=instead,
                )
        elif not info.deprecated:
            self.entries[path] = replace(info, deprecated=text, replacement=instead)

    def absorb(self, other: _Flattener, plugin: str) -> None:
        """A plugin's keys (the core's own definition wins, as in the merged class)."""
        for path, info in other.entries.items():
            if path not in self.entries:
                self.entries[path] = replace(info, help=f"[plugin {plugin}] {info.help}".strip())
        for path, info in other.validated.items():
            self.validated.setdefault(path, info)

    def keys(self) -> tuple[FieldInfo, ...]:
        out: list[FieldInfo] = []
        for path, info in self.entries.items():
            note = self._branch_note(path)
            out.append(replace(info, help=f"[{note}] {info.help}".strip()) if note else info)
        return tuple(out)

    def _branch_note(self, path: str) -> str:
        """``SFTDataset (otherwise); DPODataset (rl: dpo)`` when only some members of
        the nearest union above ``path`` have it."""
        prefixes = [p for p in self.unions if path.startswith(p)]
        if not prefixes:
            return ""
        nearest = max(prefixes, key=len)
        having = list(dict.fromkeys(self.branches.get(path, [])))
        if not having or set(self.unions[nearest]) <= set(having):
            return ""
        notes = [
            f"{m} ({self.dispatch[nearest + m]})" if nearest + m in self.dispatch else m
            for m in having
        ]
        return "; ".join(notes)


def _requires(tree: SourceTree) -> dict[str, str]:
    """An sdist whose PKG-INFO lists no requirements: its ``requirements.txt`` pins."""
    paths = set(tree.paths())
    if "PKG-INFO" not in paths or "requirements.txt" not in paths:
        return {}
    if "Requires-Dist:" in (tree.read("PKG-INFO") or ""):
        return {}
    out: dict[str, str] = {}
    for line in (tree.read("requirements.txt") or "").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text or text.startswith("-"):
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        name = requirement.name.lower().replace("_", "-")
        if name in DEPENDENCIES and requirement.marker is None:
            out[name] = str(requirement.specifier)
    return out
