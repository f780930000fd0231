"""``python -m benchmarks --help``."""

import os
import sys

# Outside a Streamlit server, caches and session state warn on every call: keep quiet.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from benchmarks.cli import main

sys.exit(main())
