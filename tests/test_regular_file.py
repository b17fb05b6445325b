import io
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from hotpapers.regular_file import NotRegularFile, TooLarge, read_regular_file, read_stream, site_file_text


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


def test_a_device_is_refused_as_such():
    with pytest.raises(NotRegularFile) as info:
        read_regular_file(Path("/dev/null"))
    assert info.value.kind == "a device"


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc")
def test_refuse_larger_refuses_a_file_larger_than_its_size_says():
    """A file that grows while read is refused from what is read: /proc/self/status says
    it holds 0 bytes and holds hundreds."""
    assert Path("/proc/self/status").stat().st_size == 0
    with pytest.raises(TooLarge):
        read_regular_file(Path("/proc/self/status"), max_bytes=10, refuse_larger=True)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc")
def test_no_file_is_left_open(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"0123456789")
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        read_regular_file(path, max_bytes=4)
        with pytest.raises(TooLarge):
            read_regular_file(path, max_bytes=4, refuse_larger=True)
        with pytest.raises(NotRegularFile):
            read_regular_file(tmp_path)
    assert len(os.listdir("/proc/self/fd")) == before


def test_site_file_text_replaces_bytes_that_are_no_utf8(tmp_path):
    path = tmp_path / "package.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    assert site_file_text(path) == '{"name": "caf\ufffd"}'
    assert site_file_text(tmp_path / "missing.json") == ""


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc")
def test_a_small_file_is_read_under_an_address_space_limit_below_max_bytes(tmp_path):
    """A host that limits a process's memory (`ulimit -v`, as shared hosts and some CI
    runners do) still reads a snapshot of a few kilobytes when the most it may hold
    (512 MiB) is more than the limit leaves: the read sets aside what the file holds, not
    `max_bytes`. Before, building the sample day under `ulimit -v 560000` failed with
    an internal MemoryError."""
    path = tmp_path / "snapshot.json"
    path.write_bytes(b"{}" * 20_000)
    code = (
        "import re, resource, sys\n"
        "from pathlib import Path\n"
        "from hotpapers.regular_file import read_regular_file\n"
        "used = int(re.search(r'VmSize:\\s+(\\d+) kB', Path('/proc/self/status').read_text())[1]) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 128 * 1024 * 1024,) * 2)\n"
        "data = read_regular_file(Path(sys.argv[1]), max_bytes=512 * 1024 * 1024, refuse_larger=True)\n"
        "print(len(data))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "40000"), done.stderr[-300:]


class _Endless(io.RawIOBase):
    """A writer that never stops (`yes | hotpapers render -`)."""

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"y" * len(buffer)
        return len(buffer)


def test_an_endless_stream_is_refused_holding_its_limit_once_in_memory():
    """`yes | hotpapers render -` took about 1.1 GB to refuse 512 MiB: the pieces read,
    then their join, held the bytes twice."""
    limit = 8 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            read_stream(io.BufferedReader(_Endless()), limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert limit < peak < 1.5 * limit


def test_a_stream_is_read_whole_up_to_its_limit():
    assert read_stream(io.BytesIO(b"x" * 100_000), 100_000) == b"x" * 100_000
    with pytest.raises(TooLarge):
        read_stream(io.BytesIO(b"x" * 100_001), 100_000)
