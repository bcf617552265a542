"""Nightly report of recent orders for finance."""


def recent_orders(db, hours):
    return db.fetch_all(
        "SELECT id, total, currency FROM orders "
        "WHERE created_at > now() - %s * interval '1 hour'", (hours,))
