"""Property tests: any text, any Unicode, empty and huge inputs; answers agree with
compare (the CLI's rule, pair by pair)."""

from __future__ import annotations

import threading
import time

from hypothesis import given, settings, strategies as st

import neardup

words = st.lists(st.sampled_from("the bank raised rates on tuesday ÉCOLE straße 東京 ﬁnance — «x»".split()), min_size=0, max_size=40)
texts = st.lists(st.one_of(st.text(max_size=200), words.map(" ".join)), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_any_texts_no_crash_and_every_pair_passes_the_rule(ts):
    found = neardup.pairs(ts)
    for r in found.to_pylist():
        c = neardup.compare(ts[r["a"]], ts[r["b"]])
        assert c["near_duplicate"] == r["match"]
        assert abs(c["jaccard"] - r["jaccard"]) < 1e-12
    clusters = neardup.cluster(ts)
    assert clusters.num_rows == len(ts)
    assert neardup.dedup(ts).column("keep").to_pylist().count(True) == len(set(clusters.column("cluster").to_pylist()))
    neardup.rank(ts, top=3)
    m = neardup.Sketcher(num_perm=16).sketch(ts)
    assert m.shape == (len(ts), 16)


@settings(max_examples=30, deadline=None)
@given(st.lists(words.map(" ".join), min_size=2, max_size=12), st.integers(1, 4))
def test_identical_copies_are_always_found(ts, copies):
    long_enough = [t for t in ts if len(t.split()) >= 3]
    if not long_enough:
        return
    base = long_enough[0]
    corpus = [base] * (copies + 1) + ts
    c = neardup.cluster(corpus)
    first = c.column("cluster").to_pylist()[0]
    assert c.column("cluster").to_pylist()[: copies + 1] == [first] * (copies + 1)


def test_huge_text():
    big = " ".join(f"word{i % 5000}" for i in range(400_000))
    r = neardup.pairs([big, big + " tail", "short"])
    assert r.column("a").to_pylist() == [0]


def test_the_gil_is_released_during_a_long_call():
    corpus = [" ".join(f"w{(i * 7919 + j) % 100003}" for j in range(300)) for i in range(15_000)]
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    start = time.perf_counter()
    neardup.pairs(corpus)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    # A thread that could not take the GIL would not have ticked at all.
    assert elapsed > 0.05
    assert ticks > 10, (ticks, elapsed)


def test_texts_stay_valid_while_another_thread_empties_the_list():
    import gc

    corpus = [" ".join(f"v{(i * 31 + j) % 50021}" for j in range(200)) + f" n{i}" for i in range(8_000)]
    corpus += corpus[:100]  # 100 exact copies
    expected = neardup.pairs(list(corpus)).num_rows
    texts = list(corpus)
    del corpus
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("n", neardup.pairs(texts).num_rows))
    t.start()
    time.sleep(0.01)
    texts[:] = []  # the strings lose their last outside reference
    gc.collect()
    t.join()
    assert result["n"] == expected >= 100
