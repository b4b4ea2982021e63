-- Nabo schema, SQLite flavour. The PostgreSQL migration has the same tables and columns.
--
-- How values are stored (the same on both backends, so one query layer reads both):
--   * instants (something that happened or expires at a moment): INTEGER unix milliseconds,
--     UTC; columns end in _ms.
--   * civil dates: TEXT 'YYYY-MM-DD', a day of the Europe/Copenhagen calendar.
--   * civil times: TEXT 'HH:MM' Europe/Copenhagen wall-clock time ('HH:MM:SS' only when a
--     time has seconds). Both sort correctly as text.
--   * booleans: INTEGER 0 or 1.
--   * enums: TEXT, the snake_case name used in the JSON format (e.g. 'care_helper').
--   * weekdays of a recurrence: INTEGER bit set, Monday = bit 0.
--   * coordinates: REAL WGS84 degrees.
-- Lists inside a record are child tables with a position column that keeps their order,
-- except a citizen's contacts (never queried; JSON text).

CREATE TABLE organisations (
    id   TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
);

CREATE TABLE districts (
    id              TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL
);
CREATE INDEX districts_organisation ON districts (organisation_id);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts (id),
    name        TEXT NOT NULL,
    base_lat    REAL NOT NULL,
    base_lon    REAL NOT NULL
);
CREATE INDEX teams_district ON teams (district_id);

CREATE TABLE employees (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    profession     TEXT NOT NULL,
    home_team      TEXT NOT NULL REFERENCES teams (id),
    contract_hours REAL NOT NULL,
    phone          TEXT,
    travel_mode    TEXT NOT NULL
);
CREATE INDEX employees_team ON employees (home_team, name);

CREATE TABLE employee_qualifications (
    employee_id   TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    qualification TEXT NOT NULL,
    PRIMARY KEY (employee_id, position)
);

CREATE TABLE citizens (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    address         TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    team_id         TEXT NOT NULL REFERENCES teams (id),
    key_information TEXT NOT NULL,
    contacts        TEXT NOT NULL -- JSON array of {name, relation, phone}
);
CREATE INDEX citizens_team ON citizens (team_id, name);

-- Preferred and refused staff ('preferred' / 'refused').
CREATE TABLE citizen_staff (
    citizen_id  TEXT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    preference  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    PRIMARY KEY (citizen_id, preference, position)
);
CREATE INDEX citizen_staff_employee ON citizen_staff (employee_id);

CREATE TABLE grants (
    id          TEXT PRIMARY KEY NOT NULL,
    citizen_id  TEXT NOT NULL REFERENCES citizens (id),
    granted_by  TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT
);
CREATE INDEX grants_citizen ON grants (citizen_id);

CREATE TABLE grant_hours (
    grant_id       TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    category       TEXT NOT NULL,
    hours_per_week REAL NOT NULL,
    PRIMARY KEY (grant_id, position)
);

CREATE TABLE grant_assessments (
    grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    area     TEXT NOT NULL,
    score    INTEGER NOT NULL,
    PRIMARY KEY (grant_id, position)
);

CREATE TABLE recurring_visits (
    id                     TEXT PRIMARY KEY NOT NULL,
    citizen_id             TEXT NOT NULL REFERENCES citizens (id),
    weekdays               INTEGER NOT NULL,
    every_nth_week         INTEGER NOT NULL,
    starts_on              TEXT NOT NULL,
    ends_on                TEXT,
    window_start           TEXT NOT NULL,
    window_end             TEXT NOT NULL,
    fixed_time             INTEGER NOT NULL,
    fixed_time_reason      TEXT,
    duration_minutes       INTEGER NOT NULL,
    required_qualification TEXT NOT NULL,
    staff_count            INTEGER NOT NULL,
    tasks                  TEXT NOT NULL,
    grant_id               TEXT REFERENCES grants (id)
);
CREATE INDEX recurring_visits_citizen ON recurring_visits (citizen_id);
CREATE INDEX recurring_visits_grant ON recurring_visits (grant_id);

CREATE TABLE visits (
    id                     TEXT PRIMARY KEY NOT NULL,
    citizen_id             TEXT NOT NULL REFERENCES citizens (id),
    recurring_visit_id     TEXT REFERENCES recurring_visits (id),
    date                   TEXT NOT NULL,
    window_start           TEXT NOT NULL,
    window_end             TEXT NOT NULL,
    fixed_time             INTEGER NOT NULL,
    fixed_time_reason      TEXT,
    duration_minutes       INTEGER NOT NULL,
    required_qualification TEXT NOT NULL,
    staff_count            INTEGER NOT NULL,
    tasks                  TEXT NOT NULL,
    grant_id               TEXT REFERENCES grants (id),
    planned_start_ms       INTEGER,
    status                 TEXT NOT NULL,
    cancel_reason          TEXT
);
CREATE INDEX visits_date ON visits (date, window_start);
CREATE INDEX visits_citizen_date ON visits (citizen_id, date);
CREATE INDEX visits_recurring ON visits (recurring_visit_id);
CREATE INDEX visits_grant ON visits (grant_id);

-- Who is planned on a visit (two rows for a two-person visit). Its own table because
-- continuity planning asks "who has visited this citizen" and "whom does she visit".
CREATE TABLE visit_assignments (
    visit_id    TEXT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employees (id),
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX visit_assignments_employee ON visit_assignments (employee_id, visit_id);

-- A shift keeps its civil date and wall-clock times (what the rota says) and, derived
-- from them, the UTC instants it covers (DST-aware), for "who is at work now" queries.
CREATE TABLE shifts (
    id          TEXT PRIMARY KEY NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employees (id),
    date        TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    starts_ms   INTEGER NOT NULL,
    ends_ms     INTEGER NOT NULL,
    start_lat   REAL,
    start_lon   REAL,
    end_lat     REAL,
    end_lon     REAL
);
CREATE INDEX shifts_date ON shifts (date, employee_id);
CREATE INDEX shifts_employee_date ON shifts (employee_id, date);

-- An absence over whole civil days, both ends included.
CREATE TABLE absences (
    id          TEXT PRIMARY KEY NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employees (id),
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    kind        TEXT NOT NULL
);
CREATE INDEX absences_employee ON absences (employee_id, from_date);
CREATE INDEX absences_to_date ON absences (to_date, from_date);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL, -- argon2id PHC string
    employee_id   TEXT REFERENCES employees (id) ON DELETE SET NULL,
    role          TEXT NOT NULL
);

-- Only a hash of the session token is stored; a leaked database gives no log-ins.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms    INTEGER NOT NULL,
    expires_ms    INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_ms);
CREATE INDEX sessions_user ON sessions (user_id);

-- Durable job queue. status: queued, running, done, failed. A running job whose lease
-- (lease_until_ms) has passed is claimed again: its worker is presumed dead.
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL, -- JSON
    status         TEXT NOT NULL,
    run_at_ms      INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    worker         TEXT,
    lease_until_ms INTEGER,
    result         TEXT, -- JSON, when done
    error          TEXT, -- when failed
    created_ms     INTEGER NOT NULL,
    finished_ms    INTEGER
);
CREATE INDEX jobs_claimable ON jobs (status, run_at_ms);

-- Travel-time cache per travel mode. Points are coordinates rounded to 1e-5 degrees
-- (about a metre), stored as integers so that equality is exact.
CREATE TABLE travel_times (
    mode       TEXT NOT NULL,
    from_lat   INTEGER NOT NULL,
    from_lon   INTEGER NOT NULL,
    to_lat     INTEGER NOT NULL,
    to_lon     INTEGER NOT NULL,
    seconds    INTEGER NOT NULL,
    metres     INTEGER NOT NULL,
    PRIMARY KEY (mode, from_lat, from_lon, to_lat, to_lon)
);
CREATE INDEX travel_times_from ON travel_times (from_lat, from_lon);
CREATE INDEX travel_times_to ON travel_times (to_lat, to_lon);
