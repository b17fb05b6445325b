"""refuse_without_metadata's error, for a snapshot whose arXiv and a source failed."""

from pathlib import Path

import msgspec
import pytest

import hotpapers
from hotpapers.metadata_failure import refuse_without_metadata
from hotpapers.models import SourceStatus


def test_a_failed_source_recorded_without_a_reason_is_said_failed_as_arxiv_is(tmp_path: Path) -> None:
    """A snapshot of one's own records a failure without its detail: the error said
    'huggingface: None', where arXiv's missing detail reads 'failed'."""
    day = hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (), ())
    failed = msgspec.structs.replace(
        day, sources={"arxiv": SourceStatus("failed"), "huggingface": SourceStatus("failed")}
    )
    with pytest.raises(hotpapers.FetchError) as info:
        refuse_without_metadata(failed, tmp_path / "a.json", ["huggingface", "arxiv"], keep=False)
    assert info.value.message.startswith("arxiv: failed; huggingface: failed; "), info.value.message
