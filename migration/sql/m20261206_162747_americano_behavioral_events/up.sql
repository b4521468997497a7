-- create schema americano
SET LOCAL ROLE app_owner;
CREATE SCHEMA americano AUTHORIZATION app_owner;

-- create enum americano.CompletionQuality
CREATE TYPE americano."CompletionQuality" AS ENUM ('RUSHED', 'NORMAL', 'THOROUGH');

-- create enum americano.EngagementLevel
CREATE TYPE americano."EngagementLevel" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- create enum americano.EventType
CREATE TYPE americano."EventType" AS ENUM ('MISSION_STARTED', 'MISSION_COMPLETED', 'SESSION_STARTED', 'SESSION_ENDED', 'CARD_REVIEWED', 'VALIDATION_COMPLETED', 'LECTURE_UPLOADED', 'SEARCH_PERFORMED', 'GRAPH_VIEWED', 'RECOMMENDATION_VIEWED');

-- create enum americano.ExperimentPhase
CREATE TYPE americano."ExperimentPhase" AS ENUM ('baseline_1', 'intervention_A_1', 'baseline_2', 'intervention_A_2');

-- create table americano.BehavioralEvent
SET LOCAL search_path TO americano, public;
CREATE TABLE americano."BehavioralEvent" (
    id text NOT NULL,
    "userId" text NOT NULL,
    "eventType" americano."EventType" NOT NULL,
    "eventData" jsonb DEFAULT '{}'::jsonb NOT NULL,
    "timestamp" timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "experimentPhase" americano."ExperimentPhase",
    "sessionId" text,
    "sessionPerformanceScore" integer,
    "engagementLevel" americano."EngagementLevel",
    "completionQuality" americano."CompletionQuality",
    "cognitiveLoad" double precision,
    "timeOfDay" integer,
    "dayOfWeek" integer,
    "durationMs" integer,
    "contentType" text,
    CONSTRAINT "BehavioralEvent_pkey" PRIMARY KEY (id),
    CONSTRAINT "BehavioralEvent_sessionPerformanceScore_check" CHECK ("sessionPerformanceScore" BETWEEN 0 AND 100),
    CONSTRAINT "BehavioralEvent_cognitiveLoad_check" CHECK ("cognitiveLoad" BETWEEN 0 AND 1),
    CONSTRAINT "BehavioralEvent_timeOfDay_check" CHECK ("timeOfDay" BETWEEN 0 AND 23),
    CONSTRAINT "BehavioralEvent_dayOfWeek_check" CHECK ("dayOfWeek" BETWEEN 0 AND 6),
    CONSTRAINT "BehavioralEvent_durationMs_check" CHECK ("durationMs" >= 0),
    CONSTRAINT "BehavioralEvent_eventData_object" CHECK (jsonb_typeof("eventData") = 'object')
);

-- create index americano.BehavioralEvent_userId_timestamp_idx
CREATE INDEX "BehavioralEvent_userId_timestamp_idx" ON americano."BehavioralEvent" ("userId", "timestamp");

-- create index americano.BehavioralEvent_eventType_idx
CREATE INDEX "BehavioralEvent_eventType_idx" ON americano."BehavioralEvent" ("eventType");

-- create index americano.BehavioralEvent_experimentPhase_idx
CREATE INDEX "BehavioralEvent_experimentPhase_idx" ON americano."BehavioralEvent" ("experimentPhase");

-- comment on schema americano
COMMENT ON SCHEMA americano IS 'Behavioural events of the Americano learning app, as Prisma made them (PascalCase table, camelCase columns): the source of the research export to Parquet and DuckDB';

-- comment on type americano.EventType
COMMENT ON TYPE americano."EventType" IS 'What the user did (Prisma enum EventType)';

-- comment on type americano.ExperimentPhase
COMMENT ON TYPE americano."ExperimentPhase" IS 'Phase of the ABAB reversal design the event belongs to';

-- comment on table americano.BehavioralEvent
COMMENT ON TABLE americano."BehavioralEvent" IS 'One row per user action (Prisma model BehavioralEvent); exported by `schemactl export` to research.behavioral_events';

-- comment on column americano.BehavioralEvent.id
COMMENT ON COLUMN americano."BehavioralEvent".id IS 'CUID (Prisma @default(cuid()))';

-- comment on column americano.BehavioralEvent.userId
COMMENT ON COLUMN americano."BehavioralEvent"."userId" IS 'CUID of the user';

-- comment on column americano.BehavioralEvent.eventData
COMMENT ON COLUMN americano."BehavioralEvent"."eventData" IS 'Event payload (a JSON object)';

-- comment on column americano.BehavioralEvent.timestamp
COMMENT ON COLUMN americano."BehavioralEvent"."timestamp" IS 'When the event happened (Prisma DateTime, UTC without time zone; Prisma writes timestamp(3), the model has no precision)';

-- comment on column americano.BehavioralEvent.sessionId
COMMENT ON COLUMN americano."BehavioralEvent"."sessionId" IS 'CUID of the study session, when the event belongs to one';

-- comment on column americano.BehavioralEvent.timeOfDay
COMMENT ON COLUMN americano."BehavioralEvent"."timeOfDay" IS 'Hour of the day (0-23)';

-- comment on column americano.BehavioralEvent.dayOfWeek
COMMENT ON COLUMN americano."BehavioralEvent"."dayOfWeek" IS 'Day of the week (0 = Sunday)';

-- comment on column americano.BehavioralEvent.contentType
COMMENT ON COLUMN americano."BehavioralEvent"."contentType" IS 'What the event was about (lecture, flashcard, question, ...)';

RESET ROLE;
