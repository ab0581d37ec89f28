"""The sketch level: signatures, estimates, the LSH index, pickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import neardup


@pytest.mark.parametrize("kind", ["oph", "classic", "cminhash"])
def test_signatures_are_seeded_and_estimate_jaccard(sample, kind):
    texts = [d["text"] for d in sample]
    s = neardup.Sketcher(num_perm=256, seed=3, sketch=kind)
    m = s.sketch(texts)
    assert m.shape == (len(texts), 256) and m.dtype == np.uint32
    assert np.array_equal(m, neardup.Sketcher(num_perm=256, seed=3, sketch=kind).sketch(texts))
    assert not np.array_equal(m, neardup.Sketcher(num_perm=256, seed=4, sketch=kind).sketch(texts))
    assert np.array_equal(m[5], s.sketch_one(texts[5]))
    assert np.array_equal(m, s.sketch(texts, threads=1))
    # Estimates follow the exact Jaccard within a few standard errors.
    for a, b in [(0, 1), (0, 2), (3, 4), (0, 50)]:
        exact = neardup.compare(texts[a], texts[b])["jaccard"]
        se = max(np.sqrt(exact * (1 - exact) / 256), 0.01)
        assert abs(neardup.jaccard(m[a], m[b]) - exact) < 5 * se
    many = neardup.jaccard(m, m[0])
    assert many.shape == (len(texts),) and many[0] == 1.0


def test_an_empty_text_has_the_empty_signature():
    m = neardup.Sketcher(num_perm=8).sketch(["", "a b c"])
    assert (m[0] == np.iinfo(np.uint32).max).all()


def test_lsh_finds_what_shares_a_band_and_pickles(sample):
    texts = [d["text"] for d in sample]
    s = neardup.Sketcher()
    m = s.sketch(texts)
    keys = [d["id"] for d in sample]
    lsh = neardup.LSH(threshold=0.3, num_perm=128)
    lsh.insert_many(keys, m)
    assert len(lsh) == len(keys) and "s00000-1" in lsh and "nope" not in lsh
    # Every verified pair of the sample is an LSH candidate.
    for r in neardup.pairs(texts, keys).to_pylist():
        assert r["b"] in lsh.query(m[keys.index(r["a"])])
    copy = pickle.loads(pickle.dumps(lsh))
    assert (copy.bands, copy.rows, len(copy)) == (lsh.bands, lsh.rows, len(lsh))
    for i in range(0, len(keys), 7):
        assert copy.query(m[i]) == lsh.query(m[i])
    lsh.remove("s00000-1")
    assert "s00000-1" not in lsh and "s00000-1" not in lsh.query(m[0])
    with pytest.raises(KeyError):
        lsh.remove("s00000-1")
    with pytest.raises(ValueError, match="already in the index"):
        lsh.insert("s00000-0", m[0])
    with pytest.raises(ValueError, match="128 slots"):
        lsh.query(m[0][:64])
    explicit = neardup.LSH(num_perm=128, bands=16, rows=8)
    assert (explicit.bands, explicit.rows) == (16, 8)
    with pytest.raises(ValueError, match="bands and rows"):
        neardup.LSH(num_perm=128, bands=16)


def test_sketcher_pickles():
    s = neardup.Sketcher(num_perm=32, seed=9, sketch="classic", shingle="char:4")
    t = pickle.loads(pickle.dumps(s))
    assert repr(t) == repr(s)
    assert np.array_equal(t.sketch_one("some text here"), s.sketch_one("some text here"))
