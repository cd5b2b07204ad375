"""UI routes of weekly rosters, the carer's day, deliveries, the canteen (roster) (issue 11), included in
web/urls.py under the "web" namespace."""

urlpatterns: list = []
