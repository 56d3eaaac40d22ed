-- The accounts database (SQLite, accounts.sqlite3 in the data dir): accounts, open sessions, the audit trail.
-- Times: *_utc are ISO 8601 UTC text for people; locked_until, created and last_seen are epoch seconds.
-- Statements elsewhere bind values as :named parameters (never formatted into the text).
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'submitter', 'viewer')),
    scope TEXT NOT NULL,                      -- 'national' or a 6-digit region_code
    email TEXT UNIQUE COLLATE NOCASE,         -- for st.login (OpenID Connect); NULL when not given
    password_hash TEXT NOT NULL,              -- argon2id, never the password
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,  -- wrong passwords since the last login or lock
    locked_until REAL,                        -- NULL, or the end of a lock
    created_utc TEXT NOT NULL,
    password_changed_utc TEXT NOT NULL,
    last_login_utc TEXT
);

CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY,            -- the browser holds the token, the database only its hash
    name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    address TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc TEXT NOT NULL,
    who TEXT NOT NULL,
    what TEXT NOT NULL,
    detail TEXT NOT NULL,                     -- JSON (always written by the code)
    address TEXT NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS audit_at ON audit (at_utc);
