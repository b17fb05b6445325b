"""Each ranking rule of docs/ranking.md, with expected values worked out by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from conftest import example_data, make_config, make_mention, make_paper, make_snapshot
from hotpapers.errors import ConfigError
from hotpapers.models import PlatformTotals, Snapshot
from hotpapers.rank import rank, unknown_paper_ids


def ids(ranked):
    return [r.paper.id for r in ranked]


def test_totals_are_sums_over_all_mentions_shown_or_not():
    paper = make_paper("2009.00001")
    mentions = [make_mention("1", reposts=40, likes=10), make_mention("2", reposts=3, likes=4)]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    assert (ranked.reposts, ranked.likes, ranked.score) == (43, 14, 57)
    assert [m.id for m in ranked.shown] == ["1"]  # 7 < 25: counted, not shown


def test_paper_below_min_score_is_left_out_and_threshold_is_inclusive():
    papers = [make_paper("2009.00001"), make_paper("2009.00002")]
    mentions = [
        make_mention("1", ("2009.00001",), reposts=25, likes=25),
        make_mention("2", ("2009.00002",), reposts=49),
    ]
    assert ids(rank(make_snapshot(papers, mentions), make_config())) == ["2009.00001"]


def test_papers_ordered_by_score_then_id():
    papers = [make_paper(i) for i in ("2009.00003", "2009.00001", "2009.00002")]
    mentions = [
        make_mention("1", ("2009.00003",), likes=60),
        make_mention("2", ("2009.00001",), likes=60),
        make_mention("3", ("2009.00002",), likes=90),
    ]
    assert ids(rank(make_snapshot(papers, mentions), make_config())) == ["2009.00002", "2009.00001", "2009.00003"]


def test_mentions_ordered_by_score_then_numeric_id():
    paper = make_paper()
    mentions = [make_mention("100", likes=30), make_mention("99", likes=30), make_mention("5", likes=40)]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    # numerically 99 < 100, although "100" < "99" as text
    assert [m.id for m in ranked.shown] == ["5", "99", "100"]


def test_ids_of_any_length_or_script_order_without_failing():
    """A 5,000-digit id (past int()'s 4,300) orders by its digits; '²' is a digit to
    str.isdigit but no number, so it orders as text, after the numbers."""
    paper = make_paper()
    long = "9" * 5000
    mentions = [make_mention(i, likes=30) for i in ("²", long, "0100", "99", "x")]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    assert [m.id for m in ranked.shown] == ["99", "0100", long, "x", "²"]


def test_only_the_first_ten_mentions_are_considered():
    paper = make_paper()
    mentions = [make_mention(str(n), likes=100 - n) for n in range(12)]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    assert [m.id for m in ranked.shown] == [str(n) for n in range(10)]
    assert ranked.likes == sum(100 - n for n in range(12))


def test_mention_threshold_is_inclusive_and_a_paper_may_show_nothing():
    papers = [make_paper("2009.00001"), make_paper("2009.00002")]
    mentions = [
        make_mention("1", ("2009.00001",), likes=25),
        make_mention("2", ("2009.00001",), likes=24),
        make_mention("6", ("2009.00001",), likes=1),
    ] + [make_mention(str(n), ("2009.00002",), likes=20) for n in range(3, 6)]
    first, second = rank(make_snapshot(papers, mentions), make_config())
    # 2009.00002: three posts of 20 make 60 points, none reaches 25: listed without an embed
    assert (first.paper.id, first.score, [m.id for m in first.shown]) == ("2009.00002", 60, [])
    # 2009.00001: 25 + 24 + 1 = 50 reaches the paper threshold; only the 25 is shown
    assert (second.paper.id, second.score, [m.id for m in second.shown]) == ("2009.00001", 50, ["1"])


def test_always_show_top_shows_the_best_mention_regardless():
    paper = make_paper()
    mentions = [make_mention(str(n), likes=20) for n in range(1, 4)]
    config = make_config(ranking={"always_show_top": True})
    [ranked] = rank(make_snapshot([paper], mentions), config)
    assert [m.id for m in ranked.shown] == ["1"]


def test_a_mention_linking_two_papers_counts_for_both_once_each():
    papers = [make_paper("2009.00001"), make_paper("2009.00002")]
    mentions = [make_mention("1", ("2009.00001", "2009.00002", "2009.00001"), reposts=30, likes=30)]
    ranked = rank(make_snapshot(papers, mentions), make_config())
    assert [(r.paper.id, r.score, [m.id for m in r.shown]) for r in ranked] == [
        ("2009.00001", 60, ["1"]),
        ("2009.00002", 60, ["1"]),
    ]


def test_duplicate_records_of_one_post_count_once_with_the_latest_counts():
    paper = make_paper()
    old = make_mention("1", likes=40, observed_at="2020-09-25T08:00:00Z")
    new = make_mention("1", likes=70, observed_at="2020-09-26T08:00:00Z")
    for order in ([old, new], [new, old]):
        [ranked] = rank(make_snapshot([paper], order), make_config())
        assert ranked.likes == 70 and len(ranked.shown) == 1


def test_same_id_on_two_platforms_are_two_mentions():
    paper = make_paper()
    mentions = [make_mention("1", likes=30), make_mention("1", likes=30, platform="bluesky", url="https://bsky.app/x")]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    assert ranked.likes == 60


def test_mentions_of_unknown_ids_are_ignored_and_reported():
    paper = make_paper("2009.00001")
    mentions = [make_mention("1", ("2009.00001", "2009.99999"), likes=80)]
    snapshot = make_snapshot([paper], mentions)
    assert ids(rank(snapshot, make_config())) == ["2009.00001"]
    assert unknown_paper_ids(snapshot) == ["2009.99999"]


def test_weights_change_scores():
    papers = [make_paper("2009.00001"), make_paper("2009.00002")]
    mentions = [make_mention("1", ("2009.00001",), reposts=40), make_mention("2", ("2009.00002",), likes=60)]
    config = make_config(ranking={"weights": {"reposts": 2, "likes": 0.5}})
    ranked = rank(make_snapshot(papers, mentions), config)
    assert [(r.paper.id, r.score) for r in ranked] == [("2009.00001", 80)]


def four_platforms(paper_id="2009.00001"):
    """One mention per platform, every count set, observed at different times."""
    return [
        make_mention("1", (paper_id,), reposts=10, likes=20, replies=5, quotes=3),
        make_mention(
            "at://did:plc:a/app.bsky.feed.post/3k",
            (paper_id,),
            reposts=4,
            likes=16,
            replies=9,
            quotes=2,
            platform="bluesky",
            url="https://bsky.app/profile/a.bsky.social/post/3k",
            observed_at="2020-09-25T08:30:00Z",
        ),
        make_mention(
            "24000000",
            (paper_id,),
            likes=40,
            replies=15,
            platform="hackernews",
            url="https://news.ycombinator.com/item?id=24000000",
            observed_at="2020-09-25T09:00:00Z",
        ),
        make_mention(
            paper_id,
            (paper_id,),
            likes=30,
            replies=2,
            platform="huggingface",
            url=f"https://huggingface.co/papers/{paper_id}",
            observed_at="2020-09-25T07:00:00Z",
        ),
    ]


def test_default_weights_per_platform():
    [ranked] = rank(make_snapshot([make_paper()], four_platforms()), make_config())
    # X and Bluesky: reposts + likes (replies and quotes weigh nothing): 10 + 20 = 30, 4 + 16 = 20;
    # Hacker News: points + comments = 40 + 15 = 55; Hugging Face: upvotes only = 30.
    assert ranked.platforms == (
        PlatformTotals("hackernews", 0, 40, 15, 0, 55, "2020-09-25T09:00:00Z"),
        PlatformTotals("huggingface", 0, 30, 2, 0, 30, "2020-09-25T07:00:00Z"),  # ties with X: by name
        PlatformTotals("twitter", 10, 20, 5, 3, 30, "2020-09-25T08:00:00Z"),
        PlatformTotals("bluesky", 4, 16, 9, 2, 20, "2020-09-25T08:30:00Z"),
    )
    assert (ranked.score, ranked.reposts, ranked.likes) == (135, 14, 106)
    assert ranked.observed_at == "2020-09-25T09:00:00Z"
    # shown in score order; HF and X tie at 30: by id, "1" before "2009.00001" (numbers first)
    assert [m.platform for m in ranked.shown] == ["hackernews", "twitter", "huggingface"]


def test_platform_weights_replace_the_general_weights_and_unlisted_counts_weigh_nothing():
    config = make_config(
        ranking={
            "weights": {"replies": 0.5},  # merged over the defaults: reposts 1, likes 1, replies 0.5
            "platform_weights": {"bluesky": {"quotes": 2}, "huggingface": {"likes": 2, "replies": 10}},
            "min_mention_score": 0,
        }
    )
    [ranked] = rank(make_snapshot([make_paper()], four_platforms()), config)
    scores = {t.platform: t.score for t in ranked.platforms}
    # X: 10 + 20 + 5 x 0.5 = 32.5; Bluesky: only quotes, 2 x 2 = 4; HN keeps its default 40 + 15 = 55;
    # HF: 30 x 2 + 2 x 10 = 80
    assert scores == {"twitter": 32.5, "bluesky": 4, "hackernews": 55, "huggingface": 80}
    assert ranked.score == 171.5
    assert [m.platform for m in ranked.shown] == ["huggingface", "hackernews", "twitter", "bluesky"]


def test_null_counts_are_zero():
    mentions = [
        make_mention("1", likes=40, replies=None, platform="hackernews", url="https://news.ycombinator.com/item?id=1"),
        make_mention("2", likes=9, replies=1),
    ]
    [ranked] = rank(make_snapshot([make_paper()], mentions), make_config(ranking={"min_paper_score": 40}))
    assert [(t.platform, t.replies, t.score) for t in ranked.platforms] == [("hackernews", 0, 40), ("twitter", 1, 9)]
    assert ranked.score == 49


def test_a_hacker_news_story_alone_can_carry_a_paper():
    # points 30 + comments 20 = 50 reaches the paper threshold, and 25 shows the story
    mention = make_mention(
        "7", likes=30, replies=20, platform="hackernews", url="https://news.ycombinator.com/item?id=7"
    )
    [ranked] = rank(make_snapshot([make_paper()], [mention]), make_config())
    assert (ranked.score, [m.id for m in ranked.shown]) == (50, ["7"])


def test_twitter_only_totals_are_the_classic_ones():
    mentions = [make_mention("1", reposts=40, likes=10, replies=99, quotes=99), make_mention("2", reposts=3, likes=4)]
    [ranked] = rank(make_snapshot([make_paper()], mentions), make_config())
    assert (ranked.reposts, ranked.likes, ranked.score) == (43, 14, 57)
    assert ranked.platforms == (PlatformTotals("twitter", 43, 14, 99, 99, 57, "2020-09-25T08:00:00Z"),)


def test_the_documented_example_weights():
    # docs/ranking.md: merged over the defaults, HN keeps points 1 and weighs comments 0.5;
    # listed Bluesky counts its quotes and no longer follows ranking.weights
    config = make_config(
        ranking={
            "weights": {"reposts": 5},
            "min_mention_score": 0,
            "platform_weights": {
                "hackernews": {"replies": 0.5},
                "huggingface": {"likes": 2},
                "bluesky": {"reposts": 1, "likes": 1, "quotes": 1},
            },
        }
    )
    [ranked] = rank(make_snapshot([make_paper()], four_platforms()), config)
    # HN 40 + 15 x 0.5 = 47.5; HF 30 x 2 = 60; X 10 x 5 + 20 = 70; Bluesky 4 + 16 + 2 = 22
    assert [(t.platform, t.score) for t in ranked.platforms] == [
        ("twitter", 70),
        ("huggingface", 60),
        ("hackernews", 47.5),
        ("bluesky", 22),
    ]


@pytest.mark.parametrize(
    "weights",
    [{"hackernwes": {"likes": 1}}, {"bluesky": {"boosts": 1}}, {"bluesky": {"likes": -1}}, {"bluesky": 1}],
)
def test_bad_platform_weights_are_refused(weights):
    with pytest.raises(ConfigError, match=r"ranking\.platform_weights"):
        make_config(ranking={"platform_weights": weights})


def test_category_patterns_filter_candidates():
    papers = [
        make_paper("2009.00001", categories=("math.CO", "stat.ML")),
        make_paper("2009.00002", categories=("cs.CL",)),
        make_paper("2009.00003", categories=("stat.ME",)),
        make_paper("2009.00004", categories=("physics.soc-ph",)),
    ]
    mentions = [make_mention(str(n), (p.id,), likes=100) for n, p in enumerate(papers)]
    config = make_config(candidates={"categories": ["cs.*", "stat.ML"]})
    assert ids(rank(make_snapshot(papers, mentions), config)) == ["2009.00001", "2009.00002"]
    assert len(rank(make_snapshot(papers, mentions), make_config())) == 4


def test_category_patterns_match_whatever_their_case():
    """`candidates: {categories: [stat.ml, CS.RO]}` left every paper out without a word but
    explain's: arXiv's categories differ in more than case (no two are the same letters in
    another case), so a pattern written in the wrong case can only mean the category."""
    papers = [
        make_paper("2009.00001", categories=("stat.ML",)),
        make_paper("2009.00002", categories=("cs.RO", "cs.AI")),
        make_paper("2009.00003", categories=("physics.soc-ph",)),
        make_paper("2009.00004", categories=("cs.LG",)),
    ]
    mentions = [make_mention(str(n), (p.id,), likes=100) for n, p in enumerate(papers)]
    config = make_config(candidates={"categories": ["stat.ml", "CS.RO", "Physics.*"]})
    assert ids(rank(make_snapshot(papers, mentions), config)) == ["2009.00001", "2009.00002", "2009.00003"]


def test_max_age_days_counts_from_the_digest_day():
    papers = [
        make_paper("2009.00001", published="2020-09-17T23:59:59Z"),  # 7 days before 09-24: kept
        make_paper("2009.00002", published="2020-09-16T23:59:59Z"),  # 8 days: left out
        make_paper("2009.00003", published=None),  # unknown: kept
    ]
    mentions = [make_mention(str(n), (p.id,), likes=100) for n, p in enumerate(papers)]
    config = make_config(candidates={"max_age_days": 7})
    assert ids(rank(make_snapshot(papers, mentions), config)) == ["2009.00001", "2009.00003"]


def test_max_age_uses_the_configured_time_zone():
    # 2020-09-16T20:00Z is 09-17 05:00 in Tokyo: 7 days before the digest day there.
    paper = make_paper("2009.00001", published="2020-09-16T20:00:00Z")
    snapshot = make_snapshot([paper], [make_mention("1", likes=100)])
    assert ids(rank(snapshot, make_config(candidates={"max_age_days": 7}))) == []
    assert ids(rank(snapshot, make_config(timezone="Asia/Tokyo", candidates={"max_age_days": 7}))) == ["2009.00001"]


def test_time_of_a_paper_is_its_latest_observation():
    paper = make_paper()
    mentions = [
        make_mention("1", likes=60, observed_at="2020-09-25T08:00:00Z"),
        make_mention("2", likes=1, observed_at="2020-09-25T09:30:00+02:00"),  # 07:30Z, earlier
        make_mention("3", likes=1, observed_at="2020-09-25T08:00:05Z"),
    ]
    [ranked] = rank(make_snapshot([paper], mentions), make_config())
    assert ranked.observed_at == "2020-09-25T08:00:05Z"


def test_example_day_ranks_as_published():
    snapshot = Snapshot.from_dict(example_data())
    ranked = rank(snapshot, make_config(candidates={"categories": ["cs.*", "stat.ML"], "max_age_days": 7}))
    assert [(r.paper.id, r.reposts, r.likes) for r in ranked][:3] == [
        ("2009.11243", 18348, 0),
        ("2009.10795", 1038, 219),
        ("2009.10847", 242, 33),
    ]
    assert len(ranked) == 11


mention_lists = st.lists(
    st.builds(
        make_mention,
        id=st.integers(1, 40).map(str),
        platform=st.sampled_from(["twitter", "twitter", "bluesky", "hackernews", "huggingface"]),
        replies=st.none() | st.integers(0, 30),
        quotes=st.none() | st.integers(0, 30),
        paper_ids=st.lists(
            st.sampled_from(["2009.00001", "2009.00002", "2009.00003", "2009.99999"]), min_size=1, max_size=3
        ).map(tuple),
        reposts=st.integers(0, 60),
        likes=st.integers(0, 60),
        observed_at=st.sampled_from(["2020-09-25T08:00:00Z", "2020-09-25T09:00:00Z"]),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(mentions=mention_lists, seed=st.randoms())
def test_ranking_ignores_input_order(mentions, seed):
    papers = [make_paper("2009.00001"), make_paper("2009.00002"), make_paper("2009.00003")]
    config = make_config()
    expected = rank(make_snapshot(papers, mentions), config)
    shuffled_papers, shuffled_mentions = papers[:], mentions[:]
    seed.shuffle(shuffled_papers)
    seed.shuffle(shuffled_mentions)
    assert rank(make_snapshot(shuffled_papers, shuffled_mentions), config) == expected


@settings(max_examples=150, deadline=None)
@given(mentions=mention_lists)
def test_totals_equal_the_sums_of_distinct_mentions(mentions):
    papers = [make_paper("2009.00001"), make_paper("2009.00002"), make_paper("2009.00003")]
    config = make_config(ranking={"min_paper_score": 0})
    latest = {}
    for m in mentions:  # the latest observation of each post, larger counts breaking ties
        key = (m.platform, m.id)
        if key not in latest or (m.observed_at, m.reposts, m.likes, m.replies or 0, m.quotes or 0) > (
            latest[key].observed_at,
            latest[key].reposts,
            latest[key].likes,
            latest[key].replies or 0,
            latest[key].quotes or 0,
        ):
            latest[key] = replace(m, paper_ids=tuple(sorted({*latest.get(key, m).paper_ids, *m.paper_ids})))
        else:
            latest[key] = replace(latest[key], paper_ids=tuple(sorted({*latest[key].paper_ids, *m.paper_ids})))
    for ranked in rank(make_snapshot(papers, mentions), config):
        counted = [m for m in latest.values() if ranked.paper.id in m.paper_ids]
        assert ranked.reposts == sum(m.reposts for m in counted)
        assert ranked.likes == sum(m.likes for m in counted)
        # the defaults: reposts + likes, except Hacker News (points + comments) and Hugging Face (upvotes)
        by_hand = {
            "twitter": lambda m: m.reposts + m.likes,
            "bluesky": lambda m: m.reposts + m.likes,
            "hackernews": lambda m: m.likes + (m.replies or 0),
            "huggingface": lambda m: m.likes,
        }
        assert ranked.score == sum(by_hand[m.platform](m) for m in counted)
        for totals in ranked.platforms:
            assert totals.score == sum(by_hand[m.platform](m) for m in counted if m.platform == totals.platform)


def test_no_mention_is_considered_when_max_mentions_per_paper_is_0_even_with_always_show_top():
    # docs/ranking.md: of the first max_mentions_per_paper, each one scoring enough is shown,
    # and always_show_top shows the best of those: with 0 there is no first one to show
    # (none reaches min_mention_score 25, so only always_show_top could show one)
    mentions = [make_mention("1", likes=20), make_mention("2", likes=20), make_mention("3", likes=20)]
    config = make_config(ranking={"max_mentions_per_paper": 0, "always_show_top": True})
    [ranked] = rank(make_snapshot([make_paper()], mentions), config)
    assert (ranked.score, ranked.shown) == (60, ())
    one = make_config(ranking={"max_mentions_per_paper": 1, "always_show_top": True})
    assert [m.id for m in rank(make_snapshot([make_paper()], mentions), one)[0].shown] == ["1"]


def test_without_max_age_days_a_paper_published_long_ago_is_a_candidate():
    paper = make_paper(published="2001-01-01T00:00:00Z")  # 7206 days before the digest day
    snapshot = make_snapshot([paper], [make_mention("1", likes=100)])
    assert ids(rank(snapshot, make_config())) == ["2009.00001"]
    assert ids(rank(snapshot, make_config(candidates={"max_age_days": None}))) == ["2009.00001"]


def test_time_of_a_paper_on_two_platforms_is_the_latest_even_when_the_best_platform_was_read_earlier():
    mentions = [
        make_mention("1", likes=60, observed_at="2020-09-25T08:00:00Z"),  # X: 60, the best platform
        make_mention(
            "at://did:plc:a/app.bsky.feed.post/3k",
            likes=5,
            platform="bluesky",
            url="https://bsky.app/profile/a.bsky.social/post/3k",
            observed_at="2020-09-25T08:30:00Z",
        ),
    ]
    [ranked] = rank(make_snapshot([make_paper()], mentions), make_config())
    assert [t.platform for t in ranked.platforms] == ["twitter", "bluesky"]
    assert ranked.observed_at == "2020-09-25T08:30:00Z"


def hn_story(id, points, comments):
    return make_mention(
        id, likes=points, replies=comments, platform="hackernews", url=f"https://news.ycombinator.com/item?id={id}"
    )


def test_a_mention_is_shown_by_its_score_in_its_platforms_weights_on_one_platform():
    # Hacker News alone: points + comments; story 1: 20 + 10 = 30 reaches 25, story 2: 20 does not
    [ranked] = rank(make_snapshot([make_paper()], [hn_story("1", 20, 10), hn_story("2", 20, 0)]), make_config())
    assert (ranked.score, [m.id for m in ranked.shown]) == (50, ["1"])
    # Bluesky alone with its quotes weighed: 20 likes + 6 quotes = 26 shown, 24 likes are not
    bluesky = {"platform": "bluesky", "url": "https://bsky.app/profile/a.bsky.social/post/3k"}
    posts = [make_mention("1", likes=20, quotes=6, **bluesky), make_mention("2", likes=24, **bluesky)]
    config = make_config(ranking={"platform_weights": {"bluesky": {"likes": 1, "quotes": 1}}})
    [ranked] = rank(make_snapshot([make_paper()], posts), config)
    assert (ranked.score, [m.id for m in ranked.shown]) == (50, ["1"])
    # X alone, reposts weighing 2 and likes 0.5: 8 x 2 + 20 x 0.5 = 26 shown, 48 likes (24) are not
    tweets = [make_mention("1", reposts=8, likes=20), make_mention("2", likes=48)]
    config = make_config(ranking={"weights": {"reposts": 2, "likes": 0.5}})
    [ranked] = rank(make_snapshot([make_paper()], tweets), config)
    assert (ranked.score, [m.id for m in ranked.shown]) == (50, ["1"])


def test_mentions_on_two_platforms_are_each_shown_by_their_own_platforms_weights():
    # the story: 10 points + 20 comments = 30 (X's weights would give it 10); the tweet:
    # 20 reposts + 10 likes = 30 (Hacker News's weights would give it 10): both shown
    tweet = make_mention("2", reposts=20, likes=10)
    [ranked] = rank(make_snapshot([make_paper()], [hn_story("1", 10, 20), tweet]), make_config())
    assert (ranked.score, [m.id for m in ranked.shown]) == (60, ["1", "2"])
    # neither weighing replies or quotes: Bluesky's reposts weigh 2 and its likes nothing, so
    # its post is 15 x 2 = 30 (X's weights would give 15), the tweet 30 likes (Bluesky's: 0)
    post = make_mention("1", reposts=15, platform="bluesky", url="https://bsky.app/profile/a.bsky.social/post/3k")
    config = make_config(ranking={"platform_weights": {"bluesky": {"reposts": 2}}})
    [ranked] = rank(make_snapshot([make_paper()], [post, make_mention("2", likes=30)]), config)
    assert (ranked.score, [m.id for m in ranked.shown]) == (60, ["1", "2"])


def test_a_null_count_is_0_in_a_mentions_score():
    # with replies and quotes weighed, a null count adds 0: each of these scores 24, under 25
    config = make_config(ranking={"platform_weights": {"bluesky": {"likes": 1, "quotes": 1}}})
    bluesky = {"platform": "bluesky", "url": "https://bsky.app/profile/a.bsky.social/post/3k"}
    mentions = [
        make_mention("1", likes=26),
        hn_story("2", 24, None),
        make_mention("3", likes=24, quotes=None, **bluesky),
    ]
    [ranked] = rank(make_snapshot([make_paper()], mentions), config)
    assert (ranked.score, [m.id for m in ranked.shown]) == (74, ["1"])


def test_of_two_records_of_a_post_read_at_once_a_null_count_is_0_when_comparing_counts():
    # same time, reposts and likes: the replies decide (a null is 0, below 3), then the quotes
    # (null replies are 0 as the other record's 0; its 1 quote beats 0)
    observed = {"likes": 60, "observed_at": "2020-09-25T08:00:00Z"}
    pairs = [
        (make_mention("1", replies=None, quotes=0, **observed), make_mention("1", replies=3, quotes=0, **observed)),
        (make_mention("1", replies=None, quotes=0, **observed), make_mention("1", replies=0, quotes=1, **observed)),
        (make_mention("1", replies=0, quotes=None, **observed), make_mention("1", replies=0, quotes=2, **observed)),
    ]
    for older, fresher in pairs:
        for order in ([older, fresher], [fresher, older]):
            [ranked] = rank(make_snapshot([make_paper()], order), make_config())
            assert (ranked.platforms[0].replies, ranked.platforms[0].quotes) == (fresher.replies, fresher.quotes)


def test_papers_of_equal_score_order_by_arxiv_id_not_by_title():
    # docs/ranking.md: "ordered by score, highest first, then by arXiv id"; the titles sort the other way
    papers = [make_paper("2009.00001", title="Zebra"), make_paper("2009.00002", title="Aardvark")]
    mentions = [make_mention("1", ("2009.00002",), likes=60), make_mention("2", ("2009.00001",), likes=60)]
    assert ids(rank(make_snapshot(papers, mentions), make_config())) == ["2009.00001", "2009.00002"]


def test_posts_of_equal_score_and_id_on_two_platforms_order_by_platform_whatever_the_input_order():
    # same score (30), same id "7": the tie goes to the platform name, bluesky before twitter
    tweet = make_mention("7", likes=30)
    post = make_mention("7", likes=30, platform="bluesky", url="https://bsky.app/profile/a.bsky.social/post/7")
    for order in ([tweet, post], [post, tweet]):
        [ranked] = rank(make_snapshot([make_paper()], order), make_config())
        assert [m.platform for m in ranked.shown] == ["bluesky", "twitter"]


def test_of_two_records_of_a_post_the_later_observation_wins_by_time_not_by_text():
    # 10:00+02:00 is 08:00Z, before 09:00Z, though "T10" sorts after "T09" as text
    earlier = make_mention("1", likes=70, observed_at="2020-09-25T10:00:00+02:00")
    later = make_mention("1", likes=40, observed_at="2020-09-25T09:00:00Z")
    for order in ([earlier, later], [later, earlier]):
        [ranked] = rank(make_snapshot([make_paper()], order), make_config(ranking={"min_paper_score": 0}))
        assert ranked.likes == 40


def test_max_age_days_0_keeps_the_papers_of_the_digest_day_and_after_only():
    # "published at most 0 days before 2020-09-24": that day (or later, as the day is counted
    # in the site's zone and arXiv's time is not) is kept, the day before is not
    papers = [
        make_paper("2009.00001", published="2020-09-24T00:00:00Z"),  # the day: kept
        make_paper("2009.00002", published="2020-09-23T23:59:59Z"),  # 1 day before: left out
        make_paper("2009.00003", published="2020-09-25T01:00:00Z"),  # the day after: 0 days before at most, kept
    ]
    mentions = [make_mention(str(n), (p.id,), likes=100) for n, p in enumerate(papers)]
    config = make_config(candidates={"max_age_days": 0})
    assert ids(rank(make_snapshot(papers, mentions), config)) == ["2009.00001", "2009.00003"]
