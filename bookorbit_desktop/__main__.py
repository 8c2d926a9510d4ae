"""`python -m bookorbit_desktop`."""

import sys

from bookorbit_desktop.entry import main

if getattr(sys, "frozen", False):
    # In a frozen build, the importer's worker processes start this executable again: let
    # them run their work instead of the command line. (Not loaded otherwise: a short
    # command should not pay for multiprocessing.)
    import multiprocessing

    multiprocessing.freeze_support()
raise SystemExit(main())
