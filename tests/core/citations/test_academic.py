"""Reference-list styles: APA and ACM/IEEE references."""

import pytest

from pipeline.core.citations import parse_citation

REFERENCE_LISTS = [
    pytest.param(
        "Smith, J. A., & Lee, K. (2020). Deep learning for citations. Journal of Legal Informatics, 12(3), "
        "45\u201367. https://doi.org/10.1000/jli.2020.123",
        {
            "authors": ["Smith, J. A.", "Lee, K."],
            "title": "Deep learning for citations",
            "container": "Journal of Legal Informatics",
            "published": "2020",
            "volume": "12",
            "page": "45",
            "doi": "10.1000/jli.2020.123",
        },
        id="journal-apa-doi",
    ),
    pytest.param(
        "M. Hu and B. Lu. Mining and summarizing customer reviews. In Proceedings of the Tenth ACM SIGKDD "
        "International Conference on Knowledge Discovery and Data Mining, pages 168\u2013177, Seattle, "
        "Washington, August 2004. ACM Press.",
        {
            "authors": ["M. Hu", "B. Lu"],
            "title": "Mining and summarizing customer reviews",
            "container": "Proceedings of the Tenth ACM SIGKDD International Conference on Knowledge "
            "Discovery and Data Mining",
            "published": "2004-08",
            "page": "168",
        },
        id="journal-acm-proceedings",
    ),
]


@pytest.mark.parametrize("raw,expected", REFERENCE_LISTS)
def test_reference_list_fields(raw, expected):
    fields = parse_citation(raw)
    assert {k: getattr(fields, k) for k in expected} == expected
