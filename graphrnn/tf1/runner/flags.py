"""`tf.flags` / `tf.app.flags` as TF 1.0-1.13 programs used them, for graphrnn-tf1.

TF 1.5 moved flags onto absl, which dropped two habits of older programs:
`FLAGS._parse_flags()` (parse sys.argv now; returns the arguments it did not know) and
`FLAGS.__flags` (a dict of the program's flags' values, which programs print). FLAGS here is
TensorFlow's own, with those two back; everything else (reading a flag before tf.app.run,
which parses sys.argv on first use) is TensorFlow 2.21's, unchanged.

TF 1.14 began loading absl's logging, whose flags (log_dir, logtostderr, v, ...) then sat
in the one registry: a program defining `log_dir` stopped with DuplicateFlagError, where
TF <= 1.13 had run it. DEFINES here give the program the name, as those releases did, and
`notify` reports each, for the run's closing line (runner.notes).
"""

import functools
import sys

from absl.flags import _helpers

from graphrnn.compat import v1

# absl names the module that defined a flag by the first caller it does not disclaim, as
# absl's own modules do themselves: the program's file, not this wrapper, defines its flags
_helpers.disclaim_module_ids.add(id(sys.modules[__name__]))

# flags these define (absl's logging flags, TensorFlow's internal ones) are not the
# program's: TF 1.4's __flags held only the program's own
LIBRARY_MODULES = ("absl", "tensorflow", "tf_keras", "keras", "graphrnn")


class TF1Flags:
    """tf.app.flags.FLAGS with TF 1.4's _parse_flags() and __flags."""

    def __init__(self, flags):
        object.__setattr__(self, "_flags", flags)

    def _parse_flags(self, args=None):
        """Parse sys.argv (or [argv[0]] + args) now; the unknown arguments back."""
        argv = sys.argv if args is None else [sys.argv[0], *args]
        wrapped = self._flags.__dict__["__wrapped"]
        return wrapped(argv, known_only=True)[1:]

    def __getattr__(self, name):
        wrapped = self._flags.__dict__["__wrapped"]
        if not wrapped.is_parsed():  # TF 1.4 parsed on first use, ignoring unknown flags
            wrapped(sys.argv, known_only=True)
        if name == "__flags":  # TF 1.4: {name: value}
            return {flag: getattr(wrapped, flag) for flag in wrapped
                    if not wrapped.find_module_defining_flag(flag, "").startswith(
                        LIBRARY_MODULES)}
        return getattr(self._flags, name)

    def __setattr__(self, name, value):
        setattr(self._flags, name, value)

    def __call__(self, *args, **kwargs):
        return self._flags(*args, **kwargs)

    def __contains__(self, name):
        return name in self._flags

    def __iter__(self):
        return iter(self._flags)

    def __dir__(self):
        return dir(self._flags)


FLAGS = TF1Flags(v1.app.flags.FLAGS)


def notify(description):
    """Replaced by the runner to note a library's flag name the program took."""


def for_the_program(define):
    """A DEFINE_* that hands a library's flag name (absl.logging's log_dir, ...) to the
    program, as TF <= 1.13's registry, which held no library flags, did."""
    @functools.wraps(define)
    def define_for_the_program(name, *args, **kwargs):
        registry = kwargs.get("flag_values") or v1.app.flags.FLAGS.__dict__["__wrapped"]
        if name in registry:
            owner = registry.find_module_defining_flag(name, "")
            if owner.startswith(LIBRARY_MODULES):
                delattr(registry, name)
                notify(f"--{name} was {owner}'s")
        return define(name, *args, **kwargs)
    return define_for_the_program


# tf.flags' names graphrnn-tf1 gives in place of TensorFlow 2.21's
FLAGS_MODULE = {"FLAGS": FLAGS, **{name: for_the_program(getattr(v1.flags, name))
                                   for name in dir(v1.flags) if name.startswith("DEFINE")}}
