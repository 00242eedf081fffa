"""Personal details (emails, phone and NHS numbers, postcodes) taken out of the search text."""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email
    re.compile(r"(?<!\w)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)"),  # UK phone
    re.compile(r"(?<!\w)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\w)"),  # NHS number
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"),  # UK postcode
)
_GAP = "\x00"
# "my email is <gap>", "phone <gap>", "NHS number: <gap>": the words that announced a detail.
_LEAD_IN = re.compile(r"(?:\b(?:my|our)\s+)?\b(?:e-?mail|phone|telephone|mobile|tel|nhs|number|"
                      r"postcode)(?:\s+(?:address|number|no\.?))?(?:\s*(?:is|=|:))?\s*\x00",
                      re.I)


def redact(text: str) -> str:
    """The text without personal details, which never help find a quote and must not be
    searched for; the question as asked is still echoed back to its asker."""
    for pattern in _PATTERNS:
        text = pattern.sub(_GAP, text)
    if _GAP not in text:
        return text
    text = _LEAD_IN.sub(_GAP, text)
    text = re.sub(r"[\s,;]*\x00[\s,;]*", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,.;")
