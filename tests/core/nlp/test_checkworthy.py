"""Check-worthiness: named features find their words; learned weights combine them; reasons explain.

The feature tests read what each finder sees in a real parse (``nlp_model``), independent of the
weights; the scoring tests read the shipped weights file, so they hold whatever the training
script last wrote.
"""

import json
import math

import pytest

from pipeline.core.nlp import WEIGHTS, extract_claims
from pipeline.core.nlp.checkworthy import FEATURES, WEIGHTS_FILE, combine, find_features, load_weights
from tests.core.nlp.helpers import paragraph


def _features(nlp_model, sentence: str) -> dict[str, str]:
    doc = nlp_model(sentence)
    (sent,) = list(doc.sents)
    return find_features(sent)[0]


FEATURE_CASES = [
    pytest.param(
        "Up until 2015, Iran's trade turnover did not exceed $600 million.",
        {"number": "$600 million", "date": "2015", "entity_subject": "Iran"},
        id="money-date-possessor-subject",
    ),
    pytest.param(
        "The two countries have met on the margins.", {"number": None}, id="a-small-count-is-no-figure"
    ),
    pytest.param(
        "For decades, the two sides competed for influence.", {"date": None}, id="vague-time-is-no-date"
    ),
    pytest.param(
        "More than 150 citizens were arrested in 2012.",
        {"number": "More than 150", "date": "2012", "comparative": None},
        id="comparative-inside-a-number-is-the-number",
    ),
    pytest.param(
        "Russia was the single biggest fossil fuel supplier.",
        {"superlative": "biggest", "entity_subject": "Russia"},
        id="superlative",
    ),
    pytest.param(
        "The stakes are getting higher because Russia ceased being the guarantor.",
        {"comparative": "higher", "causal": "because"},
        id="comparative-and-causal",
    ),
    pytest.param("Russia is no longer Armenia's protector.", {"comparative": None}, id="no-longer"),
    pytest.param(
        "Ali Hajizade said that dozens of media platforms target the minority.",
        {"attribution": "said (speaker: Ali Hajizade)", "number": "dozens"},
        id="attribution-active",
    ),
    pytest.param(
        "The plan was described by Israeli security officials as reckless.",
        {"attribution": "described (speaker: Israeli security officials)"},
        id="attribution-passive-agent",
    ),
    pytest.param(
        "According to Iranian sources, the secret services have the leeway to target dissidents.",
        {"attribution": "according to (speaker: Iranian sources)"},
        id="according-to",
    ),
    pytest.param(
        'Turkey refused to engage in "maximum pressure" on Tehran.',
        {"quotation": None, "entity_subject": "Turkey"},
        id="scare-quotes-are-no-quotation",
    ),
    # what the earlier hand-set table missed (issue 14)
    pytest.param(
        "Tens of thousands of workers lost their jobs.",
        {"spelled_quantity": "Tens of", "trend": "lost", "economy": "workers", "past": "lost"},
        id="spelled-out-quantity",
    ),
    pytest.param(
        "We spend twice as much as any other country.",
        {"spelled_quantity": "twice as much"},
        id="twice-as-much",
    ),
    pytest.param(
        "One in three children lives in poverty.", {"spelled_quantity": "One in three"}, id="one-in-three"
    ),
    pytest.param(
        "Under his plan, the trade deficit went way down.",
        {"trend": "went way down"},
        id="trend-without-a-cue",
    ),
    pytest.param(
        "Prices rose again last month.", {"relative_time": "last month", "trend": "rose"}, id="last-month"
    ),
    pytest.param(
        "This powerful barrier almost completely ended illegal crossings.",
        {"third_person_fact": "This powerful barrier ended"},
        id="common-noun-subject-and-no-figure",
    ),
    # what pushes a sentence down
    pytest.param(
        "Senator Cruz, the Supreme Court ruled on this, what would you do?",
        {"question": "?", "entity_subject": None, "third_person_fact": None},
        id="moderator-question-naming-a-person",
    ),
    pytest.param(
        "Let me say that my plan calls for real change.",
        {"speech_act": "Let me", "attribution": None},
        id="speech-act-is-no-attribution",
    ),
    pytest.param(
        "I told them we would win.", {"attribution": None, "first_person": "I"}, id="first-person-telling"
    ),
    pytest.param(
        "I remember a woman who came up to me in Iowa.",
        {"anecdote": "I remember", "first_person": "I"},
        id="anecdote",
    ),
    pytest.param("We will build the wall.", {"modal": "will", "third_person_fact": None}, id="promise"),
    pytest.param("Thank you very much.", {"short": "4 words", "speech_act": "Thank you"}, id="thanks"),
    pytest.param(
        "Mr. Trump, you have 30 seconds to respond.",
        {"vocative": "Mr. Trump", "moderation": "seconds"},
        id="moderator-addressing-a-candidate",
    ),
    pytest.param(
        "A Senate investigation found that nearly 40 percent of the funds went missing.",
        {"evidence": "investigation", "approximate": "nearly 40"},
        id="evidence-and-an-approximate-figure",
    ),
]


@pytest.mark.parametrize("sentence,expected", FEATURE_CASES)
def test_features_find_their_words(nlp_model, sentence, expected):
    found = _features(nlp_model, sentence)
    for name, words in expected.items():
        if words is None:
            assert name not in found, (name, found)
        else:
            assert found.get(name) == words, (name, found)


def test_every_weight_names_a_feature_and_the_file_says_how_to_rederive_it():
    record = json.loads(WEIGHTS_FILE.read_text())
    assert set(record["weights"]) <= {f.name for f in FEATURES}
    assert "python -m bench.checkworthy" in record["about"]
    assert load_weights().weights == WEIGHTS


def test_the_score_is_the_logistic_of_the_weights_and_the_reasons_are_what_pushed_it_up(nlp_model):
    sentence = "Ali Hajizade said that dozens of media platforms target the minority."
    (claim,) = extract_claims(paragraph(sentence), nlp_model)
    found = _features(nlp_model, sentence)
    model = load_weights()
    z = model.bias + sum(model.weights.get(n, 0.0) for n in found)
    assert claim.checkworthy == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-3)
    assert claim.reasons == combine(found, model)[1]
    assert claim.speaker == "Ali Hajizade"


def test_reasons_are_the_features_that_pushed_up_strongest_first():
    model = load_weights()
    up = [n for n, w in model.weights.items() if w > 0]
    labels = {f.name: f.label for f in FEATURES}
    _, reasons = combine({n: f"w{i}" for i, n in enumerate(up)}, model)
    listed = [next(n for n in up if r == f"{labels[n]}: w{up.index(n)}") for r in reasons]
    assert sorted(listed) == sorted(up)
    assert [model.weights[n] for n in listed] == sorted((model.weights[n] for n in up), reverse=True)


def test_combine_lists_no_reason_for_features_that_push_down():
    model = load_weights()
    down = [n for n, w in model.weights.items() if w < 0]
    assert down, "questions and speech acts should weigh against a claim"
    score, reasons = combine(dict.fromkeys(down, "x"), model)
    assert reasons == [] and score < 1 / (1 + math.exp(-model.bias))


def test_a_figure_outranks_a_question_and_a_speech_act(nlp_model):
    claims = extract_claims(
        paragraph(
            "Let me say how happy I am to be here tonight with all of you. "
            "Senator Cruz, the Supreme Court ruled on this, what would you do? "
            "Illegal crossings fell by 40 percent in 2018."
        ),
        nlp_model,
    )
    scores = [c.checkworthy for c in claims]
    assert scores[2] > scores[0] and scores[2] > scores[1], claims
