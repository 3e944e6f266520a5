"""The yardstick of bench/live_swarm.py: a bare Flask-SocketIO app (connect, join a room, broadcast; no auth,
no storage), served like the application:

    .venv/bin/gunicorn -k gevent -w 1 --worker-connections 5000 -b 127.0.0.1:5101 bench.live_bare:app
"""
from __future__ import annotations

import os

from flask import Flask
from flask_socketio import SocketIO, emit, join_room

app = Flask(__name__)
socketio = SocketIO(app, async_mode="threading", cors_allowed_origins=[],
                    message_queue=os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None)


@socketio.on("join", namespace="/live")
def join(data):
    join_room(f"live:{data.get('session_id')}")
    return {"ok": True, "state": {"seq": 0}}


@socketio.on("chat", namespace="/live")
def chat(data):
    emit("ev", {"seq": 0, "kind": "chat", "data": {"text": data.get("text", "")}}, to="live:1", namespace="/live")
    return {"ok": True}
