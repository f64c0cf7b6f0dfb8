"""What the registry's pages call things in Persian: roles, kinds of bodies and organisations, decision kinds and
statuses, report figures; and a deadline as people read it. Words only: no rule lives here."""

from datetime import date, datetime, timedelta

import jdatetime

from shared.persian import TEHRAN, format_jalali_date, format_jalali_datetime, to_persian_digits
from shared.principal import Membership

ROLES = {"chair": "رئیس", "secretary": "دبیر", "member": "عضو", "evaluator": "ارزیاب", "juror": "داور",
         "staff": "کارشناس"}
BODY_KINDS = {
    "policy_council": "شورای سیاست‌گذاری",
    "festival_secretary": "دفتر دبیر جشنواره",
    "specialised_committee": "کمیتهٔ تخصصی",
    "jury_committee": "کمیتهٔ داوری",
    "central_secretariat": "دبیرخانهٔ مرکزی",
    "district_secretariat": "دبیرخانهٔ هادی منطقه",
    "executive_committee": "کمیتهٔ اجرایی منطقه",
    "young_citizens_committee": "کمیتهٔ شهریاران جوان منطقه",
    "scientific_committee": "کمیتهٔ علمی منطقه",
    "neighbourhood_centre": "سرای محله",
}
ORGANISATION_KINDS = {
    "neighbourhood_centre": "سرای محله", "welfare_house": "خانهٔ رفاه", "entrepreneurship_house": "خانهٔ کارآفرینی",
    "club": "باشگاه", "ngo": "سازمان مردم‌نهاد", "charity": "مؤسسهٔ خیریه", "cbo": "تشکل مردمی محله",
    "government": "دستگاه دولتی", "university": "دانشگاه",
}
DECISION_KINDS = {"directive": "دستورالعمل", "notice": "اطلاعیه", "actionable": "مصوبهٔ اجرایی"}
DECISION_STATUSES = {
    "issued": "هنوز ابلاغ نشده",
    "relayed": "ابلاغ شده؛ منتظر تأیید دریافت",
    "acknowledged": "دریافت تأیید شده؛ منتظر اجرا",
    "implemented": "اجرا شده",
}
STAGES = {"received": "رسیده", "evaluated": "داوری‌شده", "advanced": "راه‌یافته"}
CATEGORIES = {"entrepreneurship": "کارآفرینی", "welfare": "رفاه و خدمات اجتماعی",
              "participation": "مشارکت‌های مردمی"}


def membership_fa(membership: Membership) -> str:
    """A role in a body as people say it: «دبیر دبیرخانهٔ هادی منطقه ۷», «دبیر جشنواره»."""
    if membership.kind == "festival_secretary" and membership.role == "secretary":
        return "دبیر جشنواره"
    role = ROLES.get(membership.role, membership.role)
    body = BODY_KINDS.get(membership.kind, "")
    district = f" {to_persian_digits(str(membership.district))}" if membership.district else ""
    return f"{role} {body}{district}".strip()


def deadline_fa(moment: datetime | None) -> str:
    """A deadline: «تا پایان ۱۴۰۵/۰۹/۱۵» when it ends a Tehran day (a Jalali date given), else date and time."""
    if moment is None:
        return "—"
    local = moment.astimezone(TEHRAN)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"تا پایان {format_jalali_date(local - timedelta(seconds=1))}"
    return f"تا {format_jalali_datetime(moment)}"


def jalali_day(day: date | None) -> str:
    """A calendar day (no time) as a Jalali date in Persian digits, e.g. ۱۴۰۵/۰۸/۰۱."""
    if day is None:
        return "—"
    return to_persian_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))


def template_globals() -> dict:
    """The names and helpers every registry template may use."""
    return {"ROLES": ROLES, "BODY_KINDS": BODY_KINDS, "ORGANISATION_KINDS": ORGANISATION_KINDS,
            "DECISION_KINDS": DECISION_KINDS, "DECISION_STATUSES": DECISION_STATUSES, "STAGES": STAGES,
            "CATEGORIES": CATEGORIES, "membership_fa": membership_fa}
