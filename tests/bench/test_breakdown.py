"""``benchmarks.breakdown``: a CPU profile's samples summed per script file."""

from __future__ import annotations

import pytest

from benchmarks.breakdown import self_time_by_file


def _frame(url: str, name: str = "f") -> dict:
    return {"url": url, "functionName": name, "lineNumber": 0, "columnNumber": 0}


def test_samples_are_summed_per_file_and_native_entries_by_name() -> None:
    profile = {
        "nodes": [
            {"id": 1, "callFrame": _frame("", "(root)")},
            {"id": 2, "callFrame": _frame("http://x/static/js/react-dom.abc.js", "Rc")},
            {"id": 3, "callFrame": _frame("http://x/static/js/react-dom.abc.js", "Ul")},
            {"id": 4, "callFrame": _frame("", "getBoundingClientRect")},
            {"id": 5, "callFrame": _frame("http://x/static/js/Slider.js", "")},
        ],
        "samples": [2, 3, 4, 5, 2],
        "timeDeltas": [1000, 2500, 4000, 500, 1500],  # microseconds, per sample
    }
    found = self_time_by_file(profile)
    assert found == {
        "react-dom.abc.js": pytest.approx(5.0),
        "getBoundingClientRect": pytest.approx(4.0),
        "Slider.js": pytest.approx(0.5),
    }


def test_a_profile_with_mismatched_samples_is_refused() -> None:
    profile = {"nodes": [{"id": 1, "callFrame": _frame("a.js")}], "samples": [1], "timeDeltas": []}
    with pytest.raises(ValueError):
        self_time_by_file(profile)
