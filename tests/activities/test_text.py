from activities.importer.text import blocks, plain, slug_of


def test_plain_drops_markup_and_keeps_link_text():
    assert plain('Use <a href="#">the IUCN Guidelines</a>  and [the Atlas](#)') == (
        "Use the IUCN Guidelines and the Atlas"
    )


def test_html_list_becomes_a_lettered_list_after_its_introduction():
    markup = "Promote: <ul> <li>a) fines;</li> <li>b) rangers</li> </ul>"
    assert blocks(markup) == [
        {"type": "paragraph", "text": "Promote:"},
        {
            "type": "list",
            "style": "lettered",
            "items": [{"label": "a)", "text": "fines;"}, {"label": "b)", "text": "rangers"}],
        },
    ]


def test_inline_letters_become_a_list_and_a_lone_letter_does_not():
    result = blocks("Support through: a) investment; b) links; and c) alternatives.")
    assert [item["label"] for item in result[1]["items"]] == ["a)", "b)", "c)"]
    assert result[1]["items"][2]["text"] == "alternatives."
    assert blocks("Plan a) only one item") == [
        {"type": "paragraph", "text": "Plan a) only one item"}
    ]


def test_bullets_become_an_unlabelled_list():
    result = blocks("Places: <ul><li>• north;</li><li>• south</li></ul>")
    assert result[1] == {
        "type": "list",
        "style": "bulleted",
        "items": [{"label": "", "text": "north;"}, {"label": "", "text": "south"}],
    }


def test_slugs_drop_possessives():
    assert slug_of("Pallas's Cat") == "pallas-cat"
    assert slug_of("Aral Sea / Western Kyzylkum Desert") == "aral-sea-western-kyzylkum-desert"
