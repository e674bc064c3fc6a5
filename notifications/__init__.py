"""Live notifications: domain events -> stored notifications -> websockets (as Zulip does it).

The path
    A producer calls one of `services.announce_*` inside the transaction of its change; that
    resolves who is told (`rules`), writes one `Notification` per recipient in the recipient's
    language (`Preference`, default zh-hans) in the same transaction, and pushes it to the
    recipient's group on the channel layer once the transaction commits (`publish_on_commit`).
    A rolled-back change stores and announces nothing. If the channel layer fails (Redis down),
    the request still succeeds, the rows are committed, the failure is logged, and the client
    gets what it missed on its next connect.

The socket: `/ws/notifications/?last_id=<id>&rows=1`
    Authentication: the session cookie (pages; the Origin must be the site's own scheme, host
    and port, or one of CSRF_TRUSTED_ORIGINS, as for Django's CSRF check), or a DRF API token
    as `Authorization: Token <key>` or `?token=<key>`. A socket without a valid login, or whose
    user is inactive, is accepted and at once closed with code 4401; a cookie-authenticated
    socket from a foreign page, or of a user who holds no role anywhere, is closed with 4403.
    An open socket is closed the same way (4401, 4403) as soon as its user is deactivated or
    loses their last role.

    On connect the server joins the person's group (`notifications.user.<id>`) and, with
    `rows=1` (a page that shows petitions), the groups of the units where they hold a role
    (`notifications.unit.<id>`) first, then sends, in order:
      - if `last_id` was given: every notification of theirs after it, oldest first, or
        `{"type": "resync"}` if some after it may have been pruned (NOTIFICATIONS["KEEP_DAYS"])
        or there are more than NOTIFICATIONS["REPLAY_LIMIT"];
      - `{"type": "state", "unread": <int>, "last_id": <int or null>}`;
    then live messages. A notification committed while the replay ran is sent once.

Server -> client messages (JSON objects; clients ignore types they do not know)
    notification   {"type": "notification", "id": 42, "kind": "group_petition_filed",
                    "petition": "JS-2026-000123" or null, "text": "<in the recipient's language>",
                    "time": "2026-11-20T09:30:00.123456+00:00" (ISO 8601, when it was stored),
                    "link": "/petitions/17/" (path, may be ""), "data": {...}, "read": false}
                   kind and data:
                     group_petition_filed       {"workers", "enterprise", "owner_missing"}
                     task_assigned              {"task", "step", "reassigned"}
                     case_closed                {}
                     release_awaiting_approval  {"release", "amount"} (amount a decimal string)
                     deadline_near / deadline_passed  {"due_at", ...what the producer adds}
                     red_warning                {"warning", "enterprise"}
                     warning_to_handle          {"warning", "enterprise", "level"}
    state          the bell's figures, after the replay
    resync         the client cannot be brought up to date by replay: take `state` as the truth
    read           {"type": "read", "ids": [..] or null (all), "unread": <int>}: marked read on
                   another page
    petition       {"type": "petition", "petition": <pk>, "number": "JS-2026-000123"}: a petition
                   under one of the person's units changed; pages showing it refresh. Only with
                   `rows=1`; not stored.
The client sends nothing; daphne's pings keep the connection honest.
"""
