-- Time registrations (same conventions as 0001: instants are INTEGER unix milliseconds
-- UTC, civil dates 'YYYY-MM-DD' TEXT in Europe/Copenhagen).
-- kind 'visit': arrived_ms/left_ms at a visit; date is the civil date of arrival.
-- kind 'indirect': minutes spent for a citizen away from the home on a civil date.
CREATE TABLE time_registrations (
    id          TEXT PRIMARY KEY NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employees (id),
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    visit_id    TEXT REFERENCES visits (id),
    arrived_ms  INTEGER,
    left_ms     INTEGER,
    citizen_id  TEXT REFERENCES citizens (id),
    minutes     INTEGER,
    description TEXT
);
CREATE INDEX time_registrations_employee_date ON time_registrations (employee_id, date);
CREATE INDEX time_registrations_date ON time_registrations (date);
CREATE INDEX time_registrations_visit ON time_registrations (visit_id);
CREATE INDEX time_registrations_citizen ON time_registrations (citizen_id, date);
