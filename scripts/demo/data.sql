-- Enough prod data for the evidence to mean something, small enough to
-- load in a few seconds.
INSERT INTO orgs (name) SELECT 'org ' || g FROM generate_series(1, 200) g;
INSERT INTO users (org_id, email, nickname, legacy_flags)
	SELECT 1 + g % 200, 'user' || g || '@example.com',
	       CASE WHEN g % 3 = 0 THEN NULL ELSE 'nick' || g END,
	       CASE WHEN g % 10 = 0 THEN 1 END
	FROM generate_series(1, 60000) g;
INSERT INTO products (sku, name, price_cents)
	SELECT 'SKU-' || lpad(g::text, 8, '0'), 'product ' || g, 100 + g % 5000
	FROM generate_series(1, 3000) g;
INSERT INTO orders (user_id, status, total, created_at)
	SELECT 1 + g % 60000,
	       (ARRAY['pending','paid','shipped','cancelled']::order_status[])[1 + g % 4],
	       (g % 50000) / 100.0, now() - (g % 700) * interval '1 hour'
	FROM generate_series(1, 300000) g;
INSERT INTO order_items (order_id, product_id, quantity)
	SELECT 1 + g % 300000, 1 + g % 3000, 1 + g % 5
	FROM generate_series(1, 300000) g;
ANALYZE;
