"""The courses blueprint; learner pages live in views.py, lecturer pages in manage_views.py."""
from flask import Blueprint

bp = Blueprint("courses", __name__)

from elearn.courses import manage_views, views  # noqa: E402,F401  (routes register on bp)
