"""The garbage-collection policy of the core pass (``pipeline.stages.manual_gc``)."""

from __future__ import annotations

import gc

import pytest

from pipeline.stages import manual_gc


@pytest.mark.parametrize("enabled_before", [True, False])
def test_manual_gc_turns_automatic_collection_off_and_restores_it(enabled_before: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled_before else gc.disable)()
        with manual_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(RuntimeError), manual_gc():
            raise RuntimeError("a failing batch")
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_cycles_made_inside_are_freed_by_the_explicit_collection() -> None:
    class Node:
        pass

    with manual_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        ids = {id(a), id(b)}
        del a, b
        assert any(id(o) in ids for o in gc.get_objects())  # not freed by reference counting
        gc.collect()
        assert not any(id(o) in ids and type(o).__name__ == "Node" for o in gc.get_objects())
