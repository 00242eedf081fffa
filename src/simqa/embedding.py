"""Sentence-transformers embeddings: normalised float32 vectors, bundled MiniLM by default."""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder(Protocol):
    name: str
    dimension: int

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_documents(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


def encode_questions(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Questions encoded in one batch where the embedder can, else one by one."""
    encode_many = getattr(embedder, "encode_many", None)
    if encode_many is not None:
        return encode_many(texts)
    return np.stack([embedder.encode_query(t) for t in texts])


class ModelLoadError(RuntimeError):
    """The embedding model could not be loaded (missing files, bad name)."""


def model_name(model_path: str, adapter_path: str | None = None) -> str:
    """The name an index records for a model (a folder's name; the bundled one's real name;
    "+<adapter>-<digest>" when an adapter is merged), known without loading the model."""
    name = os.path.basename(model_path.rstrip("/")) if os.path.isdir(model_path) else model_path
    name = "all-MiniLM-L6-v2" if name == "model" else name
    if adapter_path is None:
        return name
    from simqa.lora import AdapterError, adapter_name

    try:
        return f"{name}+{adapter_name(adapter_path)}"
    except AdapterError as error:
        raise ModelLoadError(str(error)) from None


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or any sentence-transformers model) on the CPU."""

    def __init__(self, model_path: str, threads: int = 1, batch_size: int = 64,
                 adapter_path: str | None = None) -> None:
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            transformers_logging.set_verbosity_error()

            self._model = SentenceTransformer(model_path, device="cpu")
        except Exception as error:  # any failure here means "no model", reported plainly
            raise ModelLoadError(f"could not load model {model_path!r}: {error}") from None
        self.name = model_name(model_path, adapter_path)
        if adapter_path is not None:
            from simqa.lora import AdapterError, merge_lora

            try:
                merge_lora(self._model[0].auto_model, adapter_path)
            except AdapterError as error:
                raise ModelLoadError(str(error)) from None
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None)
        dimension = dimension or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self.batch_size = batch_size

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_many([text])[0]

    def encode_many(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Batch encode for index builds, using every core for the duration."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        serving_threads = torch.get_num_threads()
        torch.set_num_threads(os.cpu_count() or 1)
        try:
            return self._encode_batches(texts, progress)
        finally:
            torch.set_num_threads(serving_threads)

    def _encode_batches(self, texts: list[str], progress: bool) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)
