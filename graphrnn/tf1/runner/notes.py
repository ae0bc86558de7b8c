"""What a run kept working that today's libraries refuse (TF 0.12's names and argument
orders, TF 0.12-1.1's checkpoint names, old protobuf's habits, absl's flag names), each
noted once with the first line of the program's own files that used it, and named in one
line when the program ends, as the NumPy 1 habits are.

    names = Notes(is_user_file, "TensorFlow 0.12's names ... in this program",
                  "TensorFlow 1.0 renamed or reordered them")
    renamed.notify = names.note      # while the program runs
    print(names.summary())           # None if it used none
"""

import sys
from pathlib import Path


class Notes:
    """Each description once, with where the program first used it."""

    def __init__(self, is_user_file, kept, refused, with_places=True):
        self._is_user_file, self._kept, self._refused = is_user_file, kept, refused
        self._with_places = with_places  # name the program's line after each
        self._places = {}  # description -> " at model.py line 8" (or "" if not found)

    def note(self, description):
        if description in self._places:
            return
        frame = sys._getframe(1)
        while frame is not None and not self._is_user_file(frame.f_code.co_filename):
            frame = frame.f_back
        self._places[description] = (
            f" at {Path(frame.f_code.co_filename).name} line {frame.f_lineno}" if frame else "")

    def summary(self):
        """One line naming what the program used, or None."""
        if not self._places:
            return None
        places = "; ".join(what + (where if self._with_places else "")
                           for what, where in self._places.items())
        return f"graphrnn-tf1: {self._kept} ({places}); {self._refused}"


def watch(is_user_file):
    """[Notes] of what the run keeps working, hooked into the parts that report it
    (graphrnn.tf1.api.renamed, the Saver, protobuf3, flags) until unwatch()."""
    from graphrnn.tf1.api import renamed
    from graphrnn.tf1.api.python.training import saver
    from graphrnn.tf1.runner import flags, protobuf3
    old_names = Notes(is_user_file, "TensorFlow 0.12's names and argument orders kept working "
                      "in this program", "TensorFlow 1.0 renamed or reordered them")
    old_checkpoints = Notes(is_user_file, "old checkpoints restored in this program",
                            "TensorFlow 1.2 and later refuse them (NotFoundError)")
    old_protobuf = Notes(is_user_file, "old protobuf habits kept working in this program",
                         "today's protobuf refuses them")
    taken_flags = Notes(is_user_file, "the program's flags took names a library's flags "
                        "hold, as TensorFlow <= 1.13 allowed", "TensorFlow 1.14 and later "
                        "refuse them (DuplicateFlagError)", with_places=False)
    renamed.notify, protobuf3.notify = old_names.note, old_protobuf.note
    saver.notify, flags.notify = old_checkpoints.note, taken_flags.note
    return [old_names, old_checkpoints, old_protobuf, taken_flags]


def unwatch():
    from graphrnn.tf1.api import renamed
    from graphrnn.tf1.api.python.training import saver
    from graphrnn.tf1.runner import flags, protobuf3
    renamed.notify = protobuf3.notify = saver.notify = flags.notify = (
        lambda description: None)
