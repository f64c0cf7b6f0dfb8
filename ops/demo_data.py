"""Made-up but realistic Persian people, works and documents for the demo festival (deterministic per seed)."""

import random
import zlib

from shared.persian import national_id_check_digit

FIRST_NAMES = ("زهرا", "علی", "فاطمه", "محمد", "مریم", "حسین", "سارا", "رضا", "نرگس", "مهدی", "لیلا", "امیر",
               "معصومه", "حمید", "الهام", "سعید", "شیرین", "جواد", "آزاده", "کاوه", "نازنین", "مجید", "پریسا",
               "بهرام", "سمیه", "یوسف", "طاهره", "ابراهیم", "نسرین", "داوود")
LAST_NAMES = ("احمدی", "رضایی", "محمدی", "حسینی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی", "مرادی",
              "قاسمی", "کاظمی", "نوری", "هاشمی", "عباسی", "یزدانی", "شریفی", "طاهری", "بهرامی", "فرهادی")
TITLES = {
    "entrepreneurship": ("کارگاه خیاطی زنان سرپرست خانوار", "بازارچه محصولات خانگی", "آموزش کسب‌وکار اینترنتی به جوانان",
                         "تعاونی نان محلی", "کارگاه تعمیر دوچرخه", "صنایع دستی بانوان", "آشپزخانه مشترک محله"),
    "welfare": ("صندوق قرض‌الحسنه همسایگان", "همیار سالمندان تنها", "بانک غذای محله", "کلاس تقویتی رایگان کودکان",
                "داروخانه همسایگی", "پوشاک رایگان برای نیازمندان", "مشاوره خانواده داوطلبانه"),
    "participation": ("پاکسازی و درختکاری بوستان", "شورای نوجوانان محله", "کتابخانه کوچه", "جشن همسایگی",
                      "پیاده‌راه امن مدرسه", "باغچه اشتراکی بام", "گروه امداد داوطلب محله"),
}
SUMMARIES = {
    "entrepreneurship": "ساکنان محله با سرمایه اندک و آموزش گروهی، کاری پایدار برای خانواده‌های محله ساختند.",
    "welfare": "همسایه‌ها با همیاری، خدمتی منظم به خانواده‌های نیازمند و سالمندان محله رساندند.",
    "participation": "اهالی محله با برنامه‌ریزی مشترک، فضای عمومی را بهتر کردند و همسایه‌ها را به هم نزدیک‌تر.",
}


def person_names(seed: int):
    """An endless supply of Persian full names."""
    rng = random.Random(seed)
    while True:
        yield f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def national_id(rng: random.Random) -> str:
    """A valid national ID (کد ملی) that is not all one digit."""
    while len(set(first := f"{rng.randrange(10**9):09d}")) == 1:
        pass
    return first + str(national_id_check_digit(first))


def works(districts: dict[int, list[str]], count: int, seed: int) -> list[dict]:
    """`count` works spread over the districts (their neighbourhoods given) and the three categories in turn."""
    rng, names = random.Random(seed), person_names(seed + 1)
    plan = []
    for index in range(count):
        district = list(districts)[index % len(districts)]
        category = tuple(TITLES)[(index // len(districts)) % len(TITLES)]
        neighbourhood = rng.choice(districts[district])
        plan.append({
            "district": district, "neighbourhood": neighbourhood, "category": category,
            "title": f"{rng.choice(TITLES[category])} در محله {neighbourhood} ({index + 1})",
            "summary": SUMMARIES[category],
            "submitter": {"name": next(names), "national_id": national_id(rng),
                          "mobile": f"0935{rng.randrange(10**7):07d}"},
            "team": [{"name": next(names), "role": "هماهنگ‌کننده"}, {"name": next(names), "role": "داوطلب"}],
            "beneficiaries": rng.randrange(20, 2000),
        })
    return plan


def judge(index: int, work: dict, criterion: dict) -> float:
    """An evaluator's score: the work's hidden quality, the evaluator's leniency and a little noise."""
    quality = zlib.crc32(work["work_id"].encode()) % 7 + 2
    leniency = (index % 3) - 1
    noise = zlib.crc32(f"{work['work_id']}{criterion['code']}{index}".encode()) % 3 - 1
    return float(max(criterion["min_score"], min(criterion["max_score"], quality + leniency + noise)))


def pdf(title: str) -> bytes:
    """A small valid one-page PDF standing in for a work's report."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return body + f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
