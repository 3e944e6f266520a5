"""Application factory."""
from __future__ import annotations

from flask import Flask

from config import Config, config_from_env


def create_app(config: type[Config] | None = None) -> Flask:
    config = config or config_from_env()
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(config.INSTANCE_DIR),
    )
    app.config.from_object(config)
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from elearn.core import admission

    admission.register(app)  # before Socket.IO wraps the app: its connections never take a place
    _init_extensions(app)
    _register_blueprints(app)

    from elearn.core import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)

    from elearn import cli

    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from elearn.core import i18n
    from elearn.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

    db.init_app(app)
    from elearn.core.db import configure_sqlite

    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or None
    socketio.init_app(
        app,
        message_queue=queue,
        channel=app.config.get("SOCKETIO_CHANNEL", "elearn-socketio"),
        async_mode="threading",
        cors_allowed_origins=[],  # same origin only: no cross-site WebSocket hijacking
        manage_session=False,
    )

    import elearn.models  # noqa: F401  (every model is known to metadata and Alembic)
    from elearn.accounts import auth  # noqa: F401  (registers the user loader)


def _register_blueprints(app: Flask) -> None:
    from elearn.accounts.views import bp as accounts_bp
    from elearn.admin.views import bp as admin_bp
    from elearn.api import bp as api_bp
    from elearn.assignments.views import bp as assignments_bp
    from elearn.certificates.views import bp as certificates_bp
    from elearn.core.views import bp as core_bp
    from elearn.courses.blueprint import bp as courses_bp
    from elearn.documents.views import bp as documents_bp
    from elearn.forums.views import bp as forums_bp
    from elearn.live.views import bp as live_bp  # its blueprint also attaches the /live Socket.IO namespace
    from elearn.quizzes.grading_views import bp as quizgrading_bp
    from elearn.quizzes.quiz_views import bp as quiz_bp
    from elearn.quizzes.views import bp as quizzes_bp

    for blueprint in (core_bp, accounts_bp, courses_bp, quizzes_bp, quizgrading_bp, quiz_bp, documents_bp,
                      assignments_bp, forums_bp, certificates_bp, live_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
