"""Authors: people split on commas and "and", one organisation, a handle; names told from titles."""

import pytest

from pipeline.core.citations.names import common_words, find_authors, looks_like_name, org_name, social_post

AUTHORS = [
    ("Andrew England, Felicia Scwartz", ["Andrew England", "Felicia Scwartz"]),
    ("Hamidreza Azizi and Erwin Van Veen", ["Hamidreza Azizi", "Erwin Van Veen"]),
    ("Mark N. Katz et al.,", ["Mark N. Katz"]),
    ("U.S. Customs and Border Protection", ["U.S. Customs and Border Protection"]),
    ("Abodollah Ganji Twitter Account", ["Abodollah Ganji"]),
    ("@elonmusk", ["@elonmusk"]),
]


@pytest.mark.parametrize("head,authors", AUTHORS)
def test_find_authors(head, authors):
    assert find_authors(head) == authors


def test_an_organisation_is_no_author_where_only_people_are_allowed():
    assert find_authors("U.S. Customs and Border Protection", allow_org=False) == []


def test_an_organisation_word_ends_the_name_or_heads_an_of_phrase():
    assert (org_name("Ministry of Defense"), org_name("U.S. Census Bureau")) == (True, True)
    assert org_name("EU-Armenia Association Agreement") is False  # a title


def test_names_and_titles_are_told_apart():
    assert looks_like_name("Mark N. Katz") is True
    assert looks_like_name("See") is False
    assert looks_like_name("Foreign Policy Centre") is False
    assert common_words("Understanding Bitcoin Mining") is True  # a title, not a name
    assert common_words("Ilya Roubanis") is False


def test_a_post_on_a_social_network_gives_its_platform_and_handle():
    urls = ["https://www.fpc.org/x", "https://twitter.com/ab_ganji/status/1443853234079256583?s=20"]
    assert social_post(urls) == ("Twitter", "@ab_ganji")
    assert social_post(["https://facebook.com/a/status/1"]) is None
