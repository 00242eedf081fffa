"""Does an on-topic question ask for something these documents never say (an officer's pay,
a lawsuit, what a study found)? A check on the question's vector, learnt by
scripts/train_topic.py from questions about the documents that they answer and that they do
not; a question it flags gets not_found, with related quotes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simqa.linear_check import LinearCheck

WEIGHTS_FILE = Path(__file__).with_name("gap_weights.json")


class GapModel(LinearCheck):
    def asks_beyond(self, vector: np.ndarray) -> bool:
        return self.probability(vector) >= self.threshold
