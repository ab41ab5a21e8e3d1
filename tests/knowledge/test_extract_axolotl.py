"""The axolotl extractor on fake source trees (tests/fixtures/knowledge/axolotl)."""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from cfgguard.knowledge.extract._pymodules import Index
from cfgguard.knowledge.extract.axolotl import extract
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import DirTree, TarTree, ZipTree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "axolotl"
SCHEMAS = "axolotl/utils/schemas/"
V041 = "src/axolotl/utils/config/models/input/v0_4_1/__init__.py"
LIGER = "[plugin axolotl.integrations.liger.LigerPlugin]"
GROKFAST = "src/axolotl/integrations/grokfast/__init__.py"


def snapshot(name: str) -> Snapshot:
    return extract(DirTree(str(FIXTURES / name)), "1.0")


def keys(snap: Snapshot, key_set: str = "config") -> dict[str, FieldInfo]:
    return {info.name: info for info in snap.key_sets.get(key_set, ())}


@pytest.fixture(scope="module")
def new() -> dict[str, FieldInfo]:
    return keys(snapshot("new"))


@pytest.fixture(scope="module")
def old() -> Snapshot:
    return snapshot("old")


NEW_KEYS = [
    pytest.param(
        "rl",
        FieldInfo(
            "rl",
            "RLType | None",
            "None",
            26,
            SCHEMAS + "config.py",
            ("dpo", "kto"),
            help="Use RL training.",
        ),
        id="enum-choices-help-first-sentence",
    ),
    pytest.param(
        "base_model",
        FieldInfo(
            "base_model",
            "str",
            "",
            7,
            SCHEMAS + "model.py",
            help="Path or hub id of the base model.",
        ),
        id="mixin-base-field-required-core-wins-over-plugin",
    ),
    pytest.param(
        "trl",
        FieldInfo("trl", "TRLConfig | None", "TRLConfig()", 27, SCHEMAS + "config.py"),
        id="section-default-factory",
    ),
    pytest.param(
        "trl.beta",
        FieldInfo(
            "trl.beta", "float | None", "None", 5, SCHEMAS + "trl.py", help="Beta for RL training."
        ),
        id="nested-model",
    ),
    pytest.param(
        "trl.max_len",
        FieldInfo("trl.max_len", "int | None", "None", 6, SCHEMAS + "trl.py"),
        id="nested-alias-without-populate-by-name-is-the-key",
    ),
    pytest.param(
        "overrides_of_model_config",
        FieldInfo(
            "overrides_of_model_config",
            "dict[str, Any] | None",
            "None",
            29,
            SCHEMAS + "deprecated.py",
            aliases=("model_config",),
        ),
        id="alias-with-populate-by-name",
    ),
    pytest.param(
        "fsdp_config.fsdp_version",
        FieldInfo(
            "fsdp_config.fsdp_version",
            "int | None",
            "None",
            5,
            SCHEMAS + "fsdp.py",
            aliases=("fsdp_config.version",),
        ),
        id="alias-choices-as-full-paths",
    ),
    pytest.param(
        "fp8_config.recipe",
        FieldInfo(
            "fp8_config.recipe",
            "Recipe",
            "'tensorwise'",
            11,
            SCHEMAS + "fp8.py",
            ("tensorwise", "rowwise"),
        ),
        id="literal-type-alias-choices",
    ),
    pytest.param(
        "lr_scheduler",
        FieldInfo(
            "lr_scheduler",
            "Literal['cosine', 'linear'] | None",
            "'cosine'",
            32,
            SCHEMAS + "config.py",
            ("cosine", "linear"),
        ),
        id="literal-choices",
    ),
    pytest.param(
        "optimizer",
        FieldInfo(
            "optimizer",
            "Literal['adamw', 'sgd'] | str | None",
            "'adamw'",
            31,
            SCHEMAS + "config.py",
        ),
        id="literal-or-str-is-open",
    ),
    pytest.param(
        "precision",
        FieldInfo("precision", "Precision | None", "None", 33, SCHEMAS + "config.py"),
        id="enum-of-ints-no-choices",
    ),
    pytest.param(
        "datasets[].path",
        FieldInfo(
            "datasets[].path",
            "str | None",
            "None",
            10,
            SCHEMAS + "datasets.py",
            help="Hub id or local path.",
        ),
        id="list-item-in-every-model-no-note",
    ),
    pytest.param(
        "datasets[].field_chosen",
        FieldInfo(
            "datasets[].field_chosen",
            "str | None",
            "None",
            23,
            SCHEMAS + "datasets.py",
            help="[DPODataset (rl: dpo, ipo)]",
        ),
        id="dataset-model-noted-with-dispatch-condition",
    ),
    pytest.param(
        "datasets[].type.system_prompt",
        FieldInfo(
            "datasets[].type.system_prompt",
            "str | None",
            "None",
            5,
            SCHEMAS + "datasets.py",
            help="[SFTDataset (otherwise)]",
        ),
        id="str-or-model-nests-below",
    ),
    pytest.param(
        "datasets[].message_field_role",
        FieldInfo(
            "datasets[].message_field_role",
            "str | None",
            "None",
            12,
            SCHEMAS + "datasets.py",
            deprecated="message_field_role is deprecated, use message_property_mappings instead.",
            replacement="datasets[].message_property_mappings",
            help="[SFTDataset (otherwise)]",
        ),
        id="deprecation-in-function-a-validator-calls",
    ),
    pytest.param(
        "old_workers",
        FieldInfo(
            "old_workers",
            "int | None",
            "None",
            35,
            SCHEMAS + "config.py",
            deprecated="Use `num_workers` instead. Removed in a future version.",
            replacement="num_workers",
        ),
        id="field-deprecated-marker",
    ),
    pytest.param(
        "sequence_parallel_degree",
        FieldInfo(
            "sequence_parallel_degree",
            "int | None",
            "None",
            38,
            SCHEMAS + "config.py",
            deprecated="Deprecated: use `context_parallel_size`",
            replacement="context_parallel_size",
            help="Deprecated: use `context_parallel_size`",
        ),
        id="description-deprecated-wins-over-later-validator",
    ),
    pytest.param(
        "rope_scaling",
        FieldInfo(
            "rope_scaling",
            "Any | None",
            "None",
            7,
            SCHEMAS + "deprecated.py",
            deprecated="raises: `rope_scaling` is no longer supported, "
            "it should now be a key under `model_config`",
            replacement="model_config.rope_scaling",
        ),
        id="raising-field-validator-key-under-section",
    ),
    pytest.param(
        "noisy_embedding_alpha",
        FieldInfo(
            "noisy_embedding_alpha",
            "float | None",
            "None",
            8,
            SCHEMAS + "deprecated.py",
            deprecated="noisy_embedding_alpha is deprecated, use neftune_noise_alpha",
            replacement="neftune_noise_alpha",
        ),
        id="warning-field-validator-rename",
    ),
    pytest.param(
        "max_packed_sequence_len",
        FieldInfo(
            "max_packed_sequence_len",
            "int | None",
            "None",
            9,
            SCHEMAS + "deprecated.py",
            deprecated="deprecated (DeprecatedParameters)",
        ),
        id="deprecated-parameters-without-message",
    ),
    pytest.param(
        "liger_rope",
        FieldInfo(
            "liger_rope", "bool | None", "None", 5, "axolotl/integrations/liger/args.py", help=LIGER
        ),
        id="plugin-key",
    ),
    pytest.param(
        "liger_swiglu",
        FieldInfo(
            "liger_swiglu",
            "bool | None",
            "None",
            6,
            "axolotl/integrations/liger/args.py",
            deprecated="Use `liger_glu_activation` instead.",
            replacement="liger_glu_activation",
            help=LIGER,
        ),
        id="plugin-deprecated-key",
    ),
]


@pytest.mark.parametrize(("key", "expected"), NEW_KEYS)
def test_new_layout_key(new: dict[str, FieldInfo], key: str, expected: FieldInfo) -> None:
    assert new[key] == expected


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("max_length", id="aliased-field-name-not-accepted-without-populate-by-name"),
        pytest.param("trl.max_length", id="nested-field-name-behind-alias"),
        pytest.param("fsdp_config.version", id="alias-is-no-key-of-its-own"),
        pytest.param("hidden", id="model-below-an-integration-library"),
        pytest.param("model_config", id="alias-not-a-key"),
        pytest.param("datasets[].type.field_chosen", id="no-such-nesting"),
        pytest.param("unsloth_rope", id="removed-key-is-only-in-validated"),
        pytest.param("type", id="value-deprecation-names-no-key"),
    ],
)
def test_new_layout_absent(new: dict[str, FieldInfo], key: str) -> None:
    assert key not in new


def test_new_layout_validated_keys_and_parsers() -> None:
    snap = snapshot("new")
    assert snap.parsers == {"config": ("config",)}
    assert snap.classes == ()  # the key set says it all
    assert snap.requires == {}
    validation = SCHEMAS + "validation.py"
    message = "raises: `{}` have been removed. Please use `lora_mlp_kernel` instead."
    assert keys(snap, "validated") == {
        name: FieldInfo(name, line=19, file=validation, deprecated=message.format(name))
        for name in ("unsloth_lora_mlp", "unsloth_rope")
    }


def test_new_layout_every_key_in_order(new: dict[str, FieldInfo]) -> None:
    assert list(new) == [
        "rl",
        "trl",
        "trl.beta",
        "trl.max_len",
        "datasets",
        "datasets[].path",
        "datasets[].type",
        "datasets[].type.system_prompt",
        "datasets[].type.format",
        "datasets[].message_field_role",
        "datasets[].message_property_mappings",
        "datasets[].field_chosen",
        "fp8_config",
        "fp8_config.recipe",
        "fsdp_config",
        "fsdp_config.fsdp_version",
        "fsdp_config.offload_params",
        "optimizer",
        "lr_scheduler",
        "precision",
        "num_workers",
        "old_workers",
        "sequence_parallel_degree",
        "context_parallel_size",
        "neftune_noise_alpha",
        "warmup_steps",
        # the mixin bases, in their order, then the plugin's keys the core lacks
        "base_model",
        "trust_remote_code",
        "overrides_of_model_config",
        "rope_scaling",
        "noisy_embedding_alpha",
        "max_packed_sequence_len",
        "liger_rope",
        "liger_swiglu",
        "liger_glu_activation",
    ]


def test_a_file_that_does_not_parse_is_passed_over() -> None:
    tree = DirTree(str(FIXTURES / "new"))
    index = Index(tree, [p for p in tree.paths() if p.endswith(".py")], "axolotl")
    assert index.unparsed == [SCHEMAS + "broken.py"]
    assert index.classes_named("NotPython") == []


def test_root_that_does_not_parse_gives_no_key_set(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "new", tmp_path / "new")
    (tmp_path / "new" / SCHEMAS / "config.py").write_text("class AxolotlInputConfig(:\n")
    snap = extract(DirTree(str(tmp_path / "new")), "1.0")
    assert snap.key_sets == {}
    assert snap.parsers == {}
    assert [c.name for c in snap.classes][:3] == [
        "LigerArgs",
        "UserDefinedPrompterType",
        "SFTDataset",
    ]


OLD_KEYS = [
    pytest.param(
        "datasets[].chat_template",
        FieldInfo(
            "datasets[].chat_template",
            "Optional[ChatTemplate]",
            "None",
            32,
            V041,
            ("chatml", "llama3"),
            help="[SFTDataset]",
        ),
        id="conlist-union-item-no-dispatch",
    ),
    pytest.param(
        "datasets[].field_label",
        FieldInfo("datasets[].field_label", "Optional[str]", "None", 37, V041, help="[KTODataset]"),
        id="second-dataset-model",
    ),
    pytest.param(
        "overrides_of_model_config",
        FieldInfo(
            "overrides_of_model_config",
            "Optional[Dict[str, Any]]",
            "None",
            27,
            V041,
            aliases=("model_config",),
        ),
        id="class-config-populate-by-name",
    ),
    pytest.param(
        "evaluation_strategy",
        FieldInfo(
            "evaluation_strategy",
            "Optional[str]",
            "None",
            16,
            V041,
            deprecated="evaluation_strategy is deprecated, use eval_strategy instead",
            replacement="eval_strategy",
        ),
        id="deprecated-parameters-old-layout",
    ),
    pytest.param(
        "grokfast_alpha",
        FieldInfo(
            "grokfast_alpha",
            "Optional[float]",
            "0.98",
            10,
            GROKFAST,
            help="[plugin axolotl.integrations.grokfast.GrokfastPlugin]",
        ),
        id="plugin-args-in-package-init",
    ),
    pytest.param(
        "pad_to_sequence_len",
        FieldInfo(
            "pad_to_sequence_len", "Literal[True, False, None]", "None", 54, V041, ("True", "False")
        ),
        id="bool-literal",
    ),
]


@pytest.mark.parametrize(("key", "expected"), OLD_KEYS)
def test_old_layout_key(old: Snapshot, key: str, expected: FieldInfo) -> None:
    assert keys(old)[key] == expected


def test_old_layout_reads_the_model_the_loader_imports(old: Snapshot) -> None:
    names = set(keys(old))
    assert "draft_only" not in names  # next/'s model of the same name
    assert "capabilities" not in names  # AxolotlConfigWCapabilities: the code sets it
    assert len(names) == 14


def test_old_sdist_requirements_from_requirements_txt(old: Snapshot) -> None:
    assert old.requires == {"peft": "==0.13.2", "transformers": "==4.46.3", "trl": "==0.12.0"}


def test_partial_copy_gives_what_it_has() -> None:
    snap = snapshot("partial")
    assert sorted(keys(snap)) == ["base_model", "muon_lr", "trl"]
    assert snap.parsers == {"config": ("config",)}


def test_models_without_the_root_are_classes_only() -> None:
    snap = snapshot("no_root")
    assert snap.key_sets == {}
    assert snap.parsers == {}
    peft = "axolotl/utils/schemas/peft.py"
    assert [(c.name, c.file, c.line, c.bases, c.fields) for c in snap.classes] == [
        ("PeftConfig", peft, 4, ("BaseModel",), (FieldInfo("peft_r", "int | None", "None", 5),)),
        ("LoraConfig", peft, 8, ("PeftConfig",), (FieldInfo("lora_alpha", "int | None", "16", 9),)),
    ]


@pytest.mark.parametrize(
    "root",
    [
        pytest.param(FIXTURES / "no_root" / "axolotl" / "utils" / "schemas", id="schema-dir-root"),
        pytest.param(FIXTURES / "partial" / "train" / "src" / "axolotl", id="package-root"),
        pytest.param(FIXTURES, id="many-trees"),
        pytest.param(FIXTURES / "missing", id="no-such-directory"),
    ],
)
def test_any_directory_never_fails(root: Path) -> None:
    snap = extract(DirTree(str(root)), "vendored")
    assert snap.package == "axolotl"
    assert snap.version == "vendored"


def _archive_members(root: Path) -> list[tuple[str, bytes]]:
    return sorted(
        (p.relative_to(root).as_posix(), p.read_bytes()) for p in root.rglob("*") if p.is_file()
    )


def test_wheel_and_sdist_read_as_the_directory(tmp_path: Path) -> None:
    members = _archive_members(FIXTURES / "new")
    wheel = tmp_path / "axolotl-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    sdist = tmp_path / "axolotl-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, data in members:
            info = tarfile.TarInfo(f"axolotl-1.0/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    expected = snapshot("new")
    assert extract(ZipTree(str(wheel)), "1.0") == expected
    assert extract(TarTree(str(sdist)), "1.0") == expected
