"""The only package of the core that imports Streamlit: cached page data and widgets.

``data`` caches each page's data (``views.<page>.build``) per database version and
view; ``url`` moves the view between the address bar and the session; ``widgets``,
``overview``, ``indicator``, ``measures`` and ``share`` render; ``editor`` is the
signed-in editors' upload. Pages (``screens/``) call these and nothing below them.
"""
