"""What a petition's timeline says: the name of every event a `CaseEvent` records, with its
label (`EventName`), and how the data stored with an event reads (`readable_data`).

Every app that records events names them here; the value lists that belong to an app above
casework (deadline kinds, departments, the flow's task titles) are registered by that app from its
`AppConfig.ready()` with `register_data_values`, so casework imports none of them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventName(models.TextChoices):
    # The petition's life cycle: its transitions (the label is also the step's button).
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    REFER_OUT = "refer_out", _("Refer to another body")
    START_MEDIATION = "start_mediation", _("Start mediation")
    REACH_AGREEMENT = "reach_agreement", _("Agreement reached")
    FAIL_MEDIATION = "fail_mediation", _("Mediation failed")
    CONFIRM_FULFILMENT = "confirm_fulfilment", _("Agreement fulfilled")
    RECORD_BREACH = "record_breach", _("Agreement breached")
    REFER = "refer", _("Refer for enforcement")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    # Intake, new facts, tasks and mediation sessions.
    RECEIVE = "receive", _("Petition received")
    LINK_FACTS = "link_facts", _("New facts linked")
    CLAIM = "claim", _("Task claimed")
    UNASSIGN = "unassign", _("Task released")
    REASSIGN = "reassign", _("Task reassigned")
    RECORD_SESSION = "record_session", _("Mediation session recorded")
    ATTACH_EVIDENCE = "attach_evidence", _("Evidence attached")
    ONLINE_FILING_LINKED = "online_filing_linked", _("Online filing added to this case")
    # The emergency fund (fund.services).
    FUND_DRAFT = "fund_draft", _("Fund release drafted")
    FUND_REVISE = "fund_revise", _("Fund release revised")
    FUND_SUBMIT = "fund_submit", _("Fund release submitted for approval")
    FUND_APPROVE = "fund_approve", _("Fund release approved")
    FUND_REJECT = "fund_reject", _("Fund release rejected")
    FUND_SIGN = "fund_sign", _("Fund release signed by the committee")
    FUND_DISBURSE = "fund_disburse", _("Fund release paid out")
    FUND_RECOVER = "fund_recover", _("Recovery booked")
    FUND_PROPOSE_WRITE_OFF = "fund_propose_write_off", _("Write-off proposed")
    FUND_SIGN_WRITE_OFF = "fund_sign_write_off", _("Write-off signed")
    FUND_WRITE_OFF = "fund_write_off", _("Written off")
    FUND_PROPOSE_CORRECTION = "fund_propose_correction", _("Correction of a fund entry proposed")
    FUND_CORRECT = "fund_correct", _("Fund entry corrected")
    FUND_CLOSE = "fund_close", _("Fund release settled")
    # Deadlines (workflows.deadlines).
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline passed")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    # The committee's escalation (escalation.services).
    ESCALATE = "escalate", _("Escalated to the party working committee")
    ESCALATION_ACKNOWLEDGED = "escalation_acknowledged", _("Escalation acknowledged")
    COORDINATION_RECORDED = "coordination_recorded", _("Coordination recorded")
    TASK_FORCE_FORMED = "task_force_formed", _("Task force formed")
    REPRESENTATIVES_ELECTED = "representatives_elected", _("Representatives elected")
    TRAVEL_HOME_RECORDED = "travel_home_recorded", _("Travel-home needs recorded")
    JOB_REFERRALS_RECORDED = "job_referrals_recorded", _("Job referrals recorded")
    ESCALATION_CLOSED = "escalation_closed", _("Escalation closed")
    # Early warning (prevention.services): the petition a warning turned into.
    FROM_WARNING = "from_warning", _("Recorded from an early warning")
    # A group's election of its representatives (elections.services).
    ELECTION_OPENED = "election_opened", _("Election of representatives opened")
    ELECTION_CODE_REISSUED = "election_code_reissued", _("Voting code issued again")
    ELECTION_CLOSED = "election_closed", _("Election of representatives closed")
    ELECTION_TIE_RESOLVED = "election_tie_resolved", _("Tie in the election resolved")
    # Case documents (documents.services): sealed when issued, delivered online or on paper.
    DOCUMENT_SEALED = "document_sealed", _("Document issued and sealed")
    DOCUMENT_OPENED = "document_opened", _("Document opened by the worker (delivery receipt)")
    DOCUMENT_PAPER_DELIVERY = "document_paper_delivery", _("Document delivered on paper")
    DELIVERY_CONSENT = "delivery_consent", _("Consent to electronic delivery given")
    DELIVERY_CONSENT_WITHDRAWN = (
        "delivery_consent_withdrawn",
        _("Consent to electronic delivery withdrawn"),
    )
    # Signing the mediation agreement, and its judicial confirmation (agreements.services).
    SIGNING_OPENED = "signing_opened", _("Signing of the agreement opened")
    AGREEMENT_SIGNATURE = "agreement_signature", _("Agreement signed by a party")
    SIGNING_CANCELLED = "signing_cancelled", _("Signing of the agreement cancelled")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed by every party and sealed")
    JUDICIAL_APPLICATION = (
        "judicial_application",
        _("Application for judicial confirmation prepared"),
    )
    JUDICIAL_RULING = "judicial_ruling", _("Court's ruling on judicial confirmation recorded")
    # Hand-overs between units (casework.services.transfers).
    TRANSFER_REQUESTED = "transfer_requested", _("Transferred to another unit")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
    TRANSFER_RETURNED = "transfer_returned", _("Transfer sent back")
    # Quality: the complexity tier, the callback, merging (casework, workflows).
    TIER_SET = "tier_set", _("Complexity tier set")
    TIER_CHANGED = "tier_changed", _("Complexity tier changed")
    RECORD_CALLBACK = "record_callback", _("Callback recorded")
    RETURN_TO_MEDIATION = "return_to_mediation", _("Sent back to mediation after the callback")
    MERGE = "merge", _("Merged into another petition")
    MERGED_IN = "merged_in", _("Another petition merged into this one")
    # Other departments, arbitration and joint handling (departments.services).
    REFERRAL_SENT = "referral_sent", _("Referred to a department")
    REFERRAL_ANSWERED = "referral_answered", _("Department's reply recorded")
    REFERRAL_REMINDER = "referral_reminder", _("Reminder: department has not replied")
    ARBITRATION_FILED = "arbitration_filed", _("Application for arbitration recorded")
    ARBITRATION_EXTENDED = "arbitration_extended", _("Arbitration period extended")
    ARBITRATION_DECIDED = "arbitration_decided", _("Arbitration award recorded")
    LIMITATION_WARNING = "limitation_warning", _("Warning: the limitation period is running out")
    JOINT_PART_REQUESTED = "joint_part_requested", _("Joint handling requested")
    JOINT_PART_DONE = "joint_part_done", _("Joint handling part done")
    JOINT_PART_WITHDRAWN = "joint_part_withdrawn", _("Joint handling part withdrawn")
    # Supervision by a higher unit (supervision.services).
    SUPERVISION_ORDERED = "supervision_ordered", _("Put under supervision")
    SUPERVISION_REPLIED = "supervision_replied", _("Reply to the supervision order")
    SUPERVISION_REMINDER = "supervision_reminder", _("Supervision order reminder")
    SUPERVISION_CLOSED = "supervision_closed", _("Supervision order closed")


DATA_LABELS = {
    "task": _("Task"),
    "owner": _("Holder"),
    "from": _("From"),
    "to": _("To"),
    "held_at": _("Held at"),
    "place": _("Place"),
    "outcome": _("Outcome"),
    "signed_on": _("Signed on"),
    "due_date": _("Payment due date"),
    "agreed_total": _("Agreed total (yuan)"),
    "rating": _("Satisfaction"),
    "channel": _("Channel"),
    "workers": _("Workers"),
    "workers_added": _("Workers added"),
    "group": _("Group petition"),
    "body": _("Receiving body"),
    "referral_type": _("Referred to"),
    "reference": _("Their reference"),
    "release": _("Release"),
    "total": _("Total (yuan)"),
    "lines": _("Lines"),
    "needs_signature": _("Needs the committee's signature"),
    "paid": _("Paid (yuan)"),
    "lines_paid": _("Lines paid"),
    "lines_unpaid": _("Lines not paid"),
    "amount": _("Amount (yuan)"),
    "outstanding": _("Outstanding (yuan)"),
    "entry": _("Entry"),
    "deadline": _("Deadline"),
    "due": _("Due"),
    "provisional_year": _("Provisional calendar year"),
    "working_days_left": _("Working days left"),
    "days": _("Days"),
    "decision": _("Decision"),
    "rules": _("Rules matched"),
    "held_on": _("Held on"),
    "departments": _("Departments convened"),
    "members": _("Members"),
    "employers": _("Partner employers"),
    "referred": _("Workers referred"),
    "hired": _("Hired"),
    "warning": _("Early warning"),
    "level": _("Level"),
    "seats": _("Seats"),
    "closes_at": _("Closes at"),
    "turnout": _("Voted / voters"),
    "elected": _("Elected"),
    "tied": _("Tied for the last seat"),
    "document": _("Document"),
    "sha256": _("SHA-256 of the sealed file"),
    "worker": _("Worker"),
    "delivered_on": _("Delivered on"),
    "how": _("How"),
    "signer": _("Signer"),
    "role": _("Signs as"),
    "signers": _("Signers"),
    "court": _("Court"),
    "last_day": _("Last day to apply"),
    "ruling": _("Ruling"),
    "ruling_number": _("Ruling number"),
    "ruled_on": _("Ruled on"),
    "tier": _("Complexity tier"),
    "carried_out": _("Outcome carried out"),
    "satisfaction": _("Satisfaction"),
    "merged_into": _("Merged into"),
    "merged_from": _("Merged from"),
    "workers_moved": _("Workers moved to the other petition"),
    "workers_on_both": _("Workers already on this petition"),
    "claims_differ": _("Amounts claimed on the merged petition, where they differ"),
    "representatives_dropped": _("Representatives above the limit, no longer representatives"),
    "evidence_moved": _("Evidence files moved"),
    "answer_by": _("Answer by"),
    "from_unit": _("From unit"),
    "to_unit": _("To unit"),
    "deemed": _("Taken as accepted (no answer in time)"),
    "department": _("Department"),
    "sent_on": _("Sent on"),
    "replied_on": _("Reply date"),
    "accepted_on": _("Application accepted on"),
    "award_on": _("Award date"),
    "limitation_ends": _("Limitation ends"),
    "supervising_unit": _("Supervising unit"),
    "reply": _("Reply"),
    "reminder": _("Reminder"),
    "with_result": _("Result reported"),
}
_DATA_VALUES = {}


def register_data_values(key, values):
    """How the values stored under `key` read ({value: label}); merged with what is there."""
    _DATA_VALUES.setdefault(key, {}).update(values)


def label(name):
    """An event's label; an unknown name (from an older release) reads as itself."""
    return EventName(name).label if name in EventName.values else name


def readable_data(data):
    """An event's data as (label, value) pairs for people to read."""
    items = []
    for key, value in (data or {}).items():
        if value in ("", None):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, str):
            value = _DATA_VALUES.get(key, {}).get(value, value)
        elif isinstance(value, list):
            value = "、".join(str(_DATA_VALUES.get(key, {}).get(v, v)) for v in value)
        items.append((DATA_LABELS.get(key, key), value))
    return items
