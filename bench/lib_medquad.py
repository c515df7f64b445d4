"""Shared helpers for the medsearch benchmarks over the MedQuAD corpus.

The corpus is never copied into the repository: every script takes its path
from $MEDQUAD (default: ../shared/corpora/medquad relative to the repo root).

A *section key* is ``RELPATH#HEADING``: RELPATH is the article's path relative
to the corpus root (forward slashes), HEADING the stripped text of a ``##``
heading. A few articles repeat a heading; all sections that share a key are one
unit of relevance (``sections_by_key`` joins them).

Nothing here needs anything beyond the Python standard library.
"""

import hashlib
import json
import math
import os
import re
import sys
from collections import OrderedDict

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
DEVSET_DIR = os.path.join(BENCH_DIR, "devset")
OUT_DIR = os.path.join(BENCH_DIR, "out")
QUESTIONS_TSV = os.path.join(DEVSET_DIR, "questions.tsv")
QRELS_TSV = os.path.join(DEVSET_DIR, "qrels.tsv")


# ---------------------------------------------------------------- corpus

def medquad_root():
    """The corpus directory ($MEDQUAD or ../shared/corpora/medquad from the repo root)."""
    p = os.environ.get("MEDQUAD") or os.path.join(REPO_ROOT, "..", "shared", "corpora", "medquad")
    return os.path.abspath(p)


def require_corpus(root=None):
    """Return the corpus root, or print 'skipped: corpus not found' and exit 0."""
    root = root or medquad_root()
    if not os.path.isdir(root) or not any(True for _ in iter_article_paths(root)):
        print("skipped: corpus not found (%s; set MEDQUAD=/path/to/medquad)" % root)
        sys.exit(0)
    return root


def iter_article_paths(root):
    """Yield relative paths (forward slashes) of the articles, sorted.

    Every ``*.md`` below root except the top-level ATTRIBUTION.md/README.md."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in filenames:
            if not fn.endswith(".md"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/")
            if "/" not in rel and fn.upper() in ("ATTRIBUTION.MD", "README.MD"):
                continue
            out.append(rel)
    out.sort()
    return iter(out)


def corpus_signature(root):
    """A short hash of (relpath, size, mtime) of every article: changes when the corpus does."""
    h = hashlib.sha1()
    for rel in iter_article_paths(root):
        st = os.stat(os.path.join(root, rel))
        h.update(("%s\0%d\0%d\n" % (rel, st.st_size, st.st_mtime_ns)).encode())
    return h.hexdigest()[:16]


def parse_article(text):
    """Parse one article: returns (meta dict, title, [(heading, body), ...])."""
    lines = text.replace("\r\n", "\n").split("\n")
    meta = {}
    i = 0
    if lines and lines[0].strip() == "---":
        j = 1
        while j < len(lines) and lines[j].strip() != "---":
            m = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.*)$", lines[j])
            if m:
                meta[m.group(1).lower()] = m.group(2).strip()
            j += 1
        i = j + 1
    title = meta.get("title", "")
    sections = []
    heading = None
    buf = []
    seen_title = False
    for line in lines[i:]:
        if line.startswith("## "):
            if heading is not None:
                sections.append((heading, "\n".join(buf).strip()))
            heading = line[3:].strip()
            buf = []
        elif line.startswith("# ") and not seen_title and heading is None:
            title = line[2:].strip() or title
            seen_title = True
        elif heading is not None:
            buf.append(line)
    if heading is not None:
        sections.append((heading, "\n".join(buf).strip()))
    return meta, title, sections


def iter_sections(root=None):
    """Yield (key, title, heading, text, meta) for every section of the corpus, in file order."""
    root = root or medquad_root()
    for rel in iter_article_paths(root):
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            meta, title, sections = parse_article(f.read())
        for heading, body in sections:
            yield rel + "#" + heading, title, heading, body, meta


def sections_by_key(root=None):
    """{key: (title, heading, text)}; sections sharing a key have their texts joined."""
    out = OrderedDict()
    for key, title, heading, text, _meta in iter_sections(root):
        if key in out:
            t, h, old = out[key]
            out[key] = (t, h, old + "\n\n" + text)
        else:
            out[key] = (title, heading, text)
    return out


def make_key(path, section, root=None):
    """Section key from a result's path (relative or absolute) and section heading."""
    path = path or ""
    if os.path.isabs(path):
        r = root or medquad_root()
        try:
            path = os.path.relpath(path, r)
        except ValueError:
            pass
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return path + "#" + (section or "").strip()


# ---------------------------------------------------------------- dev set

def load_questions(path=QUESTIONS_TSV):
    """OrderedDict qid -> question (lines 'qid<TAB>question'; '#' lines and blanks skipped)."""
    qs = OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            qid, _, q = line.partition("\t")
            qs[qid.strip()] = q.strip()
    return qs


def load_qrels(path=QRELS_TSV):
    """{qid: {section_key: grade}} from lines 'qid<TAB>key<TAB>grade' (grade 0 kept as 0)."""
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                raise ValueError("bad qrels line: %r" % line)
            qid, key, grade = parts[0].strip(), parts[1].strip(), int(parts[2])
            qrels.setdefault(qid, {})[key] = grade
    return qrels


# ---------------------------------------------------------------- metrics

def dcg(gains):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked_keys, judged, k=10):
    """nDCG@k with gains 2^g-1 and log2(rank+1) discount; the ideal ranking is
    built from all judged sections of the query. 0 when nothing is judged > 0."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    got = dcg([judged.get(key, 0) for key in ranked_keys[:k]])
    return got / ideal


def rr_at(ranked_keys, judged, k=10, min_grade=2):
    """Reciprocal rank of the first result in the top k with grade >= min_grade (else 0)."""
    for i, key in enumerate(ranked_keys[:k]):
        if judged.get(key, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def condensed_ndcg_at(ranked_keys, judged, k=10):
    """nDCG@k of the list with its unjudged results dropped: it measures how
    the judged answers are ordered, so a system is not rewarded for ranking
    more of the answers the judges happened to see, nor punished for
    unjudged ones that may well be right."""
    return ndcg_at([key for key in ranked_keys if key in judged], judged, k)


def evaluate(run, qrels, qids, k=10):
    """Return (mean nDCG@k, mean MRR@k, {qid: (ndcg, rr, condensed ndcg)}) over
    qids; the mean condensed nDCG@k is mean_condensed(per).

    A qid missing from run counts as an empty result list (score 0)."""
    per = OrderedDict()
    for qid in qids:
        ranked = run.get(qid, [])
        judged = qrels.get(qid, {})
        per[qid] = (ndcg_at(ranked, judged, k), rr_at(ranked, judged, k),
                    condensed_ndcg_at(ranked, judged, k))
    n = len(per) or 1
    return (sum(v[0] for v in per.values()) / n, sum(v[1] for v in per.values()) / n, per)


def mean_condensed(per):
    """The mean condensed nDCG@k of evaluate()'s per-query scores."""
    return sum(v[2] for v in per.values()) / (len(per) or 1)


# ---------------------------------------------------------------- runs

def dedupe(keys):
    seen = set()
    out = []
    for k in keys:
        if k not in seen:
            seen.add(k)
            out.append(k)
    return out


def read_run(source, root=None):
    """Read a run into {qid: [section_key, ...]} in rank order, keys deduplicated
    (first occurrence kept).

    source is a path, an open file, or an iterable of lines. Accepted lines:
      - JSON objects with qid, rank (optional), and either key, or path + section
        (medquery --format json); non-JSON lines and JSON without qid are ignored;
      - TSV 'qid<TAB>key' or 'qid<TAB>rank<TAB>key[<TAB>score...]';
      - TREC 'qid Q0 key rank score tag' is not used (keys contain spaces).
    Rows are ordered by rank when given, else by their order in the input."""
    if isinstance(source, str):
        with open(source, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    else:
        lines = [l.rstrip("\n") for l in source]
    rows = {}
    seq = 0
    for line in lines:
        s = line.strip()
        if not s:
            continue
        qid = key = None
        rank = None
        if s.startswith("{"):
            try:
                obj = json.loads(s)
            except ValueError:
                continue
            if not isinstance(obj, dict) or "qid" not in obj:
                continue
            qid = str(obj["qid"])
            if obj.get("key"):
                key = obj["key"]
            elif obj.get("path") is not None:
                key = make_key(obj["path"], obj.get("section", ""), root)
            else:
                continue
            r = obj.get("rank")
            rank = float(r) if isinstance(r, (int, float)) else None
        else:
            parts = line.split("\t")
            if len(parts) == 2:
                qid, key = parts
            elif len(parts) >= 3:
                qid = parts[0]
                try:
                    rank = float(parts[1])
                    key = parts[2]
                except ValueError:
                    key = parts[1]
            else:
                continue
        seq += 1
        rows.setdefault(qid.strip(), []).append((rank if rank is not None else float("inf"), seq, key))
    run = OrderedDict()
    for qid, lst in rows.items():
        lst.sort(key=lambda t: (t[0], t[1]))
        run[qid] = dedupe(k for _, _, k in lst)
    return run


def write_run(run, path):
    """Write {qid: [key...]} as TSV 'qid<TAB>rank<TAB>key'."""
    with open(path, "w", encoding="utf-8") as f:
        for qid, keys in run.items():
            for i, k in enumerate(keys):
                f.write("%s\t%d\t%s\n" % (qid, i + 1, k))


# ---------------------------------------------------------------- baselines

WORD_RE = re.compile(r"\w+", re.UNICODE)


def query_words(q):
    """The question's words (\\w+ runs), lower-cased, duplicates dropped, in order."""
    return dedupe(w.lower() for w in WORD_RE.findall(q))


def fts5_build(db_path, root=None, sections=None):
    """Build the SQLite FTS5 baseline: one row per section, columns title, heading,
    body, tokenize='porter unicode61'. Returns the number of rows."""
    import sqlite3
    if os.path.exists(db_path):
        os.unlink(db_path)
    con = sqlite3.connect(db_path)
    con.execute("CREATE VIRTUAL TABLE sections USING fts5(key UNINDEXED, title, heading, body,"
                " tokenize='porter unicode61')")
    n = 0
    src = sections if sections is not None else iter_sections(root)
    rows = []
    for key, title, heading, text, _meta in src:
        rows.append((key, title, heading, text))
        n += 1
        if len(rows) >= 2000:
            con.executemany("INSERT INTO sections(key,title,heading,body) VALUES (?,?,?,?)", rows)
            rows = []
    if rows:
        con.executemany("INSERT INTO sections(key,title,heading,body) VALUES (?,?,?,?)", rows)
    con.commit()
    con.close()
    return n


class Fts5Searcher:
    def __init__(self, db_path):
        import sqlite3
        self.con = sqlite3.connect(db_path)

    def fts_query(self, q):
        words = query_words(q)
        return " OR ".join('"%s"' % w.replace('"', '""') for w in words)

    def search(self, q, n=20):
        expr = self.fts_query(q)
        if not expr:
            return []
        cur = self.con.execute(
            "SELECT key FROM sections WHERE sections MATCH ? ORDER BY bm25(sections) LIMIT ?",
            (expr, n * 3))
        return dedupe(r[0] for r in cur)[:n]


def xapian_build(db_path, root=None, sections=None):
    """Build the stock Xapian baseline: one document per section, TermGenerator with
    the english stemmer (STEM_SOME, positions on), title with prefix S and also as
    body text, heading as body text. Document data = section key."""
    import xapian
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    n = 0
    src = sections if sections is not None else iter_sections(root)
    for key, title, heading, text, _meta in src:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(title, 1, "S")
        tg.index_text(title)
        tg.increase_termpos()
        tg.index_text(heading)
        tg.increase_termpos()
        tg.index_text(text)
        doc.set_data(key)
        db.add_document(doc)
        n += 1
    db.commit()
    db.close()
    return n


class XapianSearcher:
    def __init__(self, db_path):
        import xapian
        self.xapian = xapian
        self.db = xapian.Database(db_path)
        self.enquire = xapian.Enquire(self.db)  # BM25Weight is the default
        qp = xapian.QueryParser()
        qp.set_stemmer(xapian.Stem("english"))
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(self.db)
        qp.set_default_op(xapian.Query.OP_OR)
        qp.add_prefix("title", "S")
        self.qp = qp
        self.errors = 0

    def parse(self, q):
        x = self.xapian
        try:
            return self.qp.parse_query(q, x.QueryParser.FLAG_DEFAULT)
        except x.QueryParserError:
            self.errors += 1
            return self.qp.parse_query(" ".join(WORD_RE.findall(q)), 0)

    def search(self, q, n=20):
        self.enquire.set_query(self.parse(q))
        mset = self.enquire.get_mset(0, n * 2)
        return dedupe(m.document.get_data().decode("utf-8") for m in mset)[:n]


def cache_dir(root):
    """bench/out/cache-<signature>/ for the baseline indexes of this corpus state."""
    d = os.path.join(OUT_DIR, "cache-" + corpus_signature(root))
    os.makedirs(d, exist_ok=True)
    return d


def ensure_baselines(root, log=print):
    """Build (or reuse from the cache) the FTS5 and Xapian indexes; returns (fts_path, xap_path)."""
    import time
    d = cache_dir(root)
    fts = os.path.join(d, "fts5.sqlite")
    xap = os.path.join(d, "xapian")
    if not os.path.exists(os.path.join(d, "fts5.ok")):
        t = time.time()
        n = fts5_build(fts, root)
        open(os.path.join(d, "fts5.ok"), "w").write("%d\n" % n)
        log("built FTS5 index: %d sections in %.1fs (%s)" % (n, time.time() - t, fts))
    if not os.path.exists(os.path.join(d, "xapian.ok")):
        t = time.time()
        n = xapian_build(xap, root)
        open(os.path.join(d, "xapian.ok"), "w").write("%d\n" % n)
        log("built Xapian index: %d sections in %.1fs (%s)" % (n, time.time() - t, xap))
    return fts, xap


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(math.ceil(p / 100.0 * len(v))) - 1))
    return v[k]


def median(values):
    v = sorted(values)
    if not v:
        return float("nan")
    m = len(v) // 2
    return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2.0
