"""The admin's form for a Conservation Unit: its outline comes as an uploaded GeoJSON file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conservation_units import maps, outlines
from conservation_units.models import ConservationUnit


class OutlineFileField(forms.FileField):
    """A GeoJSON file, read and checked whole; its cleaned value is the outline to store."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        outlines.check_size(upload.size)  # before the file is read into memory
        return outlines.parse_outline(upload.read())


class ConservationUnitAdminForm(forms.ModelForm):
    outline_file = OutlineFileField(
        label=_("Upload an outline"),
        required=False,
        help_text=_(
            "A GeoJSON file (.geojson or .json) in longitude and latitude (WGS 84) holding a "
            "Polygon or MultiPolygon, or features with them, at most 2 MB. It replaces the "
            "current outline, and is kept simplified to about 500 m, as the maps draw it."
        ),
        widget=forms.FileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    remove_outline = forms.BooleanField(
        label=_("Remove the outline"),
        required=False,
        help_text=_("The maps then show the unit's Range States and its marker again."),
    )

    class Meta:
        model = ConservationUnit
        fields = ["slug", "name", "range_states", "position", "source_note",
                  "marker_latitude", "marker_longitude", "marker_note"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        outline, states = cleaned.get("outline_file"), cleaned.get("range_states")
        if outline and cleaned.get("remove_outline"):
            self.add_error(
                "remove_outline",
                _("Either upload an outline or remove it, not both at once."),
            )
        elif outline and states and not maps.touches(outline, [s.iso3 for s in states]):
            self.add_error("outline_file", _(
                "The outline lies outside the unit's Range States (%(states)s). Are longitude "
                "and latitude swapped? GeoJSON puts longitude first."
            ) % {"states": ", ".join(str(state) for state in states)})  # fmt: skip
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("outline_file"):
            self.instance.outline = self.cleaned_data["outline_file"]
        elif self.cleaned_data.get("remove_outline"):
            self.instance.outline = None
        return super().save(commit)
