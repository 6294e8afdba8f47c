"""A person's own setting: whether they receive the reminder digest by e-mail."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.work import ReminderSettingsForm


def reminder_settings(request):
    # Unticking the only box posts nothing but the token: bind on the method, not the data.
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.receives_reminders:
            messages.success(request, _("You will receive reminders by e-mail."))
        else:
            messages.success(request, _("You will no longer receive reminders by e-mail."))
        return redirect("reminder-settings")
    return render(request, "followup/reminder_settings.html", {"form": form})
