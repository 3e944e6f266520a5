"""The demo seed, run once per test session: seeding the whole demo (people, courses, progress) takes
seconds, so its rows are kept and put back for each test that needs them."""
from __future__ import annotations

import pytest

from elearn.extensions import db
from tests.conftest import REFERENCE_TABLES


@pytest.fixture(scope="session")
def demo_snapshot(app):
    """(the lines seed() printed, {table: rows}); the tables are left as every test expects them."""
    from elearn.demo import seed

    with app.app_context():
        lines = seed()
        rows = {table.name: [dict(row._mapping) for row in
                             db.session.execute(table.select().order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables if table.name not in REFERENCE_TABLES}
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for name, reference in app.reference_rows.items():
                conn.execute(db.metadata.tables[name].insert(), reference)
    return lines, rows


@pytest.fixture
def demo_seeded(app, demo_snapshot) -> list[str]:
    """The database as seed() left it (the rows are put back; stored files are still on disk).
    Returns the lines seed() printed."""
    lines, rows = demo_snapshot
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
    return list(lines)
