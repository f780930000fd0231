"""``python -m dortmund_kpi`` is the ``dortmund-kpi`` command (works without the script on PATH)."""

import sys

from dortmund_kpi.ops.cli import main

sys.exit(main())
