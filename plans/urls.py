"""URLs of steps 1–3, all under /agreements/<agreement_pk>/."""

app_name = "plans"

urlpatterns = []
