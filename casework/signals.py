"""What a petition's life cycle announces, to the layers built on casework.

Each is sent by `casework.services`, inside the transaction of the change and after the change's
`CaseEvent` is written: the same order at intake, on a transition and when facts are linked. So
a receiver sees the step already on the petition's timeline, the events it writes itself (a task
moved, an escalation) come after it, and a receiver that refuses (raises) rolls the change back
with its event. Receivers store with the change and leave anything outward for after the commit.

The workflow layer listens: it starts a flow for each recorded petition and completes the task
that a transition belongs to, so a task and the petition's status never disagree.
"""

from django.dispatch import Signal

# petition, actor
petition_recorded = Signal()
# petition, actor, transition (name), from_status
petition_transitioned = Signal()

# petition, actor, became_group (the workers added made it a group petition, Art. 7): new facts
# (and perhaps workers) linked to an open petition, inside the transaction. The workflow layer
# checks its escalation rules again; notifications alert the group's watchers if it became one.
facts_linked = Signal()
