"""Storefront profile page: reads the user's display name."""


def load_profile(db, user_id):
    row = db.fetch_one(
        "SELECT id, email, nickname FROM users WHERE id = %s", (user_id,))
    return {"id": row[0], "email": row[1], "nickname": row[2]}
