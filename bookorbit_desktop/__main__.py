"""`python -m bookorbit_desktop`."""

import multiprocessing

from bookorbit_desktop.cli import main

# In a frozen build, the importer's worker processes start this executable again: let them
# run their work instead of the command line.
multiprocessing.freeze_support()
raise SystemExit(main())
