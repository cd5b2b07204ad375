"""UI routes of outreach, potential recipients, the territory view, the diagnosis (outreachweb) (issue 11),
included in web/urls.py under the "web" namespace."""

from django.urls import path

import socius.web.views.community_outreach as outreach
import socius.web.views.community_recipients as recipients
import socius.web.views.community_territory as territory

urlpatterns: list = [
    path("community/outreach/", outreach.outreach_list, name="outreach_list"),
    path("community/outreach/new/", outreach.outreach_new, name="outreach_new"),
    path("community/outreach/<int:pk>/", outreach.outreach_event, name="outreach_event"),
    path("community/outreach/<int:pk>/edit/", outreach.outreach_edit, name="outreach_edit"),
    path("community/outreach/<int:pk>/held/", outreach.outreach_held, name="outreach_held"),
    path("community/outreach/<int:pk>/cancel/", outreach.outreach_cancel, name="outreach_cancel"),
    path("community/outreach/<int:pk>/replan/", outreach.outreach_replan, name="outreach_replan"),
    path("community/outreach/<int:pk>/recipients/", recipients.outreach_recipient_new, name="outreach_recipient_new"),
    path("community/follow-ups/<int:pk>/done/", outreach.outreach_follow_up_done, name="outreach_follow_up_done"),
    path("community/recipients/", recipients.potential_recipients, name="potential_recipients"),
    path("community/recipients/<int:pk>/contact/", recipients.recipient_contact, name="recipient_contact"),
    path("community/recipients/<int:pk>/refer/", recipients.recipient_refer, name="recipient_refer"),
    path("community/recipients/<int:pk>/dismiss/", recipients.recipient_dismiss, name="recipient_dismiss"),
    path("community/recipients/<int:pk>/reopen/", recipients.recipient_reopen, name="recipient_reopen"),
    path("community/territory/", territory.territory_view, name="territory_view"),
    path("community/diagnosis/", territory.community_diagnosis, name="community_diagnosis"),
]
