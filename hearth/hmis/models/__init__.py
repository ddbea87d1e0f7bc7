"""HUD HMIS record models, one module per HMIS CSV record type (in the spec's file order)."""

from hearth.hmis.models.affiliation import Affiliation
from hearth.hmis.models.assessment import Assessment
from hearth.hmis.models.assessment_questions import AssessmentQuestions
from hearth.hmis.models.assessment_results import AssessmentResults
from hearth.hmis.models.base import HudQuerySet, HudRecord
from hearth.hmis.models.ce_participation import CEParticipation
from hearth.hmis.models.client import Client
from hearth.hmis.models.continuum import Continuum
from hearth.hmis.models.current_living_situation import CurrentLivingSituation
from hearth.hmis.models.disabilities import Disabilities
from hearth.hmis.models.employment_education import EmploymentEducation
from hearth.hmis.models.enrollment import Enrollment
from hearth.hmis.models.event import Event
from hearth.hmis.models.exit import Exit
from hearth.hmis.models.export import Export
from hearth.hmis.models.funder import Funder
from hearth.hmis.models.health_and_dv import HealthAndDV
from hearth.hmis.models.hmis_participation import HMISParticipation
from hearth.hmis.models.income_benefits import IncomeBenefits
from hearth.hmis.models.inventory import Inventory
from hearth.hmis.models.organization import Organization
from hearth.hmis.models.project import Project
from hearth.hmis.models.project_coc import ProjectCoC
from hearth.hmis.models.services import Services
from hearth.hmis.models.source import Source
from hearth.hmis.models.user import HmisUser
from hearth.hmis.models.youth_education_status import YouthEducationStatus

__all__ = [
    "Affiliation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "CEParticipation",
    "Client",
    "Continuum",
    "CurrentLivingSituation",
    "Disabilities",
    "EmploymentEducation",
    "Enrollment",
    "Event",
    "Exit",
    "Export",
    "Funder",
    "HMISParticipation",
    "HealthAndDV",
    "HmisUser",
    "HudQuerySet",
    "HudRecord",
    "IncomeBenefits",
    "Inventory",
    "Organization",
    "Project",
    "ProjectCoC",
    "Services",
    "Source",
    "YouthEducationStatus",
]
