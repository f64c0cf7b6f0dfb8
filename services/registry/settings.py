"""Registry settings (HAMI_* environment variables)."""

from pathlib import Path

from shared.settings import ServiceSettings

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy"
DEFAULT_ADMIN_PASSWORD = "change-me-secretary"


class RegistrySettings(ServiceSettings):
    """Registry: the structure, staff identity and signing keys."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_registry"
    http_port: int = 8001
    structure_file: Path = DEPLOY_DIR / "festival-structure.yaml"
    load_structure_on_start: bool = True
    admin_username: str = "secretary"
    admin_password: str = DEFAULT_ADMIN_PASSWORD
    admin_name: str = "دبیر جشنواره"
    token_minutes: int = 30
    overdue_check_seconds: float = 60.0

    def default_secrets(self) -> list[str]:
        """The first administrator's password must be set in production."""
        defaults = super().default_secrets()
        return defaults + (["admin_password"] if self.admin_password == DEFAULT_ADMIN_PASSWORD else [])
