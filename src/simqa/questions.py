"""What kind of answer a question wants, and whether a text offers that kind of answer."""

from __future__ import annotations

import re

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(
    rf"\b(?:(?:19|20)\d\d(?:/\d\d)?|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|(?:{_MONTHS})\b)", re.I
)
_NUMBER = re.compile(r"\b(?:\d+(?:[.,]\d+)?(?:%|k|m|bn)?|one|two|three|four|five|six|seven|"
                     r"eight|nine|ten|eleven|twelve|fifteen|twenty|hundred|thousand|dozen|"
                     r"several|approximately)\b", re.I)
_REASON = re.compile(r"\b(?:because|due to|as a result|as a consequence|so that|in order to|"
                     r"to (?:maximise|ensure|enable|avoid|reduce|improve|build|help|support)|"
                     r"crucial|essential|led to|consequence|therefore|since|reason|demands)\b",
                     re.I)
_HOW = re.compile(r"\b(?:by|through|via|using|used|can be|were (?:either )?\w+ed|led|"
                  r"process|approach|should|needs? to|monthly|weekly)\b", re.I)
_PLACE = re.compile(r"\b(?:in|at|on|across|from) (?:the )?[A-Z][a-z]+", re.U)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:of\s+)?[A-Z][a-z]+)+")
_TITLE = re.compile(r"\b(?:Professor|Dr|Sergeant|Sir|Lord|Mr|Mrs|Ms|Director|Chair|lead|"
                    r"Network|Trust|Police|Coalition|Board|NHS|Council|Partners?|Office|"
                    r"Constabulary|Service|Committee|England)\b")
_HONORIFIC = r"(?:Professor|Prof|Dr|Sergeant|Sgt|Sir|Lord|Lady|Dame|Mr|Mrs|Ms|Miss)"
_PERSON = re.compile(rf"\b{_HONORIFIC}\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
# "3 – 4 months", "a 3-day course", "a two-year programme"
_DURATION = re.compile(r"\b\d+(?:\s*(?:–|-|to)\s*\d+)?(?:\s*|-)"
                       r"(?:months?|weeks?|years?|days?|hours?)\b|"
                       r"\b(?:a|one|two|three|four|five|six|several)[ -]"
                       r"(?:months?|weeks?|years?|days?)\b", re.I)
_MONEY = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|thousand)\b)?|"
                    r"\b\d[\d,.]*\s?(?:million|billion|thousand)?\s?(?:pounds|euros|dollars)\b",
                    re.I)
_COST_WORDS = (r"cost|costs|costing|price|spend|spent|paid|pay|budget|worth|fees?|salary|"
               r"compensation")
_ASKS_MONEY = re.compile(rf"\b(?:{_COST_WORDS}|how much money)\b", re.I)
_ASKS_AMOUNT = re.compile("|".join((
    rf"\bhow much\b.{{0,80}}\b(?:{_COST_WORDS}|fund|funded|funding)\b",
    r"\bhow much money\b",
    r"\bwhat (?:did|does|do|will|would) .{0,80}\bcost(?: (?:the|in|to|per|each|a)\b.{0,40})?\W*$",
    r"\bwhat (?:was|is|were|are) the (?:total )?(?:cost|price|budget|fee)s?\b",
    r"\bwhat (?:sum|amount of money|salary|fee)\b|\bwhat budget (?:did|does|do|was|were|has|had)\b",
)), re.I)
_ASKS_PHONE = re.compile(r"(?<!\bmy )\b(?:(?:phone|telephone|mobile|fax|contact) (?:number|no)\b|"
                         r"what number (?:do|can|should) i (?:call|ring|phone|text)\b)", re.I)
_ASKS_EMAIL = re.compile(r"(?<!\bmy )\be-?mail address\b|\bwhat(?:'s| is) (?:the|their|its|his|"
                         r"her) e-?mail\b", re.I)
_ASKS_CONTACT = re.compile(r"(?<!\bmy )\b(?:contact details?|postal address|address to write to)\b|"
                           r"\bhow (?:do|can|could) i (?:contact|email|call|ring|phone|reach|"
                           r"get in touch with)\b", re.I)
_ASKS_COUNT = re.compile(r"\bhow many\b", re.I)
# A count: a number that is not a year, a date's day or a table row's index, or a quantity
# said in words ("a small number of", "the majority of").
_COUNT = re.compile(
    rf"(?<![\d./£$€\[-])(?<![sS])(?<!section )(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?"
    rf"(?![\d./\]]|\s*(?:{_MONTHS})\b|\t)|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds?|thousands?|dozens?|both|single|half|several|handful|majority|"
    r"minority|(?:small|large|limited|growing|increasing) number)\b", re.I)
_PHONE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}(?:[\s-]?\d{3,4})?\b|\b\d{3} \d{3}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_WEB = re.compile(r"\bhttps?://|\bwww\.", re.I)
_DEFINITION = re.compile(r"\b(?:is an?|are|means|refers to|stands for|known as)\b|\([A-Z]{2,}s?\)")

QUESTION_TYPES = ("who", "when", "number", "why", "where", "definition", "how", "other")


_MAIN_AFTER_WHEN = re.compile(
    r"(?:when|once|after|if)\b(?! (?:did|do|does|was|were|is|are|will|would|has|had|have|can|"
    r"could|should)\b)(?: (?!(?:what|how|who|whose|which|why|where)\b)[^ ]+){2,} "
    r"((?:what|how|who|which|why|where)\b.*)")


def question_type(question: str) -> str:
    """The answer type a question asks for, read from its question words, not its topic."""
    q = " " + re.sub(r"\s+", " ", question.lower().replace("’", "'")) + " "
    lead = re.sub(r"^\W*(?:(?:so|and|but|ok|okay|please|hi|hey),? )*", "", q.strip())
    # "when the team compared the figures, what did they find": the question is the main clause
    main = _MAIN_AFTER_WHEN.match(lead)
    if main:
        return question_type(lead[main.start(1):])
    if re.search(r"\b(how many|how much|how long|what number|what percentage|"
                 r"what proportion|how often)\b", q):
        return "number"
    if re.match(r"(when|what (year|month|date|day)|which (year|month|date|day)|"
                r"on what date|in what year)\b", lead) or re.search(
            r"\b(what|which) (year|month|date|day)\b|\bwhat's the date\b|\bwhat date\b", q):
        return "when"
    if re.match(r"(who|whom|whose)\b", lead) or re.search(r"\b(who|whom|whose)\b", q) and not \
            re.search(r"\b(people|those|someone) who\b", q) or re.search(
            r"\bwhich (\w+ ){0,3}(person|people|organisations?|organizations?|group|body|bodies|"
            r"company|trust|research group|team|man|woman)\b", q):
        return "who"
    if re.search(r"\bwhy\b", q):
        return "why"
    if re.match(r"where\b", lead) or re.search(r"\bwhere (did|does|do|is|was|were|can)\b", q):
        return "where"
    # "what is a DPIA?", or a bare "DPIA?"
    if re.search(r"\b(stand for|stands for|define|definition|meaning of|what does \w+ mean)\b",
                 q) or re.match(r"(?:(what's|whats|what is|what are) (an? )?)?"
                                r"[a-z0-9]{2,8}s? ?\??$", lead.strip()):
        return "definition"
    if re.match(r"how\b", lead) or re.search(r"\bhow (do|does|did|should|can|were|was|is)\b", q):
        return "how"
    return "other"


_FILLER = frozenset({"in", "at", "on", "the", "of"})

_IDENTITY = re.compile(r"^\W*(?:who|what)(?:'s|s| is| are| was| were) (?:an? |the )?"
                       r"[\w'&().-]+(?: [\w'&().-]+){0,4}\W*$")


_SPELL_OUT = re.compile(r"\b(?:stands? for|short for|acronym|abbreviation)\b", re.I)
_ACRONYM_WORD = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z/&]*\b")
_BEFORE_STAND = re.compile(r"\b(?:does|do|is) (?:the )?([a-z][\w/&]{1,9}) (?:stand|short)\b",
                           re.I)


def acronyms_to_spell_out(question: str) -> list[str]:
    """The acronyms a question asks to have spelt out ("what do PROMs and PREMs stand for",
    "what does clahrc stand for"); [] for a question that asks nothing of the kind."""
    if not _SPELL_OUT.search(question):
        return []
    found = _ACRONYM_WORD.findall(question)
    return found or _BEFORE_STAND.findall(question)


_WHO_IS = re.compile(rf"^\W*who(?:'s|s| is| was) (?:(?i:{_HONORIFIC})\.? )?"
                     r"(?P<name>[a-z][a-z'’-]+(?: [a-z][a-z'’-]+){1,2})\W*$")


def person_asked(question: str) -> str:
    """The name in "who is Tim Kendall?" (lower case, without a title); "" for any other."""
    match = _WHO_IS.match(question.strip().lower())
    return match.group("name") if match else ""


def asks_identity(question: str) -> bool:
    """Only asks who someone is or what something is ("who is Paul Jennings", "what is the
    High Intensity Network"): the name is nearly all there is to go on."""
    return bool(_IDENTITY.match(question.strip().lower().replace("’", "'")))


def measure(question: str) -> str:
    """What a number question measures: "duration" (how long), "money" (how much ... cost,
    paid...) or "" for a plain count."""
    lowered = question.lower()
    if "how long" in lowered:
        return "duration"
    if "how much" in lowered and _ASKS_MONEY.search(lowered):
        return "money"
    return ""


def instances(kind: str, text: str, measured: str = "") -> tuple[frozenset[str], ...]:
    """The words of each date, number, name or place in text that a question of this kind asks
    for (a number question: of the measure it asks for); () for kinds without instances."""
    numbers = {"duration": _DURATION, "money": _MONEY}.get(measured, _NUMBER)
    patterns = {
        "when": (_DATE,),
        "number": (numbers,),
        "who": (_PERSON, _NAME),
        "where": (_PLACE,),
    }.get(kind, ())
    return tuple(frozenset(re.findall(r"\w+", match.group(0).lower())) - _FILLER
                 for pattern in patterns for match in pattern.finditer(text))


def has_new_instance(found: tuple[frozenset[str], ...], question: str) -> float:
    """1.0 when one of the instances says something the question does not already contain."""
    asked = question.lower()
    return float(any(any(word not in asked for word in words) for words in found))


def offers_new(kind: str, text: str, question: str) -> float:
    """1.0 when the text holds an instance of what the question asks for (a date, a number,
    a name, a place) that the question itself does not already contain."""
    if kind not in {"when", "number", "who", "where"}:
        return offers(kind, text)
    return has_new_instance(instances(kind, text, measure(question)), question)


def offers(kind: str, text: str) -> float:
    """1.0 when the text holds the kind of thing the question type asks for, else 0.0."""
    if kind == "when":
        return float(bool(_DATE.search(text)))
    if kind == "number":
        return float(bool(_NUMBER.search(text)))
    if kind == "who":
        return float(bool(_NAME.search(text) or _TITLE.search(text)))
    if kind == "why":
        return float(bool(_REASON.search(text)))
    if kind == "where":
        return float(bool(_PLACE.search(text)))
    if kind == "definition":
        return float(bool(_DEFINITION.search(text)))
    if kind == "how":
        return float(bool(_HOW.search(text)))
    return 0.0


def demanded_form(question: str) -> str:
    """The form without which no text can answer the question: "money" (what something cost),
    "count" (how many), "phone", "email", "contact" (any way to get in touch: phone, e-mail or
    web address), or "" for none."""
    for form, asks in (("phone", _ASKS_PHONE), ("email", _ASKS_EMAIL), ("contact", _ASKS_CONTACT)):
        if asks.search(question):
            return form
    if _ASKS_AMOUNT.search(question):
        return "money"
    if _ASKS_COUNT.search(question):
        return "count"
    return ""


def holds_form(form: str, text: str) -> bool:
    """Whether text holds the form a question demands (always, for no demand)."""
    patterns = {"money": (_MONEY,), "count": (_COUNT,), "phone": (_PHONE,), "email": (_EMAIL,),
                "contact": (_PHONE, _EMAIL, _WEB)}.get(form, ())
    return not patterns or any(p.search(text) for p in patterns)


def titled_names(text: str) -> list[str]:
    """The name words of each person the text gives a title ("Sergeant Paul Jennings" ->
    "paul", "jennings")."""
    return [word.lower() for match in _PERSON.finditer(text) for word in match.group(0).split()[1:]]


_WHOSE = r"[\w'’ -]{2,60}?"
_ROLE_ASKED = re.compile("|".join((
    rf"\bwhat(?:'s|s| is| are| was| were| does| do| did| should| would| will)? (?P<a>{_WHOSE}) "
    r"(?:actually |really |even )?"
    r"(?:supposed|meant|expected|required|there|obliged|asked|paid) to do\b",
    rf"\bwhat(?:'s|s| is| was| are| were) (?:the )?roles? of (?P<b>{_WHOSE})"
    r"(?= in\b| on\b| for\b| when\b| within\b| during\b|\W*$)",
    rf"\bwhat(?:'s|s| is| was| are| were) (?P<c>{_WHOSE})(?:'s|s'|’s) (?:role|job|part|"
    r"responsibilit(?:y|ies))\b",
    rf"\bwhat (?:role|part) (?:did|does|do|has|have|will|would|should) (?P<d>{_WHOSE}) "
    r"(?:play|have|take)\b",
    rf"\bwhat (?:does|do|did) (?P<e>{_WHOSE}) (?:actually |really )?do\W*$",
)), re.I)


def role_asked(question: str) -> str:
    """Who a question asks the role of ("what's the AHSN supposed to do when ...", "what was
    the police officer's role"), lower case; "" for any other question."""
    match = _ROLE_ASKED.search(question.replace("’", "'"))
    if not match:
        return ""
    return next(group for group in match.groups() if group).strip().lower()
