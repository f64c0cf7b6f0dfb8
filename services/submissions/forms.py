"""Forms of the submissions pages: a posted form read within the upload limits, its fields turned into the JSON
routes' input (WorkIn, WorkPatch) and back, and problems placed at the form field they concern. Parsing only: the
rules stay in the use cases and the domain."""

from collections.abc import Iterable, Mapping

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException  # what request.form() raises for a broken form (FastAPI's is a subclass)

from services.submissions.documents.api import MULTIPART_OVERHEAD
from services.submissions.documents.domain import too_large
from services.submissions.documents.usecases import DocumentLimits
from shared.persian import to_ascii_digits
from shared.refusals import Kind, Refusal
from shared.web.pages import field_errors

# Fields of the work form, as the domain's refusal codes name them.
REFUSAL_FIELDS = {
    "invalid_national_id": "national_id", "invalid_mobile": "mobile", "invalid_name": "name",
    "invalid_title": "title", "invalid_summary": "summary", "unknown_category": "category",
    "unknown_neighbourhood": "neighbourhood", "unknown_office": "office", "organisation_required": "organisation",
    "unknown_organisation": "organisation", "invalid_legal_entity_id": "organisation",
    "not_district_staff": "district",
}
# A refusal of these kinds is about the form (shown on it); any other (forbidden, not found) is a refusal page.
SHOWN_ON_FORM = frozenset({Kind.INVALID, Kind.CONFLICT, Kind.UNSUPPORTED, Kind.TOO_LARGE, Kind.MALFORMED})
DOCUMENTS = "documents"
TEXT_BUDGET = 1024 * 1024  # room for the typed fields of a multipart form


async def read_form(request: Request, limits: DocumentLimits) -> FormData:
    """The posted form (multipart with documents, or plain), refused before reading more than the documents a
    work may have could weigh; Starlette keeps it for the CSRF check."""
    cap = limits.max_per_work * (limits.max_bytes + MULTIPART_OVERHEAD) + TEXT_BUDGET
    declared = request.headers.get("content-length", "")
    if not (declared.isascii() and declared.isdigit()):
        raise Refusal(Kind.MALFORMED, "length_required", "درخواست بارگذاری معتبر نیست.",
                      "The form must declare its length.")
    if int(declared) > cap:
        raise too_large(limits.max_bytes)
    try:
        return await request.form(max_files=limits.max_per_work + 5, max_fields=200, max_part_size=TEXT_BUDGET)
    except HTTPException as error:
        raise Refusal(Kind.MALFORMED, "invalid_upload", "درخواست بارگذاری معتبر نیست.",
                      "The upload is not valid.") from error


def text_fields(form: FormData) -> dict[str, str]:
    """The typed fields of a form (first value of each), without surrounding spaces."""
    fields: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(key, value.strip())
    return fields


async def chosen_files(form: FormData, limits: DocumentLimits) -> list[tuple[str | None, bytes]]:
    """The documents chosen in the form's file input, each read no further than one byte past the limit."""
    files = []
    for upload in form.getlist(DOCUMENTS):
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            files.append((upload.filename, await upload.read(limits.max_bytes + 1)))
    return files


def number(text: str | None) -> str | None:
    """A number typed in Persian or ASCII digits, as ASCII (None when nothing was typed)."""
    return to_ascii_digits(text).replace(",", "").replace("٬", "") if text else None


def whole_number(text: str | None, default: int | None = None) -> int | None:
    """A small whole number typed in Persian or ASCII digits; `default` when it is not one. Only ASCII digits
    once converted: `str.isdigit` also takes superscripts and other scripts' digits that `int` refuses, and a
    number past five digits is no district, page or count a form asks for."""
    digits = (number(text) or "").strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 6 else default


def without_controls(text: str) -> str:
    """Typed text without control characters (an address's filters: PostgreSQL refuses a NUL byte)."""
    return "".join(char for char in text if not ("\x00" <= char <= "\x1f" or "\x7f" <= char <= "\x9f"))


def submitter_data(fields: Mapping[str, str]) -> dict:
    """The submitter block: a citizen, or a registered organisation and the person who represents it."""
    person = {key: fields.get(key, "") for key in ("name", "national_id", "mobile")}
    if fields.get("submitter_kind") == "organisation":
        return {"kind": "organisation", "code": fields.get("organisation") or None, "representative": person}
    return {"kind": "citizen", **person}


def work_data(fields: Mapping[str, str], *, edition: str | None, questions: Iterable[dict]) -> dict:
    """The form as the JSON route's WorkIn body."""
    team = [{"name": line.strip()} for line in fields.get("team", "").splitlines() if line.strip()]
    data = {"edition": edition, "neighbourhood": fields.get("neighbourhood", ""),
            "office": fields.get("office") or None, "category": fields.get("category", ""),
            "title": fields.get("title", ""), "summary": fields.get("summary", ""),
            "submitter": submitter_data(fields), "team": team,
            "answers": {q["code"]: fields[f"answer_{q['code']}"] for q in questions
                        if fields.get(f"answer_{q['code']}")}}
    if district := number(fields.get("district")):
        data["district"] = district
    if beneficiaries := number(fields.get("beneficiaries")):
        data["beneficiaries"] = beneficiaries
    return data


def form_of(body: Mapping) -> dict[str, str]:
    """The form's fields from a WorkIn body (a draft being changed, a work being edited)."""
    submitter = body.get("submitter") or {}
    person = submitter.get("representative", submitter)
    fields = {key: str(body.get(key) or "") for key in ("district", "neighbourhood", "office", "category", "title",
                                                         "summary")}
    fields |= {"submitter_kind": submitter.get("kind", "citizen"), "organisation": submitter.get("code") or "",
               "name": person.get("name", ""), "national_id": person.get("national_id", ""),
               "mobile": person.get("mobile", ""), "team": "\n".join(m["name"] for m in body.get("team") or []),
               "beneficiaries": str(body.get("beneficiaries") or "")}
    return fields | {f"answer_{code}": text for code, text in (body.get("answers") or {}).items()}


def _form_field(location: list[str]) -> str:
    """The form field a pydantic error location points at."""
    head, last = location[0], location[-1]
    if head == "submitter":
        return {"code": "organisation", "legal_entity_id": "organisation", "kind": "submitter_kind"}.get(last, last)
    if head == "answers" and len(location) > 1:
        return f"answer_{location[1]}"
    return head


def invalid_fields(error: ValidationError) -> dict[str, str]:
    """Persian problems of a form that does not make a valid body, by form field."""
    problems: dict[str, str] = {}
    for location, message in field_errors(error).items():
        problems.setdefault(_form_field(location.split(".")), message)
    return problems


def refusal_field(refusal: Refusal) -> str:
    """The form field a refusal concerns (the form itself when it concerns none)."""
    if refusal.code in ("answer_required", "unknown_question") and isinstance(refusal.details, list) \
            and refusal.details:
        return f"answer_{refusal.details[0]}"
    return REFUSAL_FIELDS.get(refusal.code, "form")
