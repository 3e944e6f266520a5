"""Forum test data through the real services: a published course with its lecturer and enrolled learners."""
from __future__ import annotations

from dataclasses import dataclass

from elearn.courses import services as course_services
from elearn.forums import services
from elearn.forums.domain import ForumKind
from elearn.forums.models import Forum, Post, Thread
from tests import course_factories as cf


@dataclass
class Room:
    course: object
    lecturer: object
    learners: list
    outsider: object  # signed-in learner not enrolled

    @property
    def general(self) -> Forum:
        return services.general_forum(self.course)


def room(factory, learners: int = 2) -> Room:
    province = factory.province()
    lecturer = factory.lecturer(unit=province)
    course = cf.make_course(factory, lecturer, publish=True)
    people = [factory.user(unit=province) for _ in range(learners)]
    for person in people:
        course_services.enrol_person(lecturer, course, person)
    outsider = factory.user(unit=province)
    return Room(course, lecturer, people, outsider)


def forum(r: Room, kind: str = ForumKind.OPEN, title: str = "Thảo luận", min_posts: int = 1) -> Forum:
    section = cf.first_section(r.course)
    return services.create_forum(r.lecturer, section, services.ForumData(title=title, kind=kind, min_posts=min_posts))


def thread(r: Room, forum_: Forum | None = None, author=None, title: str = "Kinh nghiệm triển khai Nghị quyết",
           body: str = "<p>Xã tôi đã làm như sau.</p>") -> Thread:
    return services.start_thread(author or r.learners[0], forum_ or r.general, title, body)


def reply(thread_: Thread, author, body: str = "<p>Cảm ơn đồng chí.</p>", parent: Post | None = None) -> Post:
    return services.reply(author, thread_, body, parent)
