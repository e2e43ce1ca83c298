"""Backend.stream: a query's rows in batches, read as consumed, with other statements running between batches
(what the API's exports do), on both backends."""
from __future__ import annotations

from pg import store, store_url  # noqa: F401


def test_stream_gives_every_row_in_order_in_batches_while_other_statements_run(store):  # noqa: F811
    store.backend.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
    store.backend.insert_rows("numbers", ["n"], [(i,) for i in range(2500)])
    seen, sizes = [], []
    for batch in store.backend.stream("SELECT n FROM numbers WHERE n >= ? ORDER BY n DESC", [100], size=1000):
        sizes.append(len(batch))
        seen += [row[0] for row in batch]
        # a statement on the same backend between two batches must not disturb the stream
        assert store.backend.execute("SELECT COUNT(*) FROM numbers")[0][0] == 2500
    assert seen == list(range(2499, 99, -1))
    assert sizes == [1000, 1000, 400]


def test_stream_stopped_early_leaves_the_backend_usable(store):  # noqa: F811
    store.backend.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
    store.backend.insert_rows("numbers", ["n"], [(i,) for i in range(50)])
    stream = store.backend.stream("SELECT n FROM numbers ORDER BY n", size=10)
    assert [r[0] for r in next(stream)] == list(range(10))
    stream.close()
    assert store.backend.execute("SELECT MAX(n) FROM numbers")[0][0] == 49
    again = [r[0] for batch in store.backend.stream("SELECT n FROM numbers ORDER BY n", size=10) for r in batch]
    assert again == list(range(50))
