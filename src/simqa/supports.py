"""Choose the supporting quotes: well ranked, and saying something the quotes before them do not."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from simqa.extraction import Span
from simqa.lexicon import tokens
from simqa.records import Source

# How much a support loses per unit of cosine similarity to a quote already chosen (ranking
# scores span about 5 points over the top five units). Chosen on sim-dev and the sixth
# held-out set (answer@3): 4-6 gained a question on each, 1-3 and 10 on one of them, 100 lost
# one on each; none of them changes answer@1.
DIVERSITY = 5.0


def pick_supports(chosen: list[tuple[Span, float]], pool: list[tuple[Span, float]],
                  vectors: np.ndarray, count: int,
                  diversity: float = DIVERSITY) -> list[tuple[Span, float]]:
    """`chosen` followed by up to `count` of them in all from `pool`, each next one the best by
    maximal marginal relevance: its ranking score minus `diversity` times its closest
    similarity (of any two of their units' vectors) to a quote already chosen."""
    picked = list(chosen)
    left = [candidate for candidate in pool if candidate not in picked]
    while len(picked) < count and left:
        best = max(left, key=lambda candidate: candidate[1] - diversity * max(
            _similarity(candidate[0], quote, vectors) for quote, _ in picked))
        picked.append(best)
        left.remove(best)
    return picked


def _similarity(a: Span, b: Span, vectors: np.ndarray) -> float:
    return float((vectors[list(a.sentence_ids)] @ vectors[list(b.sentence_ids)].T).max())


def opposed_publishers(sources: Iterable[Source]) -> dict[str, str]:
    """Each publisher's furthest by stated perspective: the one sharing the smallest part of
    its perspective's words ("NHS innovation network ..." against "campaign coalition ...
    (opposed SIM)"); none when fewer than two publishers state one."""
    words: dict[str, set[str]] = {}
    for source in sources:
        said = set(tokens(source.perspective))
        if said:
            words.setdefault(source.publisher, set()).update(said)
    if len(words) < 2:
        return {}
    return {publisher: min((other for other in words if other != publisher),
                           key=lambda other: len(own & words[other]) / len(own | words[other]))
            for publisher, own in words.items()}
