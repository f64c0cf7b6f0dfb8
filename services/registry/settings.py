"""Registry settings (HAMI_* environment variables)."""

from pathlib import Path

from pydantic import SecretStr

from shared.settings import DocumentKeyed

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy"
DEFAULT_ADMIN_PASSWORD = "change-me-secretary"
# Development only: production refuses it (the secret file hami_key_encryption_key holds the real one).
DEVELOPMENT_KEY_ENCRYPTION_KEY = "hami-development-key-encryption-key"
MIN_ADMIN_PASSWORD = 12
MIN_KEY_ENCRYPTION_KEY = 16


class RegistrySettings(DocumentKeyed):
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
    # The private signing keys are stored encrypted with this key.
    key_encryption_key: SecretStr = SecretStr(DEVELOPMENT_KEY_ENCRYPTION_KEY)
    # How often the ledger's head is signed and published (when it moved), so other systems hold witnesses.
    ledger_checkpoint_seconds: float = 60.0

    def default_secrets(self) -> list[str]:
        """The first administrator's password (set, at least 12 characters) and the key-encryption key must be set in
        production."""
        defaults = super().default_secrets()
        if self.admin_password == DEFAULT_ADMIN_PASSWORD or len(self.admin_password) < MIN_ADMIN_PASSWORD:
            defaults.append("admin_password")
        key = self.key_encryption_key.get_secret_value()
        if key == DEVELOPMENT_KEY_ENCRYPTION_KEY or len(key) < MIN_KEY_ENCRYPTION_KEY:
            defaults.append("key_encryption_key")
        return defaults
