"""The one-regex check for plain X embeds against the strict tokenizer: it may refuse
more, never accept more."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_SNAPSHOT
from hotpapers.sanitize import _tokenized_embed_problem, embed_problem, is_plain_tweet

REAL_API = EXAMPLE_SNAPSHOT.parent.parent / "real-api"
REAL_EMBEDS = [m["embed_html"] for m in json.loads(EXAMPLE_SNAPSHOT.read_text())["mentions"] if m["embed_html"]] + [
    json.loads((REAL_API / name).read_text())["html"]
    for name in ("x_oembed_alleyco_2023_default_params.json", "x_oembed_hot97_2024_emoji_surrogates.json")
]
SNIPPETS = [
    "<",
    ">",
    '"',
    "'",
    "&",
    "&amp;",
    "&#106;",
    "\n",
    "\n\n",
    " \n",
    " ",
    "<br>",
    "<br/>",
    "<p>",
    "</p>",
    '<p lang="en">',
    "<a>",
    "</a>",
    '<a href="https://x.org/">',
    '<a href="javascript:alert(1)">',
    '<a href=" https://x.org">',
    '<a href="https://x.org/?a=1&amp;b=2">',
    "</blockquote>",
    '<blockquote class="twitter-tweet">',
    '<blockquote class="bluesky-embed">',
    "<script>",
    "</script>",
    "javascript:",
    ' data-dnt="true"',
    "<!--",
    "-->",
    "https://",
    "<img src=x>",
    "\t",
    "\r",
]
ATTRIBUTES = [
    ' style="x"',
    ' onclick="alert(1)"',
    ' data-dnt="true"',
    ' class="x"',
    " x",
    ' lang="en"',
    ' href="javascript:x"',
]


def test_real_embeds_take_the_fast_path():
    assert all(is_plain_tweet(html) for html in REAL_EMBEDS)


@st.composite
def mutated_embeds(draw):
    """A real embed with a few snippets inserted, attributes added to tags, slices
    deleted or characters replaced."""
    html = draw(st.sampled_from(REAL_EMBEDS))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(html)))
        action = draw(st.sampled_from(["insert", "attribute", "delete", "replace"]))
        if action == "attribute":
            ends = [i for i, ch in enumerate(html) if ch == ">"] or [0]
            at = draw(st.sampled_from(ends))
            html = html[:at] + draw(st.sampled_from(ATTRIBUTES)) + html[at:]
        elif action == "insert":
            html = html[:at] + draw(st.sampled_from(SNIPPETS) | st.text(max_size=3)) + html[at:]
        elif action == "delete":
            html = html[:at] + html[at + draw(st.integers(1, 20)) :]
        else:
            html = html[:at] + draw(st.sampled_from(SNIPPETS)) + html[at + 1 :]
    return html


@settings(max_examples=1500, deadline=None)
@given(mutated_embeds())
def test_the_fast_path_never_accepts_what_the_tokenizer_refuses(html):
    if is_plain_tweet(html):
        assert _tokenized_embed_problem(html, "twitter") is None
    assert (embed_problem(html, "twitter") is None) == (_tokenized_embed_problem(html, "twitter") is None)
