from django.db import models
from django.utils.translation import gettext_lazy as _


class CmsAppendix(models.TextChoices):
    APPENDIX_I = "I", _("Appendix I")
    APPENDIX_II = "II", _("Appendix II")
    APPENDICES_I_AND_II = "I & II", _("Appendices I & II")


class SpeciesStatus(models.TextChoices):
    LISTED = "listed", _("Covered by CAMI")
    PROPOSED = "proposed", _("Proposed for inclusion (COP14)")


class InstrumentKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Action plan")
    STRATEGY = "strategy", _("Strategy")
    WORK_PROGRAMME = "work_programme", _("Work programme")
    CONCERTED_ACTION_PROPOSAL = "concerted_action_proposal", _("Concerted Action proposal")
