"""The schema as SQLAlchemy Core tables; the migrations in ``migrations/versions`` build it.

Records map onto these tables in ``repository.py``; the domain never sees them. Ids from
the charter (``qa``, ``amelie``) are natural keys, unique per organisation; rows are never
deleted when the charter drops someone, only marked inactive.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from asyncfirst.adapters.db.types import UTCDateTime

__all__ = [
    "api_tokens",
    "charter_applies",
    "checkins",
    "coffee_pairings",
    "coffee_preferences",
    "decision_deciders",
    "decision_responses",
    "decisions",
    "deliveries",
    "feed_tokens",
    "handoffs",
    "meeting_attendees",
    "meetings",
    "metadata",
    "notifications",
    "organisations",
    "people",
    "pulse_answers",
    "replies",
    "roles",
    "team_policy_history",
    "teams",
    "thread_recipients",
    "threads",
    "web_passwords",
    "web_sessions",
    "webhooks",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_KEY = 64  # charter ids are at most 63 characters

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False),
    Column("key", String(_KEY), nullable=False),
    Column("name", String(200), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("hours", Text, nullable=False),
    Column("holidays", String(32), nullable=False),
    Column("band_low", Float, nullable=False),
    Column("band_high", Float, nullable=False),
    Column("respond_by_hours", Float, nullable=False),
    Column("decision_deadline_hours", Float, nullable=False),
    Column("alignment_every_weeks", Integer, nullable=False),
    Column("alignment_minutes", Integer, nullable=False),
    Column("sync_kinds", JSON, nullable=False),
    Column("coffee_every_weeks", Integer, nullable=False),
    Column("reflection_every_weeks", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("organisation_id", "key"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False),
    Column("key", String(_KEY), nullable=False),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("hours", Text, nullable=False),
    Column("holidays", String(32), nullable=False),
    Column("emails", JSON, nullable=False),
    Column("focus", Text, nullable=False),
    Column("meeting_free_days", String(64), nullable=False),
    Column("time_off", Text, nullable=False),
    Column("daily_sync_cap_minutes", Integer, nullable=True),
    Column("weekly_sync_cap_minutes", Integer, nullable=True),
    Column("stretch_minutes", Integer, nullable=False),
    Column("social_appetite", Float, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("organisation_id", "key"),
)

charter_applies = Table(
    "charter_applies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
    Column("applied_by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
)

team_policy_history = Table(
    "team_policy_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("apply_id", ForeignKey("charter_applies.id"), nullable=False),
    Column("field", String(64), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
)

# --- The hub (migration 0002) --------------------------------------------------------
# Hand-offs, pulses and jobs come in later migrations; they refer to
# people, teams and threads by these integer ids.

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("prefix", String(16), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("team_id", ForeignKey("teams.id"), nullable=True),
    Column("granted_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('org_admin', 'team_lead')", name="known_role"),
    CheckConstraint("(role = 'team_lead') = (team_id IS NOT NULL)", name="team_lead_names_team"),
)

threads = Table(
    "threads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("author_id", ForeignKey("people.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The earliest respond-by among recipients who have not answered (None: nobody waits),
    # kept by the thread repository on every post and answer, so a team's list is read in
    # its order from the index below instead of computed over every thread of the team.
    Column("next_due", UTCDateTime, nullable=True),
    CheckConstraint("kind IN ('update', 'question')", name="known_kind"),
    Index("ix_threads_team_id_next_due", "team_id", "next_due", "id"),
)

thread_recipients = Table(
    "thread_recipients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thread_id", ForeignKey("threads.id"), nullable=False),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("respond_by", UTCDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("reminded_at", UTCDateTime, nullable=True),
    UniqueConstraint("thread_id", "person_id"),
)

replies = Table(
    "replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thread_id", ForeignKey("threads.id"), nullable=False, index=True),
    Column("author_id", ForeignKey("people.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# --- Decisions (migration 0003) ------------------------------------------------------

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("author_id", ForeignKey("people.id"), nullable=False),
    Column("thread_id", ForeignKey("threads.id"), nullable=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("options", JSON, nullable=False),
    Column("quorum", Integer, nullable=False),
    Column("decide_by", UTCDateTime, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("urgent", Boolean, nullable=False),
    Column("critical", Boolean, nullable=False),
    Column("round", Integer, nullable=False),
    Column("max_rounds", Integer, nullable=False),
    Column("decided_option", String(200), nullable=True),
    Column("escalated_reason", Text, nullable=True),
    Column("escalated_meeting_start", UTCDateTime, nullable=True),
    Column("escalated_meeting_end", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    CheckConstraint("mode IN ('consent', 'vote')", name="known_mode"),
    CheckConstraint("state IN ('open', 'decided', 'escalated', 'withdrawn')", name="known_state"),
)

decision_deciders = Table(
    "decision_deciders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("decision_id", ForeignKey("decisions.id"), nullable=False),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("decide_by", UTCDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    UniqueConstraint("decision_id", "person_id"),
)

decision_responses = Table(
    "decision_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("decision_id", ForeignKey("decisions.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id"), nullable=False),
    Column("choice", String(200), nullable=False),
    Column("round", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# --- Check-ins (migration 0004) ------------------------------------------------------
# One per person and local day. ``mood`` and ``day_mode`` are private to the author: only
# ``checkin_repository`` reads them, for the author's own rows and for the privacy gate.

checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("blockers", Text, nullable=False),
    Column("mood", Integer, nullable=True),
    Column("day_mode", String(16), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    UniqueConstraint("person_id", "local_date"),
    CheckConstraint("mood IS NULL OR (mood >= 1 AND mood <= 5)", name="mood_1_to_5"),
    CheckConstraint(
        "day_mode IS NULL OR day_mode IN ('heads-down', 'normal', 'social', 'low-energy')",
        name="known_day_mode",
    ),
)

# --- Hand-offs (migration 0005) ------------------------------------------------------
# An end-of-day note from one team to the team whose day starts next, with its open items.

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("to_team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("author_id", ForeignKey("people.id"), nullable=False),
    Column("note", Text, nullable=False),
    Column("open_items", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("to_starts_at", UTCDateTime, nullable=False),
    Column("to_zone", String(64), nullable=False),
    Column("acknowledged_by_id", ForeignKey("people.id"), nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    CheckConstraint("from_team_id <> to_team_id", name="to_another_team"),
    CheckConstraint(
        "(acknowledged_by_id IS NULL) = (acknowledged_at IS NULL)", name="acknowledged_together"
    ),
)

# --- Reflection pulses (migration 0006) ----------------------------------------------
# One answer per person, team and pulse week (its Monday). Only ``pulse_repository``
# reads them, and only to hand them to the privacy gate: no query returns them with a name.

pulse_answers = Table(
    "pulse_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("people.id"), nullable=False),
    Column("pulse_week", Date, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("suggestion", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("person_id", "team_id", "pulse_week"),
    CheckConstraint(
        "verdict IN ('too_much_sync', 'about_right', 'too_little_sync')", name="known_verdict"
    ),
)

# --- Meetings and calendar feeds (migration 0008) -----------------------------------
# A meeting is a UTC interval with each attendee's zone beside it; ``decision_id`` is set
# (once per decision) when a decider confirmed an escalated decision's proposed slot. A
# feed token is a person's calendar-feed secret, kept only as its SHA-256 digest.

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("why_sync", Text, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False, index=True),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("organiser_id", ForeignKey("people.id"), nullable=False),
    Column("source", String(16), nullable=False),
    Column("decision_id", ForeignKey("decisions.id"), nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("cancelled_at", UTCDateTime, nullable=True),
    CheckConstraint(
        "kind IN ('alignment', 'workshop', 'kickoff', 'troubleshooting', 'pairing', "
        "'coffee', 'decision')",
        name="known_kind",
    ),
    CheckConstraint("source IN ('planner', 'decision')", name="known_source"),
    CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    CheckConstraint(
        "(source = 'decision') = (decision_id IS NOT NULL)", name="decision_source_names_decision"
    ),
)

meeting_attendees = Table(
    "meeting_attendees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("meetings.id"), nullable=False),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("zone", String(64), nullable=False),
    UniqueConstraint("meeting_id", "person_id"),
)

feed_tokens = Table(
    "feed_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("prefix", String(16), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# --- Notifications (migration 0007) --------------------------------------------------
# The outbox: each ``key`` once, so a job that runs twice has its effect once.
# ``fanned_out_at`` is set when delivery rows (webhooks, email) were made for it.

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("subject", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("link", Text, nullable=True),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("fanned_out_at", UTCDateTime, nullable=True, index=True),
)

# A team's outgoing webhook. ``secret`` (generic JSON) and ``matrix_access_token`` are kept
# as given: signing and sending need them, so they cannot be hashed. Removing one marks it
# inactive, so its delivery log stays readable.

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", ForeignKey("teams.id"), nullable=False, index=True),
    Column("format", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("matrix_room_id", String(255), nullable=True),
    Column("matrix_access_token", Text, nullable=True),
    Column("secret", String(128), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_by_id", ForeignKey("people.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime, nullable=True),
    CheckConstraint("format IN ('slack', 'mattermost', 'matrix', 'json')", name="known_format"),
    CheckConstraint(
        "(format = 'matrix') = (matrix_room_id IS NOT NULL AND matrix_access_token IS NOT NULL)",
        name="matrix_has_room_and_token",
    ),
    CheckConstraint("(format = 'json') = (secret IS NOT NULL)", name="json_has_secret"),
)

# One row per notification and channel (a webhook, or an email address): the delivery log.

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notification_id", ForeignKey("notifications.id"), nullable=False, index=True),
    Column("webhook_id", ForeignKey("webhooks.id"), nullable=True, index=True),
    Column("email", String(320), nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("last_response", String(300), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", UTCDateTime, nullable=True, index=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("notification_id", "webhook_id"),
    UniqueConstraint("notification_id", "email"),
    CheckConstraint("status IN ('pending', 'delivered', 'failed', 'gave_up')", name="known_status"),
    CheckConstraint("(webhook_id IS NULL) <> (email IS NULL)", name="one_channel"),
)

# --- The web app (migration 0009) ----------------------------------------------------
# A person's password (argon2 hash, never the password) and their sign-in sessions. A
# session is found by the SHA-256 digest of its cookie value; signing out revokes the row.

web_passwords = Table(
    "web_passwords",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, unique=True),
    Column("hash", String(255), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("csrf", String(64), nullable=False),
    Column("method", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    CheckConstraint("method IN ('password', 'token')", name="known_method"),
)

# --- Coffee chats (migration 0010) ---------------------------------------------------
# A person's own choice (opted in or out, paused until a Monday) and the drawn pairings:
# one row per person and week, ``group_no`` joining the members of one group, the slot
# (UTC) the same on every row of a group, or empty when no time suited everyone.

coffee_preferences = Table(
    "coffee_preferences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id"), nullable=False, unique=True),
    Column("opted_in", Boolean, nullable=False),
    Column("paused_until", Date, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

coffee_pairings = Table(
    "coffee_pairings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("week", Date, nullable=False, index=True),
    Column("group_no", Integer, nullable=False),
    Column("person_id", ForeignKey("people.id"), nullable=False, index=True),
    Column("starts_at", UTCDateTime, nullable=True),
    Column("ends_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("week", "person_id"),
)
