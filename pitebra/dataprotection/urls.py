from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("register/", views.register_page, name="register"),
    path("register/registerforteckning.html", views.register_download, name="register-download"),
]
