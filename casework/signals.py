"""What a petition's life cycle announces, to the layers built on casework.

Each is sent by `casework.services`, inside the transaction of the change and after the change's
`CaseEvent` is written: the same order at intake, on a transition and when facts are linked. So
a receiver sees the step already on the petition's timeline, the events it writes itself (a task
moved, an escalation) come after it, and a receiver that refuses (raises) rolls the change back
with its event. Receivers store with the change and leave anything outward for after the commit.
"""

from lib.signals import Announcement

petition_recorded = Announcement(
    """A new petition was taken in.

    Sent by `casework.services.record_petition`, inside its transaction, after the petition,
    its claims and its "receive" CaseEvent are written. Arguments: `petition`, `actor` (the
    intake clerk).""",
    receivers=[
        "workflows.receivers.start_flow",
        "workflows.receivers.deadlines_on_intake",
        "workflows.receivers.tier_on_intake",
        "escalation.receivers.escalate_on_intake",
        "notifications.receivers.alert_group_petition",
    ],
)

petition_transitioned = Announcement(
    """A petition took one step of its life cycle (its status changed).

    Sent by `casework.services.fire_transition` (and `casework.services.merge` for the merged
    petition, transition "merge"), inside its transaction, after the status is saved and the
    step's CaseEvent written. Arguments: `petition`, `actor`, `transition` (the
    step's name), `from_status`. A receiver that refuses (e.g. no open task for the step) undoes
    the step.""",
    receivers=[
        "workflows.receivers.complete_task",
        "workflows.receivers.deadlines_on_step",
        "documents.receivers.issue_on_step",
        "notifications.receivers.tell_mediators_case_closed",
        "notifications.receivers.tell_mediators_sent_back",
    ],
)

facts_linked = Announcement(
    """New facts (and perhaps workers) were linked to an open petition.

    Sent by `casework.services.link_facts` (and by `casework.services.merge` for the petition
    merged into), inside its transaction, after the claims and the "link_facts" (or
    "merged_in") CaseEvent are written. Arguments: `petition`, `actor`, `became_group` (the
    workers added made it a group petition, Art. 7).""",
    receivers=[
        "workflows.receivers.tier_on_new_facts",
        "escalation.receivers.escalate_on_new_facts",
        "notifications.receivers.alert_petition_become_group",
    ],
)
