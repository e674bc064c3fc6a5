from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("petitions/<int:pk>/issue/", views.issue, name="issue"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/reply/", views.reply, name="reply"),
    path("orders/<int:pk>/close/", views.close, name="close"),
]
