"""Production settings pass Django's deployment checks, and the checks can fail."""

import os
import secrets
import subprocess
import sys

import pytest

CHECK = [sys.executable, "-m", "zhouqiao", "check", "--deploy", "--fail-level", "WARNING"]


def _check(tmp_path, **env):
    production = {  # a clean environment: nothing of the test run's (DJANGO_ALLOW_ASYNC_UNSAFE …) leaks in
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "kcywt.jl.gov.cn",
        "ZHOUQIAO_HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **env,
    }
    return subprocess.run(CHECK, env=production, capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("production")


def test_check_deploy_passes_with_production_settings(workdir):
    result = _check(workdir, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_rejects_production_with_the_default_secret_key(workdir):
    result = _check(workdir)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_the_login_security_defaults(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.PASSWORD_PROFILE == "dengbao"
    assert settings.PASSWORD_PROFILES["dengbao"] == {"min_length": 8, "min_classes": 3, "max_age_days": 90}
    assert settings.AUDIT_RETENTION_DAYS >= 183
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
