"""The SIM adapter: a LoRA update of the bundled model, merged at load, chosen by a setting."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simqa.config import SHIPPED_ADAPTER, Settings
from simqa.embedding import ModelLoadError, SentenceTransformerEmbedder, model_name
from simqa.metrics import contains_answer

from .paths import SIM_DEV


def test_the_bundled_model_gets_the_shipped_adapter_unless_told_otherwise(tmp_path):
    assert Settings().adapter_path == str(SHIPPED_ADAPTER)
    assert Settings(adapter="none").adapter_path is None
    assert Settings(model=str(tmp_path)).adapter_path is None  # another model: no SIM adapter
    assert Settings(adapter=str(tmp_path)).adapter_path == str(tmp_path)


def test_the_adapter_is_part_of_the_model_name_an_index_records(engine):
    assert engine.model_name == model_name(Settings().model_path, str(SHIPPED_ADAPTER))
    assert engine.model_name.startswith("all-MiniLM-L6-v2+sim_adapter-")
    assert model_name(Settings().model_path) == "all-MiniLM-L6-v2"


@pytest.mark.parametrize("broken", ["missing", "not_lora", "wrong_shape"])
def test_a_broken_adapter_is_refused_with_a_plain_message(tmp_path, broken):
    from safetensors.numpy import save_file

    if broken != "missing":
        (tmp_path / "adapter_config.json").write_text(json.dumps({"r": 2, "lora_alpha": 4}))
        key = "base_model.model.encoder.layer.0.attention.self.query.lora_"
        tensors = ({"some.other.weight": np.zeros((2, 2), np.float32)} if broken == "not_lora"
                   else {key + "A.weight": np.zeros((2, 7), np.float32),
                         key + "B.weight": np.zeros((384, 2), np.float32)})
        save_file(tensors, str(tmp_path / "adapter_model.safetensors"))
    with pytest.raises(ModelLoadError, match="adapter"):
        SentenceTransformerEmbedder(Settings().model_path, adapter_path=str(tmp_path))


def _answer_unit_mrr(embedder, engine, items) -> float:
    units = [s.text for s in engine.index.sentences]
    unit_vectors = embedder.encode_documents(units)
    question_vectors = embedder.encode_many([i["question"] for i in items])
    reciprocal = []
    for item, vector in zip(items, question_vectors, strict=True):
        order = np.argsort(-(unit_vectors @ vector))
        rank = next(r for r, u in enumerate(order) if contains_answer(units[u], item["answers"]))
        reciprocal.append(1.0 / (rank + 1))
    return float(np.mean(reciprocal))


def test_the_adapter_brings_answers_closer_on_questions_it_never_saw(engine):
    """sim-dev is never trained on (scripts/train_adapter.py): the adapted model must rank
    the unit holding each dev answer higher than the base model does."""
    items = [json.loads(line) for line in SIM_DEV.read_text(encoding="utf-8").splitlines()]
    items = [i for i in items if i["answerable"] and i["answers"]]
    base = SentenceTransformerEmbedder(Settings().model_path)
    base_mrr = _answer_unit_mrr(base, engine, items)
    adapted_mrr = _answer_unit_mrr(engine.embedder, engine, items)
    assert adapted_mrr > base_mrr + 0.1, (base_mrr, adapted_mrr)


def test_the_mean_of_two_adapters_moves_the_weights_to_the_mean_of_their_moves(tmp_path):
    import torch
    from safetensors.torch import save_file

    from simqa.lora import mean_adapter, merge_lora

    key = "base_model.model.layer."
    generator = torch.Generator().manual_seed(0)
    adapters = [({"r": 2, "lora_alpha": 4},
                 {key + "lora_A.weight": torch.randn(2, 5, generator=generator),
                  key + "lora_B.weight": torch.randn(3, 2, generator=generator)})
                for _ in range(2)]

    def moved_by(adapter) -> torch.Tensor:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        (folder / "adapter_config.json").write_text(json.dumps(adapter[0]))
        save_file(adapter[1], str(folder / "adapter_model.safetensors"))
        model = torch.nn.Sequential()
        model.add_module("layer", torch.nn.Linear(5, 3, bias=False))
        torch.nn.init.zeros_(model.layer.weight)
        merge_lora(model, folder)
        return model.layer.weight.detach().clone()

    mean = mean_adapter(adapters)
    assert mean[0]["r"] == 4
    expected = (moved_by(adapters[0]) + moved_by(adapters[1])) / 2
    assert torch.allclose(moved_by(mean), expected, atol=1e-6)
    assert not torch.allclose(expected, torch.zeros_like(expected))
