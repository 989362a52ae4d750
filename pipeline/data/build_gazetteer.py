"""Build gazetteer.csv.gz from the location data shipped in the jionlp wheel.

Run by hand when refreshing the data (the runtime never imports jionlp):

    pip download --no-deps -d /tmp/jio jionlp && unzip -o /tmp/jio/jionlp-*.whl -d /tmp/jio
    python pipeline/data/build_gazetteer.py /tmp/jio/jionlp/dictionary

jionlp's china_location.zip is a tab-indented tree (province / city / county with
code and short name, then towns and villages by name only); china_location_change.txt
lists renamed or merged divisions as `old ... => new`. Villages are dropped (too many,
too many common words); towns keep the code of their county.
"""

import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

LEVELS = ("province", "city", "county", "town")
TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木")
COLUMNS = ("code", "level", "name", "short_name", "province", "city", "county", "status")


def _tree_rows(lines: list[str]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    path: dict[str, dict[str, str]] = {}
    for line in lines:
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3 or not line.strip():
            continue
        fields = line.strip("\t\n").split("\t")
        level = LEVELS[depth]
        if level == "town":
            name = fields[0]
            parent = path.get("county")
            if parent is None or not name.endswith(TOWN_SUFFIXES):
                continue
            code, short = parent["code"], ""
        elif len(fields) < 2:
            # A few divisions (Taiwan's) come without a code: skip them and their towns.
            for deeper in LEVELS[depth:]:
                path.pop(deeper, None)
            continue
        else:
            name, code, short = fields[0], fields[1], fields[2] if len(fields) > 2 else ""
        for deeper in LEVELS[depth + 1 :]:
            path.pop(deeper, None)
        row = {"code": code, "level": level, "name": name, "short_name": short, "status": "current"}
        path[level] = row
        for upper in LEVELS[:depth]:
            row[upper] = path[upper]["name"]
        row.setdefault("province", path["province"]["name"])
        row.setdefault("city", "")
        row.setdefault("county", "")
        if level != "town":
            row[level] = name
        rows.append(row)
    return rows


def _historic_rows(lines: list[str], current: list[dict[str, str]]) -> list[dict[str, str]]:
    """An old name points at the unit that replaced it, so old texts resolve to today's code."""
    by_path = {(r["province"], r["city"], r["county"]): r for r in current if r["level"] != "town"}
    rows = []
    for line in lines:
        if "=>" not in line:
            continue
        old, new = line.rstrip("\n").split("=>")
        old_fields = old.split("\t")[2:]
        new_fields = new.split("\t")
        target = by_path.get(tuple([*new_fields, "", ""][:3]))
        if target is None or len(old_fields) < 2:
            continue
        name, short = old_fields[-2], old_fields[-1]
        if name == target["name"]:
            continue
        level = LEVELS[len(old_fields) // 2 - 1]
        rows.append({**target, "level": level, "name": name, "short_name": short, "status": "historic"})
    return rows


def main(dictionary_dir: str, out: str | None = None) -> None:
    src = Path(dictionary_dir)
    with zipfile.ZipFile(src / "china_location.zip") as zf:
        tree = zf.read("china_location.txt").decode("utf-8").splitlines()
    current = _tree_rows(tree)
    changes = (src / "china_location_change.txt").read_text(encoding="utf-8").splitlines()
    rows = current + _historic_rows(changes, current)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target = Path(out) if out else Path(__file__).parent / "gazetteer.csv.gz"
    # mtime=0 keeps the file byte-identical between rebuilds of the same data.
    with gzip.GzipFile(target, "wb", mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} rows -> {target}")


if __name__ == "__main__":
    main(*sys.argv[1:])
