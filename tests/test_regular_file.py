import pytest

from hotpapers.regular_file import TooLarge, read_regular_file


def test_max_bytes_alone_cuts_the_read_short(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    assert read_regular_file(path) == b"0123456789"
    assert read_regular_file(path, max_bytes=4) == b"0123"


def test_refuse_larger_refuses_a_file_of_more_than_max_bytes_and_reads_one_of_as_many(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    with pytest.raises(TooLarge):
        read_regular_file(path, max_bytes=9, refuse_larger=True)
    assert read_regular_file(path, max_bytes=10, refuse_larger=True) == b"0123456789"


def test_refuse_larger_without_max_bytes_is_a_mistake_of_the_caller(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    with pytest.raises(ValueError, match="refuse_larger needs max_bytes"):
        read_regular_file(path, refuse_larger=True)
