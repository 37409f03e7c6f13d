"""All tortoise models, registered under the app label ``models``."""

from storage.models.api import ApiKey, IdempotencyRecord, ImportJob
from storage.models.chat import HeldMessage
from storage.models.delivery import Job, JobStatus, OutboxMessage, OutboxStatus
from storage.models.fiscal import FiscalReceipt, FiscalStatus
from storage.models.identity import ClaimStatus, PhoneClaim
from storage.models.imports import OpeningBonus, ReportChart
from storage.models.loyalty import (
    CommissionEntry,
    CommissionRule,
    PointsEntry,
    PointsKind,
    Referral,
    ReferralCode,
)
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
from storage.models.offers import OfferStatus, TourOffer
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
from storage.models.webhooks import WebhookDelivery, WebhookEvent

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
    WebhookEvent,
    WebhookDelivery,
    FiscalReceipt,
    HeldMessage,
    ApiKey,
    IdempotencyRecord,
    ImportJob,
    OpeningBonus,
    ReportChart,
    TourOffer,
    PointsEntry,
    ReferralCode,
    Referral,
    CommissionRule,
    CommissionEntry,
]

__all__ = [
    "ApiKey",
    "AuditEntry",
    "ClaimStatus",
    "Client",
    "CommissionEntry",
    "CommissionRule",
    "ConversationState",
    "Counter",
    "EntryKind",
    "FiscalReceipt",
    "FiscalStatus",
    "FollowUp",
    "HeldMessage",
    "IdempotencyRecord",
    "ImportJob",
    "IntentPurpose",
    "IntentStatus",
    "Job",
    "JobStatus",
    "LedgerEntry",
    "Mailing",
    "MailingRecipient",
    "MailingStatus",
    "MessengerAccount",
    "OfferStatus",
    "OpeningBonus",
    "Order",
    "OrderStatus",
    "OutboxMessage",
    "OutboxStatus",
    "PaymentIntent",
    "PhoneClaim",
    "PointsEntry",
    "PointsKind",
    "ProcessedUpdate",
    "RecipientOutcome",
    "Referral",
    "ReferralCode",
    "Refund",
    "RefundStatus",
    "ReportChart",
    "RequestStatus",
    "Role",
    "Segment",
    "SharedSecret",
    "Staff",
    "StaffInvite",
    "TourOffer",
    "TourRequest",
    "WebhookDelivery",
    "WebhookEvent",
]
