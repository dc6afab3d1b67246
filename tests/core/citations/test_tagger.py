"""The citation tagger: the shipped model, the fields it decides, and its reproducible training."""

import subprocess
import sys

import pytest

from pipeline.core.citations import parse_citation
from pipeline.core.citations.tagger import MODEL_PATH, _tagger, tag
from pipeline.core.citations.train.records import RecordMaker, census_pools
from pipeline.core.citations.train.render import label_tokens, load_styles, render


def test_the_model_ships_small_and_loads_once_per_process():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 5_000_000
    assert _tagger() is _tagger()


def test_every_token_gets_one_label():
    text = "Pagallo, G., & Haussler, D. (1990). Boolean feature discovery. Machine Learning, 5(1), 71-99."
    tagged = tag(text)
    assert [t.text for t, _ in tagged] == text.split()
    assert {label for _, label in tagged} <= {
        "author", "editor", "title", "container", "publisher", "location", "series", "date", "url", "other",
    }  # fmt: skip


# Reference-list styles, where the tagger decides the fields: (reference, authors' surnames, title,
# container). Each row is a style the rules read by position only.
REFERENCE_STYLES = {
    "apa_author_date": (
        "Pagallo, G., & Haussler, D. (1990). Boolean feature discovery in empirical learning. "
        "Machine Learning, 5(1), 71-99.",
        ["Pagallo", "Haussler"],
        "Boolean feature discovery in empirical learning",
        "Machine Learning",
    ),
    "numbered_initials_first": (
        "A. J. Bernstein. Analysis of programs for parallel processing. IEEE Transactions on "
        "Electronic Computers, pages 757-763, October 1966.",
        ["Bernstein"],
        "Analysis of programs for parallel processing",
        "IEEE Transactions on Electronic Computers",
    ),
    "bibliography_book_has_no_container": (
        "Levine, Robert S. Conspiracy and Romance: Studies in Brockden Brown, Cooper, Hawthorne, and "
        "Melville. Cambridge: Cambridge University Press, 1989.",
        ["Levine"],
        "Conspiracy and Romance: Studies in Brockden Brown, Cooper, Hawthorne, and Melville",
        None,
    ),
    "direct_names_joined_by_and": (
        "Howard Turtle and W. Bruce Croft. Inference networks for document retrieval. In Proceedings "
        "of the 13th International Conference on Research and Development in Information Retrieval, "
        "pages 1-24, 1990.",
        ["Turtle", "Croft"],
        "Inference networks for document retrieval",
        "Proceedings of the 13th International Conference on Research and Development in Information Retrieval",
    ),
    "harvard_chapter_in_edited_book": (
        "Angus, L. and McLeod, J. (2004) Self-multiplicity and narrative expression in psychotherapy. "
        "In H. J. M. Hermans and G. Dimaggio (eds) The Dialogical Self in Psychotherapy. New York: "
        "Brunner-Routledge, pp. 77-90.",
        ["Angus", "McLeod"],
        "Self-multiplicity and narrative expression in psychotherapy",
        "The Dialogical Self in Psychotherapy",
    ),
}


@pytest.mark.parametrize(
    "text,surnames,title,container", REFERENCE_STYLES.values(), ids=REFERENCE_STYLES.keys()
)
def test_reference_list_styles(text, surnames, title, container):
    fields = parse_citation(text)
    assert all(any(s in a for a in fields.authors) for s in surnames), fields.authors
    assert len(fields.authors) == len(surnames), fields.authors
    assert fields.title == title
    assert fields.container == container


def test_rendering_labels_each_field_where_the_style_put_it():
    maker = RecordMaker(3, census_pools())
    rec = maker.record("r1")
    rec.update(type="article-journal", title="A Study of Things", **{"container-title": "Journal of Stuff"})
    rec["author"] = [{"family": "Haussler", "given": "David"}]
    ((_, style, is_note),) = list(load_styles(["apa"]))
    text = render(style, is_note, rec, maker.rng)
    assert text is not None
    labelled = label_tokens(text, rec)
    by_label = {
        lab: [t.text for t, l2 in zip(labelled.tokens, labelled.labels, strict=True) if l2 == lab]
        for lab in set(labelled.labels)
    }
    assert " ".join(by_label["title"]).rstrip(".").lower() == "a study of things"
    assert " ".join(by_label["container"]).rstrip(",") == "Journal of Stuff"
    assert by_label["author"] == ["Haussler,", "D."]


@pytest.mark.slow
def test_training_is_reproducible(tmp_path):
    def run(name: str) -> bytes:
        model = tmp_path / f"{name}.crfsuite"
        cmd = [
            sys.executable, "-m", "pipeline.core.citations.train", "--styles", "2", "--per-style", "6",
            "--iterations", "10", "--model", str(model), "--lexicon", str(tmp_path / f"{name}.txt"),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return model.read_bytes()

    assert run("a") == run("b")


# How the tagger's runs become fields: (reference, title, container, authors' surnames)
RUNS_TO_FIELDS = {
    "container_stops_before_its_volume": (
        "Veel, Kristin. \u2018The Irreducibility of Space\u2019. Diacritics 33, no. 3/4 (2003): 151\u2013172.",
        "The Irreducibility of Space",
        "Diacritics",
        ["Veel"],
    ),
    "container_keeps_a_number_in_its_name": (
        "Arun Garg. Parallel STREAMS: A multi-processor implementation. In Proceedings of the Winter 1990 "
        "USENIX Conference, pages 163-176, Washington, D. C., January 1990.",
        "Parallel STREAMS: A multi-processor implementation",
        "Proceedings of the Winter 1990 USENIX Conference",
        ["Garg"],
    ),
    "edited_book_has_no_authors": (
        "Carter, Ronald and John McRae, eds. The Routledge History of Literature in English: Britain and "
        "Ireland. London: Routledge, 2005.",
        "The Routledge History of Literature in English: Britain and Ireland",
        None,
        [],
    ),
}


@pytest.mark.parametrize("text,title,container,surnames", RUNS_TO_FIELDS.values(), ids=RUNS_TO_FIELDS.keys())
def test_runs_become_fields(text, title, container, surnames):
    fields = parse_citation(text)
    assert (fields.title, fields.container) == (title, container)
    assert len(fields.authors) == len(surnames) and all(
        any(s in a for a in fields.authors) for s in surnames
    ), fields.authors


def test_a_journal_read_as_the_titles_last_sentence_is_the_container():
    fields = parse_citation(
        "Ortega L, Brandt K. Porous carbon sheets for slow release of nitrogen. Applied Soil Chemistry. "
        "2014. 12(5): 608-620."
    )
    assert fields.title == "Porous carbon sheets for slow release of nitrogen"
    assert fields.container == "Applied Soil Chemistry"


def test_a_title_of_two_sentences_stays_whole_when_no_volume_follows():
    fields = parse_citation("Amado, Jorge. The Open Road. A Path to Later Love. New York: Wiley, 2001.")
    assert fields.title == "The Open Road. A Path to Later Love"
    assert fields.container is None
