"""``python -m pipeline.apps.cli``: the ``zhibiao`` command without its script."""
from pipeline.apps.cli import main

raise SystemExit(main())
