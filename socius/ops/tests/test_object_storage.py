"""Uploaded files on an S3-compatible store: the storage that SOCIUS_S3_* configure saves, finds and reads
files through the S3 API, private and encrypted, without overwriting. botocore's own Stubber stands for the
store (no network, no fake server): each call the storage makes is checked against the one expected."""

import pytest
from botocore.stub import ANY, Stubber
from django.core.files.base import ContentFile
from django.utils.module_loading import import_string

from config.env import default_storage_config

BUCKET = "socius-documents"


@pytest.fixture
def s3_storage(monkeypatch):
    monkeypatch.setenv("SOCIUS_S3_BUCKET", BUCKET)
    monkeypatch.setenv("SOCIUS_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("SOCIUS_S3_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    config = default_storage_config()
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    with Stubber(storage.connection.meta.client) as stub:
        yield storage, stub
        stub.assert_no_pending_responses()


def test_a_saved_file_goes_to_the_bucket_under_the_prefix_private_and_encrypted(s3_storage):
    storage, stub = s3_storage
    key = "media/documents/2026/12/report.pdf"
    stub.add_client_error("head_object", "404", http_status_code=404, expected_params={"Bucket": BUCKET, "Key": key})
    stub.add_response(
        "put_object",
        {"ETag": '"1"'},
        {
            "Bucket": BUCKET,
            "Key": key,
            "Body": ANY,
            "ContentType": "application/pdf",
            "ServerSideEncryption": "AES256",
            "ChecksumAlgorithm": ANY,
        },
    )

    assert (
        storage.save("documents/2026/12/report.pdf", ContentFile(b"%PDF-1.4 a letter"))
        == "documents/2026/12/report.pdf"
    )


def test_a_second_file_of_the_same_name_gets_a_new_name_instead_of_replacing_the_first(s3_storage, monkeypatch):
    storage, stub = s3_storage
    monkeypatch.setattr("django.core.files.storage.base.get_random_string", lambda length: "abc1234")
    stub.add_response("head_object", {"ContentLength": 5}, {"Bucket": BUCKET, "Key": "media/statement.xml"})
    stub.add_client_error(
        "head_object",
        "404",
        http_status_code=404,
        expected_params={"Bucket": BUCKET, "Key": "media/statement_abc1234.xml"},
    )
    stub.add_response(
        "put_object",
        {"ETag": '"2"'},
        {
            "Bucket": BUCKET,
            "Key": "media/statement_abc1234.xml",
            "Body": ANY,
            "ContentType": ANY,
            "ServerSideEncryption": "AES256",
            "ChecksumAlgorithm": ANY,
        },
    )

    assert storage.save("statement.xml", ContentFile(b"<xml/>")) == "statement_abc1234.xml"


def test_a_folder_that_holds_nothing_lists_empty(s3_storage):
    storage, stub = s3_storage
    stub.add_response(
        "list_objects",
        {"IsTruncated": False},
        {"Bucket": BUCKET, "Delimiter": "/", "Prefix": "media/imports/"},
    )

    # An object store has no folders: what holds nothing is an empty list (a local disk raises FileNotFoundError;
    # the import sweep takes both, socius/registry/importing/storage.py).
    assert storage.listdir("imports") == ([], [])
