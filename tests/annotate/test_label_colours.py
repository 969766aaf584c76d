"""A label colour must let its marks stand out in both themes (annotate.models.schema.colour_problem, #32):
3:1 against the article's background, light and dark; refused with a message that proposes a shade that
works; the colours stored before the rule are moved to that shade by a migration."""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from annotate.models import Label, Layer
from annotate.models.schema import (
    DARK_SURFACE,
    LIGHT_SURFACE,
    colour_problem,
    colour_within_contrast,
    contrast_ratio,
    text_colour_for,
)
from annotate.services import SchemaError, schema_dump, schema_load
from annotate.services.schema import IMPORT_PALETTE, label_create_imported
from tests.factories import make_project

COLOURS = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


def passes(colour: str) -> bool:
    return min(contrast_ratio(colour, LIGHT_SURFACE), contrast_ratio(colour, DARK_SURFACE)) >= 3


@given(colour=COLOURS)
def test_any_colour_is_refused_exactly_when_it_fails_a_theme_and_the_proposed_shade_passes(colour):
    proposed = colour_within_contrast(colour)
    assert passes(proposed)
    assert (colour_problem(colour) is None) == passes(colour)
    if passes(colour):
        assert proposed == colour
    else:
        assert proposed in colour_problem(colour)


@given(colour=COLOURS)
def test_a_colour_that_passes_gives_its_chip_a_name_of_at_least_4_5_to_1(colour):
    shade = colour_within_contrast(colour)
    assert contrast_ratio(shade, text_colour_for(shade)) >= 4.5


def test_the_proposed_shade_keeps_the_hue():
    assert colour_within_contrast("#ffff00") == "#9a9a00"  # yellow darkened: still yellow
    assert colour_within_contrast("#0000ff") == "#5151ff"  # blue lightened for the dark theme
    assert colour_within_contrast("#FF0000") == "#ff0000"  # passes as it is


def test_the_message_names_the_theme_the_ratio_and_a_shade_in_every_language():
    with translation.override("en"):
        assert colour_problem("#ffbb78") == (
            "colour #ffbb78 is too light for the light theme: 1.6:1 against the article's background, where a "
            f"mark needs 3:1 to be seen. {colour_within_contrast('#ffbb78')} has the same hue and works in both "
            "themes.")
        assert colour_problem("#123456").startswith("colour #123456 is too dark for the dark theme: 1.")
    with translation.override("tr"):
        turkish = colour_problem("#ffbb78")
    with translation.override("sq"):
        albanian = colour_problem("#ffbb78")
    assert "1,6:1" in turkish and "fazla açık" in turkish
    assert "1,6:1" in albanian and "#ffbb78" in albanian and albanian != turkish


@pytest.fixture
def project(db):
    return make_project("p", schema="news-diplomacy")


def test_every_shipped_colour_passes_in_both_themes(project):
    for label in Label.objects.filter(project=project):
        assert colour_problem(label.colour) is None, (label.name, label.colour)
    assert all(colour_problem(colour) is None for colour in IMPORT_PALETTE)
    boilerplate = [label.colour for label in Label.objects.filter(project=project, layer=Layer.BOILERPLATE)]
    assert len(set(boilerplate)) == len(boilerplate)  # told apart by their colours too


def test_a_schema_file_with_a_faint_colour_is_refused_with_the_shade_to_use(project):
    data = schema_dump(project)
    data["boilerplate"][0]["colour"] = "#eeeeee"
    with pytest.raises(SchemaError) as refused:
        schema_load(project=project, data=data)
    assert "boilerplate[0].colour: colour #eeeeee is too light for the light theme" in str(refused.value)
    assert Label.objects.get(project=project, name=data["boilerplate"][0]["name"]).colour != "#eeeeee"
    data["boilerplate"][0]["colour"] = colour_within_contrast("#eeeeee")
    schema_load(project=project, data=data)  # the proposed shade is taken
    assert Label.objects.get(project=project, name=data["boilerplate"][0]["name"]).colour == "#949494"


def test_the_schema_page_shows_the_refusal(client, project):
    from tests.factories import make_user

    manager = make_user("manager", is_staff=True)
    project.memberships.create(user=manager, role="manager")
    client.force_login(manager)
    data = json.loads(client.get("/annotate/p/p/schema.json").content)
    data["events"][0]["colour"] = "#0a0a40"
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "schema.json"
    page = client.post("/annotate/p/p/schema", {"file": upload}, headers={"Accept-Language": "tr"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "events[0].colour: #0a0a40 rengi koyu tema için fazla koyu" in text
    assert colour_within_contrast("#0a0a40") in text


def test_a_label_an_annotation_import_adds_takes_a_colour_that_passes(project):
    for name in ("NEW1", "NEW2", "NEW3"):
        assert colour_problem(label_create_imported(project=project, name=name).colour) is None


def test_the_migration_moves_stored_colours_to_their_shade_and_renews_the_cached_schema(project):
    migration = importlib.import_module("annotate.migrations.0017_label_colours_within_contrast")
    faint = Label.objects.get(project=project, name="PER")
    Label.objects.filter(pk=faint.pk).update(colour="#FFFF00")  # as stored before the rule
    kept = {label.pk: label.colour for label in Label.objects.filter(project=project).exclude(pk=faint.pk)}
    version = type(project).objects.get(pk=project.pk).schema_version
    migration.colours_within_contrast(apps, None)
    assert Label.objects.get(pk=faint.pk).colour == "#9a9a00"
    assert {label.pk: label.colour for label in Label.objects.filter(project=project).exclude(pk=faint.pk)} == kept
    assert type(project).objects.get(pk=project.pk).schema_version == version + 1
    migration.colours_within_contrast(apps, None)  # twice changes nothing more
    assert type(project).objects.get(pk=project.pk).schema_version == version + 1
