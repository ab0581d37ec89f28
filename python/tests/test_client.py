"""neardup.client against a real `neardup serve` on loopback: answers equal the Index's on
the same folder; writes survive the service's stop; errors come back as exceptions."""

from __future__ import annotations

import re
import signal
import subprocess

import pytest

import neardup
from neardup.client import Client, NotFound, ServiceError


@pytest.fixture()
def service(cli, sample, tmp_path):
    """A service on a free loopback port over an index folder of the sample's first 100."""
    path = tmp_path / "archive"
    docs = sample[:100]
    neardup.Index.build(path, [d["text"] for d in docs], [d["id"] for d in docs],
                        outlets=[d.get("outlet") for d in docs], dates=[d.get("date") for d in docs])
    proc = subprocess.Popen([str(cli), "serve", str(path), "--bind", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"on (http://127\.0\.0\.1:\d+)", line)
        assert m, f"no address in {line!r}"
        yield Client(m.group(1)), path, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def ids(found):
    return [x["id"] for x in found]


def test_client_answers_as_the_index(service, sample):
    client, path, proc = service
    assert client.health()["documents"] == 100
    ix = neardup.Index.open(path)
    for d in (sample[0], sample[42]):
        got = client.query(d["text"], top=5)
        want = ix.query(d["text"], top=5)
        assert ids(got["duplicates"]) == want.duplicates.column("id").to_pylist()
        assert ids(got["related"]) == want.related.column("id").to_pylist()
        got = client.query(d["text"], top=5, date="2024-12-24")
        want = ix.query(d["text"], top=5, date="2024-12-24")
        assert ids(got["duplicates"]) == want.duplicates.column("id").to_pylist()
        assert got["duplicates"][0]["outlet"] == d.get("outlet")
        sim = client.similar(d["id"], top=5)
        assert ids(sim["related"]) == ix.similar(d["id"], top=5).related.column("id").to_pylist()

    # Added in two requests (batch=2): each document is answered from what came before it.
    new = [dict(sample[100], id="n1"), dict(sample[100], id="n2"), dict(sample[101], id="n3")]
    added = client.add(new, top=3, batch=2)
    assert ids(added) == ["n1", "n2", "n3"]
    assert "n1" not in ids(added[0]["duplicates"])
    assert "n1" in ids(added[1]["duplicates"])
    assert client.get("n2")["id"] == "n2"
    assert client.health()["documents"] == 103

    assert client.delete("n1")["deleted"] == "n1"
    with pytest.raises(NotFound) as e:
        client.similar("n1")
    assert e.value.status == 404 and isinstance(e.value, KeyError)
    assert 'neardup_documents 102' in client.metrics()

    # A stop on SIGTERM loses no acknowledged write.
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    after = neardup.Index.open(path)
    assert len(after) == 102
    assert {"n2", "n3"} <= set(after.ids().to_pylist()) and "n1" not in set(after.ids().to_pylist())


def test_client_errors(service, sample):
    client, _, _ = service
    with pytest.raises(ServiceError) as e:
        client.add({"id": sample[0]["id"], "text": "already there"})
    assert e.value.status == 409 and sample[0]["id"] in str(e.value)
    with pytest.raises(ServiceError) as e:
        client.add({"text": "no id"})
    assert e.value.status == 400
    with pytest.raises(ServiceError) as e:
        client.query("x", top=0)
    assert e.value.status == 400
    with pytest.raises(ServiceError, match="cannot read the date") as e:
        client.query("x", date="the week after")
    assert e.value.status == 400
    with pytest.raises(NotFound):
        client.get("nope/with a slash")
    with pytest.raises(ValueError):
        client.add([], batch=0)
    assert client.health()["documents"] == 100
    gone = Client("http://127.0.0.1:9", timeout=5)
    with pytest.raises(ServiceError, match="cannot reach") as e:
        gone.health()
    assert e.value.status == 0
