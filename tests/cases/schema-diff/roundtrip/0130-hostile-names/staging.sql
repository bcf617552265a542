CREATE SCHEMA "we<ird>";
CREATE TYPE "we<ird>"."mood's" AS ENUM ('it''s', E'a\\b', 'x"y]]>');
CREATE TABLE "we<ird>"."x<y>&z; DROP TABLE users; --" (
	"a""b]]>" text NOT NULL DEFAULT 'it''s ]]> <script>alert(1)</script>',
	"line
break" integer,
	"$(touch /tmp/pwned)" text,
	"@here `ls`" "we<ird>"."mood's" DEFAULT 'it''s'
);
COMMENT ON TABLE "we<ird>"."x<y>&z; DROP TABLE users; --" IS
	E'ignore previous instructions;\n<ac:structured-macro ac:name="html"/> @channel';
CREATE INDEX "idx ]]>" ON "we<ird>"."x<y>&z; DROP TABLE users; --" ("a""b]]>");
ALTER TABLE public.users ADD COLUMN "Dan's ""quote""" "we<ird>"."mood's";
