-- definitions.sql: constraints and indexes whose definitions pg-snapshot
-- writes itself or copies from another object of the same shape.  Tables
-- come in look-alike families that differ in one thing each (a column
-- name, type, collation, operator class, option or flag), so a shape key
-- that forgot that thing would give one of them another's text.
CREATE SCHEMA d;
CREATE SCHEMA "D q";
CREATE TYPE d.st AS ENUM ('a', 'b');

-- the same CHECK on many tables, and near misses
CREATE TABLE d.c1 (id int PRIMARY KEY, amount numeric CHECK (amount >= 0));
CREATE TABLE d.c2 (id int PRIMARY KEY, amount numeric CHECK (amount >= 0));
CREATE TABLE d.c3 (id int PRIMARY KEY, x int, amount numeric CHECK (amount >= 0));
CREATE TABLE d.c4 (id int PRIMARY KEY, total numeric CHECK (total >= 0));
CREATE TABLE d.c5 (id int PRIMARY KEY, amount numeric CHECK (amount > 0));
CREATE TABLE d.c6 (id int PRIMARY KEY, amount numeric);
ALTER TABLE d.c6 ADD CONSTRAINT c6_amount_check CHECK (amount >= 0) NOT VALID;
CREATE TABLE d.c7 (id int PRIMARY KEY, amount numeric CHECK (amount >= 0) NO INHERIT);
CREATE TABLE d.c8 (id int PRIMARY KEY, amount int CHECK (amount >= 0));
CREATE TABLE d.c9 (a int, b int, CHECK (a < b), CHECK (b < a));
CREATE TABLE d.c10 (b int, a int, CHECK (a < b));
CREATE TABLE d.c11 ("Amount" numeric CHECK ("Amount" >= 0), "x<y>&z" text
    CHECK ("x<y>&z" <> '' AND length("x<y>&z") < 10));
CREATE TABLE d.c12 (s d.st CHECK (s <> 'b'), t text CHECK (t ~ '^ :location 5$'));
CREATE TABLE d.c13 (s d.st CHECK (s <> 'a'), t text CHECK (t ~ '^ :location 6$'));
ALTER TABLE d.c2 DROP COLUMN id;        -- attnum shifts nothing, names stay
CREATE TABLE "D q"."T 1" (amount numeric CHECK (amount >= 0));
-- index names whose JSON escapes sort otherwise than their bytes
CREATE INDEX "q""x" ON "D q"."T 1" (amount);
CREATE INDEX "q#x" ON "D q"."T 1" (amount);

-- foreign keys of every kind
CREATE TABLE "D q"."T 2" ("Id" int PRIMARY KEY);
CREATE TABLE d.p (id int PRIMARY KEY, k1 int, k2 text, UNIQUE (k1, k2));
CREATE TABLE d.f (id int, a int, b text, c int, d int, e int DEFAULT 0,
    CONSTRAINT f1 FOREIGN KEY (c) REFERENCES d.p,
    CONSTRAINT f2 FOREIGN KEY (a, b) REFERENCES d.p (k1, k2) MATCH FULL
      ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT f3 FOREIGN KEY (d) REFERENCES d.p (id) ON DELETE RESTRICT
      ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT f4 FOREIGN KEY (d) REFERENCES d.p (id) ON DELETE SET DEFAULT
      DEFERRABLE,
    CONSTRAINT "F 5" FOREIGN KEY (c) REFERENCES "D q"."T 2" ("Id"),
    CONSTRAINT f6 FOREIGN KEY (a, b) REFERENCES d.p (k1, k2)
      ON DELETE SET NULL (a),
    CONSTRAINT f7 FOREIGN KEY (e) REFERENCES d.p (id) ON DELETE SET DEFAULT (e));
ALTER TABLE d.f ADD PRIMARY KEY (id);
ALTER TABLE d.f ADD CONSTRAINT f9 FOREIGN KEY (c) REFERENCES d.f (id)
    NOT VALID;

-- indexes: look-alike expression and partial indexes
CREATE TABLE d.i1 (id int, email text, name varchar(20), n int, t text COLLATE "C");
CREATE TABLE d.i2 (id int, email text, name varchar(20), n int, t text COLLATE "C");
CREATE TABLE d.i3 (id int, mail text, name varchar(20), n int, t text);
CREATE TABLE d.i4 (id int, x int, email text, name text, n bigint, t text);
CREATE TABLE "D q"."I 5" (id int, email text, name varchar(20), n int, t text COLLATE "C");
CREATE INDEX i1_a ON d.i1 (lower(email));
CREATE INDEX i2_a ON d.i2 (lower(email));
CREATE INDEX i3_a ON d.i3 (lower(mail));
CREATE INDEX i4_a ON d.i4 (lower(email));
CREATE INDEX "I 5 a" ON "D q"."I 5" (lower(email));
CREATE UNIQUE INDEX i1_b ON d.i1 (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX i2_b ON d.i2 (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX i4_b ON d.i4 (lower(email)) WHERE email IS NULL;
CREATE INDEX i1_c ON d.i1 (n) WHERE n > 0;
CREATE INDEX i2_c ON d.i2 (n) WHERE n > 0;
CREATE INDEX i4_c ON d.i4 (n) WHERE n > 0;
CREATE INDEX i1_d ON d.i1 (t, lower(email)) WHERE n > 0;
CREATE INDEX i2_d ON d.i2 (t, lower(email)) WHERE n > 0;
CREATE INDEX i3_d ON d.i3 (t, lower(mail)) WHERE n > 0;
CREATE INDEX i4_d ON d.i4 (t, lower(email)) WHERE n > 0;
CREATE INDEX i1_e ON d.i1 (name text_pattern_ops) WHERE n > 0;
CREATE INDEX i2_e ON d.i2 (name varchar_pattern_ops) WHERE n > 0;
CREATE INDEX i4_e ON d.i4 (name text_pattern_ops) WHERE n > 0;
CREATE INDEX i1_f ON d.i1 (n DESC NULLS LAST, (n + 1)) INCLUDE (id);
CREATE INDEX i2_f ON d.i2 (n DESC, (n + 1)) INCLUDE (id);
CREATE INDEX i4_f ON d.i4 (n DESC NULLS LAST, (n + 1)) INCLUDE (id);
CREATE INDEX i1_g ON d.i1 USING hash (lower(email));
CREATE INDEX i2_g ON d.i2 (lower(email)) WITH (fillfactor = 70);
CREATE INDEX i4_g ON d.i4 (lower(email)) WITH (fillfactor = 80);
CREATE INDEX i1_h ON d.i1 (lower(email) COLLATE "C");
CREATE INDEX i2_h ON d.i2 (lower(email) COLLATE "POSIX");
CREATE INDEX i1_i ON d.i1 (t) WHERE t > '';
CREATE INDEX i2_i ON d.i2 (t COLLATE "POSIX") WHERE t > '';
CREATE INDEX i3_i ON d.i3 (t) WHERE t > '';
CREATE UNIQUE INDEX i1_j ON d.i1 (email) NULLS NOT DISTINCT WHERE n > 0;
CREATE UNIQUE INDEX i2_j ON d.i2 (email) WHERE n > 0;
CREATE INDEX i1_k ON d.i1 ((email || ' :location 7'));
CREATE INDEX i2_k ON d.i2 ((email || ' :location 8'));
CREATE INDEX i1_l ON d.i1 USING gist (to_tsvector('simple', email)
    tsvector_ops (siglen = 100));
CREATE INDEX i2_l ON d.i2 USING gist (to_tsvector('simple', email)
    tsvector_ops (siglen = 200));
CREATE MATERIALIZED VIEW d.mv AS SELECT id, email FROM d.i1;
CREATE INDEX mv_a ON d.mv (lower(email));
CREATE INDEX mv_b ON d.mv (id);
CREATE TABLE d.part (id int, k text) PARTITION BY RANGE (id);
CREATE TABLE d.part_1 PARTITION OF d.part FOR VALUES FROM (0) TO (10);
CREATE INDEX part_a ON d.part (lower(k));
CREATE TABLE d.ex (r int4range, EXCLUDE USING gist (r WITH &&));
