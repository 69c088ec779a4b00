from django.db import models


class CmsAppendix(models.TextChoices):
    APPENDIX_I = "I", "Appendix I"
    APPENDIX_II = "II", "Appendix II"
    APPENDICES_I_AND_II = "I & II", "Appendices I & II"


class SpeciesStatus(models.TextChoices):
    LISTED = "listed", "Covered by CAMI"
    PROPOSED = "proposed", "Proposed for inclusion (COP14)"


class InstrumentKind(models.TextChoices):
    ACTION_PLAN = "action_plan", "Action plan"
    STRATEGY = "strategy", "Strategy"
    WORK_PROGRAMME = "work_programme", "Work programme"
    CONCERTED_ACTION_PROPOSAL = "concerted_action_proposal", "Concerted Action proposal"
