-- Time registrations (same conventions as 0001: instants are BIGINT unix milliseconds
-- UTC, civil dates 'YYYY-MM-DD' TEXT in Europe/Copenhagen).
-- kind 'visit': arrived_ms/left_ms at a visit; date is the civil date of arrival.
-- kind 'indirect': minutes spent for a citizen away from the home on a civil date.
CREATE TABLE time_registrations (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    employee_id TEXT COLLATE "C" NOT NULL REFERENCES employees (id),
    kind        TEXT COLLATE "C" NOT NULL,
    date        TEXT COLLATE "C" NOT NULL,
    visit_id    TEXT COLLATE "C" REFERENCES visits (id),
    arrived_ms  BIGINT,
    left_ms     BIGINT,
    citizen_id  TEXT COLLATE "C" REFERENCES citizens (id),
    minutes     BIGINT,
    description TEXT COLLATE "C"
);
CREATE INDEX time_registrations_employee_date ON time_registrations (employee_id, date);
CREATE INDEX time_registrations_date ON time_registrations (date);
CREATE INDEX time_registrations_visit ON time_registrations (visit_id);
CREATE INDEX time_registrations_citizen ON time_registrations (citizen_id, date);
