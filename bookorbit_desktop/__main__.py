"""`python -m bookorbit_desktop`."""

from bookorbit_desktop.cli import main

raise SystemExit(main())
