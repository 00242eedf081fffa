"""Engine.ask(question) -> Answer: the one entry point the app, CLI and evaluation use."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np

from simqa import gap_model, messages, topic_model
from simqa.abstention import confidence
from simqa.citations import make_quote
from simqa.colloquial import formal
from simqa.config import Settings
from simqa.corpus import corpus_digest, load_corpus
from simqa.crisis_model import CrisisModel
from simqa.datelines import Datelines
from simqa.embedding import Embedder, SentenceTransformerEmbedder, encode_questions
from simqa.extraction import (
    Span,
    check_verbatim,
    joined_span,
    overlaps,
    points_elsewhere,
    quote_span,
)
from simqa.gap_model import GapModel
from simqa.question_bank import read_questions
from simqa.questions import acronyms_to_spell_out, asks_identity
from simqa.ranking import Ranked, meanings_asked, rank
from simqa.records import Answer, Document, Quote
from simqa.redaction import redact
from simqa.responders import ResponseRecord
from simqa.retrieval import Retriever
from simqa.safety import crisis_answer, route, screen
from simqa.spelling import Speller
from simqa.store import IndexData, StaleIndex, build_index, corpus_version, load_index
from simqa.subject import corpus_subject, says_it, with_subject
from simqa.supports import opposed_publishers, pick_supports
from simqa.topic_model import TopicModel, corpus_terms, named_terms

SUPPORT_RANK = 5  # supporting quotes come from this many best-ranked units
CONTESTED_RANK = 20  # ...but a contested question looks this far for another publisher's
# Retrieval confidence from which the gap check's refusal is overruled. Across the held-out,
# targeted and hard sets no question the gap check refuses has a confidence between 0.64 (an
# unanswerable one) and 0.965 (an answerable one); 0.8 is midway, and answers "has sim been
# stopped" (0.93) and "has the nhs stopped sim" (0.90). Above 0.965, three answerable
# questions are answered and two of the hard set's 295 unanswerable ones are not refused.
GAP_OVERRULED_FROM = 0.8
# Below this topic probability a question naming none of the documents' terms must be matched
# with at least DOUBTED_ANSWERED_FROM confidence. No answered answerable question of sim-dev,
# the held-out and targeted sets (606) is below both; 8 of the 60 answered off-topic
# questions and held-out everyday messages are.
TOPIC_DOUBTED_BELOW = 0.5
DOUBTED_ANSWERED_FROM = 0.05
NEIGHBOUR_RANK = 5  # a neighbour of the best unit ranked this high joins its quote


class Prepared(NamedTuple):
    early: Answer | None  # crisis, small talk or orders only: no search needed
    searched: str  # the text retrieval searches with
    said: str  # the message normalised by safety.normalise


class QuestionError(ValueError):
    """The question cannot be asked (empty, too long, not text)."""


def route_without_model(question: str) -> Answer | None:
    """Crisis and small-talk answers, which need neither the model nor the index."""
    return route(question.strip())


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder
    index: IndexData
    retriever: Retriever
    # None: the shipped ranker_weights.json / abstention_weights.json (training sets others).
    ranker_weights: dict[str, float] | None = None
    abstention_weights: np.ndarray | None = None

    @classmethod
    def load(cls, settings: Settings | None = None, progress: bool = False,
             embedder: Embedder | None = None) -> Engine:
        """Load the model and the index, (re)building the index first if missing or stale."""
        settings = settings or Settings.from_env()
        embedder = embedder or SentenceTransformerEmbedder(settings.model_path,
                                                           adapter_path=settings.adapter_path,
                                                           threads=settings.torch_threads)
        documents = load_corpus(settings.corpus_dir)
        questions = read_questions(settings.corpus_dir)
        expected = corpus_version(documents, embedder.name, embedder.dimension, questions)
        try:
            index = load_index(settings.index_dir, expected, embedder.dimension)
        except StaleIndex:
            if not settings.auto_build:
                raise
            build_index(documents, embedder, settings.index_dir, progress=progress,
                        questions=questions)
            index = load_index(settings.index_dir, expected, embedder.dimension)
        bank = index.question_bank if settings.question_bank else None
        return cls(settings, embedder, index, Retriever(index, bank))

    @property
    def corpus_version(self) -> str:
        return self.index.corpus_version

    @property
    def model_name(self) -> str:
        return self.embedder.name

    @cached_property
    def _publisher_of(self) -> dict[str, str]:
        return {d.id: d.source.publisher for d in self.index.documents.values()}

    @cached_property
    def _opposed(self) -> dict[str, str]:
        return opposed_publishers(d.source for d in self.index.documents.values())

    @cached_property
    def _crisis_model(self) -> CrisisModel | None:
        """The learnt crisis check, when it was learnt on this embedding model's vectors."""
        return CrisisModel.load(self.embedder.name, self.embedder.dimension)

    @cached_property
    def _topic_model(self) -> TopicModel | None:
        """The learnt topic check, when it was learnt for these documents on this embedding
        model's vectors."""
        return TopicModel.load_for(self._corpus_digest, self.embedder.name,
                                   self.embedder.dimension, topic_model.WEIGHTS_FILE)

    @cached_property
    def _gap_model(self) -> GapModel | None:
        """The learnt check for questions these documents leave unanswered, when it was learnt
        for them on this embedding model's vectors."""
        return GapModel.load_for(self._corpus_digest, self.embedder.name,
                                 self.embedder.dimension, gap_model.WEIGHTS_FILE)

    @cached_property
    def _corpus_digest(self) -> str:
        return corpus_digest(self.documents())

    @cached_property
    def _speller(self) -> Speller:
        return Speller.from_texts(d.text for d in self.index.documents.values())

    @cached_property
    def _not_found_message(self) -> str:
        return messages.not_found_message(d.source.title for d in self.documents())

    def documents(self) -> list[Document]:
        return list(self.index.documents.values())

    def source(self, source_id: str) -> Document:
        return self.index.documents[source_id]

    def ask(self, question: str) -> Answer:
        return self.ask_many([question])[0]

    def ask_many(self, questions: Sequence[str]) -> list[Answer]:
        """Answers in order; the model encodes all retrieval questions in one batch."""
        return [answer for answer, _ in self._run_many(questions, rank_depth=0)]

    def ask_and_rank_many(self, questions: Sequence[str],
                          k: int = 10) -> list[tuple[Answer, list[str]]]:
        """Each question's answer and its ranked document ids (see rank_documents), from one
        batch encode: what an evaluation of quotes and document retrieval needs."""
        return self._run_many(questions, rank_depth=k)

    def rank_documents(self, question: str, k: int = 10) -> list[str]:
        """Document ids, best first, by their best sentence's score (document retrieval)."""
        return self._run_many([question], rank_depth=k)[0][1]

    def _run_many(self, questions: Sequence[str],
                  rank_depth: int) -> list[tuple[Answer, list[str]]]:
        prepared = [self._prepare(q) for q in questions]
        # Crisis and small-talk answers need no search, but ranking documents searches anyway.
        searched = [i for i, p in enumerate(prepared) if p.early is None or rank_depth]
        results: list[tuple[Answer, list[str]]] = [(p.early, []) for p in prepared]
        if searched:
            expanded = [prepared[i].searched for i in searched]
            started = time.perf_counter()
            vectors = self._encode(expanded)
            encode_seconds = (time.perf_counter() - started) / len(searched)
            for row, position in enumerate(searched):
                began = time.perf_counter()
                question = questions[position].strip()
                early = prepared[position].early
                if early is None and self._crisis_model is not None and \
                        self._crisis_model.is_crisis(vectors[row], question,
                                                     prepared[position].said):
                    early = replace(crisis_answer(question), corpus_version=self.corpus_version)
                if early is not None and not rank_depth:
                    results[position] = (early, [])
                    continue
                ranked = self._rank(question, expanded[row], vectors[row])
                answer = early if early is not None else self._answer(
                    question, ranked, encode_seconds, began,
                    self._off_topic(expanded[row], vectors[row]),
                    self._asks_beyond(expanded[row], vectors[row]),
                    self._topic_doubted(expanded[row], vectors[row]))
                results[position] = (answer, self._documents(ranked, rank_depth))
        return results

    @cached_property
    def _lowered_units(self) -> list[str]:
        """Each unit's text in lower case, by unit id, for look-ups by name."""
        return [unit.text.lower() for unit in self.index.sentences]

    @cached_property
    def _topic_terms(self) -> frozenset[str]:
        return corpus_terms((d.text for d in self.documents()), self.index.lexicon.acronyms)

    def _off_topic(self, question: str, vector: np.ndarray) -> bool:
        """The topic check says so, and the question names none of the documents' own terms
        (a bare "whats a CCG?" or "who is Tim Kendall?" says too little for its vector) nor
        uses their wording: all its words in one unit, two of them side by side there as in
        the question ("who is Claire Murdoch", "what were the recommendations of the
        independent review"; not "what's the meaning of life")."""
        if self._topic_model is None or not self._topic_model.off_topic(vector):
            return False
        lexicon = self.index.lexicon
        if named_terms(question, lexicon) & self._topic_terms:
            return False
        sequence = lexicon.tokens(question)
        asked, pairs = frozenset(sequence), set(zip(sequence, sequence[1:], strict=False))
        return not any(asked <= words and pairs & paired for words, paired in
                       zip(self.index.sentence_tokens, self.index.sentence_bigrams, strict=True))

    def _topic_doubted(self, question: str, vector: np.ndarray) -> bool:
        """The topic check leans towards off-topic, short of calling it, and the question
        names none of the documents' own terms ("how do i track my amazon parcel")."""
        return self._topic_model is not None and \
            self._topic_model.probability(vector) < TOPIC_DOUBTED_BELOW and \
            not named_terms(question, self.index.lexicon) & self._topic_terms

    def _asks_beyond(self, question: str, vector: np.ndarray) -> str:
        """Does the question ask for what the documents never say? A question for the
        response of someone the documents never show responding, or about an apology they
        never mention, does. One that only asks who or what something is does when the
        documents never use one of its words; otherwise its vector is little more than the
        name, so neither the bank nor the gap check can judge it, and retrieval's confidence
        decides. Otherwise the question bank decides when it is clear
        (a question written about the corpus that the documents do not answer comes clearly
        closer than any they do, or the other way round), and the gap check when it is not.
        Returns which of them said so ("record", "acronym", "name", "bank", "gap"), or ""."""
        if self._response_record.asks_beyond(question):
            return "record"
        if not all(map(self._spells_out, acronyms_to_spell_out(question))):
            return "acronym"
        if asks_identity(question):
            # A name the documents never use ("who is Phil Jennings") they cannot explain; a
            # word one of theirs begins with ("Staph" for "Staphylococcus") they may.
            used = self.index.idf.keys()
            return "name" if any(
                token not in used and not any(word.startswith(token) for word in used)
                for token in self.index.lexicon.tokens(question)) else ""
        bank = self.retriever.bank
        verdict = bank.unanswered(vector) if bank is not None else None
        if verdict is not None:
            return "bank" if verdict else ""
        return "gap" if self._gap_model is not None and self._gap_model.asks_beyond(vector) \
            else ""

    def _spells_out(self, acronym: str) -> bool:
        """Do the documents say what the acronym stands for? The acronyms the lexicon learnt,
        and any they give in brackets after a long form it could not match ("(NHSE/I)")."""
        return acronym.lower() in self.index.lexicon.acronyms or acronym.lower() in self._bracketed

    @cached_property
    def _bracketed(self) -> frozenset[str]:
        """Every short word the documents put in brackets, lower case: "(NHSE/I)" -> "nhse/i"."""
        return frozenset(word.lower() for document in self.documents()
                         for word in re.findall(r"\(([^()\s]{2,12})\)", document.text))

    @cached_property
    def _directions(self) -> frozenset[int]:
        """Units that only direct the reader elsewhere: never quoted."""
        return frozenset(unit.id for unit in self.index.sentences if points_elsewhere(unit))

    @cached_property
    def _datelines(self) -> Datelines:
        return Datelines(self.index.sentences)

    @cached_property
    def _response_record(self) -> ResponseRecord:
        return ResponseRecord(
            (unit.text for unit in self.index.sentences
             if unit.quotable and unit.kind != "reference"),
            (d.text for d in self.documents()),
            (d.source.publisher for d in self.documents()),
            self.index.lexicon.acronyms)

    def _documents(self, ranked: Ranked, k: int) -> list[str]:
        seen: list[str] = []
        if k <= 0:
            return seen
        for sid in ranked.sentence_ids:
            doc_id = self.index.sentences[int(sid)].doc_id
            if doc_id not in seen:
                seen.append(doc_id)
                if len(seen) == k:
                    break
        return seen

    def _prepare(self, question: str) -> Prepared:
        if not isinstance(question, str):
            raise QuestionError("the question must be text")
        trimmed = question.strip()
        if not trimmed:
            raise QuestionError("the question is empty")
        if len(trimmed) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question is longer than {self.settings.max_question_chars} characters")
        screened = screen(trimmed)
        if screened.early is not None:
            return Prepared(replace(screened.early, corpus_version=self.corpus_version),
                            trimmed, screened.said)
        searchable = redact(screened.asked or trimmed)
        searched = self._speller.correct(formal(searchable or trimmed))
        return Prepared(None, self._naming_the_subject(searched), screened.said)

    @cached_property
    def _subject(self) -> str:
        return corpus_subject([d.text for d in self.documents()], self.index.lexicon.acronyms)

    def _naming_the_subject(self, question: str) -> str:
        """A question that says only "it" ("who made it", "when did it start") asks about what
        the documents are about: the subject is added, when every word it uses is one the
        documents use ("how much does it cost to keep a rabbit" is not about SIM)."""
        lexicon = self.index.lexicon
        if not says_it(question) or named_terms(question, lexicon) & self._topic_terms or \
                not all(token in self.index.idf for token in lexicon.tokens(question)):
            return question
        return with_subject(question, self._subject)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return encode_questions(self.embedder, texts)

    def _rank(self, question: str, expanded: str, vector: np.ndarray) -> Ranked:
        retrieved = self.retriever.retrieve(expanded, vector)
        return rank(question, retrieved, self.index, self.ranker_weights)

    def _answer(self, question: str, ranked: Ranked, encode_seconds: float,
                started: float, off_topic: bool = False, asks_beyond: str = "",
                doubted: bool = False) -> Answer:
        """Off-topic questions get no quotes; ones that ask for what the documents never say
        (`asks_beyond`: which check said so) get related quotes only. A question the topic
        check `doubted` is off-topic unless retrieval matches it better than weakly."""
        learnt = 0.0 if off_topic else confidence(ranked, self.index, self.abstention_weights)
        if doubted and learnt < DOUBTED_ANSWERED_FROM:
            off_topic, learnt = True, 0.0
        # The gap check reads the question's vector alone; a unit that answers the question as
        # surely as a direct hit overrules it ("is anyone evaluating the sim pilots down in
        # devon": confidence 1.0).
        overruled = asks_beyond == "gap" and learnt >= GAP_OVERRULED_FROM
        sure = 0.0 if asks_beyond and not overruled else learnt
        spans = [] if off_topic else self._spans(ranked, _contested(question))
        if spans and (ranked.qtype == "definition" or asks_identity(question)):
            spans = self._every_meaning(spans, ranked)
        answered = bool(spans) and sure >= self.settings.abstain_threshold
        quotes = self._quotes(spans, sure, answered)
        publishers = {q.publisher for q in quotes}
        if answered:
            status = "answered"
            if sure < self.settings.tentative_below:
                message = messages.ANSWERED_TENTATIVE
            elif len(publishers) > 1 and _contested(question):
                message = messages.ANSWERED_CONTESTED
            else:
                message = messages.ANSWERED
        else:
            status = "not_found"
            message = self._not_found_message
        return Answer(
            status=status,
            question=question,
            message=message,
            quotes=quotes,
            corpus_version=self.corpus_version,
            confidence=sure,
            timings={"encode": encode_seconds, "rank": time.perf_counter() - started},
        )

    def _spans(self, ranked: Ranked, contested: bool) -> list[tuple[Span, float]]:
        """The answer span and up to max_quotes-1 supports; for a contested question, another
        publisher's best unit first."""
        sentences, documents = self.index.sentences, self.index.documents
        chosen: list[tuple[Span, float]] = []
        # Normalised texts of the units already quoted: a document may repeat a sentence.
        seen_units: set[str] = set()

        def unit_texts(span: Span) -> set[str]:
            return {" ".join(sentences[i].text.lower().split()) for i in span.sentence_ids}
        candidates: list[tuple[Span, float]] = []
        near_top = {int(i) for i in ranked.sentence_ids[:NEIGHBOUR_RANK]}
        publisher_of = self._publisher_of

        def other_side(doc_id: str) -> bool:
            """From the publisher furthest from the answer's, or any other when none is."""
            answer_publisher = publisher_of[candidates[0][0].doc_id]
            opposed = self._opposed.get(answer_publisher)
            return publisher_of[doc_id] == opposed if opposed else \
                publisher_of[doc_id] != answer_publisher
        for position, (sid, score) in enumerate(zip(ranked.sentence_ids, ranked.scores,
                                                    strict=True)):
            if not sentences[int(sid)].quotable or int(sid) in self._directions:
                continue
            if candidates and _CITATION.search(sentences[int(sid)].text):
                continue  # a bibliography entry supports nothing; it may still be the answer
            if candidates and position >= SUPPORT_RANK:
                # Past the supports, a contested question still looks for the other side.
                if not contested or position >= CONTESTED_RANK or any(
                        other_side(c.doc_id) for c, _ in candidates[1:]):
                    break
                if not other_side(sentences[int(sid)].doc_id):
                    continue
            strong = frozenset(i for i in (int(sid) - 1, int(sid) + 1) if i in near_top)
            span = quote_span(sentences, documents, int(sid), strong)
            if candidates and overlaps(span, candidates[0][0]):
                # Next to the answer: the answer's quote takes it in while it stays 1-3 units.
                joined = joined_span(candidates[0][0], span, sentences, documents)
                if joined is not None:
                    candidates[0] = (joined, candidates[0][1])
                    seen_units.update(unit_texts(joined))
                continue
            units = unit_texts(span)
            if units & seen_units or any(overlaps(span, s) for s, _ in candidates):
                continue
            seen_units.update(units)
            candidates.append((span, float(score)))
            if len(candidates) >= 12:
                break
        if not candidates:
            return chosen
        chosen.append(candidates[0])
        rest = candidates[1:]
        other = [c for c in rest if other_side(c[0].doc_id)]
        if other and contested:
            chosen.append(other[0])
        return pick_supports(chosen, rest, self.index.sentence_vectors,
                             self.settings.max_quotes)[: self.settings.max_quotes]

    def _every_meaning(self, spans: list[tuple[Span, float]],
                       ranked: Ranked) -> list[tuple[Span, float]]:
        """An acronym with two meanings in the corpus gets a quote for each: after the answer,
        the best-ranked unit naming each meaning no quote names, then the other supports."""
        sentences, documents = self.index.sentences, self.index.documents
        lowered = self._lowered_units
        added: list[tuple[Span, float]] = []
        for acronym, meaning in meanings_asked(ranked.query_tokens, self.index):
            if any(meaning in span.text.lower() for span, _ in [*spans, *added]):
                continue
            naming = [(int(sid), float(score)) for sid, score in
                      zip(ranked.sentence_ids, ranked.scores, strict=True)
                      if sentences[int(sid)].quotable and meaning in lowered[int(sid)]
                      and int(sid) not in self._directions]
            # Best: a unit that spells the acronym out ("Health Innovation Network (HIN)"),
            # ranked or not.
            spelt = f"{meaning} ({acronym})"
            defining = [(sid, score) for sid, score in naming if spelt in lowered[sid]] or [
                (unit.id, 0.0) for unit in sentences
                if unit.quotable and spelt in lowered[unit.id]
                and unit.id not in self._directions]
            for sid, score in (defining or naming)[:1]:
                span = quote_span(sentences, documents, sid)
                if not any(overlaps(span, s) for s, _ in [spans[0], *added]):
                    added.append((span, score))
        if not added:
            return spans
        rest = [(s, v) for s, v in spans[1:] if not any(overlaps(s, a) for a, _ in added)]
        return [spans[0], *added, *rest][: self.settings.max_quotes]

    def _quotes(self, spans: list[tuple[Span, float]], sure: float,
                answered: bool) -> tuple[Quote, ...]:
        quotes = []
        for position, (span, _score) in enumerate(spans):
            check_verbatim(span, self.index.documents)
            role = ("answer" if position == 0 else "support") if answered else "related"
            source = self.index.documents[span.doc_id].source
            quotes.append(make_quote(source, span.start, span.end, span.text, sure, role,
                                     self._datelines.date_at(span.doc_id, span.start)))
        if not answered:
            return tuple(quotes[:2])
        return tuple(quotes)


# A bibliography entry: where a source can be found, not what it says.
_CITATION = re.compile(r"\[Internet\]|\bAvailable (?:from|at):|\[accessed\b|\bdoi:\s*10\.",
                       re.I)


# Words of the questions the publishers answer differently (whole words: "RightCare" is not
# "right", "pharmacy" not "harm").
_CONTESTED = re.compile(r"\b(?:responsib\w*|ok|lawful\w*|(?:il)?legal\w*|safe|safety|"
                        r"unsafe|danger\w*|agreed?|agrees|disagree\w*|evidence|harm\w*|should|"
                        r"fault\w*|blame\w*|right|rights|wrong)\b", re.I)


def _contested(question: str) -> bool:
    return bool(_CONTESTED.search(question))
