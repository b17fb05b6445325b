"""The arXiv id resolver over the real forms links take."""

import pytest

from hotpapers.arxiv_ids import id_from_url, ids_in_text, resolve_ids


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2009.11243", "2009.11243"),
        ("http://arxiv.org/abs/2009.11243v2", "2009.11243"),
        ("https://arxiv.org/pdf/2009.11243", "2009.11243"),
        ("https://arxiv.org/pdf/2009.11243.pdf", "2009.11243"),
        ("https://arxiv.org/pdf/2009.11243v3.pdf", "2009.11243"),
        ("https://arxiv.org/html/2401.01234v1", "2401.01234"),
        ("https://arxiv.org/html/2401.01234v1/", "2401.01234"),
        ("https://arxiv.org/format/2009.11243", "2009.11243"),
        ("https://export.arxiv.org/abs/2009.11243", "2009.11243"),
        ("https://www.arxiv.org/abs/2009.11243?context=cs", "2009.11243"),
        ("https://arxiv.org/abs/2009.11243#references", "2009.11243"),
        ("https://arxiv.org/abs/arXiv:2009.11243", "2009.11243"),
        ("https://ARXIV.ORG/abs/2009.11243", "2009.11243"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
        ("https://arxiv.org/abs/hep-th/0703999", "hep-th/0703999"),
        ("https://arxiv.org/abs/hep-th/9108001", "hep-th/9108001"),
        ("https://arxiv.org/abs/solv-int/9901001", "solv-int/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
        ("https://arxiv.org/pdf/math.GT/0309136.pdf", "math/0309136"),  # arXiv's own name drops the class
        ("https://arxiv.org/abs/math/0309136v1", "math/0309136"),
        ("https://doi.org/10.48550/arXiv.2009.11243", "2009.11243"),
        ("https://dx.doi.org/10.48550/ARXIV.2009.11243", "2009.11243"),
        ("https://www.alphaxiv.org/abs/2009.11243", "2009.11243"),
        ("https://www.alphaxiv.org/overview/2009.11243v1", "2009.11243"),
        ("https://huggingface.co/papers/2009.11243", "2009.11243"),
        ("https://ar5iv.labs.arxiv.org/html/2009.11243", "2009.11243"),
        ("https://ar5iv.org/abs/hep-th/9901001", "hep-th/9901001"),
        # not papers
        ("https://arxiv.org/list/cs.LG/recent", None),
        ("https://arxiv.org/abs/2009.1124", None),
        ("https://arxiv.org/abs/1912.123456", None),
        ("https://arxiv.org/abs/1912.1234", None),  # 4 digits after 2014
        ("https://arxiv.org/abs/2013.12345", None),  # month 13
        # ids arXiv's own identifier rules refuse (arxiv-browse's Identifier): the API answers a
        # batch holding one with HTTP 400, and the day would lose all its metadata
        ("https://arxiv.org/abs/0703.0001", None),  # new-style ids start in April 2007
        ("https://arxiv.org/abs/0704.0000", None),  # number 0
        ("https://arxiv.org/abs/1501.00000", None),
        ("https://arxiv.org/abs/hep-th/0704001", None),  # old-style ids end in March 2007
        ("https://arxiv.org/abs/hep-th/9012001", None),  # ... and start in 1991
        ("https://arxiv.org/abs/hep-th/9901000", None),
        ("https://arxiv.org/abs/-/9901001", None),  # an archive is letters, with one hyphenated part of 2+
        ("https://arxiv.org/abs/hep-t/9901001", None),
        ("https://arxiv.org/abs/hep--th/9901001", None),
        ("https://example.org/abs/2009.11243", None),
        ("https://huggingface.co/models/2009.11243", None),
        ("https://doi.org/10.1103/PhysRevB.85.115117", None),
        ("https://t.co/6Wk9DparBL", None),
        ("not a url", None),
        ("http://[::1", None),
        ("https://arxiv.org/abs/٢٠٠٩.١١٢٤٣", None),  # other scripts' digits: a snapshot would refuse the id
    ],
)
def test_url_forms(url, expected):
    assert id_from_url(url) == expected


def test_an_old_style_id_with_or_without_its_subject_class_is_one_paper():
    """arXiv names math.CA/0611800v2 'arXiv:math/0611800v2' and its API answers with that
    id (help/arxiv_identifier_for_services): with the class kept, two posts linking both
    forms made two papers, and the one with the class never got its metadata."""
    urls = ["https://arxiv.org/abs/math.GT/0309136", "https://arxiv.org/abs/math/0309136v1"]
    assert resolve_ids(urls, "see arXiv:math.CA/0611800v2") == ("math/0309136", "math/0611800")


def test_ids_in_text():
    text = (
        "See arXiv:2009.11243v2 and arxiv: 2009.10795, also ARXIV:hep-th/9901001. "
        "Not xarXiv:2009.00001, arXiv:2009.1 or arXiv:٢٠٠٩.١١٢٤٣"
    )
    assert ids_in_text(text) == ["2009.11243", "2009.10795", "hep-th/9901001"]


def test_resolve_deduplicates_in_order():
    urls = [
        "https://arxiv.org/pdf/2009.11243v1.pdf",
        "https://twitter.com/x/status/1",
        "https://arxiv.org/abs/2009.10795",
    ]
    assert resolve_ids(urls, "arXiv:2009.11243") == ("2009.11243", "2009.10795")
