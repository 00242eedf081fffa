"""Crisis, small-talk and instruction routing; runs before retrieval, needs no model or index."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from simqa.records import Answer, Signpost

SIGNPOSTS: tuple[Signpost, ...] = (
    Signpost("Emergency services", "999", "If a life is at risk right now, call 999 or go to A&E.",
             "tel:999"),
    Signpost("Samaritans", "116 123", "Free, 24/7, day or night, whatever you are going through.",
             "tel:116123"),
    Signpost("NHS 111", "111", "Choose the mental health option for urgent help.", "tel:111"),
    Signpost("Shout", "85258", "Text SHOUT to 85258: free, confidential text support, 24/7.",
             "sms:85258"),
)

CRISIS_MESSAGE = (
    "It sounds like you, or someone near you, may need help right now. I'm only a tool that "
    "quotes documents about SIM, so I can't give you the support you deserve, but you do "
    "deserve support, now, from a person. If a life is at risk, call 999 or go to A&E. "
    "Samaritans are free to call on 116 123, day or night, or call NHS 111 and choose the "
    "mental health option."
)
GREETING_MESSAGE = (
    "Hello. I answer questions about Serenity Integrated Mentoring (SIM) using only quotes "
    "from five published documents. What would you like to know?"
)
THANKS_MESSAGE = "You're welcome. Ask me another question about SIM whenever you like."
GOODBYE_MESSAGE = "Goodbye, and thank you for your questions."
HELP_MESSAGE = (
    "I am an automated tool, not a person. I answer questions about Serenity Integrated "
    "Mentoring (SIM) using only quotes from five published documents, each shown word for "
    "word with who published it, when, and a link to where it appears. The documents hold "
    "opposing views, so I always say who is speaking. I am not a source of advice, and if the "
    "documents do not answer a question I will say so. You could ask, for example: "
    "\"Who developed SIM?\""
)
FEEDBACK_MESSAGE = (
    "Sorry that did not help. I can only quote what five published documents say about SIM, "
    "and they may not cover what you asked. You could try asking in other words, or ask about "
    "something else."
)
INSTRUCTION_MESSAGE = (
    "I can't do that. I only answer questions about Serenity Integrated Mentoring (SIM) by "
    "quoting five published documents word for word. I can't write new text, change how I "
    "work or reproduce whole documents, but every quote links to its full source. "
    "Try asking a question about SIM."
)
SMALLTALK_MESSAGES: Mapping[str, str] = MappingProxyType({
    "greeting": GREETING_MESSAGE, "thanks": THANKS_MESSAGE, "goodbye": GOODBYE_MESSAGE,
    "help": HELP_MESSAGE, "feedback": FEEDBACK_MESSAGE})

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\u2066-\u2069\ufeff]")
_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u2032\u00b4`\u201c\u201d\u201e\u2033",
                        "'''''''\"\"\"\"")
_LEET = str.maketrans("013457@$", "oieastas")
# Cyrillic and Greek letters that look like Latin ones.
_LOOKALIKE = str.maketrans("аеорсухіјѕԁмтнквαοιρτυκνωε", "aeopcyxijsdmthkbaoiptyknwe")
_SQUEEZE_WORDS = (
    "kill", "killing", "die", "dying", "dead", "myself", "suicide", "suicidal", "overdose",
    "overdosed", "cutting", "alive", "harm", "harming", "hurt", "hurting", "tablets", "pills",
    "unalive", "wake", "self", "life", "live", "want", "wanna", "gonna", "going", "anymore",
    "please", "help", "thanks", "hello", "bye", "goodbye", "good", "cheers", "cool")
_FUZZY_WORDS = ("myself", "suicide", "suicidal", "overdose", "overdosed", "paracetamol",
                "unalive", "sewerslide")
_KEYWORDS = frozenset(_SQUEEZE_WORDS + _FUZZY_WORDS)
_NOT_FUZZY = frozenset({"overdone", "mysql", "herself", "himself", "itself", "yourself"})


_TEXT_SPEAK = {
    "no1": "no one", "noone": "no one", "rly": "really", "rlly": "really", "wud": "would",
    "wld": "would", "cud": "could", "shud": "should", "ded": "dead", "gna": "gonna",
    "gnna": "gonna", "agen": "again", "agn": "again", "nd": "and", "tabs": "tablets",
    "cos": "because", "coz": "because", "cuz": "because", "af": "so", "fr": "really",
    "cnt": "cant", "nemore": "anymore", "nemor": "anymore", "gona": "gonna", "2nite": "tonight",
    "2night": "tonight", "tonite": "tonight", "2day": "today", "2moro": "tomorrow",
    "ths": "this", "dis": "this", "da": "the", "em": "them", "n": "and", "wen": "when",
    "wot": "what", "l8r": "later", "goin": "going", "dnt": "dont", "wnt": "want", "b": "be",
    "thinkin": "thinking", "tryin": "trying", "feelin": "feeling", "plannin": "planning",
    "takin": "taking", "doin": "doing", "gettin": "getting", "nothin": "nothing",
    "ima": "im gonna", "imma": "im gonna", "tnight": "tonight", "tnite": "tonight",
    "nobdy": "nobody", "notis": "notice", "tkn": "taken", "takn": "taken", "tuk": "took",
    "pils": "pills", "pillz": "pills", "tablts": "tablets", "tke": "take", "b4": "before",
}


def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


_BY_SQUEEZE = {_squeeze(w): w for w in _SQUEEZE_WORDS}


def _unleet(match: re.Match[str]) -> str:
    token = match.group()
    return token.translate(_LEET) if _LETTER.search(token) else token


_LETTER = re.compile(r"[a-z]")
# A run of word characters holding a character _LEET replaces; runs without one are left alone.
_LEET_RUN = re.compile(r"[a-z0-9@$]*[013457@$][a-z0-9@$]*")
# A whole run of letters and digits that is text speak ("no1", "rly").
_TEXT_SPEAK_RUN = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, _TEXT_SPEAK))
                             + r")(?![a-z0-9])")
_ODD = re.compile(r"\bod'(?:d|ed)\b")
_VERB_2 = re.compile(r"\b(?P<verb>want|wants|wanted|going|gonna|have|need|ready|about|trying|"
                     r"try) 2\b")
_I_BIN = re.compile(r"\b(?P<who>i|ive|i have) bin\b")
_BANG_I = re.compile(r"(?<=[a-z])!(?=[a-z])")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_SPELLED = re.compile(r"\b[a-z](?: [a-z]\b){2,}")
_WORD_RUN = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=8192)
def _canonical(token: str) -> str:
    """The key word a stretched or misspelt token stands for ("kiil" -> "kill"), else the token."""
    if token in _KEYWORDS or _squeeze(token) in _BY_SQUEEZE:
        return _BY_SQUEEZE.get(_squeeze(token), token)
    if token.endswith("in") and token + "g" in _KEYWORDS:
        return token + "g"
    if len(token) < 5 or token in _NOT_FUZZY:
        return token
    return next(iter(difflib.get_close_matches(token, _FUZZY_WORDS, n=1, cutoff=0.8)), token)


def _join_spelled(match: re.Match[str]) -> str:
    joined = match.group().replace(" ", "")
    return joined if _canonical(joined) in _KEYWORDS else match.group()


def normalise(text: str) -> str:
    """Lower-case words; no punctuation, invisible characters, leetspeak or stretched letters."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    text = text.translate(_QUOTES).translate(_LOOKALIKE)
    text = _ODD.sub("oded", text)
    text = text.replace("'", "")
    text = _TEXT_SPEAK_RUN.sub(lambda m: _TEXT_SPEAK[m.group()], text)
    text = _VERB_2.sub(r"\g<verb> to", text)
    text = _I_BIN.sub(r"\g<who> been", text)
    text = _BANG_I.sub("i", text)
    text = _LEET_RUN.sub(_unleet, text)
    text = _STRETCHED.sub(r"\1\1", text)
    text = _SPELLED.sub(_join_spelled, " ".join(_WORD_RUN.findall(text)))
    return " ".join(_canonical(w) for w in text.split())


# Words that may sit between "i" and what follows: "i've really just been wanting to ...".
_ADV_WORDS = (r"(?:am|m|was|have|ve|had|been|keep|kept|really|seriously|just|still|now|always|"
        r"often|sometimes|constantly|actually|honestly|literally|already|also|even|again|kinda|"
        r"so|do|did|genuinely|truly|started|start|starting|almost|nearly|want|wanna|wanted|"
        r"wanting|to|going|gonna|gunna|about|might|will|ll|could|would|should|plan|planning|"
        r"thinking|think|thought|of|feel|feeling|felt|like|tempted|ready|need|decided|try|"
        r"trying|tried|cant stop|can|may|probably|definitely|finally|having|getting|get|got)")
_ADV = rf"(?:\s+{_ADV_WORDS}){{0,6}}"
_CLOSE = (r"(?:my (?:\w+ )?(?:friend|mate|partner|mum|mom|dad|son|daughter|brother|sister|wife|"
          r"husband|boyfriend|girlfriend|child|kid|flatmate|housemate|colleague|neighbour|nan|"
          r"grandad|cousin|uncle|aunt|auntie|parent|teenager|baby)|he|she|hes|shes)")
_OTHER = rf"(?:{_CLOSE}|they|theyve|theyre|someone|somebody)"
# "won't", however it is said: "not gonna be around much longer"
_WONT = r"wont|will not|not going to|not gonna|not gunna|aint gonna|aint going to|never gonna"
# Told as history, and nothing after it says it is happening again: "i overdosed a few years
# ago", "when i was suicidal back in 2019" (not "... years ago and ive just done it again").
_PAST = (r"(?!(?:\s+\w+){0,3}?\s+(?:(?:years?|months?) ago|(?:back )?in (?:19|20)\d\d|back "
         r"(?:then|when)|when i was (?:younger|a teen|a teenager|a kid|at school|at uni)|as a "
         r"(?:teen|teenager|kid|child))\b(?!.*\b(?:again|tonight|today|rn|right now|this time)\b))")
_NOT_TOPIC = r"(?!\s+(?:prevention|rates?|statistics|stats|figures|data|risk|polic(?:y|ies)|" \
             r"strateg(?:y|ies)|attempts|awareness|research|plans?|teams?|services?))"


_DRUGS = (r"(?:pills|tablets|paracetamol|meds|medication|medicine|insulin|codeine|co codamol|"
          r"ibuprofen|aspirin|antidepressants|sertraline|diazepam|lithium|tramadol|painkillers|"
          r"sleeping pills|sleeping tablets|quetiapine|olanzapine|citalopram|fluoxetine|"
          r"amitriptyline|pregabalin|zopiclone)")
_LOTS = (r"(?:all|loads|lots|a lot|a load|a bunch|a handful|too many|a whole|a full|\d+|a box|"
         r"a packet|a strip|the whole|everything|all the|all of my|all my|two packets|"
         r"three packets|a bottle)")


def _fp(rest: str, bare: bool = False) -> str:
    """First person; bare: also with the "I" dropped at the start, as chat often does ("cant
    go on", "dont want to be here")."""
    subject = rf"\b(?:i|im|ive|id|ill){_ADV}\s+"
    if bare:
        subject = rf"(?:{subject}|^(?:{_ADV_WORDS}\s+){{0,6}})"
    return rf"{subject}(?:{rest})"


_CRISIS_PATTERNS = (
    # intent, explicit or slang
    r"\b(?:kill|killing|killed|hang|hanging|hanged|drown|drowning|poison|poisoning|shoot|shooting|"
    r"stab|stabbing|suffocate|suffocating|strangle|strangling|starve|starving|cut|cutting|burn|"
    r"burning|hurt|hurting|harm|harming|injure|injuring|unalive|unaliving|off)\s+(?:myself|my self|"
    r"meself)\b|\b(?:end|ending|ended|take|taking|took)\s+my (?:own )?life\b|\bend(?:ing)? it "
    r"(?:all|tonight|today|forever)\b|(?<!\d)(?<!\d )\bkms\b|\bunaliv(?:e|ing|ed)\s+(?:me|myself)"
    r"\b|\bsewer ?slid(?:e|ing)\b|\bmy suicid(?:e|al)\b" + _NOT_TOPIC,
    r"^(?:\w+\s+){0,2}?(?:going to|gonna|gunna|want to|wanna|about to|planning to|ready to)\s+"
    r"(?:od|overdose|die|end it|kill myself)\b|^(?:just\s+)?(?:took|taken|had|swallowed)\s+"
    r"(?:an?\s+)?(?:od|overdose)\b",
    _fp(rf"end(?:ing)?\s+(?:it|things|everything|myself)\b|unaliv(?:e|ing)\b|"
        rf"suicidal\b{_NOT_TOPIC}{_PAST}|commit(?:ting)? suicide\b|"
        rf"(?:suicide|sewerslide)\b{_NOT_TOPIC}"),
    _fp(r"(?:want|wanna|wanted|ready|going|gonna|gunna|deserve|wish|need|should|plan|planning|about|"
        r"hope)(?:\s+to)?(?:\s+just)?\s+(?:die|be dead|not be alive|not exist|stop existing|"
        r"disappear forever|sleep forever|not be here|end (?:it|things|everything|it all))\b",
        bare=True),
    # hopelessness, indirect
    r"\bwish(?:ed)? i (?:(?:was|were) (?:dead|gone|never born|not alive|not here)|(?:wasnt|werent) "
    r"(?:alive|born|here)|could (?:just )?(?:die|disappear)|had (?:never been born|died))",
    _fp(r"(?:dont|do not|didnt|no longer|cant|dont really|dont even)\s+(?:want|wanna|wish)\s+"
        r"(?:to\s+)?(?:be alive|live(?! (?:in|with|under|near)\b)|exist|be here|wake up|go on|"
        r"die|carry on|keep going|be around)\b", bare=True),
    _fp(r"(?:cant|cannot|can not|dont think i can|dont know if i can)\s+(?:go on(?! (?:the|a|an|"
        r"that|this|to|sim|their|your|its|my|holiday|line)\b)|carry on|"
        r"keep going|do this any ?more|take (?:it|this) any ?more|take any ?more|cope any ?more|"
        r"live like this|keep living|handle (?:it|this|life) any ?more|be here any ?more)\b",
        bare=True),
    _fp(r"hate (?:my life|being alive|myself|existing)\b|giv(?:e|ing) up on (?:life|living)\b",
        bare=True),
    r"\bbetter off (?:without me|dead|if i (?:was|were|wasnt|werent|died|had died|am gone|was gone|"
    r"wasnt here|didnt exist))\b|\b(?:no one|nobody|noone) (?:would|will|d|is going to|gonna) "
    r"(?:miss me|care if i|notice if i)\b|\b(?:im|i am) (?:just |such )?a burden\b",
    r"\b(?:suicide|goodbye) (?:note|letter)\b|\bgoodbye (?:forever|cruel world)\b|"
    r"^(?:good)?bye (?:everyone|everybody|world)(?: x+)?$|\b(?:this is|"
    r"these are|heres) my (?:last|final) (?:message|goodbye|words)\b|\bnothing (?:left )?to live "
    r"for\b|\b(?:my )?life (?:isnt|is not|aint|s not|is no longer|no longer) worth (?:living|it)\b",
    r"\bno (?:point|reason) (?:in |to )?(?:living|live|being alive|going on|carrying on|existing)\b"
    r"|\bwhats the point (?:of|in) (?:living|life|being alive|going on|existing)\b|\b(?:tired|sick|"
    r"done|exhausted|weary) (?:of|with) (?:living|being alive|life|existing)\b",
    # means-seeking
    r"\b(?:not|never|dont|wont|do not|would not|will not)\s+wake up\b|\b(?:lethal|fatal|deadly|"
    r"overdose|killing) (?:dose|amount|quantity)\b|\b(?:suicide|overdose) methods?\b|\bdie "
    r"painlessly\b",
    r"\bhow (?:many|much)\b.{0,40}\b(?:tablets|pills|paracetamol|meds|medication|insulin|codeine|"
    r"co codamol|ibuprofen|aspirin|antidepressants|sertraline|diazepam|drugs)\b.{0,40}\b(?:kill|"
    r"die|dead|death|overdose|od|lethal|fatal|deadly|wake up|would it take|does it take|do i need)",
    r"\b(?:how|best way|easiest way|quickest way|painless way|quick way|ways?|methods?) (?:to|do i|"
    r"can i|could i|should i|would i|of|do you|do people)\s+(?:kill (?:myself|yourself|oneself|"
    r"themselves|urself)|commit suicide|end (?:my|your|ones) life|hang (?:myself|yourself)|"
    r"overdose|od)\b|"
    r"\b(?:how|best way|easiest way|quickest way|painless way|quick way|ways?) (?:to|do i|can i|"
    r"could i|should i) die\b",
    _fp(r"jump(?:ing)?\s+(?:off|from|in front of|into)\b|(?:taken|took|take|taking|swallow|"
        r"swallowed|had|downed) (?:all|loads|lots|a lot|a bunch|too many|a whole|a full|\d+|a box|"
        r"a packet|the whole)\b.{0,25}\b(?:pills|tablets|paracetamol|meds|medication|box|"
        r"packet|bottle)"),
    r"\b(?:im|i am) (?:\w+ )?(?:on|at|on top of) (?:the |a )?(?:edge|ledge|roof|bridge|cliff|"
    r"railway|train tracks?|tracks)\b",
    # self-harm and overdose, first person
    _fp(r"(?:self ?harm(?:ing|ed)?|cutting|cut|burning|burnt|scratching|hurting|harming)\s+"
        r"(?:again|myself|my (?:arms?|wrists?|legs?|thighs?|skin|body)|tonight|today|right now|"
        r"every day|daily|badly)\b"),
    _fp(r"self ?harm(?:ing|ed)?\b|relapsed\b|cutting\b(?!\s+(?:down|back|out|costs?|corners|off|up|"
        r"it|them|the|a|my|our|their|his|her|through|in|edge|ties|hair))"),
    r"\bmy self ?harm(?:ing)?\b(?! (?:history|record|records|notes|past|scars|diagnosis|file))",
    _fp(r"(?:(?:taken|took|take|taking|had|swallowed)\s+(?:an?\s+)?(?:overdose|od)\b|"
        r"overdos(?:e|ed|ing)\b|od\b|oded\b|odding\b)" + _PAST),
    # someone else in danger, or danger to the writer
    rf"\b{_OTHER}\s+(?:(?:has|have|just|s|is|already|might have|may have|think|i think)\s+)*"
    r"(?:(?:taken|took|had|swallowed)\s+(?:an?\s+)?(?:overdose|od|too many)|overdosed|oded)\b",
    rf"\b{_OTHER}\s+(?:\w+\s+){{0,2}}?(?:going to|gonna|trying to|threatening to|about to|wants to|"
    r"want to|tried to|attempted to|says (?:he|she|they)(?:ll| will| s going to| is going to)) "
    r"(?:(?:kill|hurt|harm|hang|cut|stab|shoot|drown|poison|end) (?:himself|herself|themselves|"
    r"themself|his life|her life|their life)|die|end it)\b",
    rf"\b{_CLOSE}\s+(?:is|s|has been|feels|feeling|seems|sounds)\s+(?:\w+\s+)?suicidal\b",
    rf"\bnot breathing\b|\b{_CLOSE}\s+(?:isnt|is not|wont|cant|s not|has stopped|stopped)\s+"
    rf"(?:breathing|responding|waking up|wake up)\b|\b{_OTHER}\s+(?:is|s|has|just|are)\s+"
    r"(?:unconscious|collapsed|unresponsive|bleeding (?:a lot|heavily|badly|out))\b",
    r"\b(?:threaten(?:ing|ed|s)?|going|gonna|trying|tried|wants?|about|says (?:he|she|they)(?:ll|"
    r" will| is going| are going| s going)?)\s+(?:to\s+)?(?:kill|hurt|harm|attack|stab|shoot|beat|"
    r"strangle|rape|hit)\s+(?:me|us|my (?:kids?|children|baby|son|daughter|family|mum|mom|dad|"
    r"partner))\b",
    _fp(r"(?:kill|hurt|stab|attack|harm|shoot) (?:him|her|them|someone|somebody|people)\b"),
    r"\b(?:is|are|keeps?|has been|have been|been|s|re|started)\s+(?:hurting|hitting|beating|"
    r"abusing|attacking|strangling|choking|stalking|threatening)\s+me\b|\b(?:fear|fearing|scared|afraid|"
    r"terrified) for my (?:life|safety)\b|\b(?:he|she|they|someone|somebody)\s+(?:has|s got|"
    r"has got|is holding|is waving)\s+(?:a|got a)\s+(?:knife|gun|weapon)\b",
    r"\b(?:im|i am|we are|i feel|i dont feel|i do not feel)\s+(?:\w+\s+)?(?:in danger|not safe|"
    r"unsafe)\b|\b(?:i|we) (?:dont|do not|no longer) feel safe\b|^(?:\w+\s+)?(?:not safe|unsafe|in "
    r"danger) (?:right now|now|tonight|here|at home)\b",
    r"\b(?:im|i am|we are)\s+(?:\w+\s+)?(?:in (?:a )?(?:mental health )?crisis|having a (?:mental "
    r"health )?(?:crisis|breakdown|panic attack))\b|\bi (?:really |urgently )?need (?:urgent |"
    r"immediate |emergency )?help (?:now|right now|urgently|asap|please)\b",
    # ideation and attempts, first person or a message that starts with them
    r"(?:^|\b(?:i|im|ive|been|having|keep|kept|had|have|got|get|getting)\s+(?:\w+\s+)?)(?:thinking|"
    r"thoughts|thought|dreaming|fantasi[sz]ing)\s+(?:about|of)\s+(?:suicide|killing myself|ending "
    r"(?:it|my life|things|everything)|dying|taking my (?:own )?life|not being (?:here|alive))\b"
    + _NOT_TOPIC,
    r"^(?:\w+\s+)?suicid(?:al|e) (?:thoughts|feelings|urges|ideation)\b",
    _fp(r"(?:have|having|had|get|getting|got|experiencing|with)\s+suicidal\s+(?:thoughts|feelings|"
        r"urges|ideation)\b|(?:attempted|tried|try|trying) (?:suicide|to commit suicide)\b"),
    _fp(r"(?:burned|burnt|burn|burning|scratched|scratch|scratching|hit|hitting|punched|punching|"
        r"bit|biting|starved|starving|bruised|bruising)\s+(?:myself|my (?:arms?|wrists?|legs?|"
        r"thighs?|skin|body|face|head|hands?))\b|"
        r"(?:do|doing) something (?:stupid|silly|drastic|dangerous|bad)\b(?! (?:about|with|at|for)"
        r"\b)"),
    r"\b(?:cant|cannot|can not|dont think i can|not sure i can|dont know if i can|struggling to)\s+"
    r"keep (?:myself|me) safe\b",
    _fp(r"(?:have|got|bought|found|made|tied|ready)\s+(?:a |the |my )?(?:rope|noose|ligature)\b|"
        r"(?:stockpil\w*|hoard\w*|saving up|saved up|stash\w*|collecting)\s+(?:up\s+)?(?:my\s+)?"
        r"(?:meds|pills|tablets|medication|paracetamol)\b"),
    r"\b(?:stockpil\w*|hoard\w*|saving up|saved up|stash\w*)\s+(?:up\s+)?my\s+(?:meds|pills|"
    r"tablets|medication)\b",
    r"\b(?:tie|tying|make|making)\s+(?:a\s+)?noose\b|\b(?:suicide|goodbye) (?:notes|letters)\b",
    r"\b(?:theres|there is|i see|i can see|i have|ive got) no (?:way out|escape|way forward|hope "
    r"left)\b(?! (?:of|from) (?:the|a|sim)\b)|\b(?:only|one) way out (?:is|would be) (?:to )?"
    r"(?:die|dying|death|suicide)\b",
    r"\b(?:whats|what is|wheres) the point (?:of|in) (?:anything|it all|any of (?:this|it)|"
    r"going on|carrying on|trying|living|life)(?=\s*(?:any ?more\b|now\b|$))|"
    r"\b(?:whats|what is|wheres) (?:even )?the point any ?more\b|"
    r"\b(?:whats|what is) (?:even )?the point,? (?:no ?one|nobody) (?:cares|would care|"
    r"would notice|gives a)\b|"
    r"\b(?:dont|cant|do not|cannot) see (?:the|any) point (?:of|in) (?:anything|living|life|"
    r"going on|carrying on|being alive|existing|it all)\b",
    # hopelessness asked as a question: "when is it all going to end", "how is anyone
    # supposed to go on like this"
    r"\b(?:when is|whens|when will|when does) (?:it all|this all|all this|the pain|this pain) "
    r"(?:going to |gonna )?(?:end|stop|be over)\b(?=\s*$|\s+(?:any ?more|already|honestly|"
    r"tbh)\b)|"
    r"\b(?:how is|hows|how am|how are) (?:anyone|anybody|someone|somebody|i|people like me) "
    r"(?:supposed|meant|expected) to (?:go on|carry on|keep going)\b(?=\s*(?:like this\b|"
    r"any ?more\b|now\b|$))",
    r"\b(?:ive|i have|weve|we have) (?:worked out|figured out|planned|decided|chosen) (?:how and "
    r"when|when and how)(?: to (?:do it|end it|go|kill myself))?\b(?! to\b)",
    r"\b(?:theyll|they will|someonell|someone will|somebody will|youll|you will|people will|"
    r"mumll|mum will|dadll|dad will) find (?:me|my body) (?:in the morning|tomorrow|tonight|later|"
    r"dead|when its over)\b",
    r"\b(?:want|need|wish)\s+(?:it|it all|everything|the pain|this|all this)\s+to\s+(?:stop|end|"
    r"be over)\s+(?:forever|for good|permanently)\b",
    # means, asked plainly or already taken
    rf"\b(?:would|will|could|can|does|do|is)\b.{{0,30}}\b{_DRUGS}\b.{{0,20}}"
    r"\b(?:kill (?:you|me|someone|a person)|be (?:fatal|lethal|enough to die))\b",
    rf"^(?:just\s+)?(?:took|taken|swallowed|downed|had)\s+{_LOTS}\b.{{0,25}}\b(?:{_DRUGS}|box|"
    r"packet|bottle)\b",
    _fp(r"(?:step|stepping|walk|walking|throw myself|throwing myself|lie down|run|running)\s+"
        r"(?:out\s+)?in front of (?:a|the|an) (?:train|bus|car|lorry|truck|traffic|tube)\b"),
    # someone else in danger
    rf"\b{_OTHER}\s+(?:is|s|has been|keeps|kept|was|been|just|has|have)?\s*(?:threatening|"
    r"threatened|talking about|talks about|talked about|saying|says|said|thinking about|"
    r"mentioning|mentioned|attempted|tried|texting|texted)\s+(?:about\s+)?(?:suicide|"
    r"to (?:kill|hurt|harm|end) (?:himself|herself|themselves|themself|his life|her life|their "
    r"life)|killing (?:himself|herself|themselves|themself)|ending (?:it|his life|her life|their "
    r"life))\b" + _NOT_TOPIC,
    rf"\b{_OTHER}\s+(?:\w+\s+){{0,2}}?(?:texted|messaged|sent|wrote|posted|said|left)\s+(?:me\s+)?"
    r"(?:a\s+)?(?:goodbye|their goodbyes|a final goodbye|a suicide note|a note saying goodbye)\b",
    r"\b(?:outside|at|in|near|through) (?:my|our|the) (?:door|front door|house|home|flat|room|"
    r"window|garden|bedroom)\s+(?:right now\s+|now\s+)?with an? (?:knife|gun|weapon|machete|axe|"
    r"blade)\b|\b"
    + rf"{_OTHER}\s+(?:has|s got|has got|is holding|is waving|got|pulled)\s+(?:out\s+)?"
    r"(?:a|got a)\s+(?:knife|gun|weapon|machete|axe|blade)\b",
    rf"\b{_CLOSE}\s+(?:\w+\s+){{0,2}}?(?:hit|hits|punched|punches|kicked|kicks|choked|chokes|"
    r"strangled|strangles|beat|beats|attacked|attacks|assaulted|raped|slapped)\s+me\b",
    # plans, preparations and farewells
    r"\bplan(?:s|ned|ning)? (?:to|for|on) (?:end it|ending it|end things|end my life|ending my "
    r"life|kill myself|killing myself|die|dying|take my (?:own )?life|top myself|do myself in)\b|"
    r"\b(?:picked|chosen|set) (?:the|a) (?:date|day)\b.{0,30}\b(?:end it|die|kill myself|do it)\b|"
    r"\b(?:given|giving|gave) away (?:all )?my (?:things|stuff|belongings|possessions|pets?)\b|"
    r"\b(?:said|saying|say) (?:all )?my (?:goodbyes|last goodbyes)\b",
    rf"\b(?:{_WONT}|wont even) be (?:around|here|alive) (?:much |for much |for "
    r")?(?:longer|tomorrow|after tonight|by (?:tomorrow|morning|the weekend)|any ?more)\b|"
    r"\b(?:wont|will not|never) see (?:me|him|her|them) (?:again|alive again)\b|"
    r"\b(?:top|do|off) myself\b|\bdo myself in\b|\bdisappear(?:ed|ing)? (?:for good|forever|for "
    r"ever|permanently)\b",
    r"\b(?:no one|nobody|noone|not one person) (?:would|will|is going to|gonna|d)(?: \w+)? "
    r"(?:miss me|care (?:if|when|that) i|notice (?:if|when|that) i)",
    # means: heights, methods, time to die
    r"\bhigh enough to (?:jump|die|kill|be fatal)\b|\bhow (?:high|tall|far)\b.{0,50}\b(?:fatal|"
    r"die|kill|deadly|lethal|survive)\b|\b(?:jump|fall|drop) (?:\w+ ){0,3}(?:be )?(?:fatal|"
    r"deadly|lethal)\b",
    r"\bhow long (?:does it|would it|will it|did it|to) (?:take (?:to|for \w+ to) )?die\b|\bdie "
    r"(?:from|of|by) (?:hanging|an overdose|overdose|bleeding|drowning|suffocation|jumping)\b|"
    r"\b(?:quickest|easiest|best|painless|quick|surest|least painful) (?:way|method)s? (?:to|of) "
    r"(?:end(?:ing)? (?:it|things|it all|everything|myself)|go(?:ing)?|die|dying)\b",
    _fp(r"(?:going|gonna|gunna|about|ready|heading|on my way)\s+(?:\w+\s+){0,3}(?:to|up to|onto)\s+"
        r"(?:the )?(?:top of|roof of|edge of) (?:the |a )?(?:multi ?storey|car park|building|"
        r"bridge|block|flats|tower|cliff)\b"),
    r"\b(?:standing|stood|sitting|sat|climbing|climbed|balancing) (?:on|onto|over) (?:the |a )?"
    r"(?:balcony|ledge|railings?|edge of the|roof|bridge|parapet|window ledge)\b",
    # self-harm now
    _fp(r"(?:bang|banging|banged|hit|hitting|punch|punching|smash|smashing) my head\b|"
        r"(?:cant|cannot) stop (?:cutting|hurting myself|self ?harming|burning myself)\b"),
    r"\burges? to (?:self ?harm|cut|hurt myself|harm myself|kill myself|die|end it|end my life)\b",
    # suicide or self-harm with a sign it is now, planned or happening again
    r"\bsuicid(?:e|al)\b" + _NOT_TOPIC + r"(?:\s+\w+){0,5}?\s+(?:rn|right now|tonight|again|alone|"
    r"(?:is|all) (?:sorted|ready|planned)|this time)\b|\bsuicid(?:e|al) plan\b",
    r"\b(?:planning|going|gonna|gunna|about|want|wanna|need|ready) to (?:cut|burn|hurt|harm)"
    r"(?: myself)? (?:again|deeper|tonight|tonite|properly)\b|\bcut deeper\b",
    r"\bbleed(?:ing)? out\b|\blast time (?:ill|i will|im|i am|youll|you will|anyone will) "
    r"(?:be|hear|see|talk)\b|^(?:\w+\s+)?(?:got|have|ive got) (?:a |the |my )?(?:rope|noose|"
    r"ligature)\b",
    rf"\b(?:{_DRUGS}|meds|tablets|pills) (?:are |all )?(?:lined up|counted out|laid out|ready)\b|"
    rf"\b(?:saved|saving|stockpiled|stockpiling|hoarded|stashed) (?:up )?(?:all )?(?:my |the )?"
    rf"(?:\w+ )?{_DRUGS}\b",
    # methods said plainly: trains, roads, heights, water, at the start of a message too
    r"(?:^(?:\w+\s+){0,3}?|\b(?:i|im|ive|id|ill)\s+(?:\w+\s+){0,3}?)(?:going to|gonna|gunna|"
    r"want to|wanna|about to|planning to|ready to|will|ll)\s+(?:jump|throw myself|step|walk|"
    r"lie down|drive|crash)\s+"
    r"(?:(?:my car|the car)\s+)?(?:off|from|in front of|under|into|onto)\s+(?:a|the|an|my)?\s*"
    r"(?:\w+\s+){0,2}?(?:train|tube|bus|lorry|truck|traffic|bridge|building|roof|cliff|balcony|"
    r"car park|wall|tree|river|sea|canal|motorway|tracks?|platform)\b",
    r"\b(?:standing|stood|sitting|sat|waiting|lying|lay) (?:at|on|by|near|beside) (?:the |a )?"
    r"(?:train tracks?|railway (?:tracks?|line)|tracks|level crossing|edge of (?:the )?(?:platform|"
    r"cliff|roof|bridge))\b",
    r"\b(?:suicide|dying|death|killing myself|ending it|ending my life) (?:is|seems|feels like|"
    r"would be) (?:the|my) only (?:way out|option|answer|choice|way|escape|solution)\b",
    rf"(?:^(?:\w+\s+)?|\b(?:i|ill|im|i am)\s+(?:\w+\s+)?)(?:{_WONT}) be (?:around|here|alive) "
    r"to (?:see|hear|read|know|get)\b",
    r"\b(?:ill|i will|i|im gonna|im going to|i am going to)\s+(?:\w+\s+)?be (?:dead|gone) "
    r"(?:by|before|in) (?:the )?(?:morning|tomorrow|tonight|the weekend|a few hours|an hour|"
    r"midnight)\b",
    rf"\b(?:drunk|drank|been drinking|drinking)\b.{{0,40}}\b(?:taken|took|swallowed|necked|"
    rf"downed)\s+(?:some|a few|a load of|loads of|lots of|a lot of|a bunch of|my|all my)?\s*"
    rf"(?:\w+\s+)?{_DRUGS}\b|"
    rf"\b(?:taken|took|swallowed|necked|downed)\s+(?:some|a few|a load of|loads of|lots of|my)?\s*"
    rf"{_DRUGS}\b.{{0,40}}\b(?:drunk|drank|been drinking|a bottle of)\b",
    r"\bwhen (?:they|someone|somebody|you|people|mum|dad|my \w+) finds? me\b(?! (?:a|an|the|some|"
    r"somewhere|help|work|something|anything|housing|another))",
    r"\b(?:blade|razor|knife) in my hand\b|\b(?:blood everywhere|wont stop bleeding|cant stop "
    r"(?:the )?bleeding|bleeding (?:heavily|badly|a lot|everywhere))\b",
    r"\b(?:cut|slit|slashed|sliced) (?:his|her|their|my) (?:wrists?|throat|arms?|neck)\b",
    r"^(?:\w+\s+)?(?:cutting|self ?harming|burning myself|hurting myself) again\b|"
    r"\b(?:cant|cannot) stop (?:cutting|self ?harming|hurting myself|burning myself)\b|"
    r"\bwhoever (?:reads|is reading|finds) this\b|\b(?:dont|do not) want (?:anyone|anybody|"
    r"people|them|you) (?:to )?(?:try(?:ing)? to )?stop(?:ping)? me\b",
    r"\b(?:drink(?:ing)?|drank|drunk|swallow(?:ed|ing)?) (?:some )?(?:bleach|antifreeze|"
    r"weedkiller)\b|\bbleach\b.{0,25}\b(?:work|kill|die|"
    r"enough)\b|\b(?:want|wanna|wanted|need) to (?:be gone|vanish)\b|\boff the face of the "
    r"earth\b.{0,20}\b(?:tonight|for good|forever)\b",
    r"\b(?:cant|cannot|can not) face (?:another (?:day|week|year|night)|going on|it any ?more|"
    r"life|living|tomorrow)\b|\b(?:wont|will not|never) hear from me again\b|\b(?:made|making) "
    r"(?:my|all my|the|all the) (?:final )?arrangements\b",
    r"\b(?:walk|walking|walked|wade|wading) (?:out )?into the (?:sea|river|water|lake|canal)\b|"
    r"\b(?:edge of the platform|on the (?:railway|train|tube) (?:line|tracks))\b|\b(?:got|get|"
    r"getting|taken|took) (?:the|my|dads) (?:shotgun|gun|rifle) out\b",
    r"\bengine running\b.{0,30}\b(?:garage|hose|exhaust|closed)\b|\b(?:closed|sealed|locked) "
    r"(?:car|garage)\b.{0,30}\bengine running\b|\bhose(?:pipe)? (?:to|from|on) the exhaust\b|"
    r"\b(?:highest|tallest) (?:bridge|building|cliff|car park|multi ?storey)\b.{0,60}\b(?:get "
    r"onto|get on|get up|climb|jump|access|samaritans|no (?:fence|barrier|signs))\b|"
    r"\bfastest trains?\b.{0,40}\b(?:dont|do "
    r"not|doesnt|wont) stop\b",
    # overdose taken or about to be, by anyone
    rf"\b(?:taken|took|take|taking|swallowed|swallow|necked|neck|necking|downed|had|eaten|ate)\s+"
    rf"{_LOTS}\s+(?:of\s+)?(?:my\s+|the\s+|her\s+|his\s+|their\s+)?(?:\w+\s+)?{_DRUGS}\b",
    r"\b(?:taken|took|swallowed|necked|downed)\s+(?:all|everything)\b.{0,30}\b(?:at once|cupboard|"
    r"medicine (?:cupboard|box|drawer|cabinet)|cabinet|in one go)\b|"
    r"\b(?:swallow|take|neck)\s+(?:everything|it all|them all|all of them)\b",
    rf"\b(?:got|have|ive got|laid out|lined up|counted out)\s+(?:the |my |all my )?(?:{_DRUGS}|"
    r"rope|blade|razor)\s+(?:ready|out|lined up|counted out|in front of me)\b",
    # someone else in danger now
    rf"\b{_OTHER}\s+(?:\w+\s+){{0,5}}?(?:going to|gonna|about to|threatening to|wants to|will|ll)"
    r"\s+jump\b|\b(?:found|find) (?:my \w+|him|her|them|someone|somebody) (?:\w+ ){0,3}?"
    r"(?:unresponsive|unconscious|not breathing|collapsed|hanging|blue)\b|\b(?:cant|cannot|can not"
    r"|wont) wake (?:him|her|them|my \w+)(?: up)?\b",
    # the means beside the writer now
    r"\b(?:rope|noose|ligature|razor|blade|knife|pills|tablets|gun)\s+(?:(?:is|are|s)\s+)?"
    r"(?:right\s+)?(?:next to|"
    r"beside|in front of) me\b|\b(?:im|i am|i)\s+(?:\w+\s+)?(?:sat|sitting|lying|lay|laying|"
    r"stood|standing) in (?:the|my) "
    r"(?:bath|car|garage|bedroom|room)\b.{0,20}\bwith (?:a|the|my) (?:razor|blade|knife|rope|"
    r"noose|pills|tablets|gun)\b",
    r"\b(?:after|when|once) (?:im|i am) (?:dead|gone)\b.{0,60}\b(?:planning|planned|tonight|"
    r"tomorrow|this weekend|soon)\b",
    r"\b(?:is|s|are|re)\s+(?:\w+\s+)?(?:on|onto) (?:a|the) (?:ledge|roof|parapet|railings|edge of "
    r"(?:a|the) (?:roof|bridge|cliff|platform))\s+(?:right now|now|rn)\b",
    r"\bwants? to die (?:today|tonight|now|right now|rn)\b|\b(?:writing|typing|sending) this "
    r"(?:from|on) (?:the|a) (?:bridge|roof|ledge|cliff|tracks|platform|edge)\b|"
    r"\bset (?:fire|light) to (?:her|his|their|my|our) (?:flat|house|home|room|bed|car|self|"
    r"herself|himself|themselves|myself)\b",
    # the writer in danger from someone now
    r"\b(?:trying to|tried to|is|are) break(?:ing)? (?:in|into) (?:my|our) (?:house|home|flat|"
    r"room|car)\b|\b(?:locked me (?:in|up)|wont let me (?:leave|go|out)|(?:taken|took|smashed) my "
    r"phone)\b|\b(?:im|i am|being|been|getting) (?:being )?followed (?:home|by)\b",
)
_CRISIS = re.compile("|".join(f"(?:{p})" for p in _CRISIS_PATTERNS))
_CRISIS_ALONE = re.compile(
    r"(?:(?:i|im|am|feel|feeling|so|very|really|just|tbh|rn|now|right|please|pls|plz|again|"
    r"lol|ngl|honestly|idk|been|getting|me)\s)*(?:suicide|suicidal|kms|unalive|overdose|od|"
    r"self ?harm(?:ing)?|die|dying|end(?:ing)? it(?: all)?|help me|please help(?: me)?|i need help|"
    r"save me|sewerslide|cutting|kill me|want to die|wanna die)(?:\s(?:now|again|please|pls|plz|rn|"
    r"tbh|lol|ngl|right now|tonight|today|so|help|help me|atm|and alone|alone))*"
)


def is_crisis(text: str) -> bool:
    """True when the message shows distress, intent or means-seeking, or someone in danger."""
    return _crisis_in(normalise(text))


def _crisis_in(norm: str) -> bool:
    return bool(_CRISIS.search(norm) or _CRISIS_ALONE.fullmatch(norm))


_SMALLTALK_PARTS = {
    # "thanks for your help" is thanks
    "help": r"(?<!the )(?<!your )(?<!big )(?<!great )help|what can you do|what do you do|"
    r"what are you(?: for)?|who are you|what is "
    r"this(?: thing| bot| site)?|whats this|how does this work|how do you work|how do (?:i|you) "
    r"use (?:this|you)|what can i ask(?: you)?|what (?:should|do) i ask|what do you know|what are "
    r"you able to do|are you (?:a |an )?(?:bot|robot|human|person|real|real person|ai|chatbot|"
    r"computer|machine)|is this (?:a )?(?:bot|robot|human|real person|ai)|am i talking to (?:a )?"
    r"(?:bot|robot|human|person|real person|machine|computer|chatbot|ai)|who made you|who "
    r"built you|what (?:else |other )?(?:(?:kind|sort|type)s? of )?(?:things |stuff |questions |"
    r"topics |help )?(?:else )?can (?:you|u) (?:help (?:me |us )?(?:out )?with|tell (?:me|us)"
    r"(?: about)?|do|answer|cover)|what do you help with|(?:is )?(?:anyone|anybody|someone|"
    r"somebody) (?:there|here)|i dont (?:understand|get it)|im (?:confused|lost)|how do i "
    r"(?:start|begin)|"
    r"(?:can|could) you help(?: me)?|i (?:have|ve got|got) (?:a|some) questions?|what can you "
    r"tell me(?: about (?:sim|it|this))?|(?:what|who) is simqa|whats simqa|what (?:else |other )?"
    r"(?:(?:kind|sort|type)s? of )?(?:questions |things |stuff |topics )?(?:else )?(?:can|should|"
    r"do) i ask(?: you)?(?: about)?|can i ask (?:you )?"
    r"anything|is this a (?:bot|robot|computer|machine) or a (?:human|person|real person)|"
    r"(?:can|could) you help(?: me)? with something|where do (?:your|the) answers come from|what "
    r"(?:kind|sort|type) of documents (?:have you got|do you have|do you use)|what documents "
    r"(?:have you got|do you have|do you use)|what topics do you cover|(?:im )?not sure what to "
    r"ask(?: any suggestions)?|(?:can|could) you explain how (?:this|the)(?: chat)? works|how do "
    r"i get started(?: with this)?",
    "goodbye": r"bye+|goodbye|bye bye|see (?:you|ya|u)(?: later| soon| tomorrow| again| around)?|"
    r"cya|later|laters|cheerio|ta ?ra|catch (?:you|ya|u) later|good ?night|night|nite|take care|"
    r"ttyl|gotta go|im off(?: now)?|im done "
    r"(?:for (?:today|now|tonight)|here)|im done|thats all|that is all|thatll be all|that will "
    r"be all|thats it|thats everything|"
    r"all done|for now|for today|log(?:ging)? off|signing off|have a (?:good|nice|great|lovely) "
    r"(?:day|one|evening|night|weekend)|(?:is there a way to|how do i|how can i|can i) (?:end|"
    r"close|exit|leave|quit|stop) (?:this|the) (?:chat|conversation|session|window)",
    "thanks": r"thanks+(?: a lot| so much| very much| again| loads)?|thankyou|"
    r"thank (?:you|u)(?: so much| very much| again)?|thx|ty|tysm|cheers|ta|many thanks|"
    r"much appreciated|appreciate it|that (?:helps|helped|was helpful|is helpful|s helpful)|"
    r"thats (?:(?:really|very|so|super|dead|well|proper) )?(?:helpful|great|useful|brilliant|"
    r"interesting)|"
    r"nice one|good one|great|brilliant|cool|nice(?! to meet)|perfect|awesome|lovely|ok|okay|k|"
    r"got it|understood|fair enough|no worries|noted|interesting|wow|amazing|"
    r"that(?:s| has)? clear(?:s|ed)? (?:it|that|things) up(?: a lot| nicely| perfectly| for me)?|"
    r"(?:that|it) (?:all )?makes sense(?: now)?|makes sense(?: now)?|"
    r"that answers (?:it|that|my question)|that explains (?:it|a lot)|all clear|"
    r"(?:(?:many )?thanks+|thank (?:you|u)|cheers|ta)(?: (?:so|very) much)? for "
    r"(?:that|this|the (?:help|info|information|answers?|reply|quotes)|your (?:help|time|answers?)|"
    r"all (?:your|the) help|explaining(?: that| it)?|everything|helping(?: me)?)"
    r"(?: earlier| today| before| just now| again)?|"
    r"(?:thats|that has|its|it has|youve|you have) (?:really |so |very |truly )?helped(?: me)?"
    r"(?: (?:a lot|loads|massively|so much))?(?: with (?:my|the|our) (?:essay|dissertation|"
    r"homework|research|assignment|article|work|studies|project|thesis|coursework|piece|"
    r"report))?|"
    r"(?:youve|you have|youre|you are|that was|thats been|its been) (?:been )?(?:very |really |"
    r"so |super |dead |well |proper |extremely |incredibly |a )?(?:helpful|useful|help|big help|"
    r"great help)|much obliged|"
    r"(?:i )?appreciate (?:the|your) help|great stuff|superb|"
    r"(?:thats |that is )?(?:just |exactly |everything |all )?(?:what )?i (?:needed|wanted|was "
    r"(?:looking for|after))(?: to know)?|(?:all )?sorted(?: now)?|good bot|well done|"
    r"useful|helpful",
    "greeting": r"hi+|hey+|heya|hiya|hello|helo|howdy|yo+|hola|greetings|good (?:morning|afternoon|"
    r"evening|day)|morning|afternoon|evening|gday|how are (?:you|u)(?: doing)?(?: today)?|how r u|"
    r"hows it going|how is it going|hows your day(?: going)?|how are things|whats up|wassup|sup|"
    r"you alright|you ok|alright|(?:nice|pleased|good) to meet (?:you|u)|hope (?:you are|youre|"
    r"ur|u r) (?:well|ok|okay|good|doing well)",
    # "that didn't answer my question", "you're useless", "thanks for nothing"
    "feedback": r"(?:this|that|it|you)(?: is| was| are|s|re)? (?:not|isnt|wasnt|arent|no) "
    r"(?:helpful|help|useful|any (?:help|good|use))|(?:youre|you are|this is|thats|that is|its|"
    r"that was) (?:(?:so|really|completely|totally|pretty) )?(?:useless|rubbish|crap|pointless|"
    r"no help|no use|not helpful|unhelpful|the wrong answer|wrong|stupid|terrible|awful)|"
    r"(?:that|this|it|you) (?:didnt|did not|doesnt|does not|dont|do not) (?:answer|help|make "
    r"(?:any )?sense)(?: (?:my|the) question| me)?|wrong answer|(?:(?:thats|that is|its) )?not "
    r"what i (?:asked|meant|wanted|asked for)|not (?:very )?(?:helpful|useful)|(?:bad|stupid|"
    r"useless|rubbish) bot|thanks for nothing|(?:youve|you have) been no (?:help|use)|useless|"
    r"(?:thats|that is|thats just) (?:not right|irrelevant|completely irrelevant|nonsense)|"
    r"(?:youve|you have) misunderstood(?: me)?|rubbish answer|(?:that|it) makes no sense|(?:i "
    r"asked|i was asking) (?:something else|about something else)|(?:you|it) (?:didnt|did not) "
    r"actually answer (?:it|me|my question|the question)|try again",
    "filler": r"there|mate|bot|simqa|friend|all|everyone|again|then|so|very|much|you|u|lol|haha|"
    r"please|pls|just|and|but|oh|ah|um|hmm|well|yes|yeah|yep|no|nope|sir|buddy|pal|chatbot|"
    r"folks|guys|love|right|sure|fine|really|now|indeed|tbh|at|actually|too|as well|x+|xo+",
}
_SMALLTALK_WHOLE = re.compile(
    r"(?:\s*\b(?:" + "|".join(_SMALLTALK_PARTS.values()) + r")\b)+\s*")
_SMALLTALK_KINDS = tuple(
    (kind, re.compile(rf"\b(?:{_SMALLTALK_PARTS[kind]})\b"))
    for kind in ("feedback", "help", "goodbye", "thanks", "greeting"))


def smalltalk_kind(text: str) -> str | None:
    """Which small talk ("greeting", "thanks", "goodbye", "help", "feedback") the whole message
    is, if any."""
    return _smalltalk_in(normalise(text))


def _smalltalk_in(norm: str) -> str | None:
    if not norm or len(norm.split()) > 20 or not _SMALLTALK_WHOLE.fullmatch(norm):
        return None
    return next((kind for kind, pattern in _SMALLTALK_KINDS if pattern.search(norm)), None)


# Wording that only ever instructs the bot, wherever it stands in a clause (normalised text).
_HARD = re.compile("|".join((
    r"\b(?:ignore|disregard|forget|override|bypass|ignoriere|vergiss|oublie|olvida|ignora|"
    r"dimentica|zignoruj|zapomnij)\b.{0,60}\b(?:instructions?|rules?|prompts?|guidelines?|"
    r"directions?|restrictions?|constraints?|programming|polic(?:y|ies)|filters?|above|"
    r"previous (?:instructions|rules|messages?|prompts?)|prior instructions|everything(?: (?:above|"
    r"before|else|you (?:were|have been) told|i said))?|system message|anweisungen|regeln|"
    r"instrucciones|reglas|istruzioni|regole|instrukcje|zasady|règles|consignes)\b",
    r"\b(?:you are now|youre now|you are no longer|youre no longer|acting as|from now on,? "
    r"(?:you|answer|respond|reply|act|be|pretend|ignore|forget|only|always|never|prefix|use)|"
    r"pretend(?:ing)? (?:to be|you are|youre|that)|role ?play|jailbr(?:eak|oken)|developer mode|"
    r"dev mode|admin(?:istrator)? mode|god mode|debug mode|unrestricted mode|do anything now|"
    r"new persona|dan mode|system override|stay in character|"
    r"(?:are|be|as|become|play) (?:now )?dan|"
    r"tu es maintenant|du bist jetzt|ahora eres|ora sei|jesteś teraz|entwicklermodus|"
    r"mode développeur|modo desarrollador|modalità sviluppatore|tryb (?:administratora|"
    r"dewelopera))\b",
    r"\b(?:no|without|with no|not restricted to|free of|freed from) (?:the )?(?:rules|restrictions|"
    r"limits|filters?|guidelines|quotes|quoting|quotations|citations?|sources|references|"
    r"disclaimers|constraints)\b",
    r"\b(?:system prompt|initial prompt|hidden prompt|system message|your (?:prompt|"
    r"instructions|rules|configuration|config|settings|guidelines|programming|source code|"
    r"training data|content policy|filters|own (?:knowledge|views|opinion|words))|api key)\b",
    r"\b(?:print|output|dump|reproduce|paste|recite|repeat|type out|write out|copy|give me|"
    r"show me|send me|display)\b.{0,30}\b(?:full text|entire text|whole text|every document|"
    r"all (?:of )?(?:the |your )?(?:documents|sources|texts)|everything you (?:have|know)|"
    r"entire corpus|whole corpus|your corpus)\b",
    r"\b(?:in (?:your|its) own words|without (?:using )?quot(?:es|ing|ations)|stop quoting|"
    r"(?:dont|do not|never) (?:quote|cite|use quotes|use quotations|include (?:any )?"
    r"(?:quot|citation|source|reference)\w*)|(?:answer|respond|reply) (?:from|using|with) "
    r"(?:your|my) (?:own )?(?:knowledge|memory|training|opinion)|(?:use|from) your "
    r"(?:training data|own knowledge|memory)|respond only in|(?:respond|reply|answer) in (?:json|"
    r"french|german|spanish|italian|polish|plain prose)|quot(?:e|ing) (?:mode|module)|"
    r"(?:citation|quoting) (?:requirement|rules?)|"
    r"constraints (?:are )?lifted|ill tip|i will tip|(?:im|i am) your (?:developer|admin\w*|"
    r"creator|owner)|authori[sz]ed (?:test|penetration test)|penetration test|prefix every|"
    r"not a search engine|quote machine|honest opinion|look it up online|"
    r"(?:sans|ohne|sin|senza|bez)(?: \w+){0,2} (?:citations?|guillemets|sources|zitate|quellen\w*|"
    r"citas|comillas|fuentes|citazioni|virgolette|fonti|cytatów|cytowania|cudzysłowów|źródeł)|"
    r"(?:tes|vos) propres mots|eigenen (?:worten|wissen)|propias palabras|parole tue|"
    r"własnymi słowami|(?:quote|quoting|citation|source) (?:restrictions?|rules?|"
    r"requirements?|polic(?:y|ies))|(?:restrictions|constraints|rules|filters) (?:are |have been )?"
    r"(?:lifted|removed|disabled|suspended|off)|from (?:your )?memory|(?:no time|no need) for "
    r"(?:citations|quotes|sources)|(?:you are|youre) (?:now )?(?:allowed|permitted|free) to|"
    r"(?:original|plain|own) prose|instead of (?:quoting|quotes|citing)|rules (?:dont|do not) "
    r"apply|\bcite (?:false|off|no)|sources? (?:none|false|off)|quotes? (?:false|off)|"
    r"note to (?:the )?(?:model|ai|assistant|bot)|use your(?: \d+)? training|"
    r"start your (?:reply|answer|response) with|red ?team)\b",
    r"\b(?:ignore|disregard|forget|skip|bypass) (?:the|your|all|any) (?:corpus|documents|sources|"
    r"retrieval|context|search)\b|\b(?:assistant|system|hidden|secret) (?:instructions?|"
    r"directives?|prompt|rules?)\b|\bpwned\b|"
    r"^(?:system|assistant|user|developer|human|ai|input|instruction|response)$|\binst\b|"
    r"\bim (?:start|end)\b",
)))
_POLITE = re.compile(r"^(?:(?:please|pls|now|then|also|and|so|ok|okay|anyway|just|can you|"
                     r"could you|would you|will you|i want you to|id like you to|i need you to)"
                     r"\s+)+")
_QUESTION_START = re.compile(
    r"^(?:who|whom|whose|what|whats|when|where|why|how|which|is|are|was|were|do|does|did|can|"
    r"could|should|would|will|has|have|had|may|might|shall|tell me|explain|describe|list|"
    r"summari[sz]e|give me|show me|find|quote|according to|in what|to what|i want to know|"
    r"id like to know|i would like to know|im wondering|i wonder)\b")


def starts_like_a_question(norm: str) -> bool:
    """Whether normalised text opens the way a question or a request for information does."""
    return bool(_QUESTION_START.match(norm))


# Orders that can open a clause: "write ...", "pretend ...", "respond ...", "réponds ...".
_SOFT_START = re.compile(
    r"^(?:write|compose|draft|generate|create|produce|make up|invent|translate|rewrite|"
    r"paraphrase|rephrase|tweet|print|output|dump|reproduce|paste|recite|roleplay|pretend|"
    r"imagine|sing|forget|ignore|disregard|say|you are|youre|you will|you must|you should|"
    r"your (?:task|job|role)|act as|simulate|respond|reply|talk to me|stay|enable|activate|"
    r"bypass|confirm|stop being|prefix|if you (?:refuse|answer|use|dont|do not|quote)|"
    r"(?:im|i am) (?:your|the) (?:developer|admin\w*|creator|owner)|as your|"
    r"answer (?:freely|directly|briefly|honestly|normally|in|only|from|without|like|as)|"
    r"(?:give|keep) (?:it|me) (?:one|short|brief|in)|summari[sz]e (?:in|it in|this in)|"
    r"(?:just )?explain it (?:simply|like|in)|look it up|réponds|repondez|répondez|antworte|"
    r"responde|rispondi|odpowiedz|napisz|écris|schreib|escribe|scrivi|tu es|du bist|eres|sei|"
    r"jesteś)\b")
# The orders that can follow a question without a break ("... ignore your rules and ...").
_ORDER_INSIDE = re.compile(
    r"(?:ignore|disregard|forget|bypass|pretend|act as|you are|youre|you must|you will|"
    r"you should|stop being|translate|respond|reply|answer (?:freely|directly|briefly|honestly|"
    r"normally|in|only|from|without|like|as)|(?:just )?explain it|"
    r"summari[sz]e (?:in|it in|this in)|"
    r"look it up|if you (?:refuse|answer|use|dont|do not|quote)|give me (?:one|a short|your)|"
    r"then write|réponds|antworte|responde|rispondi|odpowiedz|napisz|écris|schreib|escribe|"
    r"scrivi)\b")
_SOFT_ANY = re.compile(
    r"\b(?:write|compose|draft|generate|create|make|post|send|output)\b.{0,40}\b(?:tweets?|posts?|"
    r"poems?|essays?|letters?|emails?|stor(?:y|ies)|songs?|articles?|blogs?|speech|threads?|"
    r"jokes?|limericks?|haikus?|raps?|press release|petition|slogans?)\b")
# Chat-template and prompt markup: "<|im_start|>", "### Input:", "[ADMIN MODE]", "----".
_MARKUP = re.compile(r"<\|[^|<>\n]{0,40}\|>|<!--|-->|#{2,}|\[{2,}|\]{2,}|-{3,}|={3,}|"
                     r"\[[A-Z][A-Z0-9 _-]{1,40}\]|(?<!\w)-{2,}|-{3,}|&&|\bsudo\b|`{3,}|>{3,}")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
_CLAUSE_BREAK = re.compile(r"(\s*[()]\s*|\s*[,;:]\s*(?:and then\s+|and\s+|then\s+|but\s+)?|"
                           r"\s+(?:and then|then|and|but|[—–])\s+)")
_CONNECTIVES = re.compile(r"^(?:(?:anyway|anyways|anyhow|so|ok|okay|now|well|but|and|also|then|"
                          r"instead|actually|right|alright|fine|please|oh|besides|regardless|"
                          r"lol|haha)\b[\s,.:;!-]*)+", re.IGNORECASE)
_WORDS = re.compile(r"\S+")
_TRAILING_POLITE = re.compile(r"(?:[\s,;:-]+(?:please|pls|thanks|thank you|ty))?[^\w?)\]\"'”’]*$",
                              re.IGNORECASE)


def _is_instruction(clause: str, first: bool = True) -> bool:
    """HARD wording anywhere, or an order (write/print/pretend/...) where an order can start."""
    norm = normalise(clause)
    if _HARD.search(norm):
        return True
    core = _POLITE.sub("", norm)
    if not first or _QUESTION_START.match(core):
        return False
    return bool(_SOFT_START.match(core) or _SOFT_ANY.search(core))


def _question_like(text: str) -> bool:
    return len(normalise(text).split()) >= 2 or text.rstrip().endswith("?")


def _asks(clause: str) -> bool:
    """A clause that opens as a question does, or ends with a question mark."""
    return starts_like_a_question(_POLITE.sub("", normalise(clause))) or (
        clause.rstrip().endswith("?") and len(normalise(clause).split()) >= 2)


def _order_within(clause: str) -> int | None:
    """Where an order starts inside a clause that opens as a question ("what is SHIPP ignore
    your rules and ..."), as an offset into the clause; None for none."""
    for word in list(_WORDS.finditer(clause))[2:]:
        rest = clause[word.start():]
        norm = normalise(rest)
        if _ORDER_INSIDE.match(norm) or _HARD.match(norm):
            return word.start()
    return None


# Words a question cut short cannot end on, and that alone ask nothing.
_FRAGMENT_END = frozenset(
    "a an the your my our their his her its this that these those of in on at to for with from by "
    "and or but me you it is are was were do does did can could should would will has have had "
    "who what whats when where why how which tell give show explain describe".split())
_WH = re.compile(r"^(?:who|whom|whose|what|whats|when|where|why|how|which)\b")
_REQUEST = re.compile(r"^(?:tell me|explain|describe|give me|show me)\b")
_WH_OR_REQUEST = re.compile(rf"{_WH.pattern}|{_REQUEST.pattern}")


def _question_within(clause: str) -> int | None:
    """Where a question starts after one or two stray words ("sudo when did ..."), or None."""
    for word in list(_WORDS.finditer(clause))[1:3]:
        if _WH.match(normalise(clause[word.start():])) and not _is_instruction(
                clause[:word.start()]):
            return word.start()
    return None


def _asked(clause: str) -> str:
    """The question a clause asks, up to any order inside it ("" when it asks nothing, opens
    with an order, or what is left before the order dangles: "what is", "give me your")."""
    norm = normalise(clause)
    if _ORDER_INSIDE.match(norm) or _SOFT_START.match(_POLITE.sub("", norm)):
        return ""
    cut = _order_within(clause)
    asked = clause[:cut] if cut is not None else clause
    if not _asks(asked) or _is_instruction(asked):
        return ""
    words = normalise(asked).split()
    if cut is not None and (words[-1] in _FRAGMENT_END or not set(words) - _FRAGMENT_END):
        return ""
    return asked


def _segments(message: str) -> list[str]:
    """Sentences and lines of the message, with prompt markup taken as a break."""
    text = _MARKUP.sub("\n", message)
    return [s for s in _SENTENCE_BREAK.split(text.strip()) if s and s.strip()]


def _clauses(segment: str) -> tuple[list[str], list[str]]:
    """The clauses of a segment and the breaks between them (len(clauses) - 1 of them)."""
    parts = _CLAUSE_BREAK.split(segment)
    return parts[0::2], parts[1::2]


def _orders(clauses: list[str], breaks: list[str]) -> list[bool]:
    """Which clauses instruct the bot; an order can open a clause after another order."""
    orders: list[bool] = []
    for i, clause in enumerate(clauses):
        orders.append(_is_instruction(clause, i == 0 or orders[-1] or "then" in breaks[i - 1]))
    return orders


def _question_part(segment: str) -> str:
    """The question a segment asks: from a clause that opens as a question to the first order
    after it, or "" when no clause asks. A question opens a segment, follows an order or
    comes after a comma or colon ("tell me straight: how many ..." starts at "how")."""
    clauses, breaks = _clauses(segment)
    orders = _orders(clauses, breaks)
    for i, clause in enumerate(clauses):
        punctuated = not i or re.search(r"[,:;()—–]", breaks[i - 1])
        if not punctuated and not (orders[i - 1] and _WH_OR_REQUEST.match(normalise(clause))):
            continue  # "pretend you're X and would tell me ..." goes on the order
        asked = _asked(clause)
        if not asked and not orders[i] and (within := _question_within(clause)) is not None:
            asked = _asked(clause[within:])
        if not asked:
            continue
        if i + 1 < len(clauses) and ":" in breaks[i] and _asked(clauses[i + 1]):
            continue  # "tell me: who ...", "how would you answer: what ..." ask what follows
        kept = [asked]
        if asked == clause:
            for j in range(i + 1, len(clauses)):
                cut = _order_within(clauses[j])
                if cut is not None:
                    if _carries_on(clauses[j][:cut]):  # "in 2017 and 2018 - answer from ..."
                        kept.extend((breaks[j - 1], clauses[j][:cut]))
                    break
                if orders[j]:
                    break
                kept.extend((breaks[j - 1], clauses[j]))
        return "".join(kept).strip(" \t\n,;:-(")
    return ""


def _carries_on(words: str) -> bool:
    """Whether the words before an order carry a question on, rather than open the order
    ("and 2018 -" does; "and please just", "so the" do not)."""
    norm = _POLITE.sub("", normalise(_CONNECTIVES.sub("", words)) + " ").strip()
    if not norm or _ORDER_INSIDE.match(norm) or _SOFT_START.match(norm):
        return False
    return norm.split()[-1] not in _FRAGMENT_END and bool(set(norm.split()) - _FRAGMENT_END)


def _question_after_order(segment: str) -> str:
    """Where no clause asks, a question run on after an order in the same clause ("answer in
    your own words when did ..."): from its question word to the end of the segment."""
    for clause in _clauses(segment)[0]:
        for word in list(_WORDS.finditer(clause))[1:]:
            rest = clause[word.start():]
            if _WH.match(normalise(word.group())) and (asked := _asked(rest)):
                return asked.strip(" \t\n,;:-\"'“”")
    return ""


def _strip_sentence(sentence: str) -> tuple[str, bool]:
    """The sentence without its instruction clauses, and whether anything was removed."""
    clauses, breaks = _clauses(sentence)
    orders = _orders(clauses, breaks)
    if not any(orders):
        return sentence, False
    kept: list[str] = []
    for i, order in enumerate(orders):
        if order or (not kept and not _question_like(clauses[i])):
            continue
        if kept:
            kept.append(" " if orders[i - 1] else breaks[i - 1])
        kept.append(clauses[i])
    return "".join(kept).strip(), True


def strip_instructions(question: str) -> str:
    """The question a message asks, without the sentences or clauses that instruct the bot.

    A message with no instruction comes back trimmed. One with an instruction keeps only what
    its segments ask (from a clause that opens as a question to the next order); where
    nothing asks, the words left after the orders are cut, which may be nothing."""
    message = question.strip()
    segments = _segments(message)
    stripped = [_strip_sentence(segment) for segment in segments]
    if not any(cut for _, cut in stripped):
        return message
    asked = [part for part in map(_question_part, segments) if part] or [
        part for part in map(_question_after_order, segments) if part]
    # Beside a question, a bare request ("just give me the number") belongs to the orders.
    questions = [part for part in asked if not _REQUEST.match(_POLITE.sub("", normalise(part)))]
    asked = questions or asked
    kept = asked or [text for text, _ in stripped if text]
    return _TRAILING_POLITE.sub("", _CONNECTIVES.sub("", " ".join(kept))).strip(" \t\n,;:-")


def crisis_answer(question: str) -> Answer:
    return Answer("crisis", question.strip(), CRISIS_MESSAGE, signposting=SIGNPOSTS)


class Screened(NamedTuple):
    early: Answer | None  # crisis, small talk, or orders with nothing to look up
    asked: str  # the message without its instructions (strip_instructions)
    said: str  # the message normalised (normalise)


def screen(question: str) -> Screened:
    """What route answers, with the two texts it worked out on the way (one pass each)."""
    text = question.strip()
    said = normalise(text)
    if not text:
        return Screened(None, text, said)
    if _crisis_in(said):
        return Screened(crisis_answer(text), text, said)
    kind = _smalltalk_in(said)
    if kind is not None:
        return Screened(Answer("smalltalk", text, SMALLTALK_MESSAGES[kind]), text, said)
    stripped = strip_instructions(text)
    if stripped != text and not _question_like(stripped):
        # Nothing left to look up: the documents cannot answer an order to write or reveal.
        return Screened(Answer("not_found", text, INSTRUCTION_MESSAGE), stripped, said)
    return Screened(None, stripped, said)


def route(question: str) -> Answer | None:
    """A crisis or small-talk Answer, or None when the question should go on to retrieval."""
    return screen(question).early
