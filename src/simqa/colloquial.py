"""Everyday British words for what the documents name formally: "the old bill" is searched as
"the police", "who footed the bill" as "who funded". Only the text searched changes; the
question as asked is kept for everything else."""

from __future__ import annotations

import re

# Informal word or phrase (a regular expression over lower-case words) -> the documents' term.
# A phrase that often means something else here is left out ("the bill" alone is also what
# someone pays, "kicked off" also means "got angry", "casualty" also a person hurt).
_FORMAL: dict[str, str] = {
    r"(?:the )?old bill|plod|the fuzz|feds|rozzers|boys in blue|the pigs": "police",
    r"coppers|cops|bobbies": "police officers",
    r"copper|cop(?! out)": "police officer",
    r"shrinks": "psychiatrists",
    r"shrink": "psychiatrist",
    r"sectioned": "sectioned (detained under the Mental Health Act)",
    r"carted off": "detained",
    r"psych ward|psychiatric ward|loony bin|nuthouse|mental hospital": "mental health hospital",
    r"a and e|a ?& ?e": "the Emergency Department",
    r"(?:footed|picked up|paid) the (?:bill|tab)(?: for)?|coughed up for|forked out for|"
    r"shelled out for|bankrolled|stumped up for": "funded",
    r"(?:footing|picking up|paying) the (?:bill|tab)(?: for)?|coughing up for|forking out for|"
    r"shelling out for|bankrolling|stumping up for": "funding",
    r"(?:foot|pick up|pay) the (?:bill|tab)(?: for)?|cough up for|fork out for|shell out for|"
    r"bankroll|stump up for": "fund",
    r"coughed up|forked out|shelled out|stumped up": "paid",
    r"big cheeses|bigwigs|big wigs|top brass|head honchos|honchos|higher ups|higher-ups|"
    r"big bosses|top bosses|the powers that be|the suits": "senior leaders",
    r"scrapped|axed|binned|ditched|knocked on the head|pulled the plug on|canned": "stopped",
    r"scrapping|axing|binning|ditching|pulling the plug on": "stopping",
    r"scrap|axe|ditch|pull the plug on": "stop",
    r"fobbed off|turned away|knocked back|given the runaround|got the runaround": "refused care",
}
_PATTERN = re.compile(
    "|".join(rf"(?P<g{i}>(?<![\w&/])(?:{informal})(?![\w&/]))" for i, informal in
             enumerate(_FORMAL)), re.IGNORECASE)
_TERMS = tuple(_FORMAL.values())


def formal(text: str) -> str:
    """text with each everyday word the glossary knows replaced by the documents' term."""
    return _PATTERN.sub(lambda match: _TERMS[int(match.lastgroup[1:])], text)
