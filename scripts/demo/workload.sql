-- What the application runs in prod, so pg_stat_statements has evidence.
SELECT pg_stat_statements_reset();
PREPARE profile(bigint) AS SELECT id, email, nickname FROM users WHERE id = $1;
EXECUTE profile(1); EXECUTE profile(2); EXECUTE profile(3); EXECUTE profile(4);
EXECUTE profile(5); EXECUTE profile(6); EXECUTE profile(7); EXECUTE profile(8);
PREPARE recent(int) AS SELECT id, total FROM orders WHERE created_at > now() - $1 * interval '1 hour' ORDER BY created_at DESC LIMIT 20;
EXECUTE recent(1); EXECUTE recent(2); EXECUTE recent(3); EXECUTE recent(4);
EXECUTE recent(5); EXECUTE recent(6);
PREPARE by_user(bigint) AS SELECT id, status, total FROM orders WHERE user_id = $1;
EXECUTE by_user(10); EXECUTE by_user(11); EXECUTE by_user(12);
SELECT count(*) FROM active_users;
SELECT sku, name FROM products WHERE sku = 'SKU-00000042';
SELECT o.id, sum(i.quantity) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = 7 GROUP BY o.id;
