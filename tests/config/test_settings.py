"""Settings: safe defaults for a newcomer, a hardened production mode, failures that explain."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-production-key-that-is-long-and-random-enough-0123456789-abcdefghijk",
    "DJANGO_ALLOWED_HOSTS": "cases.example.org",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_defaults_speak_chinese_in_shanghai_time(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_an_unknown_environment_name_refuses_to_start():
    result = manage("check", **{**PRODUCTION, "DJANGO_ENV": "prod"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production', not 'prod'" in result.stderr
