"""The default Persian templates of every rule and channel, and the sample events they are checked against."""

import uuid
from datetime import UTC, date, datetime

from services.notifications.delivery.domain import EMAIL, INBOX, SMS

# (rule, channel) -> {"subject", "text", "html"}: subject for email and inbox, html for email only.
DEFAULTS: dict[tuple[str, str], dict[str, str]] = {}


def _add(rule: str, *, sms: str | None = None, subject: str = "", text: str = "", html: str | None = None,
         inbox: bool = False) -> None:
    if sms is not None:
        DEFAULTS[(rule, SMS)] = {"subject": "", "text": sms, "html": ""}
    if text:
        paragraphs = "".join(f"<p>{line}</p>" for line in text.strip().split("\n\n"))
        DEFAULTS[(rule, EMAIL)] = {"subject": subject, "text": text, "html": html or paragraphs}
        if inbox:
            DEFAULTS[(rule, INBOX)] = {"subject": subject, "text": text, "html": ""}


_add("work_received",
     sms="{{ name }} گرامی، اثر «{{ work.title }}» در جشنواره حامی دریافت شد. کد رهگیری: "
         "{{ work.tracking_code | fa }} — تاریخ: {{ occurred_at | jalali }}",
     subject="دریافت اثر «{{ work.title }}» — کد رهگیری {{ work.tracking_code | fa }}",
     text="{{ name }} گرامی،\n\nاثر شما با عنوان «{{ work.title }}» در {{ work.category | category }} "
          "در تاریخ {{ occurred_at | jalali_long }} در {{ work.district | district }} دریافت شد.\n\n"
          "کد رهگیری: {{ work.tracking_code | fa }}\n\nبا این کد و شماره همراه خود می‌توانید وضعیت اثر را "
          "پیگیری کنید.\n\nدبیرخانه جشنواره حامی")
_add("decision_relayed",
     subject="مصوبهٔ جدید برای {{ decision.district | district }}: {{ decision.title }}",
     text="{{ name }} گرامی،\n\nمصوبهٔ «{{ decision.title }}» از سوی دبیرخانه مرکزی به "
          "{{ decision.district | district }} ابلاغ شد.\n\n{% if decision.note %}یادداشت دبیرخانه: "
          "{{ decision.note }}\n\n{% endif %}{% if decision.requires_acknowledgement %}مهلت اعلام وصول: "
          "{{ decision.ack_deadline | jalali_dt }}\n\nلطفاً وصول آن را در سامانه اعلام کنید.{% else %}"
          "این مصوبه برای اطلاع است و اعلام وصول نمی‌خواهد.{% endif %}", inbox=True)
_add("decision_to_committees",
     subject="مصوبهٔ {{ decision.issuer }} خطاب به کمیتهٔ شما: {{ decision.title }}",
     text="{{ name }} گرامی،\n\n{{ decision.issuer }} مصوبهٔ «{{ decision.title }}» را خطاب به "
          "{{ decision.committees | join('، ') }} صادر کرد.\n\n{{ decision.text }}\n\n"
          "{% if decision.requires_acknowledgement %}مهلت اعلام وصول: {{ decision.ack_deadline | jalali_dt }}\n\n"
          "یکی از اعضای کمیته وصول آن را از طرف کمیته در سامانه اعلام کند.{% else %}این مصوبه برای اطلاع است."
          "{% endif %}", inbox=True)
_add("decision_council_festival_secretary",
     subject="مصوبهٔ شورای سیاست‌گذاری: {{ decision.title }}",
     text="{{ name }} گرامی،\n\nشورای سیاست‌گذاری مصوبهٔ «{{ decision.title }}» را صادر کرد."
          "{% if decision.committees %}\n\nکمیته‌های مخاطب: {{ decision.committees | join('، ') }}{% endif %}"
          "\n\nمناطق مخاطب: {% if decision.all_districts %}همهٔ مناطق{% else %}"
          "{% for d in decision.districts %}{{ d | district }}{% if not loop.last %}، {% endif %}{% endfor %}"
          "{% endif %}\n\n{{ decision.text }}", inbox=True)
_add("decision_overdue_district",
     sms="دبیر محترم {{ decision.district | district }}: مهلت اعلام وصول مصوبهٔ «{{ decision.title }}» در "
         "{{ decision.ack_deadline | jalali_dt }} گذشت. لطفاً وصول را اعلام کنید.",
     subject="مهلت اعلام وصول گذشت: {{ decision.title }}",
     text="{{ name }} گرامی،\n\nمهلت اعلام وصول مصوبهٔ «{{ decision.title }}» در "
          "{{ decision.ack_deadline | jalali_dt }} به پایان رسید و {{ decision.district | district }} هنوز "
          "وصول آن را اعلام نکرده است.\n\nلطفاً هر چه زودتر اقدام کنید.", inbox=True)
_add("decision_overdue_central",
     subject="تأخیر {{ decision.district | district }} در اعلام وصول: {{ decision.title }}",
     text="{{ name }} گرامی،\n\n{{ decision.district | district }} تا {{ decision.ack_deadline | jalali_dt }} "
          "وصول مصوبهٔ «{{ decision.title }}» را اعلام نکرده است.", inbox=True)
_add("report_filed",
     subject="گزارش {{ report.district | district }} رسید",
     text="{{ name }} گرامی،\n\nگزارش عملکرد {{ report.district | district }} برای دورهٔ "
          "{{ report.period_start | jalali }} تا {{ report.period_end | jalali }} ثبت شد.", inbox=True)
_add("report_filed_city",
     subject="گزارش دبیرخانه مرکزی برای دورهٔ {{ report.period_start | jalali }} تا {{ report.period_end | jalali }}",
     text="{{ name }} گرامی،\n\nگزارش تجمیعی دبیرخانه مرکزی از عملکرد مناطق برای دورهٔ "
          "{{ report.period_start | jalali }} تا {{ report.period_end | jalali }} ثبت شد.", inbox=True)
_add("report_filed_council",
     subject="گزارش دبیرخانه مرکزی برای دورهٔ {{ report.period_start | jalali }} تا {{ report.period_end | jalali }}",
     text="{{ name }} گرامی،\n\nگزارش تجمیعی دبیرخانه مرکزی از عملکرد مناطق برای دورهٔ "
          "{{ report.period_start | jalali }} تا {{ report.period_end | jalali }} برای شورای سیاست‌گذاری ثبت شد."
          "\n\nگزارش در سامانه در دسترس است.", inbox=True)
_add("decision_overdue_committee",
     subject="مهلت اعلام وصول گذشت: {{ decision.title }}",
     text="{{ name }} گرامی،\n\nمهلت اعلام وصول مصوبهٔ «{{ decision.title }}» در "
          "{{ decision.ack_deadline | jalali_dt }} به پایان رسید و {{ decision.committee }} هنوز وصول آن را اعلام "
          "نکرده است.\n\nیکی از اعضای کمیته وصول آن را از طرف کمیته در سامانه اعلام کند.", inbox=True)
DEFAULTS[("decision_overdue_committee_secretary", INBOX)] = {
    "subject": "تأخیر {{ decision.committee }} در اعلام وصول: {{ decision.title }}",
    "text": "{{ decision.committee }} تا {{ decision.ack_deadline | jalali_dt }} وصول مصوبهٔ «{{ decision.title }}» را "
            "اعلام نکرده است.",
    "html": "",
}
DEFAULTS[("decision_overdue_council", INBOX)] = {
    "subject": "تأخیر {{ decision.district | district }} در اعلام وصول: {{ decision.title }}",
    "text": "{{ decision.district | district }} تا {{ decision.ack_deadline | jalali_dt }} وصول مصوبهٔ "
            "«{{ decision.title }}» را اعلام نکرده است.",
    "html": "",
}
_add("round_opened",
     subject="آغاز {{ round.tier | tier }} — {{ round.category | category }}",
     text="{{ name }} گرامی،\n\nدور {{ round.tier | tier }} جشنوارهٔ {{ round.edition | fa }} در "
          "{{ round.category | category }}{% if round.district %} در {{ round.district | district }}{% endif %} "
          "آغاز شد.{% if round.deadline %}\n\nمهلت ثبت ارزیابی‌ها: {{ round.deadline | jalali_dt }}{% endif %}\n\n"
          "آثار تخصیص‌یافته به شما در سامانه در دسترس است.", inbox=True)
DEFAULTS[("work_assigned", INBOX)] = {
    "subject": "اثر «{{ work.title }}» برای ارزیابی به شما سپرده شد",
    "text": "اثر «{{ work.title }}» از {{ work.district | district }} در {{ round.tier | tier }} به شما سپرده شد.",
    "html": "",
}
_add("work_advanced",
     sms="{{ name }} گرامی، اثر «{{ work.title }}» (کد {{ work.tracking_code | fa }}) از {{ outcome.tier | tier }} "
         "به مرحلهٔ بعد راه یافت. جشنواره حامی",
     subject="اثر «{{ work.title }}» به مرحلهٔ بعد راه یافت",
     text="{{ name }} گرامی،\n\nاثر شما «{{ work.title }}» با کد رهگیری {{ work.tracking_code | fa }} در "
          "{{ outcome.tier | tier }} پذیرفته شد و به مرحلهٔ بعد راه یافت.\n\nدبیرخانه جشنواره حامی")
_add("work_not_advanced",
     sms="{{ name }} گرامی، اثر «{{ work.title }}» (کد {{ work.tracking_code | fa }}) در {{ outcome.tier | tier }} "
         "به مرحلهٔ بعد راه نیافت. از مشارکت شما سپاسگزاریم. جشنواره حامی",
     subject="نتیجهٔ {{ outcome.tier | tier }} برای «{{ work.title }}»",
     text="{{ name }} گرامی،\n\nاثر شما «{{ work.title }}» با کد رهگیری {{ work.tracking_code | fa }} در "
          "{{ outcome.tier | tier }} به مرحلهٔ بعد راه نیافت.\n\nاز مشارکت شما در جشنواره حامی سپاسگزاریم.")
_add("awards_proposed",
     subject="پیشنهاد هیئت داوران: {{ proposal.category | category }} جشنوارهٔ حامی {{ proposal.edition | fa }}",
     text="{{ name }} گرامی،\n\nهیئت داوران جوایز {{ proposal.category | category }} جشنوارهٔ حامی "
          "{{ proposal.edition | fa }} را پیشنهاد کرد: {% for award in proposal.awards %}{{ award.place | place }}"
          " «{{ award.title }}» از {{ award.district | district }}{% if not loop.last %}؛ {% endif %}{% endfor %}."
          "\n\nپیش از تصویب نتایج، امتیاز و توضیح رتبه‌بندی هر اثر را در سامانه ببینید.", inbox=True)
_add("results_winner",
     sms="{{ name }} گرامی، تبریک! اثر «{{ work.title }}» در {{ results.category | category }} جشنوارهٔ حامی "
         "{{ results.edition | fa }} {{ award.place | place }} را کسب کرد.",
     subject="تبریک! {{ award.place | place }} جشنوارهٔ حامی {{ results.edition | fa }}",
     text="{{ name }} گرامی،\n\nبا افتخار اعلام می‌کنیم اثر شما «{{ work.title }}» در "
          "{{ results.category | category }} جشنوارهٔ حامی {{ results.edition | fa }} {{ award.place | place }} "
          "را کسب کرد.\n\nزمان و مکان مراسم اهدای جوایز به‌زودی اعلام می‌شود.")
_add("results_published",
     sms="{{ name }} گرامی، نتایج {{ results.category | category }} جشنوارهٔ حامی {{ results.edition | fa }} "
         "اعلام شد. از مشارکت شما سپاسگزاریم.",
     subject="نتایج جشنوارهٔ حامی {{ results.edition | fa }} اعلام شد",
     text="{{ name }} گرامی،\n\nنتایج {{ results.category | category }} جشنوارهٔ حامی {{ results.edition | fa }} "
          "در تاریخ {{ occurred_at | jalali_long }} اعلام شد.\n\nاز مشارکت شما با اثر «{{ work.title }}» "
          "سپاسگزاریم.")
_add("member_appointed",
     subject="انتصاب شما در {{ appointment.body_name }}",
     text="{{ name }} گرامی،\n\nشما به عنوان {{ appointment.role | role }} در {{ appointment.body_name }} "
          "منصوب شدید.\n\nبرای ورود به سامانه از حساب کاربری خود استفاده کنید.", inbox=True)

_NOW = datetime(2026, 10, 28, 7, 30, tzinfo=UTC)  # 1405/08/06 11:00 in Tehran
_WORK = {"id": str(uuid.UUID(int=1)), "title": "باغچهٔ مشترک محله", "tracking_code": "4056-1234-5678",
         "district": 7, "neighbourhood": "نظام آباد", "category": "participation"}
_DECISION = {"title": "بازگشایی فراخوان جشنواره ۱۴۰۵", "text": "فراخوان آثار از امروز باز است.",
             "note": "تا پایان هفته اطلاع‌رسانی شود.", "district": 7, "ack_deadline": _NOW,
             "requires_acknowledgement": True}
_ISSUED = {**_DECISION, "kind": "directive", "issuer": "شورای سیاست‌گذاری", "requires_acknowledgement": True,
           "committees": ["کمیتهٔ اجرایی منطقه ۷"], "districts": [7, 12], "all_districts": False}
_ROUND = {"edition": "1405", "tier": 1, "category": "participation", "district": 7, "deadline": _NOW}
_RESULTS = {"edition": "1405", "category": "participation"}
_REPORT = {"district": 7, "period_start": date(2026, 9, 23), "period_end": date(2026, 10, 22)}

# A sample context per rule: previews render against it, and a template is refused when it cannot render it.
SAMPLES: dict[str, dict] = {
    "work_received": {"work": _WORK},
    "decision_relayed": {"decision": _DECISION},
    "decision_to_committees": {"decision": _ISSUED},
    "decision_overdue_committee": {"decision": {**_DECISION, "committee": "کمیتهٔ اجرایی منطقه ۷"}},
    "decision_overdue_committee_secretary": {"decision": {**_DECISION, "committee": "کمیتهٔ اجرایی منطقه ۷"}},
    "decision_council_festival_secretary": {"decision": _ISSUED},
    "decision_overdue_district": {"decision": _DECISION},
    "decision_overdue_central": {"decision": _DECISION},
    "report_filed": {"report": _REPORT},
    "report_filed_city": {"report": {**_REPORT, "district": None}},
    "report_filed_council": {"report": {**_REPORT, "district": None}},
    "decision_overdue_council": {"decision": _DECISION},
    "awards_proposed": {"proposal": {"edition": "1405", "category": "participation", "awards": [
        {"place": "first", "title": "باغچهٔ مشترک محله", "district": 7},
        {"place": "second", "title": "صندوق قرض‌الحسنهٔ محله", "district": 12}]}},
    "round_opened": {"round": _ROUND},
    "work_assigned": {"work": _WORK, "round": _ROUND},
    "work_advanced": {"work": _WORK, "outcome": {"tier": 1, "rank": 2}},
    "work_not_advanced": {"work": _WORK, "outcome": {"tier": 1, "rank": 9}},
    "results_winner": {"work": _WORK, "results": _RESULTS, "award": {"place": "first"}},
    "results_published": {"work": _WORK, "results": _RESULTS},
    "member_appointed": {"appointment": {"body_code": "district-07", "body_name": "دبیرخانه هادی منطقه ۷",
                                         "role": "staff", "district": 7}},
}


def sample_context(rule: str) -> dict:
    """The sample context of a rule, with the values every message has."""
    return {"name": "مریم کاظمی", "occurred_at": _NOW, "unsubscribe_url": "", **SAMPLES[rule]}
