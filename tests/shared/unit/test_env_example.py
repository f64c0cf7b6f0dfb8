"""`.env.example` documents every setting of every service, so it cannot drift from the settings classes."""

import re
from pathlib import Path

from services.evaluation.settings import EvaluationSettings
from services.notifications.settings import NotificationsSettings
from services.registry.settings import RegistrySettings
from services.submissions.settings import SubmissionsSettings

ENV_EXAMPLE = Path(__file__).resolve().parents[3] / ".env.example"
SETTINGS = (RegistrySettings, SubmissionsSettings, EvaluationSettings, NotificationsSettings)


def test_every_setting_is_documented_in_env_example() -> None:
    documented = set(re.findall(r"\bHAMI_[A-Z0-9_]+", ENV_EXAMPLE.read_text(encoding="utf-8")))
    expected = {f"HAMI_{name.upper()}" for settings in SETTINGS for name in settings.model_fields}
    assert not expected - documented, f"add to .env.example: {sorted(expected - documented)}"


def test_env_example_has_no_value_for_a_password() -> None:
    lines = [line for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert not [line for line in lines if re.match(r"HAMI_\w*(PASSWORD|SECRET|KEY)=", line)]
