import pytest
from django.db import DatabaseError, connection, transaction

from corpus.models import Document, ImmutableTextError
from tests.factories import import_texts, make_collection


@pytest.fixture
def document(db):
    import_texts(make_collection(), "Çin Dışişleri Bakanı Wang Yi konuştu.")
    return Document.objects.get()


def test_saving_changed_text_is_refused(document):
    document.text = "Başka bir metin."
    with pytest.raises(ImmutableTextError, match="cannot change after import"):
        document.save()
    assert Document.objects.get().text == "Çin Dışişleri Bakanı Wang Yi konuştu."


def test_other_fields_can_change(document):
    document.title = "Yeni başlık"
    document.meta = {"checked": True}
    document.save()
    stored = Document.objects.get()
    assert (stored.title, stored.meta, stored.text) == ("Yeni başlık", {"checked": True}, document.text)


def test_queryset_update_of_text_is_refused(document):
    with pytest.raises(ImmutableTextError):
        Document.objects.update(text="x")
    with pytest.raises(ImmutableTextError):
        Document.objects.filter(pk=document.pk).update(text_sha256="0" * 64)
    assert Document.objects.filter(pk=document.pk).update(title="ok") == 1


def test_the_database_refuses_raw_updates_too(document):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_document SET text = %s WHERE id = %s", ["changed", document.pk])
    assert Document.objects.get().text == document.text


def test_saving_a_stale_copy_does_not_rewrite_text(document):
    document.title = "Başlık"
    document.save(update_fields=["title"])
    assert Document.objects.get().title == "Başlık"
