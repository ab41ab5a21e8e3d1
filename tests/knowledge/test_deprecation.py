"""Reading deprecation texts: which keys they retire, and the key they point to."""

from __future__ import annotations

import pytest

from cfgguard.knowledge.extract import deprecation

KEYS = frozenset(
    {
        "eval_strategy",
        "evaluation_strategy",
        "per_gpu_train_batch_size",
        "per_device_train_batch_size",
        "push_to_hub_model_id",
        "push_to_hub_organization",
        "hub_model_id",
        "max_seq_length",
        "max_length",
        "f_divergence_type",
        "optim",
        "adafactor",
        "warmup_ratio",
        "warmup_steps",
        "dtype",
        "vllm_dtype",
        "loss_type",
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "`max_seq_length` is deprecated and will be removed. Use `max_length` instead.",
            ("max_seq_length",),
            id="backticked-key",
        ),
        pytest.param(
            "`--push_to_hub_model_id` and `--push_to_hub_organization` are deprecated.",
            ("push_to_hub_model_id", "push_to_hub_organization"),
            id="two-keys-dashes-dropped",
        ),
        pytest.param(
            "warmup_ratio is deprecated and will be removed in v5.2. Use `warmup_steps` instead.",
            ("warmup_ratio",),
            id="bare-snake-case-key",
        ),
        pytest.param(
            "The `max_seq_length` argument is deprecated in favor of `max_length`.",
            ("max_seq_length",),
            id="filler-words-between",
        ),
        pytest.param(
            "Using deprecated `--per_gpu_train_batch_size` argument which will be removed.",
            ("per_gpu_train_batch_size",),
            id="key-right-after-the-word",
        ),
        pytest.param(
            "using `EvaluationStrategy` for `evaluation_strategy` is deprecated. Use a string",
            (),
            id="a-value-class-opens-the-sentence",
        ),
        pytest.param(
            "`f_divergence_type` will require a string in 0.29.0; `FDivergenceType` is deprecated.",
            (),
            id="something-else-right-before-the-word",
        ),
        pytest.param(
            "`loss_type='dft'` is deprecated. Use `loss_type='nll'` instead.",
            (),
            id="a-value-setting-retires-no-key",
        ),
        pytest.param("The `x_unknown` option is deprecated.", (), id="not-a-key"),
        pytest.param("Pass `max_length` to the trainer.", (), id="no-deprecation"),
    ],
)
def test_subjects(text: str, expected: tuple[str, ...]) -> None:
    assert deprecation.subjects(text, KEYS) == expected


@pytest.mark.parametrize(
    ("text", "itself", "expected"),
    [
        pytest.param(
            "`max_seq_length` is deprecated. Use `max_length` instead.",
            "max_seq_length",
            "max_length",
            id="next-sentence-instead",
        ),
        pytest.param(
            "The `max_seq_length` argument is deprecated in favor of `max_length`.",
            "max_seq_length",
            "max_length",
            id="in-favor-of",
        ),
        pytest.param(
            "Deprecated, the use of `--per_device_train_batch_size` is preferred.",
            "per_gpu_train_batch_size",
            "per_device_train_batch_size",
            id="preferred",
        ),
        pytest.param(
            "Deprecated alias of `eval_strategy`, will be removed in v6.",
            "evaluation_strategy",
            "eval_strategy",
            id="alias-of",
        ),
        pytest.param(
            "`--adafactor` is deprecated. Use `--optim adafactor` instead",
            "adafactor",
            "",
            id="a-key-with-a-value-is-no-rename",
        ),
        pytest.param(
            "This parameter is deprecated. To control the data type for vLLM generation, you "
            "should now use the `dtype` argument in the vLLM server configuration.",
            "vllm_dtype",
            "",
            id="advice-for-another-tool",
        ),
        pytest.param(
            "`max_length` is deprecated. Use `max_length_new` instead.",
            "max_length",
            "",
            id="not-a-key",
        ),
        pytest.param(
            "Use `max_length` instead of this.", "max_seq_length", "", id="no-deprecation-word"
        ),
        pytest.param(
            "`max_length` is deprecated, use `max_length` instead.",
            "max_length",
            "",
            id="itself-is-no-replacement",
        ),
    ],
)
def test_replacement(text: str, itself: str, expected: str) -> None:
    assert deprecation.replacement(text, KEYS, itself) == expected


@pytest.mark.parametrize(
    ("name", "help_text", "expected"),
    [
        pytest.param(
            "no_cuda",
            "This argument is deprecated. It will be removed in version 5.0. Do not use it.",
            "This argument is deprecated. It will be removed in version 5.0.",
            id="this-argument-is-deprecated",
        ),
        pytest.param("x", "Deprecated. Use `y` instead", "Deprecated. Use `y` instead", id="opens"),
        pytest.param("x", "deprecated", "deprecated", id="one-word"),
        pytest.param("x", "[Deprecated] old flag.", "[Deprecated] old flag.", id="bracketed"),
        pytest.param(
            "foo_bar",
            "The size. `foo_bar` is deprecated.",
            "`foo_bar` is deprecated.",
            id="names-itself",
        ),
        pytest.param(
            "local_rank",
            "When using torch.distributed.launch (Deprecated), it will pass `local_rank`.",
            "",
            id="mentions-the-word-only",
        ),
        pytest.param(
            "truncation_mode",
            "Where to truncate. The `'keep_end'` value is deprecated.",
            "",
            id="a-value-is-deprecated",
        ),
        pytest.param("x", "", "", id="no-help"),
    ],
)
def test_help_deprecation(name: str, help_text: str, expected: str) -> None:
    assert deprecation.help_deprecation(name, help_text) == expected


def test_excerpt_is_bounded() -> None:
    text = "Deprecated. " + "word " * 100
    out = deprecation.excerpt(text)
    assert len(out) == deprecation.LIMIT
    assert out.endswith("...")
    assert deprecation.excerpt("No such word here.") == ""
