from pathlib import Path

import pytest

from config import DEFAULT_PORT, DEFAULT_STORE_DIR, Settings, default_data_dir


def test_defaults_without_environment():
    s = Settings.from_env({})
    assert s.store_dir == DEFAULT_STORE_DIR
    assert isinstance(s.store_dir, Path)
    assert (s.host, s.port) == ("127.0.0.1", DEFAULT_PORT)
    assert s.data_dir == default_data_dir()


def test_environment_and_overrides(tmp_path):
    env = {
        "LA_VARIATION_DATA_DIR": str(tmp_path),
        "LA_VARIATION_STORE_DIR": str(tmp_path / "s"),
        "LA_VARIATION_PORT": "9000",
    }
    s = Settings.from_env(env)
    assert (s.data_dir, s.store_dir, s.port) == (tmp_path, tmp_path / "s", 9000)
    assert Settings.from_env({"LA_VARIATION_DATA_DIR": ""}).data_dir is None
    assert s.with_overrides(port=None, host="0.0.0.0").host == "0.0.0.0"
    assert s.with_overrides(port=None).port == 9000
    with pytest.raises(ValueError, match="port"):
        Settings.from_env({"LA_VARIATION_PORT": "eighty"})


def test_callback_cache_size_setting():
    assert Settings.from_env({}).callback_cache_mb == 32
    assert Settings.from_env({"LA_VARIATION_CALLBACK_CACHE_MB": "0"}).callback_cache_mb == 0
    assert Settings.from_env({"LA_VARIATION_CALLBACK_CACHE_MB": "128"}).callback_cache_mb == 128
    with pytest.raises(ValueError, match="CALLBACK_CACHE_MB"):
        Settings.from_env({"LA_VARIATION_CALLBACK_CACHE_MB": "lots"})


def test_request_timeout_setting():
    assert Settings.from_env({}).request_timeout == 10.0
    assert Settings.from_env({"LA_VARIATION_REQUEST_TIMEOUT": "2.5"}).request_timeout == 2.5
    for bad in ("0", "-1", "ten", "nan", "inf", "3601"):
        with pytest.raises(ValueError, match="LA_VARIATION_REQUEST_TIMEOUT"):
            Settings.from_env({"LA_VARIATION_REQUEST_TIMEOUT": bad})


def test_redis_url_setting():
    assert Settings.from_env({}).redis_url is None
    assert Settings.from_env({"LA_VARIATION_REDIS_URL": ""}).redis_url is None
    url = "redis://10.0.0.5:6379/0"
    assert Settings.from_env({"LA_VARIATION_REDIS_URL": url}).redis_url == url
    with pytest.raises(ValueError, match="LA_VARIATION_REDIS_URL"):
        Settings.from_env({"LA_VARIATION_REDIS_URL": "10.0.0.5:6379"})
