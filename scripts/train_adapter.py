"""Learn the SIM adapter (src/simqa/sim_adapter/): a LoRA update of all-MiniLM-L6-v2 that
brings a question's vector closer to the vector of the unit that answers it in this corpus.

Training pairs: each answerable question of the given test-format files with each unit (up to
two) of the corpus that holds one of its gold phrases. Loss: in-batch negatives
(sentence-transformers' MultipleNegativesRankingLoss). The files used here were written for
this purpose, apart from sim-dev, which is never trained on, so sim-dev measures the adapter
held out (see --held-out).

Several seeds (`--seed 0 --seed 1`) train one adapter each and ship their average (a "model
soup"): one adapter of the summed rank whose update is exactly the mean of theirs, so it costs
nothing more at run time. Seeds alone moved sim-dev answer@3 by 0.1; the mean is steadier.

Needs the `train` extra (peft).

    python scripts/train_adapter.py corpus/questions/sim_questions_a.jsonl \
        corpus/questions/sim_questions_b.jsonl corpus/questions/sim_questions_c.jsonl
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click
import numpy as np
import torch
from peft import LoraConfig, TaskType
from safetensors.torch import load_file, save_file
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

from simqa.chunking import split_document
from simqa.config import Settings
from simqa.corpus import load_corpus
from simqa.lora import CONFIG, WEIGHTS, adapter_name, mean_adapter, merge_lora

if TYPE_CHECKING:
    from simqa.lora import Adapter
from simqa.metrics import contains_answer

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "simqa"
TARGETS = ["query", "key", "value", "dense"]


def corpus_units(corpus_dir: str) -> list[str]:
    units: list[str] = []
    for document in load_corpus(corpus_dir):
        sentences, _ = split_document(document, len(units), 0)
        units.extend(s.text for s in sentences)
    return units


def read_items(paths: tuple[str, ...]) -> list[dict]:
    return [json.loads(line) for path in paths
            for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def answer_units(items: list[dict], units: list[str], per_question: int) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        if item.get("answerable") and item.get("answers"):
            holding = [u for u in units if contains_answer(u, item["answers"])]
            pairs += [(item["question"], unit) for unit in holding[:per_question]]
    return pairs


def unit_ranks(model: SentenceTransformer, items: list[dict], units: list[str]) -> np.ndarray:
    """For each answerable item, the rank (0 = first) of its best answer unit by cosine."""
    asked = [i for i in items if i.get("answerable") and i.get("answers")]
    unit_vectors = model.encode(units, normalize_embeddings=True, batch_size=64)
    question_vectors = model.encode([i["question"] for i in asked], normalize_embeddings=True)
    ranks = []
    for item, vector in zip(asked, question_vectors, strict=True):
        order = np.argsort(-(unit_vectors @ vector))
        position = {unit: rank for rank, unit in enumerate(order)}
        holding = [j for j, u in enumerate(units) if contains_answer(u, item["answers"])]
        ranks.append(min((position[j] for j in holding), default=len(units)))
    return np.array(ranks)


def describe(ranks: np.ndarray) -> str:
    return (f"unit r@1 {np.mean(ranks < 1):.3f}, r@10 {np.mean(ranks < 10):.3f}, "
            f"MRR {np.mean(1.0 / (ranks + 1)):.3f}")


def train_one(model_path: str, pairs: list[tuple[str, str]], seed: int, epochs: int, lr: float,
              lora_rank: int, batch_size: int) -> Adapter:
    random.seed(seed)
    torch.manual_seed(seed)
    pairs = list(pairs)
    model = SentenceTransformer(model_path, device="cpu")
    model.add_adapter(LoraConfig(task_type=TaskType.FEATURE_EXTRACTION, r=lora_rank,
                                 lora_alpha=2 * lora_rank, lora_dropout=0.1,
                                 target_modules=TARGETS))
    loss = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    model.train()
    for epoch in range(epochs):
        random.shuffle(pairs)
        total = 0.0
        for start in range(0, len(pairs), batch_size):
            batch = pairs[start:start + batch_size]
            features = [model.preprocess([q for q, _ in batch]),
                        model.preprocess([u for _, u in batch])]
            value = loss(features, None)
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            total += value.item()
        click.echo(f"seed {seed}, epoch {epoch + 1}: loss {total:.2f}")
    with tempfile.TemporaryDirectory() as scratch:
        model.save(scratch)
        config = json.loads((Path(scratch) / CONFIG).read_text(encoding="utf-8"))
        return config, load_file(str(Path(scratch) / WEIGHTS))


def write_adapter(adapter: Adapter, target: Path) -> None:
    config, weights = adapter
    config = {**config, "target_modules": sorted(config["target_modules"])}
    target.mkdir(parents=True, exist_ok=True)
    (target / CONFIG).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")
    save_file(weights, str(target / WEIGHTS))


@click.command()
@click.argument("questions", nargs=-1, required=True)
@click.option("--held-out", "held_out", default="../shared/eval/sim-dev.jsonl",
              show_default=True, help="Reported before and after, never trained on.")
@click.option("--out", default=str(PACKAGE / "sim_adapter"), show_default=True)
@click.option("--epochs", default=3, show_default=True)
@click.option("--lr", default=5e-4, show_default=True)
@click.option("--rank", "lora_rank", default=16, show_default=True)
@click.option("--batch-size", default=16, show_default=True)
@click.option("--seed", "seeds", multiple=True, type=int, default=(0, 1), show_default=True,
              help="Repeatable: one adapter per seed, shipped as their average.")
def main(questions: tuple[str, ...], held_out: str, out: str, epochs: int, lr: float,
         lora_rank: int, batch_size: int, seeds: tuple[int, ...]) -> None:
    torch.set_num_threads(2)
    settings = Settings.from_env()
    units = corpus_units(settings.corpus_dir)
    pairs = answer_units(read_items(questions), units, per_question=2)
    evaluation = read_items((held_out,)) if held_out else []
    click.echo(f"{len(pairs)} training pairs from {len(questions)} files; {len(units)} units")
    if evaluation:
        base = SentenceTransformer(settings.model_path, device="cpu")
        click.echo(f"held out, base model: {describe(unit_ranks(base, evaluation, units))}")

    adapter = mean_adapter([train_one(settings.model_path, pairs, seed, epochs, lr, lora_rank,
                                  batch_size) for seed in seeds])
    target = Path(out)
    write_adapter(adapter, target)
    if evaluation:
        adapted = SentenceTransformer(settings.model_path, device="cpu")
        merge_lora(adapted[0].auto_model, target)
        click.echo(f"held out, adapted model: {describe(unit_ranks(adapted, evaluation, units))}")
    (target / "training.json").write_text(json.dumps({
        "base_model": "all-MiniLM-L6-v2",
        "name": adapter_name(target),
        "trained_on": [Path(p).name for p in questions],
        "pairs": len(pairs),
        "epochs": epochs, "lr": lr, "rank": lora_rank, "batch_size": batch_size,
        "seeds": list(seeds),
    }, indent=2) + "\n", encoding="utf-8")
    click.echo(f"wrote {target} ({adapter_name(target)})")


if __name__ == "__main__":
    main()
