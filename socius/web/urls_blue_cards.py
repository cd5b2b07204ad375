"""UI routes of blue_cards (issue 10), included in web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import blue_cards as views

urlpatterns: list = [
    path("blue-cards/", views.blue_cards, name="blue_cards"),
    path("blue-cards/new/", views.blue_card_new, name="blue_card_new"),
    path("blue-cards/<int:pk>/", views.blue_card, name="blue_card"),
    path("blue-cards/<int:pk>/members/", views.blue_card_member_add, name="blue_card_member_add"),
    path("blue-cards/<int:pk>/members/remove/", views.blue_card_member_remove, name="blue_card_member_remove"),
    path("blue-cards/<int:pk>/forms/", views.blue_card_form_add, name="blue_card_form_add"),
    path("blue-cards/<int:pk>/meetings/", views.blue_card_meeting_add, name="blue_card_meeting_add"),
    path("blue-cards/<int:pk>/plan/", views.blue_card_plan_add, name="blue_card_plan_add"),
    path("blue-cards/<int:pk>/plan/done/", views.blue_card_plan_done, name="blue_card_plan_done"),
    path("blue-cards/<int:pk>/monitoring/", views.blue_card_monitoring_add, name="blue_card_monitoring_add"),
    path("blue-cards/<int:pk>/status/", views.blue_card_status, name="blue_card_status"),
    path("blue-cards/<int:pk>/nk-a.pdf", views.blue_card_nka_pdf, name="blue_card_nka_pdf"),
    path("blue-cards/<int:pk>/notice.pdf", views.blue_card_notice_pdf, name="blue_card_notice_pdf"),
]
