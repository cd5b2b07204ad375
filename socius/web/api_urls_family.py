"""REST API v1 routes of family (issue 10), included in web/api_urls.py: /family-support/… (the family
assistant programme) and /child-protection/… (children in difficulty, meetings, decisions, tasks)."""

from rest_framework.routers import SimpleRouter

from socius.family.api_protection import (
    ChildViewSet,
    DecisionViewSet,
    MeetingViewSet,
    PlacementViewSet,
    TaskViewSet,
)
from socius.family.api_support import (
    ActivityViewSet,
    AssessmentViewSet,
    ConsentViewSet,
    EnrolmentViewSet,
    LoadViewSet,
    PlanItemViewSet,
    TimesheetViewSet,
    WorkPlanViewSet,
)

router = SimpleRouter()
router.register("family-support/enrolments", EnrolmentViewSet, basename="api-family-enrolment")
router.register("family-support/consents", ConsentViewSet, basename="api-family-consent")
router.register("family-support/work-plans", WorkPlanViewSet, basename="api-family-work-plan")
router.register("family-support/work-plan-items", PlanItemViewSet, basename="api-family-work-plan-item")
router.register("family-support/activities", ActivityViewSet, basename="api-family-activity")
router.register("family-support/assessments", AssessmentViewSet, basename="api-family-assessment")
router.register("family-support/loads", LoadViewSet, basename="api-family-load")
router.register("family-support/timesheets", TimesheetViewSet, basename="api-family-timesheet")
router.register("child-protection/children", ChildViewSet, basename="api-child")
router.register("child-protection/placements", PlacementViewSet, basename="api-placement")
router.register("child-protection/meetings", MeetingViewSet, basename="api-meeting")
router.register("child-protection/decisions", DecisionViewSet, basename="api-meeting-decision")
router.register("child-protection/tasks", TaskViewSet, basename="api-follow-up-task")

urlpatterns: list = [*router.urls]
