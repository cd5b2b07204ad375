"""The sweep of old import uploads works on an object store (S3), where a folder is only a key prefix: asked
whether "imports" exists, such a store says no, and the sweep used to stop there and keep every upload."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from socius.registry.importing import storage


class PrefixOnlyStorage(InMemoryStorage):
    """An in-memory storage that answers as an object store does: only files exist, folders do not, and listing
    a prefix that holds nothing gives empty lists."""

    def exists(self, name):
        return super().exists(name) and not self._is_folder(name)

    def _is_folder(self, name):
        try:
            super().listdir(name)
        except (FileNotFoundError, NotADirectoryError, FileExistsError):
            return False
        return True

    def listdir(self, path):
        try:
            return super().listdir(path)
        except FileNotFoundError:
            return [], []


@pytest.fixture
def object_store(monkeypatch):
    store = PrefixOnlyStorage()
    monkeypatch.setattr(storage, "default_storage", store)
    return store


def test_old_uploads_are_swept_from_an_object_store(object_store):
    token = storage.save_upload(7, ContentFile(b"a;b\n", name="persons.csv"))
    assert object_store.exists(f"imports/7/{token}/meta.json")
    assert object_store.exists("imports") is False  # what an object store answers

    assert storage.sweep() == 0
    assert storage.sweep(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)) == 1
    assert storage.read_meta(7, token) is None
    assert not object_store.exists(f"imports/7/{token}/source.csv")


def test_an_empty_object_store_has_nothing_to_sweep(object_store):
    assert storage.sweep() == 0
