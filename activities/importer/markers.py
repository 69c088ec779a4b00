"""Where the maps mark each Conservation Unit until the Secretariat uploads its outline.

The document names each unit's landscape and its Range States but gives no coordinates, so
these points were chosen by hand from the geography the names refer to (the protected areas and
ranges named in brackets), rounded to a tenth of a degree, and are flagged as approximate.
"""

NOTE = (
    "Approximate centre of the landscape, placed by hand from the geography its name refers to; "
    "the document gives no coordinates."
)

# slug: (latitude, longitude), degrees (WGS 84)
MARKERS = {
    # Kaplankyr (TKM), southern Ustyurt of Karakalpakstan (UZB) and Kazakhstan, near the tripoint
    "southwestern-ustyurt": (42.2, 56.0),
    # Aksu-Zhabagly (KAZ), Sary-Chelek and Besh-Aral (KGZ), Chatkal (UZB)
    "western-tian-shan": (41.9, 70.8),
    # the Pamir knot: Wakhan (AFG), Taxkorgan (CHN), Khunjerab (PAK), Eastern Pamir (TJK)
    "high-pamirs": (37.4, 74.3),
    # the eastern escarpment of the Ustyurt above the former Aral Sea (Saigachy, UZB)
    "eastern-ustyurt": (44.4, 57.6),
    # the Kopet Dag along the border (Kopetdag reserve, TKM; Tandoureh and Golestan, IRN)
    "kopetdag": (37.8, 57.8),
    # the dried Aral seabed and the western Kyzylkum
    "aral-sea-western-kyzylkum-desert": (44.0, 60.6),
    # Khan Tengri massif, where the three states meet
    "khan-tengri-region": (42.2, 80.2),
    # the Kugitang range (Koytendag reserve, TKM; Surkhan reserve, UZB)
    "koytendag-kugitang": (37.8, 66.6),
    # Great Gobi A (MNG) and the adjoining Gobi of Gansu and Xinjiang (CHN)
    "trans-altai-gobi": (42.8, 97.5),
    # Great Gobi B (MNG) and Kalamaili (CHN)
    "jungarian-gobi": (45.2, 91.0),
    # Ladakh and Changthang (IND), Ngari (CHN), the upper Karnali and Mustang (NPL)
    "western-trans-himalaya": (31.8, 79.8),
    # Daursky (RUS), Mongol Daguur (MNG), Dalai Lake (CHN), where the three states meet
    "daurian-steppe": (49.7, 116.0),
}


def marker_of(slug: str) -> dict:
    """The fixture's `marker` of a unit: {"marker": {latitude, longitude, note}} or nothing."""
    if slug not in MARKERS:
        return {}
    latitude, longitude = MARKERS[slug]
    return {"marker": {"latitude": latitude, "longitude": longitude, "note": NOTE}}


def load_marker(unit, marker: dict | None) -> None:
    """Fills the unit's marker from the fixture only where it has none: a point the Secretariat
    corrected in the admin is better than this guess, and stays when the programme is loaded."""
    if not marker or unit.marker_latitude is not None or unit.marker_longitude is not None:
        return
    unit.marker_latitude, unit.marker_longitude = marker["latitude"], marker["longitude"]
    unit.marker_note = marker["note"]
    unit.full_clean(validate_unique=False, validate_constraints=False)
    unit.save(update_fields=["marker_latitude", "marker_longitude", "marker_note"])
