"""Sessions and their users are read with fixed SQL statements (config/sessions.py, config/auth_backends.py):
the same answers as Django's own ORM reads, a session and its user in one query."""

from datetime import timedelta

from django.utils import timezone

from config.models import Session
from tests.factories import PASSWORD, make_user


def test_a_login_is_read_back_in_two_queries_and_ends_as_django_says(client, db, django_assert_num_queries):
    user = make_user("ayse")
    assert client.post("/accounts/login/", {"username": "ayse", "password": PASSWORD}).status_code == 302
    assert Session.objects.get().user_id == user.pk
    with django_assert_num_queries(2):  # the session with its user, the user's rate count (one upsert)
        assert client.get("/api/v1/me").json()["username"] == "ayse"
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me").status_code == 401  # expired
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me").status_code == 401  # deactivated
    user.is_active = True
    user.set_password("an0ther-passw0rd")  # a new password ends the other sessions
    user.save()
    assert client.get("/api/v1/me").status_code == 401


def test_a_forged_session_or_user_id_is_anonymous(client, db):
    from config.auth_backends import ModelBackend

    client.cookies["sessionid"] = "x" * 32
    assert client.get("/api/v1/me").status_code == 401
    assert ModelBackend().get_user("not-a-number") is None and ModelBackend().get_user(987654) is None


def test_the_user_read_with_the_session_is_the_one_django_reads(client, db, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from tests.factories import field_values

    user = make_user("ayse")
    client.force_login(user)
    me = client.get("/api/v1/me").json()
    assert me["username"] == "ayse"
    # The row read with the session is the ORM's user, field for field.
    from config.auth_backends import user_from_row
    from config.sessions import SessionStore

    store = SessionStore(Session.objects.get().session_key)
    store.load()
    assert store.prefetched_user[0] == user.pk
    read = user_from_row(get_user_model(), "default", store.prefetched_user[1])
    assert field_values(read) == field_values(get_user_model().objects.get(pk=user.pk))


def test_a_session_from_before_the_user_id_column_still_logs_in(client, db, django_assert_num_queries):
    user = make_user("ayse")
    client.force_login(user)
    Session.objects.update(user_id=None)  # as the migration copies the sessions of the old table
    with django_assert_num_queries(3):  # the session, then its user on its own, the rate count
        assert client.get("/api/v1/me").json()["username"] == "ayse"


def test_a_session_whose_user_id_column_names_someone_else_is_not_theirs(client, db):
    # The column is a copy for speed; who is logged in is what the signed session data says.
    ayse, mehmet = make_user("ayse"), make_user("mehmet")
    client.force_login(ayse)
    Session.objects.update(user_id=mehmet.pk)
    assert client.get("/api/v1/me").json()["username"] == "ayse"


def test_the_upgrade_keeps_everyone_logged_in(client, transactional_db):
    """Migration site.0003 copies the sessions that have not expired from Django's table to ours."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.contrib.sessions.models import Session as DjangoSession
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    user = make_user("ayse")
    executor = MigrationExecutor(connection)
    executor.migrate([("site", "0002_verbose_names")])
    try:
        old = DjangoStore()
        old.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "config.auth_backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
        old.create()
        expired = DjangoStore()
        expired["x"] = 1
        expired.create()
        DjangoSession.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Session.objects.values_list("session_key", "user_id")) == [(old.session_key, None)]
    client.cookies["sessionid"] = old.session_key
    assert client.get("/api/v1/me").json()["username"] == "ayse"


def test_the_permissions_read_with_the_session_are_djangos_and_asking_costs_nothing(client, db,
                                                                                   django_assert_num_queries):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend as DjangoBackend
    from django.contrib.auth.models import Group, Permission

    from config.auth_backends import ModelBackend
    from config.sessions import PREFETCHED_USER, SessionStore

    managers = Group.objects.create(name="Corpus managers")
    managers.permissions.add(*Permission.objects.filter(content_type__app_label="corpus",
                                                        codename__in=["view_document", "add_document"]))
    ayse = make_user("ayse", permissions=["annotate.add_project", "corpus.view_document"])  # one twice
    ayse.groups.add(managers)
    plain = make_user("mehmet")
    boss = make_user("boss", permissions=["annotate.add_project"])
    boss.is_superuser = True
    boss.save()
    every = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    for user, expected in ((ayse, {"annotate.add_project", "corpus.view_document", "corpus.add_document"}),
                           (plain, set())):
        client.force_login(user)
        store = SessionStore(client.cookies["sessionid"].value)
        store.load()
        token = PREFETCHED_USER.set(store.prefetched_user)
        try:
            read = ModelBackend().get_user(user.pk)
        finally:
            PREFETCHED_USER.reset(token)
        assert DjangoBackend().get_all_permissions(get_user_model().objects.get(pk=user.pk)) == expected
        with django_assert_num_queries(0):
            assert read.get_all_permissions() == expected
            assert read.has_perm("corpus.view_document") == bool(expected)
            assert not read.has_perm("corpus.delete_document")
    # A superuser's permissions are every one there is, as Django reads them, not only those granted.
    client.force_login(boss)
    store = SessionStore(client.cookies["sessionid"].value)
    store.load()
    token = PREFETCHED_USER.set(store.prefetched_user)
    try:
        read = ModelBackend().get_user(boss.pk)
    finally:
        PREFETCHED_USER.reset(token)
    assert read.get_all_permissions() == every == DjangoBackend().get_all_permissions(
        get_user_model().objects.get(pk=boss.pk))
