"""Where files live: the local disk (MEDIA_ROOT) by default, or an S3-compatible object store that several
machines share when STORAGE_S3_BUCKET is set (django-storages; docs/deploy.md lists the variables). Uploads
waiting for a job, export files, dataset releases and trained models all go through Django's storage API, so
the choice is made here only. Files are never public: they are downloaded through views that check who asks."""


def s3_storage(environ) -> dict | None:
    """The default storage's settings for the object store the environment names, or None (local disk)."""
    if not environ.get("STORAGE_S3_BUCKET"):
        return None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": environ["STORAGE_S3_BUCKET"],
        "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL") or None,  # None: AWS itself
        "region_name": environ.get("STORAGE_S3_REGION") or None,
        "access_key": environ.get("STORAGE_S3_ACCESS_KEY_ID") or None,  # None: the machine's AWS credentials
        "secret_key": environ.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        "location": environ.get("STORAGE_S3_PREFIX", ""),  # a folder of the bucket
        "addressing_style": environ.get("STORAGE_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO and the like
        "file_overwrite": False,  # as on disk: a name in use gets a suffix, never overwritten
        "default_acl": None,
    }}
