"""``ui.once.OnceCache``: each key made once across threads, bounded, failures not kept."""

from __future__ import annotations

import threading

import pytest

from dortmund_kpi.ui.once import OnceCache


def test_a_key_being_made_is_made_once_and_the_second_asker_gets_the_same_value() -> None:
    cache = OnceCache(size=4)
    started, release = threading.Event(), threading.Event()
    made: list[object] = []

    def slow() -> object:
        started.set()
        release.wait(10)
        made.append(object())
        return made[-1]

    got: list[object] = []
    first = threading.Thread(target=lambda: got.append(cache.get("view", slow)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: got.append(cache.get("view", slow)))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waits for the first instead of making it again
    release.set()
    first.join(10)
    second.join(10)
    assert len(made) == 1 and got == [made[0], made[0]]


def test_other_keys_are_not_held_up_by_one_being_made() -> None:
    cache = OnceCache(size=4)
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "slow"

    worker = threading.Thread(target=lambda: cache.get("a", slow))
    worker.start()
    assert started.wait(10)
    assert cache.get("b", lambda: "fast") == "fast"
    release.set()
    worker.join(10)
    assert "a" in cache and "b" in cache


def test_a_failure_is_not_kept() -> None:
    cache = OnceCache(size=4)

    def broken() -> str:
        raise OSError("version pruned")

    with pytest.raises(OSError):
        cache.get("view", broken)
    assert "view" not in cache
    assert cache.get("view", lambda: "built") == "built"


def test_the_least_recently_used_key_goes_first() -> None:
    cache = OnceCache(size=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    assert cache.get("a", lambda: 0) == 1  # kept, and now the most recent
    cache.get("c", lambda: 3)
    assert "a" in cache and "c" in cache and "b" not in cache
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0
