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
    "decision_deciders",
    "decision_responses",
    "decisions",
    "handoffs",
    "metadata",
    "organisations",
    "people",
    "pulse_answers",
    "replies",
    "roles",
    "team_policy_history",
    "teams",
    "thread_recipients",
    "threads",
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
    CheckConstraint("kind IN ('update', 'question')", name="known_kind"),
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
