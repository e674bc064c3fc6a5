"""A project signal says who listens (STYLE.md 8): a reader of the sender sees where the step's
effects go without grepping, and `tests/config/test_signals.py` holds the list to the receivers
actually connected, in the order they run.

Every project signal is sent inside the transaction of the change it announces, after the
change's `CaseEvent` is written: a receiver sees the step on the timeline, what it stores stands
or falls with the change, and anything outward (a push, a message) waits for the commit.
"""

import inspect
import weakref

from django.dispatch import Signal


class Announcement(Signal):
    """A Signal with a docstring: `doc` says who sends it, when (in which transaction) and with
    which arguments; `receivers` names its receivers (`module.function`) in the order they run,
    which is the order their apps stand in INSTALLED_APPS (each app's `ready()` connects them)."""

    def __init__(self, doc, *, receivers):
        super().__init__()
        self.documented_receivers = tuple(receivers)
        listed = "\n".join(f"- `{name}`" for name in self.documented_receivers) or "- none"
        self.__doc__ = f"{inspect.cleandoc(doc)}\n\nReceivers, in the order they run:\n{listed}\n"

    def connected_receivers(self):
        """The dotted names of the functions connected now, in the order they run."""
        names = []
        for _key, ref, *_rest in self.receivers:
            function = ref() if isinstance(ref, weakref.ReferenceType) else ref
            if function is not None:
                names.append(f"{function.__module__}.{function.__qualname__}")
        return names
