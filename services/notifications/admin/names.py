"""The Persian names the administration pages give the notification service's codes (rules, channels, ledger
statuses, event types, webhook states): words for people, the codes themselves stay in the data."""

from services.notifications.delivery.domain import DEAD, EMAIL, FAILED, INBOX, PENDING, SENT, SMS, SUPPRESSED, WEBHOOK
from services.notifications.webhooks.domain import ACTIVE, DISABLED, FAILING

CHANNELS = {SMS: "پیامک", EMAIL: "ایمیل", INBOX: "صندوق پیام", WEBHOOK: "وب‌هوک"}
STATUSES = {PENDING: "در صف ارسال", SENT: "فرستاده شد", FAILED: "ناموفق؛ دوباره تلاش می‌شود",
            DEAD: "رها شد", SUPPRESSED: "فرستاده نشد (انصراف گیرنده)"}
STATUS_BADGES = {PENDING: "text-bg-secondary", SENT: "text-bg-success", FAILED: "text-bg-warning",
                 DEAD: "text-bg-danger", SUPPRESSED: "text-bg-light border"}
WEBHOOK_STATES = {ACTIVE: "فعال", FAILING: "ناموفق؛ ارسال متوقف", DISABLED: "غیرفعال"}
WEBHOOK_BADGES = {ACTIVE: "text-bg-success", FAILING: "text-bg-danger", DISABLED: "text-bg-secondary"}
EVENTS = {
    "submissions.work.received": "دریافت اثر",
    "registry.decision.issued": "صدور مصوبه",
    "registry.decision.relayed": "ابلاغ مصوبه به منطقه",
    "registry.decision.overdue": "گذشتن مهلت وصول در منطقه",
    "registry.decision.committee_overdue": "گذشتن مهلت وصول در کمیته",
    "registry.report.filed": "ثبت گزارش عملکرد",
    "registry.member.appointed": "انتصاب",
    "evaluation.round.opened": "آغاز دور ارزیابی",
    "evaluation.assignment.made": "سپردن اثر به ارزیاب",
    "evaluation.work.advanced": "راه‌یافتن اثر به مرحلهٔ بعد",
    "evaluation.work.not_advanced": "راه‌نیافتن اثر",
    "evaluation.awards.proposed": "پیشنهاد جوایز هیئت داوران",
    "evaluation.results.published": "اعلام نتایج",
}
RULES = {
    "work_received": "کد رهگیری برای فرستندهٔ اثر",
    "decision_relayed": "مصوبهٔ ابلاغ‌شده به دبیرخانهٔ منطقه",
    "decision_to_committees": "مصوبه به اعضای کمیته‌های مخاطب",
    "decision_council_festival_secretary": "مصوبهٔ شورا به دبیر جشنواره",
    "decision_overdue_district": "یادآوری مهلت وصول به دبیر منطقه",
    "decision_overdue_central": "تأخیر منطقه به دبیرخانهٔ مرکزی",
    "decision_overdue_council": "تأخیر منطقه به شورای سیاست‌گذاری",
    "decision_overdue_committee": "یادآوری مهلت وصول به اعضای کمیته",
    "decision_overdue_committee_secretary": "تأخیر کمیته به دبیر جشنواره",
    "report_filed": "گزارش منطقه به دبیرخانهٔ مرکزی",
    "report_filed_city": "گزارش تجمیعی به کمیته‌ها",
    "report_filed_council": "گزارش تجمیعی به شورای سیاست‌گذاری",
    "round_opened": "آغاز دور ارزیابی برای ارزیابان",
    "work_assigned": "اثر سپرده‌شده به ارزیاب",
    "work_advanced": "راه‌یافتن اثر، به فرستنده",
    "work_not_advanced": "راه‌نیافتن اثر، به فرستنده",
    "awards_proposed": "پیشنهاد جوایز به شورای سیاست‌گذاری",
    "results_winner": "تبریک به برندگان",
    "results_published": "اعلام نتایج به دیگر فرستندگان",
    "member_appointed": "خبر انتصاب به منصوب‌شده",
}


def template_globals() -> dict:
    """The names, for every administration template."""
    return {"CHANNELS": CHANNELS, "STATUSES": STATUSES, "STATUS_BADGES": STATUS_BADGES, "EVENTS": EVENTS,
            "RULES": RULES, "WEBHOOK_STATES": WEBHOOK_STATES, "WEBHOOK_BADGES": WEBHOOK_BADGES}
