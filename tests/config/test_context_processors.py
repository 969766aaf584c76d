"""The top bar shows the "Corpus" link only to those the corpus pages let in."""

from tests.factories import make_user


def test_the_corpus_link_is_shown_only_to_those_who_may_browse_the_corpus(client, db):
    for user, shown in ((make_user("annotator"), False), (make_user("staff", is_staff=True), True),
                        (make_user("reader", permissions=["corpus.view_document"]), True)):
        client.force_login(user)
        page = client.get("/annotate/").content.decode()
        assert ('href="/corpus/"' in page) is shown, user
        assert client.get("/corpus/").status_code == (200 if shown else 403)
