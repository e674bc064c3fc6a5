"""The inbox page, marking read, and the bell on every page."""

from django.urls import reverse

from notifications import services
from notifications.models import Kind, Notification


def note_for(user, text):
    return services.publish_on_commit(Kind.CASE_CLOSED, recipients=[user], text=lambda: text)[0]


def browser(client, user):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(user)
    return client


def test_the_inbox_needs_a_login(client, db):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inbox_shows_ones_own_notifications_newest_first(client, supervisor, outsider):
    note_for(supervisor, "First for me.")
    note_for(supervisor, "Second for me.")
    note_for(outsider, "For zone B.")

    text = browser(client, supervisor).get(reverse("notifications:inbox")).content.decode()

    assert text.index("Second for me.") < text.index("First for me.")
    assert "For zone B." not in text


def test_the_unread_tab_leaves_out_what_was_read(client, supervisor):
    read = note_for(supervisor, "Already read.")
    note_for(supervisor, "Still new.")
    services.mark_read(supervisor, [read.pk])

    response = browser(client, supervisor).get(reverse("notifications:inbox") + "?show=unread")

    assert "Still new." in response.content.decode()
    assert "Already read." not in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, supervisor):
    note = note_for(supervisor, "Case closed.")
    url = reverse("notifications:mark-read", args=[note.pk])

    response = browser(client, supervisor).post(url, {"next": "/petitions/"})

    assert response.status_code == 302 and response["Location"] == "/petitions/"
    note.refresh_from_db()
    assert note.is_read


def test_a_page_marking_read_gets_the_unread_count_back(client, supervisor):
    first = note_for(supervisor, "One.")
    note_for(supervisor, "Two.")
    url = reverse("notifications:mark-read", args=[first.pk])

    response = browser(client, supervisor).post(url, headers={"accept": "application/json"})

    assert response.json() == {"unread": 1}


def test_someone_elses_notification_cannot_be_marked(client, supervisor, outsider):
    theirs = note_for(outsider, "Not yours.")
    url = reverse("notifications:mark-read", args=[theirs.pk])

    assert browser(client, supervisor).post(url).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_takes_a_post(client, supervisor):
    note = note_for(supervisor, "One.")
    browser(client, supervisor)

    assert client.get(reverse("notifications:mark-read", args=[note.pk])).status_code == 405
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405


def test_mark_all_read_marks_only_ones_own(client, supervisor, outsider):
    note_for(supervisor, "One.")
    note_for(supervisor, "Two.")
    note_for(outsider, "Theirs.")

    response = browser(client, supervisor).post(reverse("notifications:mark-all-read"), follow=True)

    assert "All notifications are marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=supervisor).unread().exists()
    assert Notification.objects.filter(recipient=outsider).unread().count() == 1


def test_every_page_has_the_bell_and_the_script(client, supervisor):
    text = browser(client, supervisor).get(reverse("casework:petition-list")).content.decode()

    assert 'id="bell"' in text and 'data-socket="/ws/notifications/"' in text
    assert "notifications/notifications.js" in text
    assert f'href="{reverse("notifications:inbox")}"' in text


def test_the_login_page_has_no_bell(client, db):
    assert 'id="bell"' not in client.get(reverse("login")).content.decode()
