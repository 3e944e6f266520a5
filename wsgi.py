"""The one entry point for servers: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from elearn import create_app
from elearn.extensions import socketio

app = create_app()

if __name__ == "__main__":  # `python wsgi.py` serves HTTP and Socket.IO like `make run`
    import os

    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5000)),
                 allow_unsafe_werkzeug=True)
