"""The export page: the parameters as a form, a summary that follows it, the download and the curl line;
and the API documentation page, served without any CDN."""

import re


def test_the_export_page_previews_and_links_the_download(client, done):
    client.force_login(done["manager"])
    page = client.get("/annotate/p/p/export?format=conll&source=annotators")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="conll" selected>' in html and '<option value="majority">' in html
    records = re.search(r'id="count-records">(\d+)<', html).group(1)
    assert records == "1"
    # CoNLL aligns spans to tokens: "salı gü" ends inside a token, so the preview counts it.
    assert re.search(r"<dt>Misaligned spans</dt><dd>(\d+)</dd>", html).group(1) == "1"
    # The download carries exactly the parameters the summary was made from, and is disabled while the
    # summary is redrawn (hx-disabled-elt), so a click right after typing never fetches the old ones.
    download = re.search(r'<form method="get" action="/api/v1/projects/p/export" class="inline">(.*?)</form>', html, re.S)
    assert re.findall(r'name="(\w+)" value="([^"]*)"', download.group(1)) == [("format", "conll"), ("source", "annotators")]
    assert 'hx-disabled-elt="#preview .download"' in html
    # People's words for the parameters; collections from a list of the project's.
    assert ">Who annotated <small>(source)</small></label>" in html and ">Leave boilerplate out <small>" in html
    assert re.search(r'<select id="export-collection" name="collection" multiple[^>]*>\s*<option value="wire">', html)
    chosen = client.get("/annotate/p/p/export?collection=wire&format=jsonl").content.decode()
    assert '<option value="wire" selected>' in chosen and 'name="collection" value="wire"' in chosen
    assert 'curl -H &quot;Authorization: Token $HABER_TOKEN&quot; -o p-conll.conll' in html
    # The download link is the API's own file.
    assert client.get("/api/v1/projects/p/export?format=conll&source=annotators").status_code == 200
    preview = client.get("/annotate/p/p/export?source=gold", headers={"HX-Request": "true", "HX-Target": "preview"})
    fragment = preview.content.decode()
    assert "<html" not in fragment and 'id="count-records">0<' in fragment  # nothing curated yet
    bad = client.get("/annotate/p/p/export?format=xml", headers={"HX-Request": "true", "HX-Target": "preview"})
    assert bad.status_code == 200 and "format=&#x27;xml&#x27; is not one of" in bad.content.decode()
    assert client.get("/annotate/p/p/export?format=xml").status_code == 400


def test_the_api_documentation_page_serves_swagger_ui_from_this_server(client, db):
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert any("swagger-ui" in s for s in sources)
    script = next(s for s in sources if "script" in s)
    assert "/api/v1/schema" in client.get(script).content.decode()
    # Swagger UI adds a <style> element as it starts: this page alone allows inline styles, never scripts.
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy and "nonce" not in policy
    assert "'unsafe-inline'" not in client.get("/api/v1/me")["Content-Security-Policy"]
