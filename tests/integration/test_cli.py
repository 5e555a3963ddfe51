"""The `atelier` command: every subcommand documents itself and works on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from atelier.auth.keys import hash_key
from atelier.cli import build_parser, main

pytestmark = pytest.mark.integration

COMMANDS = ["serve", "migrate", "seed", "create-brand", "create-key", "create-token"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: atelier {command}" in capsys.readouterr().out


def test_top_level_help_lists_every_command():
    text_ = build_parser().format_help()
    for command in COMMANDS:
        assert command in text_


@pytest.fixture
def admin_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return database_url


def test_migrate_current_reports_head(admin_env: str, capsys: pytest.CaptureFixture[str]):
    assert main(["migrate", "current"]) == 0
    from atelier.db.migrate import head_revision

    head = head_revision()
    assert f"current revision: {head}; head: {head}" in capsys.readouterr().out


def test_create_brand_then_keys(admin_env: str, capsys: pytest.CaptureFixture[str]):
    assert main(["create-brand", "Maison Dupré", "--origin", "https://dupre.example/"]) == 0
    assert "(maison-dupre) created" in capsys.readouterr().out
    assert main(["create-key", "maison-dupre", "--kind", "secret", "--name", "erp"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("sk_")
    engine = create_engine(admin_env)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT k.kind::text, k.name, s.allowed_origins FROM api_keys k"
                " JOIN client_settings s ON s.brand_id = k.brand_id WHERE k.key_hash = :h"
            ),
            {"h": hash_key(secret)},
        ).one()
        stored_plain = conn.execute(
            text("SELECT count(*) FROM api_keys WHERE key_hash = :s OR prefix = :s"),
            {"s": secret},
        ).scalar()
    engine.dispose()
    assert tuple(row) == ("secret", "erp", ["https://dupre.example"])
    assert stored_plain == 0, "the key itself is never stored"


def test_create_key_for_an_unknown_brand_fails_clearly(
    admin_env: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["create-key", "nobody"]) == 1
    assert "No brand 'nobody'" in capsys.readouterr().err
