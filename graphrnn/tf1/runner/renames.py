"""The TF 0.12-1.x names and argument orders a run used (graphrnn.tf1.api.renamed calls
`note` for each), named in one line when the program ends, as the NumPy 1 habits are.

    names = OldNames(is_user_file)
    renamed.notify = names.note      # while the program runs
    print(names.summary())           # None if it used none
"""

import sys
from pathlib import Path


class OldNames:
    """Each old form once, with the first line of the program's own files that used it."""

    def __init__(self, is_user_file):
        self._is_user_file = is_user_file
        self._places = {}  # description -> "model.py line 8" (or "" if not found)

    def note(self, description):
        if description in self._places:
            return
        frame = sys._getframe(1)
        while frame is not None and not self._is_user_file(frame.f_code.co_filename):
            frame = frame.f_back
        self._places[description] = (
            f" at {Path(frame.f_code.co_filename).name} line {frame.f_lineno}" if frame else "")

    def summary(self):
        """One line naming the old forms the program used, or None."""
        if not self._places:
            return None
        places = "; ".join(f"{what}{where}" for what, where in self._places.items())
        return (f"graphrnn-tf1: TensorFlow 0.12's names and argument orders kept working in "
                f"this program ({places}); TensorFlow 1.0 renamed or reordered them")
