"""One reading of leaders' names and titles, used by linking, the import preview and proofreading.

- `titles`: the title word list, `title_before` (the title written before a name) and
  `run_fits` (whether a written title is one of the registered ones).
- `people`: `PeopleIndex`, the registry's people with their titles over time, and the
  registered names written in a text (`PeopleIndex.mentions`).
- `slips`: names one character off a registered one, titled or bare, with ranked candidates.
"""

from .people import DOUBLE_SURNAMES, SURNAMES, Mention, PeopleIndex, RegisteredPerson, surname
from .slips import COMMON_WORDS, NAME_VERBS, Slip, closest, resolve, scan, titled_names
from .titles import TITLE_WORDS, TitleRun, run_fits, title_before, title_parts

__all__ = [
    "COMMON_WORDS", "DOUBLE_SURNAMES", "NAME_VERBS", "SURNAMES", "TITLE_WORDS", "Mention", "PeopleIndex",
    "RegisteredPerson", "Slip", "TitleRun", "closest", "resolve", "run_fits", "scan", "surname", "title_before",
    "title_parts", "titled_names",
]
