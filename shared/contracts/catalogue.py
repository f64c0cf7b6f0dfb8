"""The public events as other municipal systems read about them: in Persian and English, when each happens in the
festival, and an example. The AsyncAPI document and registry's events page are generated from this one table."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from shared.contracts.base import Event
from shared.contracts.evaluation import Award, ResultsPublished
from shared.contracts.registry import LedgerCheckpointed
from shared.contracts.submissions import (
    PublicCallChanged,
    PublicCallClosed,
    PublicCallOpened,
    PublicWorkReceived,
    PublicWorkStatusChanged,
)


@dataclass(frozen=True)
class Entry:
    """How one public event is described to those who subscribe to it."""

    contract: type[Event]
    title_fa: str
    when_fa: str
    when_en: str
    example: Event


_AT = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # 1405/09/06 12:00 in Tehran
_DECISION = UUID("5d9c3c50-8a53-4f0e-9d0e-1f2a3b4c5d6e")
_WORK = UUID("0b7e8f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b")
_CATEGORIES = {"entrepreneurship": "کارآفرینی", "welfare": "رفاه و خدمات اجتماعی", "participation": "مشارکت‌های مردمی"}
_EVENT_ID = UUID("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")


def _common() -> dict:
    return {"event_id": _EVENT_ID, "occurred_at": _AT}


PUBLIC_EVENTS: tuple[Entry, ...] = (
    Entry(PublicCallOpened, "فراخوان باز شد",
          "وقتی شورای سیاست‌گذاری فراخوان یک دوره را باز می‌کند؛ از opens_at تا closes_at اثر پذیرفته می‌شود.",
          "When the policy council opens an edition's call; works are taken from opens_at until closes_at.",
          PublicCallOpened(**_common(), edition="1405", categories=_CATEGORIES, opens_at=_AT,
                           closes_at=datetime(2027, 3, 1, 20, 30, tzinfo=UTC), decision_id=_DECISION)),
    Entry(PublicCallChanged, "فراخوان تغییر کرد",
          "وقتی محورها یا تاریخ‌های فراخوانِ باز تغییر می‌کند (مثلاً تمدید مهلت).",
          "When an open call's categories or dates change (a deadline extended, say).",
          PublicCallChanged(**_common(), edition="1405", categories=_CATEGORIES, opens_at=_AT,
                            closes_at=datetime(2027, 3, 15, 20, 30, tzinfo=UTC), decision_id=_DECISION)),
    Entry(PublicCallClosed, "فراخوان بسته شد",
          "وقتی مهلت دریافت آثار تمام می‌شود یا شورا آن را می‌بندد؛ داوری مناطق پس از آن آغاز می‌شود.",
          "When intake ends, at the deadline or by the council's decision; the districts' evaluation follows.",
          PublicCallClosed(**_common(), edition="1405", closed_at=_AT, decision_id=_DECISION)),
    Entry(PublicWorkReceived, "اثری دریافت شد",
          "وقتی دفتر جشنوارهٔ محله اثری را ثبت می‌کند؛ بدون هیچ دادهٔ شخصی ارسال‌کننده.",
          "When a neighbourhood festival office enters a work; nothing about its submitter.",
          PublicWorkReceived(**_common(), work_id=_WORK, district=7, neighbourhood="نظام آباد", category="welfare",
                             edition="1405")),
    Entry(PublicWorkStatusChanged, "وضعیت اثر تغییر کرد",
          "وقتی اثری وارد داوری می‌شود، برگزیدهٔ منطقه یا جشنواره می‌شود یا پس گرفته می‌شود.",
          "When a work enters evaluation, is selected by its district or the festival, or is withdrawn.",
          PublicWorkStatusChanged(**_common(), work_id=_WORK, edition="1405", district=7, category="welfare",
                                  status="selected_by_district", previous_status="in_district_evaluation", at=_AT)),
    Entry(ResultsPublished, "نتایج اعلام شد",
          "وقتی شورای سیاست‌گذاری نتایج یک محور را تصویب می‌کند؛ فقط عنوان اثر و منطقه، بدون دادهٔ شخصی.",
          "When the policy council approves a category's results; titles and districts only, nothing personal.",
          ResultsPublished(**_common(), edition="1405", category="welfare", awards=[
              Award(work_id=_WORK, place="first", district=7, title="آشپزخانهٔ مهربانی محله")])),
    Entry(LedgerCheckpointed, "دفتر رویدادها امضا شد",
          "هر بار که دفتر رویدادهای جشنواره جلو می‌رود (پیش‌فرض هر ۶۰ ثانیه): سر زنجیره با کلید ثبت امضا می‌شود "
          "تا سامانه‌های دیگر گواه آن را نگه دارند.",
          "Whenever the festival ledger has moved on (every 60 s by default): its head is signed with the "
          "registry's key, so other systems keep a witness of the chain.",
          LedgerCheckpointed(**_common(), seq=1234, hash="3f" * 32, signed_at=_AT, kid="2026-11-01",
                             signature="eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEtMDEifQ.e30.c2lnbmF0dXJl")),
)


def entry_for(contract: type[Event]) -> Entry | None:
    """The catalogue entry of a public contract."""
    return next((entry for entry in PUBLIC_EVENTS if entry.contract is contract), None)


# What each field of the public events means, in Persian and English (the events page's field tables).
FIELDS: dict[str, tuple[str, str]] = {
    "event_id": ("شناسهٔ یکتای رویداد؛ رویداد تکراری را با آن کنار بگذارید", "unique id: drop a repeat by it"),
    "occurred_at": ("زمان رخ دادن (UTC)", "when it happened (UTC)"),
    "schema_version": ("نسخهٔ قالب این رویداد", "the version of this event's schema"),
    "edition": ("دورهٔ جشنواره (سال شمسی، مثلاً ۱۴۰۵)", "the festival edition (a Jalali year, e.g. 1405)"),
    "categories": ("محورهای فراخوان: کد ← نام فارسی", "the call's categories: code -> Persian name"),
    "opens_at": ("آغاز دریافت آثار (UTC)", "intake opens (UTC)"),
    "closes_at": ("پایان دریافت آثار (UTC)", "intake closes (UTC)"),
    "closed_at": ("زمان بسته شدن فراخوان (UTC)", "when the call closed (UTC)"),
    "decision_id": ("مصوبهٔ شورا که این کار را خواست، اگر بود", "the council decision behind it, if any"),
    "work_id": ("شناسهٔ اثر", "the work's id"),
    "district": ("منطقهٔ شهرداری (۱ تا ۲۲)", "the municipal district (1-22)"),
    "neighbourhood": ("محله", "the neighbourhood"),
    "category": ("محور (entrepreneurship، welfare یا participation)",
                 "the category (entrepreneurship, welfare or participation)"),
    "status": ("وضعیت تازهٔ اثر", "the work's new status"),
    "previous_status": ("وضعیت پیشین اثر", "the work's previous status"),
    "at": ("زمان تغییر وضعیت (UTC)", "when the status changed (UTC)"),
    "awards": ("جوایز: رتبه، عنوان اثر و منطقه؛ بدون دادهٔ شخصی", "the awards: place, title and district only"),
    "seq": ("شمارهٔ رویداد در دفتر رویدادها", "the event's position in the ledger"),
    "hash": ("هش سر زنجیره (SHA-256)", "the chain's head hash (SHA-256)"),
    "signed_at": ("زمان امضا (UTC)", "when it was signed (UTC)"),
    "kid": ("شناسهٔ کلید امضا در JWKS ثبت", "the signing key's id in the registry's JWKS"),
    "signature": ("امضای JWS فشرده (ES256)", "a compact JWS (ES256)"),
}
