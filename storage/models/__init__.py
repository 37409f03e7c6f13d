"""All tortoise models, registered under the app label ``models``."""

from storage.models.delivery import Job, JobStatus, OutboxMessage, OutboxStatus
from storage.models.identity import ClaimStatus, PhoneClaim
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
from storage.models.refunds import Refund, RefundStatus
from storage.models.system import (
    AuditEntry,
    ConversationState,
    Counter,
    ProcessedUpdate,
    SharedSecret,
)
from storage.models.trips import FollowUp, Order, OrderStatus, RequestStatus, TourRequest

__models__ = [
    Client,
    Staff,
    StaffInvite,
    MessengerAccount,
    PhoneClaim,
    TourRequest,
    Order,
    FollowUp,
    PaymentIntent,
    ProviderEvent,
    LedgerEntry,
    Refund,
    OutboxMessage,
    Job,
    ConversationState,
    ProcessedUpdate,
    AuditEntry,
    Counter,
    SharedSecret,
    Mailing,
    MailingRecipient,
    Segment,
]

__all__ = [
    "AuditEntry",
    "ClaimStatus",
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
    "PhoneClaim",
    "ProcessedUpdate",
    "RecipientOutcome",
    "Refund",
    "RefundStatus",
    "RequestStatus",
    "Role",
    "Segment",
    "SharedSecret",
    "Staff",
    "StaffInvite",
    "TourRequest",
]
