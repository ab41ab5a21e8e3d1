"""verl: the keys of its Hydra trainer configs, and the config dataclasses they bind.

A trainer config is a YAML file in a config folder (``verl/trainer/config``, a
``config`` folder beside an experimental entry point, any folder a ``hydra.main`` names)
that a ``hydra.main`` names, that has a ``_generated_<name>.yaml`` twin, or that no other
config includes. Each is composed as Hydra would (``_hydra``), and every leaf of the
result is one key-set entry: default = the YAML source text, file and line = where the
value in effect is written. A ``_generated_<name>.yaml`` stands in where the composition
lacks files; one with no source config (``ppo_torchtitan_trainer``) is composed as its
header says it was made (``ppo_trainer.yaml`` with ``model_engine=torchtitan``) when that
agrees with it, and read as written otherwise.

Sections with ``_target_: pkg.Cls`` are dataclass-backed: their ``_target_`` entry's
help names the class, and their keys take type, choices and deprecation from the
class's fields (inherited ones included). A field typed as a dict is one free-form
``dict`` entry (the class takes any keys there), its children not listed. Entry points:
every ``@hydra.main(config_path, config_name)`` (ast, never imported), as
``"<dotted module>": ("<config name>",)``.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract._classes import Modules, collect
from cfgguard.knowledge.extract._hydra import ConfigRepo, compose
from cfgguard.knowledge.extract._verlcode import deprecations
from cfgguard.knowledge.extract._yamltree import Leaf, Tree, leaves, render, scalar_value
from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import SourceTree
from cfgguard.records import replace

PACKAGE = "verl"
GENERATED = "_generated_"
CLASS_PACKAGES = ("verl.workers.config", "verl.trainer.config")
KIND_TYPES = {
    **{kind: kind for kind in ("int", "float", "bool", "str", "list", "dict")},
    "null": "",
    "missing": "",  # a null or ``???`` says nothing of the type
}
_MAPPING = re.compile(r"^(?:Optional\[)?(?:typing\.)?(?:dict|Dict|Mapping|DictConfig)\b")
_CLASS_NAME = re.compile(r"\b([A-Z]\w*)\b")
_HEADER_BASE = re.compile(r"flatten the '(?:[\w./]*/)?(\w+)\.yaml'")
_HEADER_COMMAND = re.compile(r"print_cfg\.py --cfg job((?: [\w.]+=[\w.-]+)*)")
_REFERENCE = re.compile(r"\$\{(?:oc\.select:)?([A-Za-z_][\w.]*)(?:,([^}]*))?\}")


def extract(tree: SourceTree, version: str) -> Snapshot:
    repo = ConfigRepo(tree)
    mains = list(hydra_mains(tree))
    configs = trainer_configs(repo, config_roots(repo, mains), mains)
    targets = sorted(
        {
            leaf.text.strip("'\"")
            for composed in configs.values()
            for path, leaf in leaves(composed)
            if path.rsplit(".", 1)[-1] == "_target_"
        }
    )
    classes = collect(Modules(tree, PACKAGE), targets, list(CLASS_PACKAGES))
    announced = deprecations(tree, PACKAGE)
    key_sets = {name: entries(composed, classes, announced) for name, composed in configs.items()}
    parsers = {module: (name,) for module, _, name in mains if name in key_sets}
    return Snapshot(PACKAGE, version, tuple(classes.values()), key_sets, parsers)


def hydra_mains(tree: SourceTree) -> Iterator[tuple[str, str, str]]:
    """(dotted module, config folder, config name) of each ``@hydra.main`` in the package."""
    paths = sorted(p for p in tree.paths() if p.endswith(".py"))
    inside = [p for p in paths if p.startswith(PACKAGE + "/") or f"/{PACKAGE}/" in p]
    for path in inside or paths:
        text = tree.read(path)
        module = pyast.parse(text) if text and "hydra.main" in text else None
        for node in ast.walk(module) if module else ():
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if not isinstance(decorator, ast.Call) or pyast.dotted(decorator.func) != (
                    "hydra.main"
                ):
                    continue
                kw = {k.arg: pyast.string(k.value) for k in decorator.keywords if k.arg}
                name, folder = kw.get("config_name", ""), kw.get("config_path", "")
                if name:
                    root = posixpath.normpath(posixpath.join(posixpath.dirname(path), folder))
                    yield _dotted_module(path), root, name.removesuffix(".yaml")


def _dotted_module(path: str) -> str:
    """``verl.trainer.main_ppo``; a tree that is the package itself gets the prefix."""
    parts = path[: -len(".py")].split("/")
    return ".".join(parts[parts.index(PACKAGE) :] if PACKAGE in parts else [PACKAGE, *parts])


def config_roots(repo: ConfigRepo, mains: list[tuple[str, str, str]]) -> list[str]:
    named = [root for _, root, _ in mains if root in repo.dirs]
    folders = [d for d in repo.dirs if posixpath.basename(d) == "config"]
    # the trainer's own folder first: its names win over an experimental copy's
    return sorted(
        dict.fromkeys([*named, *folders]),
        key=lambda d: (not (d == "trainer/config" or d.endswith("/trainer/config")), d),
    )


def trainer_configs(
    repo: ConfigRepo, roots: list[str], mains: list[tuple[str, str, str]]
) -> dict[str, Tree]:
    named = {(root, name) for _, root, name in mains}
    out: dict[str, Tree] = {}
    included: set[str] = set()
    candidates: list[tuple[str, str, Tree, bool]] = []
    for root in roots:
        stems = sorted(
            posixpath.basename(p)[: -len(".yaml")]
            for p in repo.paths
            if posixpath.dirname(p) == root
        )
        generated = {s[len(GENERATED) :] for s in stems if s.startswith(GENERATED)}
        for stem in (s for s in stems if not s.startswith(GENERATED)):
            composed = compose(repo, [root], stem)
            if composed is None:
                continue
            primary = f"{root}/{stem}.yaml"
            included.update(f for f in composed.files if f != primary)
            tree = composed.tree
            if composed.missing and stem in generated:
                tree = _generated(repo, root, stem) or tree
            keep = (root, stem) in named or stem in generated
            candidates.append((stem, primary, tree, keep))
        for stem in sorted(generated - set(stems)):
            tree = _from_header(repo, root, stem) or _generated(repo, root, stem)
            if tree is not None:
                candidates.append((stem, "", tree, True))
    for stem, path, tree, keep in candidates:
        if (keep or path not in included) and stem not in out:
            out[stem] = tree
    return out


def _from_header(repo: ConfigRepo, root: str, stem: str) -> Tree | None:
    """A ``_generated_`` file with no source of its own, composed the way its header
    says it was made (``print_cfg.py --cfg job model_engine=torchtitan`` on
    ``ppo_trainer.yaml``), when that composition agrees with the file."""
    base, choices = _header_command(repo, f"{root}/{GENERATED}{stem}.yaml")
    composed = compose(repo, [root], base, choices) if base else None
    if composed is None or composed.missing:
        return None
    generated = _generated(repo, root, stem)
    return composed.tree if generated and not _differences(composed.tree, generated) else None


def _header_command(repo: ConfigRepo, path: str) -> tuple[str, dict[str, str]]:
    loaded = repo.load(path)
    header = " ".join(loaded.lines[:5]) if loaded else ""
    base = _HEADER_BASE.search(header)
    command = _HEADER_COMMAND.search(header)
    if base is None or command is None:
        return "", {}
    pairs = (item.split("=", 1) for item in command.group(1).split() if "=" in item)
    return base.group(1), {key: value for key, value in pairs}  # noqa: C416 - pairs of two


def disagreements(repo: ConfigRepo, root: str, stem: str) -> list[str]:
    """Where composing ``stem`` (as its ``_generated_`` twin's header says) and that
    twin differ (``model_engine`` aside: verl's generator cuts the lines above
    ``actor_rollout_ref``)."""
    base, choices = _header_command(repo, f"{root}/{GENERATED}{stem}.yaml")
    composed = compose(repo, [root], base or stem, choices)
    generated = _generated(repo, root, stem)
    if composed is None or generated is None:
        return [f"{stem}: no composition or no _generated_ file"]
    return _differences(composed.tree, generated)


def _differences(composed: Tree, generated: Tree) -> list[str]:
    ours = {p: scalar_value(v.text, v.kind) for p, v in leaves(composed)}
    theirs = {p: scalar_value(v.text, v.kind) for p, v in leaves(generated)}
    ours.pop("model_engine", None)
    out = [f"only composed: {p}" for p in ours if p not in theirs]
    out += [f"only generated: {p}" for p in theirs if p not in ours]
    out += [f"differs: {p}" for p in ours if p in theirs and ours[p] != theirs[p]]
    return out


def _generated(repo: ConfigRepo, root: str, stem: str) -> Tree | None:
    loaded = repo.load(f"{root}/{GENERATED}{stem}.yaml")
    return loaded.tree if loaded is not None else None


def entries(
    composed: Tree, classes: dict[str, ClassInfo], announced: dict[str, str] | None = None
) -> tuple[FieldInfo, ...]:
    """One entry per leaf, typed by the section's dataclass where there is one;
    ``announced``: deprecations the trainer code prints (dotted key -> text)."""
    out: list[FieldInfo] = []
    _walk(composed, "", None, _Fields(classes), out)
    types = {e.name: e.type for e in out}
    said = announced or {}
    return tuple(
        replace(e, deprecated=said[e.name]) if e.name in said and not e.deprecated else e
        for e in (_interpolated(e, types) for e in out)
    )


class _Fields:
    """Each class's fields with its bases', worked out once."""

    def __init__(self, classes: dict[str, ClassInfo]) -> None:
        self.classes = classes
        self._cache: dict[str, dict[str, FieldInfo]] = {}

    def of(self, cls: ClassInfo | None) -> dict[str, FieldInfo]:
        if cls is None:
            return {}
        if cls.name not in self._cache:
            self._cache[cls.name] = all_fields(cls, self.classes)
        return self._cache[cls.name]


def _walk(
    node: Tree, prefix: str, cls: ClassInfo | None, known: _Fields, out: list[FieldInfo]
) -> None:
    classes = known.classes
    target = node.get("_target_")
    if isinstance(target, Leaf):
        cls = classes.get(target.text.strip("'\"").rsplit(".", 1)[-1])
    fields = known.of(cls)
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        field = fields.get(key)
        if isinstance(value, Tree):
            if field is not None and _MAPPING.match(field.type) and "_target_" not in value:
                # the class takes any keys here: one free-form entry, children unlisted
                out.append(FieldInfo(path, "dict", render(value), value.line, value.file))
            else:
                _walk(value, path, _field_class(field, classes), known, out)
            continue
        out.append(_leaf(path, key, value, field, cls, prefix))


def _leaf(
    path: str, key: str, leaf: Leaf, field: FieldInfo | None, cls: ClassInfo | None, prefix: str
) -> FieldInfo:
    annotation = field.type if field else ""
    kind = "dict" if leaf.kind == "dict" or _MAPPING.match(annotation) else annotation
    replacement = field.replacement if field else ""
    return FieldInfo(
        name=path,
        type=kind or KIND_TYPES.get(leaf.kind, ""),
        default=leaf.text,
        line=leaf.line,
        file=leaf.file,
        choices=field.choices if field else (),
        deprecated=field.deprecated if field else "",
        replacement=f"{prefix}.{replacement}" if replacement and prefix else replacement,
        help=f"dataclass section: {cls.name}" if key == "_target_" and cls else "",
    )


def all_fields(cls: ClassInfo | None, classes: dict[str, ClassInfo]) -> dict[str, FieldInfo]:
    """A class's fields with its bases' (found in ``classes``), own ones last-wins."""
    out: dict[str, FieldInfo] = {}
    seen: set[str] = set()

    def add(info: ClassInfo, depth: int) -> None:
        if info.name in seen or depth > 10:
            return
        seen.add(info.name)
        for base in reversed(info.bases):
            if base in classes:
                add(classes[base], depth + 1)
        out.update((f.name, f) for f in info.fields)

    if cls is not None:
        add(cls, 0)
    return out


def _field_class(field: FieldInfo | None, classes: dict[str, ClassInfo]) -> ClassInfo | None:
    for name in _CLASS_NAME.findall(field.type) if field else ():
        if name in classes:
            return classes[name]
    return None


def _interpolated(entry: FieldInfo, types: dict[str, str]) -> FieldInfo:
    """An interpolation (``${a.b}``, ``${oc.select:a.b,dflt}``) gets its target's type."""
    if entry.type != "str" or not entry.default.startswith("${"):
        return entry
    match = _REFERENCE.fullmatch(entry.default)
    found = types.get(match.group(1), "") if match else ""
    if not found and match and match.group(2) is not None:
        fallback = match.group(2).strip()
        found = "bool" if fallback in ("True", "False", "true", "false") else ""
        found = found or ("int" if fallback.lstrip("-").isdigit() else "")
    return replace(entry, type=found)
