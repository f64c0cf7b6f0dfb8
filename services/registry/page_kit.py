"""What the registry's pages share: its templates inside the shared layout, the district a district page is about,
a form's fields as text, and a use case run in a transaction of its own (so a refusal rolls back and the form can be
shown again with it)."""

from pathlib import Path

from fastapi import Request

from services.registry.names import deadline_fa, jalali_day, template_globals
from services.registry.settings import RegistrySettings
from shared.principal import Principal
from shared.web.pages import (  # noqa: F401 (what every page module takes from here)
    Pages,
    about_the_form,
    in_transaction,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


def registry_pages(settings: RegistrySettings) -> Pages:
    """The registry's templates, the shared layout, and the registry's Persian names."""
    pages = Pages("registry", TEMPLATES, settings.site_urls, secure_cookies=settings.env == "production")
    pages.env.globals.update(template_globals())
    pages.env.filters.update(deadline=deadline_fa, jdate=jalali_day)
    return pages


def chosen_district(principal: Principal, requested: int | None) -> int | None:
    """The district a district page is about: the one asked for, else the person's only district (None: ask)."""
    if requested is not None:
        return requested
    own = principal.districts()
    return next(iter(own)) if len(own) == 1 else None


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The posted form's fields as text ('' when missing)."""
    form = await request.form()
    return {name: str(form.get(name, "")) for name in names}


def form_district(value: str) -> int:
    """The district a form's hidden field names (0 when it names none: refused later as no district of anyone's).
    ASCII digits only: str.isdigit() also passes «²», which int() refuses."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else 0


def filled(form: dict[str, str], *names: str) -> dict[str, str]:
    """The fields someone filled in: an empty box is a field not given (so it reads «fill this in»)."""
    return {name: form[name] for name in names if form[name].strip()}
