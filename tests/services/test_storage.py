"""Storage contract, run against the local folder and a real S3-protocol server (moto on 127.0.0.1)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from core.config import Settings
from core.errors import AppError, ErrorCode
from core.storage import LocalStorage, S3Storage, Storage, build_storage, new_key
from tests.conftest import free_port

BAD_KEYS = [
    "../etc/passwd",
    "1/../../outside.pdf",
    "/etc/passwd",
    "1/not-a-uuid.pdf",
    "1/" + "a" * 32 + ".pdf\x00.txt",
    "1\\..\\" + "a" * 32 + ".pdf",
    "1/" + "A" * 32 + ".pdf",
    "",
]


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, settings: Settings) -> Storage:
    if request.param == "s3":
        return build_storage(request.getfixturevalue("s3_settings"))
    return build_storage(settings)


def test_build_storage_picks_the_configured_backend(settings: Settings, s3_settings: Settings) -> None:
    assert isinstance(build_storage(settings), LocalStorage)
    assert isinstance(build_storage(s3_settings), S3Storage)


def test_new_key_is_owner_prefixed_and_unique() -> None:
    keys = {new_key(42, "PDF") for _ in range(100)}
    assert len(keys) == 100
    assert all(k.startswith("42/") and k.endswith(".pdf") and len(k) == len("42/") + 32 + 4 for k in keys)
    with pytest.raises(AppError):
        new_key(1, "p/df")


def test_put_get_exists_delete(storage: Storage) -> None:
    key = new_key(7, "txt")
    assert not storage.exists(key)
    storage.put(key, b"hello \x00 world", "text/plain")
    assert storage.exists(key)
    assert storage.get(key) == b"hello \x00 world"
    storage.put(key, b"replaced", "text/plain")
    assert storage.get(key) == b"replaced"
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting twice is fine


def test_missing_object_is_not_found(storage: Storage) -> None:
    storage.put(new_key(1, "pdf"), b"x")  # the bucket exists; only the key is missing
    with pytest.raises(AppError) as err:
        storage.get(new_key(1, "pdf"))
    assert err.value.code == ErrorCode.NOT_FOUND


@pytest.mark.parametrize("key", BAD_KEYS)
def test_hostile_keys_are_refused_by_every_operation(storage: Storage, key: str) -> None:
    for call in (
        lambda: storage.put(key, b"x"),
        lambda: storage.get(key),
        lambda: storage.delete(key),
        lambda: storage.exists(key),
        lambda: storage.url(key, "cv.pdf"),
    ):
        with pytest.raises(AppError) as err:
            call()
        assert err.value.code == ErrorCode.STORAGE_ERROR


def test_health_describes_the_backend(storage: Storage, settings: Settings) -> None:
    expected = "S3 bucket test-" if isinstance(storage, S3Storage) else str(settings.upload_dir)
    assert expected in storage.health()


# --- local folder ------------------------------------------------------------------------------


def test_local_files_live_under_the_upload_dir(settings: Settings) -> None:
    storage = LocalStorage(settings.upload_dir)
    key = new_key(5, "pdf")
    storage.put(key, b"%PDF-1.4")
    assert (settings.upload_dir / key).read_bytes() == b"%PDF-1.4"
    assert [p.name for p in (settings.upload_dir / "5").iterdir()] == [key.split("/")[1]]  # no temp files left
    assert storage.url(key, "cv.pdf") is None


def test_local_symlink_out_of_the_root_is_refused(settings: Settings, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    settings.upload_dir.mkdir(parents=True)
    (settings.upload_dir / "9").symlink_to(outside)
    storage = LocalStorage(settings.upload_dir)
    with pytest.raises(AppError) as err:
        storage.put(new_key(9, "pdf"), b"escape")
    assert err.value.code == ErrorCode.STORAGE_ERROR
    assert list(outside.iterdir()) == []


def test_local_write_failure_is_storage_error(tmp_path: Path) -> None:
    root = tmp_path / "not-a-folder"
    root.write_text("a file where the folder should be")
    storage = LocalStorage(root)
    for call in (lambda: storage.put(new_key(1, "pdf"), b"x"), storage.health):
        with pytest.raises(AppError) as err:
            call()
        assert err.value.code == ErrorCode.STORAGE_ERROR


# --- S3 -----------------------------------------------------------------------------------------


def test_s3_bucket_is_created_on_first_use(s3_settings: Settings) -> None:
    storage = S3Storage(s3_settings)
    with pytest.raises(storage.client.exceptions.ClientError):
        storage.client.head_bucket(Bucket=s3_settings.s3_bucket)
    storage.put(new_key(1, "pdf"), b"x")
    storage.client.head_bucket(Bucket=s3_settings.s3_bucket)


def test_s3_missing_bucket_without_permission_to_create_is_storage_error(s3_settings: Settings) -> None:
    storage = S3Storage(s3_settings.model_copy(update={"s3_create_bucket": False}))
    for call in (lambda: storage.put(new_key(1, "pdf"), b"x"), storage.health):
        with pytest.raises(AppError) as err:
            call()
        assert err.value.code == ErrorCode.STORAGE_ERROR
    with pytest.raises(storage.client.exceptions.ClientError):
        storage.client.head_bucket(Bucket=s3_settings.s3_bucket)


def test_s3_presigned_url_downloads_with_the_file_name_and_expires_in_15_minutes(s3_settings: Settings) -> None:
    storage = S3Storage(s3_settings)
    key = new_key(3, "pdf")
    storage.put(key, b"%PDF-1.7 body", "application/pdf")
    url = storage.url(key, 'Résumé "final".pdf')
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["900"]
    assert "X-Amz-Signature" in query
    response = requests.get(url, timeout=5)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 body"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="R_sum_ _final_.pdf"')
    assert "filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf" in disposition


def test_s3_unreachable_is_storage_error_quickly(s3_settings: Settings) -> None:
    down = S3Storage(s3_settings.model_copy(update={"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"}))
    key = new_key(1, "pdf")
    for call in (lambda: down.put(key, b"x"), lambda: down.get(key)):
        started = time.monotonic()
        with pytest.raises(AppError) as err:
            call()
        assert err.value.code == ErrorCode.STORAGE_ERROR
        assert time.monotonic() - started < 5
