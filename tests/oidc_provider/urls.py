import json

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model


@csrf_exempt
def setup(request):
    """The test's back door into the provider: create or change clients and people."""
    data = json.loads(request.body)
    Application = get_application_model()
    for client in data.get("clients", []):
        app = Application.objects.filter(client_id=client["client_id"]).first() or Application(
            client_id=client["client_id"]
        )
        app.name = client["client_id"]
        app.client_secret = client["client_secret"]
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.algorithm = Application.RS256_ALGORITHM
        app.redirect_uris = " ".join(client["redirect_uris"])
        app.post_logout_redirect_uris = " ".join(client.get("post_logout_redirect_uris", []))
        app.skip_authorization = True
        app.save()
    User = get_user_model()
    for person in data.get("users", []):
        user = User.objects.filter(username=person["username"]).first() or User(
            username=person["username"]
        )
        user.email = person.get("email", "")
        user.first_name = person.get("first_name", "")
        user.last_name = person.get("last_name", "")
        user.is_active = person.get("is_active", True)
        user.set_password(person["password"])
        user.save()
    return JsonResponse(
        {"ok": True, "subjects": {u.username: str(u.pk) for u in User.objects.all()}}
    )


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("test/setup/", setup),
]
