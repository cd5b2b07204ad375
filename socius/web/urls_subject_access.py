"""UI routes of subject-access requests and their exports (GDPR art. 15) (issue 13),
included in web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import subject_access as views

urlpatterns: list = [
    path("persons/<int:pk>/subject-access/new/", views.subject_access_new, name="subject_access_new"),
    path("subject-access/", views.subject_access_list, name="subject_access_list"),
    path("subject-access/<int:pk>/", views.subject_access_detail, name="subject_access_detail"),
    path("subject-access/<int:pk>/approve/", views.subject_access_approve, name="subject_access_approve"),
    path("subject-access/<int:pk>/refuse/", views.subject_access_refuse, name="subject_access_refuse"),
    path("subject-access/<int:pk>/retry/", views.subject_access_retry, name="subject_access_retry"),
    path("subject-access/<int:pk>/deliver/", views.subject_access_deliver, name="subject_access_deliver"),
    path("subject-access/<int:pk>/download/", views.subject_access_download, name="subject_access_download"),
]
