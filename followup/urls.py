"""URLs of steps 4–5 and the year-end report, all under /agreements/<agreement_pk>/."""

app_name = "followup"

urlpatterns = []
