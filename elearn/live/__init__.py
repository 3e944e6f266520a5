"""Live classes: scheduled sessions, the /live Socket.IO namespace, chat, Q&A, polls, slides and attendance."""
