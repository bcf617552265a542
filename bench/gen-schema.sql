-- gen-schema.sql: a large schema for timing pg-snapshot against pg_dump.
--
-- 10,000 tables in 10 schemas, each with 12 or 13 columns (about 125,000 in
-- all), a bigserial primary key (so a sequence and a nextval default), a
-- unique or plain index and, on every other table, a second index and a
-- foreign key (about 25,000 indexes), plus comments, CHECKs and a few views.
-- Run with psql, which executes each generated statement (\gexec) in its
-- own transaction so no single transaction needs 50,000 locks.
--   psql -v ON_ERROR_STOP=1 -f bench/gen-schema.sql

\set ntables 10000
SELECT format('CREATE SCHEMA s%s', s) FROM generate_series(0, 9) s \gexec

CREATE TYPE s0.state AS ENUM ('new', 'active', 'closed');

SELECT format($f$CREATE TABLE s%s.t%s (
	id bigserial PRIMARY KEY,
	org_id integer NOT NULL,
	name varchar(100) NOT NULL,
	email text,
	state s0.state NOT NULL DEFAULT 'new',
	amount numeric(12,2) CHECK (amount >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz,
	flags integer[] DEFAULT '{}',
	payload jsonb,
	note text COLLATE "C",
	ref_id bigint%s
)$f$, i % 10, i, CASE WHEN i % 2 = 0 THEN ',
	extra boolean DEFAULT false' ELSE '' END)
FROM generate_series(1, :ntables) i \gexec

SELECT format('CREATE INDEX t%s_org_idx ON s%s.t%s (org_id, created_at)',
    i, i % 10, i)
FROM generate_series(1, :ntables) i \gexec

SELECT format('CREATE UNIQUE INDEX t%s_email_idx ON s%s.t%s (lower(email)) '
    'WHERE email IS NOT NULL', i, i % 10, i)
FROM generate_series(2, :ntables, 2) i \gexec

SELECT format('ALTER TABLE s%s.t%s ADD CONSTRAINT t%s_ref_fk '
    'FOREIGN KEY (ref_id) REFERENCES s%s.t%s (id)',
    i % 10, i, i, (i - 1) % 10, i - 1)
FROM generate_series(2, :ntables, 2) i \gexec

SELECT format('COMMENT ON TABLE s%s.t%s IS %L', i % 10, i, 'table ' || i)
FROM generate_series(1, :ntables, 3) i \gexec

SELECT format('CREATE VIEW s%s.v%s AS SELECT id, name, email FROM s%s.t%s '
    'WHERE state = %L', i % 10, i, i % 10, i, 'active')
FROM generate_series(1, :ntables, 20) i \gexec

VACUUM ANALYZE;
