"""The Russian typed into the old `*_ru` columns moves into `translations` and back, word for
word, so that no translation is lost on the way to languages as data."""

import pytest

BEFORE = [("activities", "0006_translation_reviews"),
          ("conservation_units", "0004_unit_marker_and_outline"),
          ("species", "0003_russian_content")]  # fmt: skip
AFTER = [("activities", "0007_translations_by_language"),
         ("conservation_units", "0005_translations_by_language"),
         ("species", "0004_translations_by_language")]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_russian_columns_become_translations_and_back(programme, migrate):
    old = migrate(BEFORE)
    activity = old.get_model("activities", "Activity").objects.get(ref="16.1")
    activity.text_ru = "Текст по-русски."
    activity.save()
    old.get_model("activities", "Indicator").objects.filter(activity=activity).update(
        text_ru="Показатель."
    )
    old.get_model("activities", "Section").objects.filter(slug="legislation").update(
        title_ru="Законы"
    )
    old.get_model("activities", "Programme").objects.update(goal_ru="Цель.", vision_ru="")
    old.get_model("conservation_units", "ConservationUnit").objects.filter(
        slug="western-tian-shan"
    ).update(name_ru="Тянь-Шань")
    old.get_model("species", "Species").objects.filter(slug="argali").update(common_name_ru="Архар")

    new = migrate(AFTER)
    activity = new.get_model("activities", "Activity").objects.get(ref="16.1")
    assert activity.translations["text"] == {"ru": "Текст по-русски."}
    indicator = new.get_model("activities", "Indicator").objects.filter(activity=activity).first()
    assert indicator.translations == {"text": {"ru": "Показатель."}}
    section = new.get_model("activities", "Section").objects.get(slug="legislation")
    assert section.translations["title"] == {"ru": "Законы"}
    programme = new.get_model("activities", "Programme").objects.get()
    assert programme.translations["goal"] == {"ru": "Цель."}
    assert "vision" not in programme.translations  # nothing typed, nothing stored
    unit = new.get_model("conservation_units", "ConservationUnit").objects.get(
        slug="western-tian-shan"
    )
    assert unit.translations == {"name": {"ru": "Тянь-Шань"}}
    argali = new.get_model("species", "Species").objects.get(slug="argali")
    assert argali.translations == {"common_name": {"ru": "Архар"}}

    old = migrate(BEFORE)
    assert old.get_model("activities", "Activity").objects.get(ref="16.1").text_ru == (
        "Текст по-русски."
    )
    assert old.get_model("species", "Species").objects.get(slug="argali").common_name_ru == "Архар"
