"""Sent inside the transaction of the change, so a receiver that refuses rolls the change back.

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
