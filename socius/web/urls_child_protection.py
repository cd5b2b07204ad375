"""UI routes of child_protection (issue 10), included in web/urls.py under the "web" namespace."""

from django.urls import path

import socius.web.views.child_protection as children
import socius.web.views.child_protection_meetings as meetings

urlpatterns: list = [
    path("children/", children.children, name="children"),
    path("cases/<int:pk>/children/new/", children.child_new, name="child_new"),
    path("children/<int:pk>/", children.child_detail, name="child_detail"),
    path("children/<int:pk>/care/", children.child_care, name="child_care"),
    path("children/<int:pk>/risks/", children.child_risks, name="child_risks"),
    path("children/<int:pk>/close/", children.child_close, name="child_close"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", meetings.meeting_agenda_add, name="meeting_agenda_add"),
    path("meetings/<int:pk>/members/", meetings.meeting_members, name="meeting_members"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("agenda-items/<int:pk>/decision/", meetings.meeting_decision, name="meeting_decision"),
    path("meetings/<int:pk>/hold/", meetings.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("tasks/", meetings.tasks, name="tasks"),
    path("tasks/<int:pk>/done/", meetings.task_done, name="task_done"),
]
