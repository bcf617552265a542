-- The pending release, as applied to staging by the team's migration tool.
-- Some of it is fine; some of it would hurt prod.
ALTER TYPE order_status ADD VALUE 'refunded';

DROP VIEW active_users;
ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL;
CREATE VIEW active_users AS
	SELECT id, email FROM users WHERE legacy_flags IS NULL;

ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'USD';
DROP INDEX orders_created_at_idx;
CREATE INDEX orders_user_status_idx ON orders (user_id, status);
REVOKE SELECT ON orders FROM reporting;

ALTER TABLE products ALTER COLUMN sku TYPE varchar(32);
ALTER TABLE order_items ADD CONSTRAINT order_items_product_fk
	FOREIGN KEY (product_id) REFERENCES products (id);

CREATE TABLE invoices (
	id bigserial PRIMARY KEY,
	order_id bigint NOT NULL REFERENCES orders (id),
	issued_at timestamptz NOT NULL DEFAULT now(),
	amount numeric(12,2) NOT NULL
);
