"""Course discussions: forums in a course's flow and one general forum per course."""
