"""SQLAlchemy models: Murano's tables, plus what Fornace adds (versions, tokens, fencing).

Statuses are StrEnums stored as strings. JSON columns hold Murano's documents
(object models, actions, results) unchanged. Large binaries are deferred so
lists never load archives.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from fornace.db.base import Base, new_id, utcnow


class SessionState(StrEnum):
    OPENED = "opened"
    DEPLOYING = "deploying"
    DEPLOYED = "deployed"
    DEPLOY_FAILURE = "deploy failure"
    DELETING = "deleting"
    DELETE_FAILURE = "delete failure"


class EnvironmentStatus(StrEnum):
    READY = "ready"
    PENDING = "pending"
    DEPLOYING = "deploying"
    DELETING = "deleting"
    DEPLOY_FAILURE = "deploy failure"
    DELETE_FAILURE = "delete failure"


class ReportLevel(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class TimestampMixin:
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Environment(TimestampMixin, Base):
    __tablename__ = "environment"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    description_text: Mapped[str] = mapped_column(Text, default="")
    # The object model envelope: Objects, ObjectsCopy, Attributes, SystemData, project_id, user_id.
    description: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    sessions: Mapped[list[ConfigurationSession]] = relationship(
        back_populates="environment", cascade="all, delete-orphan", passive_deletes=True
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="environment", cascade="all, delete-orphan", passive_deletes=True
    )


class ConfigurationSession(TimestampMixin, Base):
    __tablename__ = "session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    environment_id: Mapped[str] = mapped_column(
        ForeignKey("environment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[SessionState] = mapped_column(String(36), default=SessionState.OPENED)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # A private copy of the environment description (the draft).
    description: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    environment: Mapped[Environment] = relationship(back_populates="sessions")


class Task(TimestampMixin, Base):
    """A deployment: one run of deploy, delete or an action on an environment."""

    __tablename__ = "task"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    environment_id: Mapped[str] = mapped_column(
        ForeignKey("environment.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    started: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    description: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    action: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Fornace: who asked, for the engine and the audit trail.
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    project_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    environment: Mapped[Environment] = relationship(back_populates="tasks")
    reports: Mapped[list[Status]] = relationship(
        back_populates="task", cascade="all, delete-orphan", passive_deletes=True
    )


class Status(TimestampMixin, Base):
    """A status report of a deployment."""

    __tablename__ = "status"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    entity: Mapped[str | None] = mapped_column(String(10), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[ReportLevel] = mapped_column(String(32), default=ReportLevel.INFO)
    details: Mapped[str | None] = mapped_column(Text, nullable=True)

    task: Mapped[Task] = relationship(back_populates="reports")


package_to_category = Table(
    "package_to_category",
    Base.metadata,
    Column("package_id", ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="RESTRICT"), primary_key=True),
)

package_to_tag = Table(
    "package_to_tag",
    Base.metadata,
    Column("package_id", ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Package(TimestampMixin, Base):
    __tablename__ = "package"
    # Fornace keeps several versions of one package side by side (Murano could not).
    __table_args__ = (UniqueConstraint("fully_qualified_name", "owner_id", "version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    fully_qualified_name: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(64), default="0.0.0")
    format: Mapped[str] = mapped_column(String(32), default="MuranoPL/1.0")
    type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="The description is not provided")
    author: Mapped[str] = mapped_column(String(80), default="OpenStack")
    supplier: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    archive: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    supplier_logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    ui_definition: Mapped[str | None] = deferred(mapped_column(Text, nullable=True))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    owner_id: Mapped[str] = mapped_column(String(64), index=True)

    class_definitions: Mapped[list[ClassDefinition]] = relationship(
        back_populates="package", cascade="all, delete-orphan", passive_deletes=True
    )
    categories: Mapped[list[Category]] = relationship(
        secondary=package_to_category, back_populates="packages"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=package_to_tag)


class ClassDefinition(Base):
    __tablename__ = "class_definition"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    package_id: Mapped[str] = mapped_column(ForeignKey("package.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128), index=True)

    package: Mapped[Package] = relationship(back_populates="class_definitions")


class Category(TimestampMixin, Base):
    __tablename__ = "category"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    packages: Mapped[list[Package]] = relationship(
        secondary=package_to_category, back_populates="categories"
    )


class Tag(TimestampMixin, Base):
    __tablename__ = "tag"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class EnvironmentTemplate(TimestampMixin, Base):
    __tablename__ = "environment_template"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    description_text: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InstanceStats(Base):
    __tablename__ = "instance_stats"
    __table_args__ = (Index("ix_instance_stats_env_instance", "environment_id", "instance_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    environment_id: Mapped[str] = mapped_column(String(32))
    instance_id: Mapped[str] = mapped_column(String(255))
    instance_type: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    destroyed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    type_name: Mapped[str] = mapped_column(String(512), default="")
    type_title: Mapped[str | None] = mapped_column(String(512), nullable=True)
    unit_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default="")


class ApiStats(TimestampMixin, Base):
    """Request counters per API host, served by GET /v1/stats."""

    __tablename__ = "apistats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(80), unique=True)
    request_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    average_response_time: Mapped[float] = mapped_column(default=0.0)
    requests_per_tenant: Mapped[str] = mapped_column(Text, default="{}")
    requests_per_second: Mapped[float] = mapped_column(default=0.0)
    errors_per_second: Mapped[float] = mapped_column(default=0.0)
    cpu_count: Mapped[int] = mapped_column(Integer, default=0)
    cpu_percent: Mapped[float] = mapped_column(default=0.0)


class AuthToken(Base):
    """A token of the builtin auth mode. Only its SHA-256 is stored."""

    __tablename__ = "auth_token"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[str] = mapped_column(String(64))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(255), default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class EngineLease(Base):
    """Engine fencing: which engine runs a task of an environment, until when.

    One row per environment. ``state`` is ``running`` while an engine holds it
    (renewed before ``expires``) and ``done`` once the task's result was
    published; the row then remembers ``task_id`` so a redelivered copy of a
    finished task is dropped instead of run again (docs/engine.md).
    """

    __tablename__ = "engine_lease"

    environment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36))
    owner: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    expires: Mapped[datetime] = mapped_column(DateTime)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
