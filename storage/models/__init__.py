"""All tortoise models, registered under the app label ``models``."""

from storage.models.delivery import Job, JobStatus, OutboxMessage, OutboxStatus
from storage.models.mailings import (
    Mailing,
    MailingRecipient,
    MailingStatus,
    RecipientOutcome,
    Segment,
)
from storage.models.money import (
    EntryKind,
    IntentPurpose,
    IntentStatus,
    LedgerEntry,
    PaymentIntent,
    ProviderEvent,
)
from storage.models.people import Client, MessengerAccount, Role, Staff, StaffInvite
from storage.models.system import AuditEntry, ConversationState, Counter, ProcessedUpdate
from storage.models.trips import FollowUp, Order, OrderStatus, RequestStatus, TourRequest

__models__ = [
    Client,
    Staff,
    StaffInvite,
    MessengerAccount,
    TourRequest,
    Order,
    FollowUp,
    PaymentIntent,
    ProviderEvent,
    LedgerEntry,
    OutboxMessage,
    Job,
    ConversationState,
    ProcessedUpdate,
    AuditEntry,
    Counter,
    Mailing,
    MailingRecipient,
    Segment,
]

__all__ = [
    "AuditEntry",
    "Client",
    "ConversationState",
    "Counter",
    "EntryKind",
    "FollowUp",
    "IntentPurpose",
    "IntentStatus",
    "Job",
    "JobStatus",
    "LedgerEntry",
    "Mailing",
    "MailingRecipient",
    "MailingStatus",
    "MessengerAccount",
    "Order",
    "OrderStatus",
    "OutboxMessage",
    "OutboxStatus",
    "PaymentIntent",
    "ProcessedUpdate",
    "RecipientOutcome",
    "RequestStatus",
    "Role",
    "Segment",
    "Staff",
    "StaffInvite",
    "TourRequest",
]
