"""``python -m benchmarks --help``."""

import os
import sys

# Outside a Streamlit server, caches and session state warn on every call: keep quiet.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

if sys.argv[1:2] == ["load"]:  # sessions held by replicas behind nginx (benchmarks/load.py)
    from benchmarks.load import main as load_main

    sys.exit(load_main(sys.argv[2:]))

from benchmarks.cli import main

sys.exit(main())
