"""Every page template of every service compiles in its service's environment: a typo in a tag or an unknown filter
fails here in a second, not in a browser test minutes later."""

from pathlib import Path

import pytest

from services.evaluation import pages as evaluation_pages
from services.notifications.admin.pages import admin_pages
from services.notifications.inbox import pages as inbox_pages
from services.notifications.settings import NotificationsSettings
from services.registry.page_kit import registry_pages
from services.registry.settings import RegistrySettings
from services.submissions.pages import TEMPLATES as SUBMISSIONS_TEMPLATES
from shared.web.pages import Pages


def _environments() -> dict[str, Pages]:
    plain = {"site_urls": {}, "env": "development"}
    return {
        "registry": registry_pages(RegistrySettings.model_construct(**plain)),
        "submissions": Pages("submissions", SUBMISSIONS_TEMPLATES, {}, secure_cookies=False),
        "evaluation": Pages("evaluation", evaluation_pages.TEMPLATES, {}, secure_cookies=False),
        "notifications inbox": Pages("notifications", inbox_pages.TEMPLATES, {}, secure_cookies=False),
        "notifications admin": admin_pages(NotificationsSettings.model_construct(**plain)),
    }


ENVIRONMENTS = _environments()


def _templates() -> list[tuple[str, str]]:
    found = []
    for name, pages in ENVIRONMENTS.items():
        folder = Path(pages.env.loader.loaders[0].searchpath[0])
        found += [(name, path.name) for path in sorted(folder.glob("*.html"))]
    return found


@pytest.mark.parametrize(("environment", "template"), _templates())
def test_the_template_compiles(environment: str, template: str) -> None:
    ENVIRONMENTS[environment].env.get_template(template)
