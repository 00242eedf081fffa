"""Fixed lead texts, chosen by status; simqa never generates the words of an answer."""

from __future__ import annotations

from collections.abc import Iterable

ANSWERED = ("Here is what the documents say. Each quote is word for word from its source, "
            "with who published it and when.")
ANSWERED_CONTESTED = ("The publishers of these documents take different sides on SIM. Here is "
                      "what each says on this, word for word, with who published it and when.")
ANSWERED_TENTATIVE = ("These documents may not answer this exactly. Here is the closest they "
                      "come, word for word, with who published it and when.")
NOT_FOUND = "I couldn't find an answer to that in these documents."
UNAVAILABLE = ("I can't answer questions right now. If you are in distress, please call "
               "Samaritans on 116 123 (free, 24/7) or NHS 111.")


def not_found_message(titles: Iterable[str]) -> str:
    names = list(titles)
    if not names:
        return NOT_FOUND
    shown = "; ".join(f"“{t}”" for t in names[:6])
    more = f" and {len(names) - 6} more" if len(names) > 6 else ""
    return f"{NOT_FOUND} I only quote from {len(names)} documents: {shown}{more}."
