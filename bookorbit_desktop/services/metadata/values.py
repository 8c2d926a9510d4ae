"""The metadata sources' values as the Fetch Metadata and Pick dialogs show them: a candidate
record and its fields, each source's answer with its status and label, and the comparison's
rules for pictures and ranking (`metadata_sources.records`, `metadata_sources.compare`). The
window takes them here, so `ui/` asks `services/` only; both modules are pure and load nothing
of the network.
"""

from __future__ import annotations

from bookorbit_desktop.metadata_sources.compare import THUMB as THUMB
from bookorbit_desktop.metadata_sources.compare import Thumbnail as Thumbnail
from bookorbit_desktop.metadata_sources.compare import best_values as best_values
from bookorbit_desktop.metadata_sources.compare import rank as rank
from bookorbit_desktop.metadata_sources.compare import same_picture as same_picture
from bookorbit_desktop.metadata_sources.records import FIELDS as FIELDS
from bookorbit_desktop.metadata_sources.records import MALFORMED as MALFORMED
from bookorbit_desktop.metadata_sources.records import NO_RESULT as NO_RESULT
from bookorbit_desktop.metadata_sources.records import NOT_CONNECTED as NOT_CONNECTED
from bookorbit_desktop.metadata_sources.records import OK as OK
from bookorbit_desktop.metadata_sources.records import PENDING as PENDING
from bookorbit_desktop.metadata_sources.records import RATE_LIMITED as RATE_LIMITED
from bookorbit_desktop.metadata_sources.records import REFUSED as REFUSED
from bookorbit_desktop.metadata_sources.records import SOURCE_LABELS as SOURCE_LABELS
from bookorbit_desktop.metadata_sources.records import TIMED_OUT as TIMED_OUT
from bookorbit_desktop.metadata_sources.records import Candidate as Candidate
from bookorbit_desktop.metadata_sources.records import SourceResult as SourceResult
