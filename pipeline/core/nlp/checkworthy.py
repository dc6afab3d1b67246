"""Check-worthiness: a logistic regression over named, interpretable features.

Each feature reads one thing a fact-checker looks for ("a figure", "a trend", "a claim about the
past with a third-person subject") or away from ("a question", "let me say", "I remember"), and
gives back the words that triggered it. A claim's score is the logistic of the bias plus the
weights of the features it has; its ``reasons`` are the features that pushed it up, strongest
first, each with its words. The weights are numbers in ``checkworthy_weights.json``, learned
on the CLEF CheckThat! training debates by ``python -m bench.checkworthy --write`` (which also
prints the validation figures and the baselines reported in BENCHMARKS.md); the data is read
from ../shared at training time and never shipped.

Features that stack on long sentences are what made the earlier hand-set sum rank badly (long
sentences collected reasons and rose to the top); a learned weight per feature, with length
itself never rewarded, fixes that.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.nlp import cues

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WEIGHTS_FILE = Path(__file__).with_name("checkworthy_weights.json")


def _span_of(tok: Token, ents: Sequence[Span]) -> Span:
    """The named entity covering a token, else the token's whole phrase."""
    if tok.ent_type_:
        for ent in ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def _speaker_of(verb: Token, ents: Sequence[Span]) -> Token | None:
    """Who speaks: the active subject, or the agent of a passive (``described by X``)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


@dataclass(frozen=True)
class _Attribution:
    """A speech verb or "according to", and the speaker when the sentence names one."""

    reason: str
    speaker: str | None


@dataclass(frozen=True)
class _Evidence:
    """What the feature finders read: a sentence, its entities, and what was found once for all."""

    sent: Span
    text: str
    low: str  # the text lowercased, which the lexicons read
    tokens: tuple[Token, ...]  # made once: iterating a Span makes new Token objects every time
    ents: Sequence[Span]
    numeric_tokens: frozenset[int]  # tokens inside number and date entities
    attribution: _Attribution | None
    quote: str | None
    subject: Token | None  # the subject of the sentence's root, when it has one
    question: bool


def _gather_evidence(sent: Span, ents: Sequence[Span]) -> _Evidence:
    """Find once what several features read: numeric tokens, the attribution, the quote, the subject."""
    tokens = tuple(sent)
    numeric_tokens = frozenset(
        i for e in ents if e.label_ in cues.NUMERIC_LABELS for i in range(e.start, e.end)
    )
    raw = sent.doc.text[sent.start_char : sent.end_char]  # Span.text rebuilds it token by token
    text = raw.strip()
    quote_m = cues.QUOTE.search(text)
    quote = quote_m.group(1).strip(" ,.") if quote_m and len(quote_m.group(1).split()) >= 3 else None
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    question = text.rstrip("\"'\u201d\u2019) ").endswith("?")
    return _Evidence(
        sent,
        text,
        text.lower(),
        tokens,
        ents,
        numeric_tokens,
        _find_attribution(tokens, raw, ents),
        quote,
        subject,
        question,
    )


def _number_reason(ev: _Evidence) -> str | None:
    """A figure: an amount, or a count with digits or a magnitude; else a numeral outside those entities."""
    for ent in ev.ents:
        if ent.label_ in {"PERCENT", "MONEY", "QUANTITY", "CARDINAL"} and (
            ent.label_ != "CARDINAL" or cues.MAGNITUDE.search(ent.text)
        ):
            return ent.text
    for tok in ev.tokens:
        if tok.like_num and tok.i not in ev.numeric_tokens and any(c.isdigit() for c in tok.text):
            return tok.text
    return None


def _date_reason(ev: _Evidence) -> str | None:
    """A date entity with a day, month or year in it ("for decades" is not)."""
    for ent in ev.ents:
        if ent.label_ == "DATE" and cues.DATE_EVIDENCE.search(ent.text):
            return ent.text
    return None


def _graded(ev: _Evidence, tags: set[str]) -> str | None:
    sent = ev.sent
    for tok in ev.tokens:
        if tok.tag_ in tags and tok.i not in ev.numeric_tokens:
            low = tok.lower_
            after_no = tok.i > sent.start and tok.nbor(-1).lower_ in {"no", "any"} and low == "longer"
            if low not in cues.NOT_COMPARATIVE and not after_no:
                return tok.text
    return None


def _comparative_reason(ev: _Evidence) -> str | None:
    """A comparative outside numbers ("higher"; not "more than 150", not "further")."""
    return _graded(ev, {"JJR", "RBR"})


def _superlative_reason(ev: _Evidence) -> str | None:
    """A superlative outside numbers ("biggest")."""
    return _graded(ev, {"JJS", "RBS"})


def _search(pattern: re.Pattern[str]) -> Callable[[_Evidence], str | None]:
    def find(ev: _Evidence) -> str | None:
        m = pattern.search(ev.low)
        if m is None:
            return None
        # the words as written, where lowercasing kept the length (it does but for rare letters)
        return ev.text[m.start() : m.end()] if len(ev.low) == len(ev.text) else m.group(0)

    return find


def _find_attribution(tokens: Sequence[Token], text: str, ents: Sequence[Span]) -> _Attribution | None:
    """The first speech verb with a third-party speaker, else "according to X".

    "Let me say", "I told you", "my plan calls for": the speaker talking about their own talk,
    or a subject that is no one, is not an attribution.
    """
    for tok in tokens:
        if tok.pos_ != "VERB" or not cues.SPEECH_VERB.match(tok.text):
            continue
        who = _speaker_of(tok, ents)
        if who is None or who.lower_ in cues.FIRST_SECOND or who.lower_ in {"it", "that", "this"}:
            continue
        if any(c.dep_ == "poss" and c.lower_ in {"my", "our", "your"} for c in who.children):
            continue  # "my plan calls for"
        if any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            continue  # "calls for", "argued for": a demand, not a report of speech
        if not (who.ent_type_ or who.pos_ in {"PROPN", "NOUN"} or who.lower_ in {"he", "she", "they"}):
            continue
        speaker = _span_of(who, ents).text
        return _Attribution(f"{tok.text} (speaker: {speaker})", speaker)
    acc = re.search(r"\baccording to\s+([^,.;]+)", text, re.I) if "ccording to" in text else None
    if acc:
        speaker = acc.group(1).strip()
        return _Attribution(f"according to (speaker: {speaker})", speaker)
    return None


def _attribution_reason(ev: _Evidence) -> str | None:
    """A speech verb with a third-party speaker, or "according to"."""
    return ev.attribution.reason if ev.attribution else None


def _quotation_reason(ev: _Evidence) -> str | None:
    """A direct quote of three words or more, with the attribution's speaker."""
    if not ev.quote:
        return None
    speaker = ev.attribution.speaker if ev.attribution else None
    return f"(speaker: {speaker})" if speaker else ""


def _entity_subject_reason(ev: _Evidence) -> str | None:
    """A named entity (not a number) as the first subject that has one, or as its possessor."""
    if ev.question:  # "Senator Cruz, the Supreme Court ...?": a name addressed, not a subject
        return None
    for tok in ev.tokens:
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            for cand in (tok, *(c for c in tok.children if c.dep_ in {"poss", "compound"})):
                if cand.ent_type_ and cand.ent_type_ not in cues.NUMERIC_LABELS:
                    return _span_of(cand, ev.ents).text
    return None


def _third_person_fact_reason(ev: _Evidence) -> str | None:
    """A statement (not a question, no modal) about the past or present with a third-person subject.

    "This powerful barrier almost completely ended illegal crossings": no figure, no name, but
    a checkable statement about the world.
    """
    subj = ev.subject
    if ev.question or subj is None or subj.lower_ in cues.FIRST_SECOND or subj.dep_ == "expl":
        return None
    root = ev.sent.root
    if any(c.tag_ == "MD" or c.lower_ in cues.MODAL for c in root.children):
        return None
    if root.tag_ in {"VBD", "VBN"} or any(
        c.tag_ == "VBD" or c.lower_ in {"has", "have"} for c in root.children
    ):
        return f"{_span_of(subj, ev.ents).text} {root.text}"
    return None


def _entity_kind(labels: frozenset[str]) -> Callable[[_Evidence], str | None]:
    def find(ev: _Evidence) -> str | None:
        return next((e.text for e in ev.ents if e.label_ in labels), None)

    return find


def _past_reason(ev: _Evidence) -> str | None:
    """The main verb in the past tense: something that happened, which can be checked."""
    root = ev.sent.root
    return root.text if root.tag_ == "VBD" else None


def _vocative_reason(ev: _Evidence) -> str | None:
    """A sentence that opens by addressing someone ("Senator Cruz, ...", "Mr. Trump, ...")."""
    titled = cues.TITLED_NAME.match(ev.text)
    if titled:
        return titled.group(0).rstrip(" ,")
    for ent in ev.ents:
        if ent.start == ev.sent.start and ent.label_ == "PERSON":
            nxt = ent.end
            return ent.text if nxt < ev.sent.end and ev.sent.doc[nxt].text == "," else None
    return None


def _question_reason(ev: _Evidence) -> str | None:
    """A question asks; it claims nothing."""
    return "?" if ev.question else None


def _first_person_reason(ev: _Evidence) -> str | None:
    """The speaker or the audience as the subject ("I", "we", "you")."""
    subj = ev.subject
    return subj.text if subj is not None and subj.lower_ in cues.FIRST_SECOND else None


def _modal_reason(ev: _Evidence) -> str | None:
    """A promise or a possibility ("we will", "it could"): nothing to check yet."""
    return next((c.text for c in ev.sent.root.children if c.tag_ == "MD"), None)


def _short_reason(ev: _Evidence) -> str | None:
    """Fewer than five words: an interjection, a greeting, a fragment."""
    words = [t for t in ev.tokens if not t.is_punct]
    return f"{len(words)} words" if len(words) < 5 else None


def _no_verb_reason(ev: _Evidence) -> str | None:
    """No verb at all: a fragment ("Face-to-face, just one-on-one.")."""
    return None if any(t.pos_ in {"VERB", "AUX"} for t in ev.tokens) else "no verb"


@dataclass(frozen=True)
class Feature:
    """A check-worthiness feature: its name, and how a sentence shows it (the words, or None)."""

    name: str
    find: Callable[[_Evidence], str | None]
    label: str  # how its reason reads
    about: str  # what triggers it (README's table)


#: The features, in the order a score's reasons are listed when their weights are equal.
FEATURES = (
    Feature(
        "number",
        _number_reason,
        "number",
        'a figure, amount or quantity with digits or a magnitude ("$600 million", "dozens"; not "two")',
    ),
    Feature(
        "spelled_quantity",
        _search(cues.SPELLED_QUANTITY),
        "quantity",
        'a quantity in words ("tens of thousands", "twice as much", "one in three", "percent")',
    ),
    Feature(
        "date",
        _date_reason,
        "date",
        'a date with a day, month or year ("July 2022"; not "for decades")',
    ),
    Feature(
        "relative_time",
        _search(cues.RELATIVE_TIME),
        "time",
        'a time counted back from now ("last month", "since", "in history")',
    ),
    Feature(
        "trend",
        _search(cues.TREND),
        "trend",
        'a quantity moving ("went way down", "increased", "cut", "lost")',
    ),
    Feature(
        "comparative",
        _comparative_reason,
        "comparative",
        'a comparative outside a number ("higher"; not "more than 150")',
    ),
    Feature(
        "superlative",
        _superlative_reason,
        "superlative",
        'a superlative ("biggest", "lowest")',
    ),
    Feature(
        "causal",
        _search(cues.CAUSAL),
        "causal",
        'a causal cue ("because", "led to", "as a result")',
    ),
    Feature(
        "economy",
        _search(cues.ECONOMY),
        "economy",
        'a measurable economic thing ("jobs", "deficit", "wages", "billion")',
    ),
    Feature(
        "security",
        _search(cues.SECURITY),
        "security",
        'a measurable security thing ("troops", "nuclear", "sanctions")',
    ),
    Feature(
        "society",
        _search(cues.SOCIETY),
        "society",
        'a measurable social thing ("health care", "crime", "immigrants", "deaths")',
    ),
    Feature(
        "record",
        _search(cues.RECORD),
        "record",
        'a public record ("voted", "bill", "signed", "supported")',
    ),
    Feature(
        "absolute",
        _search(cues.ABSOLUTE),
        "absolute",
        'an absolute or a first ("never", "every single", "first time")',
    ),
    Feature(
        "approximate",
        _search(cues.APPROXIMATE),
        "approximate",
        'an approximate size ("nearly 40", "more than a million")',
    ),
    Feature(
        "evidence",
        _search(cues.EVIDENCE),
        "evidence",
        'gathered evidence ("study", "report", "investigation found that")',
    ),
    Feature(
        "person",
        _entity_kind(frozenset({"PERSON"})),
        "person",
        "a person named",
    ),
    Feature(
        "place",
        _entity_kind(frozenset({"GPE", "LOC", "NORP"})),
        "place",
        "a place or people named (GPE, LOC, NORP)",
    ),
    Feature(
        "organisation",
        _entity_kind(frozenset({"ORG"})),
        "organisation",
        "an organisation named",
    ),
    Feature(
        "law",
        _entity_kind(frozenset({"LAW"})),
        "law",
        "a law or treaty named",
    ),
    Feature(
        "past",
        _past_reason,
        "past",
        'a main verb in the past tense ("ended")',
    ),
    Feature(
        "attribution",
        _attribution_reason,
        "attribution",
        'a speech verb with a third-party speaker, or "according to"; not "let me say", "my plan calls for"',
    ),
    Feature(
        "quotation",
        _quotation_reason,
        "quotation",
        "a direct quote of three words or more (`quote`, with `speaker` when found)",
    ),
    Feature(
        "entity_subject",
        _entity_subject_reason,
        "entity subject",
        'a named entity as the subject, or owning it ("Iran\'s levers are ..."); not in a question',
    ),
    Feature(
        "third_person_fact",
        _third_person_fact_reason,
        "statement",
        'a statement about the past with a third-person subject, no modal ("This barrier ended crossings")',
    ),
    Feature(
        "question",
        _question_reason,
        "question",
        "a question",
    ),
    Feature(
        "first_person",
        _first_person_reason,
        "first person",
        'the speaker or the audience as subject ("I", "we", "you")',
    ),
    Feature(
        "speech_act",
        _search(cues.SPEECH_ACT),
        "speech act",
        'talk about the talk ("let me say", "I think", "thank you")',
    ),
    Feature(
        "anecdote",
        _search(cues.ANECDOTE),
        "anecdote",
        'a story ("I remember", "my father", "the other day")',
    ),
    Feature(
        "modal",
        _modal_reason,
        "modal",
        'a promise or possibility ("will", "could")',
    ),
    Feature(
        "vocative",
        _vocative_reason,
        "addressed",
        'opens by addressing someone ("Senator Cruz, ...")',
    ),
    Feature(
        "stage",
        _search(cues.STAGE),
        "stage direction",
        'a stage direction ("(APPLAUSE)")',
    ),
    Feature(
        "moderation",
        _search(cues.MODERATION),
        "moderation",
        'running a debate ("respond", "minutes", "thank you")',
    ),
    Feature(
        "short",
        _short_reason,
        "short",
        "fewer than five words",
    ),
    Feature(
        "no_verb",
        _no_verb_reason,
        "no verb",
        "no verb at all (a fragment)",
    ),
)
_BY_NAME = {f.name: f for f in FEATURES}


@dataclass(frozen=True)
class Model:
    """The learned weights: a bias and one weight per feature (features absent from it are off)."""

    bias: float
    weights: dict[str, float]


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


#: Weight of each check-worthiness feature (log-odds), as shipped.
WEIGHTS = load_weights().weights


def find_features(
    sent: Span, ents: Sequence[Span] | None = None, names: Container[str] | None = None
) -> tuple[dict[str, str], _Evidence]:
    """The features (all, or those in ``names``) the sentence shows, with their words.

    The training script reads all of them; scoring only those the weights use.
    """
    ev = _gather_evidence(sent, list(sent.ents) if ents is None else ents)
    found = {
        f.name: words
        for f in FEATURES
        if (names is None or f.name in names) and (words := f.find(ev)) is not None
    }
    return found, ev


def combine(found: dict[str, str], model: Model) -> tuple[float, list[str]]:
    """Score (logistic of bias plus weights) and the reasons: features that pushed it up, strongest first."""
    z = model.bias + sum(model.weights.get(name, 0.0) for name in found)
    score = 1.0 / (1.0 + math.exp(-z))
    up = sorted(
        (name for name in found if model.weights.get(name, 0.0) > 0),
        key=lambda n: -model.weights[n],
    )
    reasons = [_reason(name, found[name]) for name in up]
    return round(score, 3), reasons


def _reason(name: str, words: str) -> str:
    label = _BY_NAME[name].label
    if not words:
        return label
    return f"{label} {words}" if words.startswith("(") else f"{label}: {words}"


def score_checkworthiness(
    sent: Span, ents: Sequence[Span] | None = None
) -> tuple[float, list[str], str | None, str | None]:
    """A 0-1 score from named, listed features: no black box. Returns score, reasons, speaker, quote."""
    model = load_weights()
    found, ev = find_features(sent, ents, model.weights)
    score, reasons = combine(found, model)
    speaker = ev.attribution.speaker if ev.attribution else None
    return score, reasons, speaker, ev.quote
