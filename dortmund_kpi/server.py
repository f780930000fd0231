"""Start Streamlit for `dortmund-kpi serve` (`python -m dortmund_kpi.server run dashboard.py`).

Why not plain ``streamlit run``: with a ``pages/`` folder beside the entry script,
Streamlit treats the app as an old-style multipage app until the first
``st.navigation`` call of the process. The first visitor of a deep link such as
``/indikator`` then saw "Page not found" (verified with Streamlit 1.67). We route
with ``st.navigation`` only, so we switch the old behaviour off before the
server starts.
"""

from __future__ import annotations

import sys


def main() -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
