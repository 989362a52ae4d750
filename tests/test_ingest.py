"""Ingest: listing raw files and decoding bytes of every encoding the scraped reports arrive in.

Encoded fixtures are built here from Python strings, so what each test feeds in stays readable.
"""

import hashlib
from pathlib import Path

import opencc
import pytest

from pipeline.ingest import Decoded, RejectedInput, decode_bytes, list_raw_files, reread, settled

SIMPLIFIED = "科技局第二季度工作总结\n专利申请86件，培训农民1200人次。"
TRADITIONAL = opencc.OpenCC("s2t").convert(SIMPLIFIED)

# Short phrases are where detectors guess wrong: Big5 bytes also decode as GBK, into rare characters.
SHORT = ["县科技局", "专利申请86件", "全年争取项目资金", "创新驱动发展", "科技特派员", "资金万元"]


def test_list_raw_files_recursive_sorted_with_hashes(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(b"two")
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / "b" / "c").mkdir()
    (tmp_path / "b" / "c" / "3.dat").write_bytes(b"")
    files = list_raw_files(tmp_path)
    assert [f.source_file for f in files] == ["a.txt", "b/2.txt", "b/c/3.dat"]
    two = files[1]
    assert (two.content_hash, two.size_bytes) == (hashlib.sha256(b"two").hexdigest(), 3)


def test_a_file_with_its_remembered_stat_key_is_not_read_again(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / "b.txt").write_bytes(b"two")
    first = {f.source_file: f for f in list_raw_files(tmp_path)}
    known = {"a.txt": (first["a.txt"].stat_key, "remembered"), "b.txt": ("another key", "remembered")}
    again = {f.source_file: f for f in list_raw_files(tmp_path, known, reusable={"remembered"})}
    assert again["a.txt"].content_hash == "remembered"  # not read: the hash of the file's bytes would differ
    assert again["b.txt"].content_hash == hashlib.sha256(b"two").hexdigest()


def test_a_remembered_file_whose_content_is_not_reusable_is_read_and_hashed(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one")
    known = {"a.txt": (list_raw_files(tmp_path)[0].stat_key, "remembered")}
    again = list_raw_files(tmp_path, known, reusable=set())[0]
    assert again.content_hash == hashlib.sha256(b"one").hexdigest()


def test_a_file_deleted_while_the_folder_is_listed_is_left_out(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / "gone.txt").write_bytes(b"two")
    read_bytes = Path.read_bytes

    def delete_first(path: Path) -> bytes:
        if path.name == "gone.txt":
            path.unlink()
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", delete_first)
    assert [f.source_file for f in list_raw_files(tmp_path)] == ["a.txt"]


def test_reread_returns_bytes_only_while_the_file_holds_the_listed_content(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one")
    listed = hashlib.sha256(b"one").hexdigest()
    assert reread(tmp_path, "a.txt", listed) == b"one"
    (tmp_path / "a.txt").write_bytes(b"two")
    assert reread(tmp_path, "a.txt", listed) is None
    assert reread(tmp_path, "missing.txt", listed) is None


def test_only_files_modified_a_while_ago_are_settled(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one")
    file = list_raw_files(tmp_path)[0]
    assert not settled(file, now_ns=file.changed_ns + 1_000_000_000)
    assert settled(file, now_ns=file.changed_ns + 3_000_000_000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SIMPLIFIED.encode("utf-8"), Decoded(SIMPLIFIED, "utf-8")),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), Decoded(SIMPLIFIED, "utf-8")),
        (SIMPLIFIED.encode("gb18030"), Decoded(SIMPLIFIED, "gb18030")),
        (SIMPLIFIED.encode("gbk"), Decoded(SIMPLIFIED, "gb18030")),
        (TRADITIONAL.encode("gb18030"), Decoded(TRADITIONAL, "gb18030")),
        (TRADITIONAL.encode("big5"), Decoded(TRADITIONAL, "big5")),
        (SIMPLIFIED.encode("utf-16"), Decoded(SIMPLIFIED, "utf-16")),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), Decoded(SIMPLIFIED, "utf-16")),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "traditional-gb18030", "big5", "utf16-le-bom", "utf16-be-bom"],
)
def test_decode_encodings(data, expected):
    assert decode_bytes(data) == expected


@pytest.mark.parametrize("phrase", SHORT)
def test_decode_short_big5_and_gb18030(phrase):
    traditional = opencc.OpenCC("s2t").convert(phrase)
    assert decode_bytes(traditional.encode("big5")) == Decoded(traditional, "big5")
    assert decode_bytes(phrase.encode("gb18030")) == Decoded(phrase, "gb18030")


def test_decode_big5_hkscs_keeps_pinyin_glosses():
    text = "縣科技局上半年工作總結(jié)，爭取資金120萬(wàn)元。"
    assert decode_bytes(text.encode("big5hkscs")) == Decoded(text, "big5-hkscs")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary content (NUL bytes)"),
        (b"\x01\x02abc\x03\x04" * 5, "binary content (20 control characters)"),
        (bytes(range(0x80, 0x100)) * 2, "undecodable: not UTF-8, GB18030 or Big5"),
        (b"\xff\xfe\x00\xd8", "undecodable: utf-16 byte-order mark, bad utf-16 (unexpected end of data)"),
    ],
    ids=["empty", "whitespace", "bom-only", "zip", "control-chars", "high-bytes", "broken-utf16"],
)
def test_rejected_inputs(data, reason):
    with pytest.raises(RejectedInput) as info:
        decode_bytes(data)
    assert info.value.reason == reason


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "big5"])
def test_a_file_cut_off_mid_character_is_decoded_with_the_damage_marked(codec):
    text = TRADITIONAL if codec == "big5" else SIMPLIFIED
    decoded = decode_bytes(text.encode(codec)[:-1])
    assert decoded.damaged == 1
    assert decoded.text[:-1] == text[:-1]
    assert decoded.text.endswith("\ufffd")


def test_text_in_another_codec_is_not_taken_for_damaged_utf8():
    """A legacy file fails UTF-8 on nearly every character: that is not a few damaged bytes."""
    decoded = decode_bytes((SIMPLIFIED * 3).encode("gb18030"))
    assert (decoded.encoding, decoded.damaged) == ("gb18030", 0)
