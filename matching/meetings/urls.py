from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    # Public
    path("", views.upcoming, name="upcoming"),
    path("kommune/<str:code>/", views.upcoming, name="upcoming_municipality"),
    path("svar/<str:token>/", views.token_reply, name="token_reply"),
    # Invited businesses and providers
    path("mine/", views.my_meetings, name="mine"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/svar/", views.meeting_reply, name="reply"),
    path("<int:pk>/bli-med/", views.meeting_join, name="join"),
    path("<int:pk>/en-til-en/", views.slot_request, name="slot_request"),
    path("en-til-en/<int:pk>/svar/", views.slot_answer, name="slot_answer"),
    path("<int:pk>/min-agenda/", views.meeting_agenda, name="agenda"),
    path("<int:pk>/kalender.ics", views.meeting_ics, name="ics"),
    # Adviser
    path("radgiver/", views.meeting_list, name="adviser_list"),
    path("ny/", views.meeting_create, name="create"),
    path("<int:pk>/styring/", views.meeting_manage, name="manage"),
    path("<int:pk>/endre/", views.meeting_edit, name="edit"),
    path("<int:pk>/inviter/", views.meeting_invite, name="invite"),
    path("<int:pk>/flere/", views.meeting_add_invitees, name="add_invitees"),
    path("<int:pk>/avlys/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/planlegg/", views.meeting_schedule, name="schedule"),
    path("<int:pk>/resultat/", views.meeting_outcome, name="outcome"),
    path("bli-med/<int:pk>/avgjor/", views.join_decide, name="join_decide"),
]
