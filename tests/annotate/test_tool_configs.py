"""Exports that fit the target project (#30): the Label Studio labeling config and the doccano label file
made from the schema; a Label Studio export shaped by the user's labeling config, a label it lacks refused;
hostile XML refused; and the spans a doccano project with overlapping off would drop, counted."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotate.interop.export import ExportParameterError
from annotate.interop.tool_configs import labeling_target
from annotate.models import Span
from tests.factories import export_text, make_annotator, make_project

ENTITIES_AND_BOILERPLATE = {"PER", "ORG", "GPE", "LOC", "TITLE", "DATE", "AD", "SHARE", "RELATED", "COMMENTS"}


def config(labels, field="body", control="ner", text="content") -> str:
    values = "".join(f'<Label value="{name}"/>' for name in sorted(labels))
    return (f'<View><Header value="Haber"/><Labels name="{control}" toName="{text}">{values}</Labels>'
            f'<Text name="{text}" value="${field}"/></View>')


def test_the_generated_labeling_config_names_every_label_and_our_export_fits_it(done, client):
    client.force_login(done["manager"])
    answer = client.get("/api/v1/projects/p/interop/labelstudio-config.xml")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/xml")
    target = labeling_target(answer.content.decode())
    assert (target.from_name, target.to_name, target.field) == ("label", "text", "text")
    labels = {name for name in target.labels}
    assert labels >= {"PER", "GPE", "TITLE", "DATE", "AD"} and "MEETING" not in labels  # events: not in the file
    tasks = json.loads(export_text(done["project"], format="labelstudio")[0])
    result = tasks[0]["annotations"][0]["result"]
    assert {(r["from_name"], r["to_name"]) for r in result} == {("label", "text")}
    assert {r["value"]["labels"][0] for r in result} <= labels


def test_the_doccano_label_file_holds_names_keys_and_colours(done, client):
    client.force_login(done["user"])  # an annotator may read it too
    labels = client.get("/api/v1/projects/p/interop/doccano-labels.json").json()
    per = next(label for label in labels if label["text"] == "PER")
    assert set(per) == {"text", "suffix_key", "background_color", "text_color"}
    assert per["background_color"].startswith("#") and per["text_color"] in ("#000000", "#ffffff", "#111111",
                                                                              "#1a1a1a", "#fff", "#000")


def test_outsiders_get_no_config(done, client):
    from tests.factories import make_user

    client.force_login(make_user("outsider"))
    assert client.get("/api/v1/projects/p/interop/doccano-labels.json").status_code == 404


def test_a_label_studio_export_takes_the_names_of_the_users_config_and_comes_back(done, tmp_path):
    names = {s.label.name for s in Span.objects.select_related("label")}
    exported, _ = export_text(done["project"], format="labelstudio", labeling_config=config(names))
    (task,) = json.loads(exported)
    assert "body" in task["data"] and "text" not in task["data"]
    assert {(r["from_name"], r["to_name"]) for r in task["annotations"][0]["result"]} == {("ner", "content")}
    path = tmp_path / "ls.json"
    path.write_text(exported, encoding="utf-8")
    other = make_project("other", collections=[], overlap=1)
    make_annotator(other, "reader")
    call_command("import_annotations", "other", str(path), "--format", "labelstudio", "--as", "reader",
                 "--collection", "o", "--attach-collection", "--text-field", "body")

    def spans(project):
        return sorted((s.label.name, s.start, s.end) for s in Span.objects.filter(task__project=project)
                      .select_related("label"))

    assert spans(other) == spans(done["project"])


def test_a_label_the_users_config_lacks_is_refused_with_its_name(done, client):
    with pytest.raises(ExportParameterError, match="the <Labels> control 'ner' has no label AD, TITLE"):
        export_text(done["project"], format="labelstudio", labeling_config=config(ENTITIES_AND_BOILERPLATE -
                                                                                   {"AD", "TITLE"}))
    client.force_login(done["manager"])
    answer = client.get("/api/v1/projects/p/export", {"format": "labelstudio",
                                                      "labeling_config": config({"PER"})})
    assert answer.status_code == 400 and "has no label" in answer.json()["detail"]


@pytest.mark.parametrize(("xml", "message"), [
    ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><View>&lol2;</View>',
     "may hold no DTD and no entities"),
    ('<!DOCTYPE View [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><View>&xxe;</View>', "may hold no DTD"),
    ("<View><Labels", "is not XML"),
    ('<View><Text name="t" value="$text"/></View>', "has no <Labels> control on a <Text> object"),
    ('<View><Labels name="a" toName="t"/><Labels name="b" toName="t"/><Text name="t" value="$x"/></View>',
     "has 2 <Labels> control"),
    ('<View><Labels name="a" toName="t"/><Text name="t" value="fixed"/></View>', "does not read a data field"),
])
def test_a_hostile_or_unfit_labeling_config_is_refused_with_the_reason(done, xml, message):
    with pytest.raises(ExportParameterError, match=message):
        export_text(done["project"], format="labelstudio", labeling_config=xml)


def test_the_doccano_export_counts_what_overlapping_off_would_drop(done, client):
    """The set holds TITLE "Dışişleri Bakanı Sergey Lavrov" with PER "Sergey Lavrov" inside it: a doccano
    project with overlapping off keeps the outer span and drops the inner one."""
    _text, report = export_text(done["project"], format="doccano")
    assert report.summary()["doccano_overlapping_dropped"] == 1
    assert "doccano_overlapping_dropped" not in export_text(done["project"])[1].summary()
    client.force_login(done["manager"])
    page = client.get(reverse("annotate:export", args=["p"]), {"format": "doccano"}).content.decode()
    assert "which a doccano project drops unless its setting “Allow overlapping spans” is on" in page
    assert "/api/v1/projects/p/interop/labelstudio-config.xml" in page


@pytest.mark.parametrize(("fmt", "member"), [("brat", "annotation.conf"), ("xmi", "TypeSystem.xml")])
def test_brat_and_xmi_download_as_zips_through_the_api(done, client, fmt, member):
    import io
    import zipfile

    client.force_login(done["manager"])
    answer = client.get("/api/v1/projects/p/export", {"format": fmt})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"] == f'attachment; filename="p-{fmt}.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))) as archive:
        assert member in archive.namelist() and len(archive.namelist()) == (3 if fmt == "brat" else 2)
