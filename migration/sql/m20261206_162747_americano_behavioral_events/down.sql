-- drop table americano.BehavioralEvent [hazard: data-loss]
SET LOCAL ROLE app_owner;
-- schemactl-lint: allow missing-lock-timeout, drop-table (written by migrate new: the plan chose this statement)
DROP TABLE americano."BehavioralEvent";

-- drop type americano.CompletionQuality [hazard: data-loss]
DROP TYPE americano."CompletionQuality";

-- drop type americano.EngagementLevel [hazard: data-loss]
DROP TYPE americano."EngagementLevel";

-- drop type americano.EventType [hazard: data-loss]
DROP TYPE americano."EventType";

-- drop type americano.ExperimentPhase [hazard: data-loss]
DROP TYPE americano."ExperimentPhase";

-- drop schema americano [hazard: data-loss]
DROP SCHEMA americano;

RESET ROLE;
