-- Nabo schema, PostgreSQL flavour. The SQLite migration has the same tables and columns.
--
-- How values are stored (the same on both backends, so one query layer reads both):
--   * instants (something that happened or expires at a moment): BIGINT unix milliseconds,
--     UTC; columns end in _ms.
--   * civil dates: TEXT 'YYYY-MM-DD', a day of the Europe/Copenhagen calendar.
--   * civil times: TEXT 'HH:MM' Europe/Copenhagen wall-clock time ('HH:MM:SS' only when a
--     time has seconds). Both sort correctly as text.
--   * booleans: BIGINT 0 or 1.
--   * enums: TEXT, the snake_case name used in the JSON format (e.g. 'care_helper').
--   * weekdays of a recurrence: BIGINT bit set, Monday = bit 0.
--   * coordinates: DOUBLE PRECISION WGS84 degrees.
-- Text columns use the "C" collation: ids, dates and names sort by bytes, exactly as
-- in SQLite, whatever the database's default collation is.
-- Lists inside a record are child tables with a position column that keeps their order,
-- except a citizen's contacts (never queried; JSON text).

CREATE TABLE organisations (
    id   TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL
);

CREATE TABLE districts (
    id              TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
    name            TEXT COLLATE "C" NOT NULL
);
CREATE INDEX districts_organisation ON districts (organisation_id);

CREATE TABLE teams (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    district_id TEXT COLLATE "C" NOT NULL REFERENCES districts (id),
    name        TEXT COLLATE "C" NOT NULL,
    base_lat    DOUBLE PRECISION NOT NULL,
    base_lon    DOUBLE PRECISION NOT NULL
);
CREATE INDEX teams_district ON teams (district_id);

CREATE TABLE employees (
    id             TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    profession     TEXT COLLATE "C" NOT NULL,
    home_team      TEXT COLLATE "C" NOT NULL REFERENCES teams (id),
    contract_hours DOUBLE PRECISION NOT NULL,
    phone          TEXT COLLATE "C",
    travel_mode    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX employees_team ON employees (home_team, name);

CREATE TABLE employee_qualifications (
    employee_id   TEXT COLLATE "C" NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    qualification TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (employee_id, position)
);

CREATE TABLE citizens (
    id              TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    address         TEXT COLLATE "C" NOT NULL,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    team_id         TEXT COLLATE "C" NOT NULL REFERENCES teams (id),
    key_information TEXT COLLATE "C" NOT NULL,
    contacts        TEXT COLLATE "C" NOT NULL -- JSON array of {name, relation, phone}
);
CREATE INDEX citizens_team ON citizens (team_id, name);

-- Preferred and refused staff ('preferred' / 'refused').
CREATE TABLE citizen_staff (
    citizen_id  TEXT COLLATE "C" NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    preference  TEXT COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,
    employee_id TEXT COLLATE "C" NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    PRIMARY KEY (citizen_id, preference, position)
);
CREATE INDEX citizen_staff_employee ON citizen_staff (employee_id);

CREATE TABLE grants (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    citizen_id  TEXT COLLATE "C" NOT NULL REFERENCES citizens (id),
    granted_by  TEXT COLLATE "C" NOT NULL,
    legal_basis TEXT COLLATE "C" NOT NULL,
    valid_from  TEXT COLLATE "C" NOT NULL,
    valid_to    TEXT COLLATE "C"
);
CREATE INDEX grants_citizen ON grants (citizen_id);

CREATE TABLE grant_hours (
    grant_id       TEXT COLLATE "C" NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    category       TEXT COLLATE "C" NOT NULL,
    hours_per_week DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (grant_id, position)
);

CREATE TABLE grant_assessments (
    grant_id TEXT COLLATE "C" NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    area     TEXT COLLATE "C" NOT NULL,
    score    BIGINT NOT NULL,
    PRIMARY KEY (grant_id, position)
);

CREATE TABLE recurring_visits (
    id                     TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    citizen_id             TEXT COLLATE "C" NOT NULL REFERENCES citizens (id),
    weekdays               BIGINT NOT NULL,
    every_nth_week         BIGINT NOT NULL,
    starts_on              TEXT COLLATE "C" NOT NULL,
    ends_on                TEXT COLLATE "C",
    window_start           TEXT COLLATE "C" NOT NULL,
    window_end             TEXT COLLATE "C" NOT NULL,
    fixed_time             BIGINT NOT NULL,
    fixed_time_reason      TEXT COLLATE "C",
    duration_minutes       BIGINT NOT NULL,
    required_qualification TEXT COLLATE "C" NOT NULL,
    staff_count            BIGINT NOT NULL,
    tasks                  TEXT COLLATE "C" NOT NULL,
    grant_id               TEXT COLLATE "C" REFERENCES grants (id)
);
CREATE INDEX recurring_visits_citizen ON recurring_visits (citizen_id);
CREATE INDEX recurring_visits_grant ON recurring_visits (grant_id);

CREATE TABLE visits (
    id                     TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    citizen_id             TEXT COLLATE "C" NOT NULL REFERENCES citizens (id),
    recurring_visit_id     TEXT COLLATE "C" REFERENCES recurring_visits (id),
    date                   TEXT COLLATE "C" NOT NULL,
    window_start           TEXT COLLATE "C" NOT NULL,
    window_end             TEXT COLLATE "C" NOT NULL,
    fixed_time             BIGINT NOT NULL,
    fixed_time_reason      TEXT COLLATE "C",
    duration_minutes       BIGINT NOT NULL,
    required_qualification TEXT COLLATE "C" NOT NULL,
    staff_count            BIGINT NOT NULL,
    tasks                  TEXT COLLATE "C" NOT NULL,
    grant_id               TEXT COLLATE "C" REFERENCES grants (id),
    planned_start_ms       BIGINT,
    status                 TEXT COLLATE "C" NOT NULL,
    cancel_reason          TEXT COLLATE "C"
);
CREATE INDEX visits_date ON visits (date, window_start);
CREATE INDEX visits_citizen_date ON visits (citizen_id, date);
CREATE INDEX visits_recurring ON visits (recurring_visit_id);
CREATE INDEX visits_grant ON visits (grant_id);

-- Who is planned on a visit (two rows for a two-person visit). Its own table because
-- continuity planning asks "who has visited this citizen" and "whom does she visit".
CREATE TABLE visit_assignments (
    visit_id    TEXT COLLATE "C" NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    employee_id TEXT COLLATE "C" NOT NULL REFERENCES employees (id),
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX visit_assignments_employee ON visit_assignments (employee_id, visit_id);

-- A shift keeps its civil date and wall-clock times (what the rota says) and, derived
-- from them, the UTC instants it covers (DST-aware), for "who is at work now" queries.
CREATE TABLE shifts (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    employee_id TEXT COLLATE "C" NOT NULL REFERENCES employees (id),
    date        TEXT COLLATE "C" NOT NULL,
    start_time  TEXT COLLATE "C" NOT NULL,
    end_time    TEXT COLLATE "C" NOT NULL,
    starts_ms   BIGINT NOT NULL,
    ends_ms     BIGINT NOT NULL,
    start_lat   DOUBLE PRECISION,
    start_lon   DOUBLE PRECISION,
    end_lat     DOUBLE PRECISION,
    end_lon     DOUBLE PRECISION
);
CREATE INDEX shifts_date ON shifts (date, employee_id);
CREATE INDEX shifts_employee_date ON shifts (employee_id, date);

-- An absence over whole civil days, both ends included.
CREATE TABLE absences (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    employee_id TEXT COLLATE "C" NOT NULL REFERENCES employees (id),
    from_date   TEXT COLLATE "C" NOT NULL,
    to_date     TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX absences_employee ON absences (employee_id, from_date);
CREATE INDEX absences_to_date ON absences (to_date, from_date);

CREATE TABLE users (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    username      TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C" NOT NULL, -- argon2id PHC string
    employee_id   TEXT COLLATE "C" REFERENCES employees (id) ON DELETE SET NULL,
    role          TEXT COLLATE "C" NOT NULL
);

-- Only a hash of the session token is stored; a leaked database gives no log-ins.
CREATE TABLE sessions (
    token_hash    TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms    BIGINT NOT NULL,
    expires_ms    BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_ms);
CREATE INDEX sessions_user ON sessions (user_id);

-- Durable job queue. status: queued, running, done, failed. A running job whose lease
-- (lease_until_ms) has passed is claimed again: its worker is presumed dead.
CREATE TABLE jobs (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind           TEXT COLLATE "C" NOT NULL,
    payload        TEXT COLLATE "C" NOT NULL, -- JSON
    status         TEXT COLLATE "C" NOT NULL,
    run_at_ms      BIGINT NOT NULL,
    attempts       BIGINT NOT NULL DEFAULT 0,
    worker         TEXT COLLATE "C",
    lease_until_ms BIGINT,
    result         TEXT COLLATE "C", -- JSON, when done
    error          TEXT COLLATE "C", -- when failed
    created_ms     BIGINT NOT NULL,
    finished_ms    BIGINT
);
CREATE INDEX jobs_claimable ON jobs (status, run_at_ms);

-- Travel-time cache per travel mode. Points are coordinates rounded to 1e-5 degrees
-- (about a metre), stored as integers so that equality is exact.
CREATE TABLE travel_times (
    mode       TEXT COLLATE "C" NOT NULL,
    from_lat   BIGINT NOT NULL,
    from_lon   BIGINT NOT NULL,
    to_lat     BIGINT NOT NULL,
    to_lon     BIGINT NOT NULL,
    seconds    BIGINT NOT NULL,
    metres     BIGINT NOT NULL,
    PRIMARY KEY (mode, from_lat, from_lon, to_lat, to_lon)
);
CREATE INDEX travel_times_from ON travel_times (from_lat, from_lon);
CREATE INDEX travel_times_to ON travel_times (to_lat, to_lon);
