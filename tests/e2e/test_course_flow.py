"""The Courses issue's acceptance test, through the real UI at a phone's and a desktop's width.

A lecturer creates a course with a page, a PDF and a video lesson, limits it to Party members and
publishes it; a Party member finds it by searching without diacritics, enrols, studies every lesson and
sees 100 % and the completion date; a cadre who is not a Party member is refused with the reason.
Only the people and their unit are made up front (with the factory); everything else is clicked.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from elearn.core import clock
from tests import file_samples as samples
from tests.factories import DEFAULT_PASSWORD

COURSE_TITLE = "Học tập, quán triệt Nghị quyết Đại hội XIV của Đảng"
COURSE_CODE = "NQ14-E2E"
SEARCH_WITHOUT_DIACRITICS = "quan triet nghi quyet dai hoi"
PAGE_TITLE = "Bài 1: Những điểm mới của Nghị quyết"
PAGE_TEXT = "Đại hội đại biểu toàn quốc lần thứ XIV xác định tầm nhìn phát triển đất nước đến năm 2045."
PDF_TITLE = "Bài 2: Toàn văn Nghị quyết"
VIDEO_TITLE = "Bài 3: Bài giảng của báo cáo viên"
FONT = Path(__file__).resolve().parents[2] / "static/vendor/fonts/DejaVuSans.ttf"


def two_page_pdf() -> bytes:
    """A real two-page PDF with Vietnamese text (the vendored DejaVu font has the glyphs)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_font("DejaVu", fname=str(FONT))
    for text in ("Trang một: Nghị quyết Đại hội XIV", "Trang hai: Tổ chức thực hiện"):
        doc.add_page()
        doc.set_font("DejaVu", size=24)
        doc.cell(text=text)
    return bytes(doc.output())


UNNAMED_CONTROLS = """() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button, a[href]')].filter(e =>
    !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
    && !e.title && !e.textContent.trim() && !e.querySelector('img[alt]:not([alt=""])')
  ).map(e => e.outerHTML.slice(0, 120))"""


def fits(page: Page) -> None:
    """Nothing on the page is wider than the screen, and every control has a name."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url
    assert page.evaluate(UNNAMED_CONTROLS) == [], page.url


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def sign_out(page: Page, base: str) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/login")))


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=name, exact=True).click()


def add_lesson(page: Page, kind_link: str, title: str, *, body: str = "", file: dict | None = None,
               file_label: str = "", mode: str = "") -> None:
    """From the course's content page: open the new-lesson form of a kind, fill it and save."""
    page.get_by_role("link", name=kind_link, exact=True).click()
    page.wait_for_url(re.compile(r"/lessons/new\?kind="))
    page.get_by_label("Tiêu đề").fill(title)
    if body:
        page.get_by_label("Nội dung", exact=True).fill(body)
    if file:
        page.get_by_label(file_label, exact=True).set_input_files(file)
    if mode:
        page.get_by_label("Khi nào bài học được tính là hoàn thành?").select_option(label=mode)
    fits(page)
    page.get_by_role("button", name="Lưu bài học").click()
    page.wait_for_url(re.compile(r"/manage/structure#item-\d+$"))
    expect(page.get_by_text(f"Đã thêm bài học “{title}”.")).to_be_visible()


def lecturer_builds_and_publishes(page: Page, base: str) -> str:
    """Returns the course page's URL."""
    sign_in(page, base, "giangvien.e2e")
    nav(page, "Giảng dạy")
    page.get_by_role("link", name="Tạo khóa học").click()
    page.wait_for_url(f"{base}/courses/new")
    page.get_by_label("Mã khóa học").fill(COURSE_CODE)
    page.get_by_label("Tiêu đề").fill(COURSE_TITLE)
    page.get_by_label("Giới thiệu").fill("<p>Khóa bồi dưỡng dành cho đảng viên về các nội dung cơ bản của "
                                         "Nghị quyết.</p>")
    page.get_by_label("Lĩnh vực").select_option(label="Văn kiện, nghị quyết của Đảng")
    page.get_by_label("Số giờ").fill("8")
    fits(page)
    page.get_by_role("button", name="Tạo khóa học").click()
    page.wait_for_url(re.compile(r"/courses/\d+/manage/structure$"))
    course_id = re.search(r"/courses/(\d+)/", page.url).group(1)

    page.get_by_label("Tên phần").fill("Phần 1: Nội dung cơ bản")
    page.get_by_role("button", name="Thêm phần").click()
    page.wait_for_url(re.compile(r"/manage/structure#section-\d+$"))
    expect(page.get_by_role("heading", name="1. Phần 1: Nội dung cơ bản")).to_be_visible()
    fits(page)

    add_lesson(page, "Trang nội dung", PAGE_TITLE, body=f"<h2>Tầm nhìn</h2><p>{PAGE_TEXT}</p>")
    add_lesson(page, "Tài liệu (PDF)", PDF_TITLE, file_label="Tài liệu PDF",
               file={"name": "nghi-quyet-xiv.pdf", "mimeType": "application/pdf", "buffer": two_page_pdf()},
               mode="Học viên tự đánh dấu hoàn thành")
    # The sample MP4 is only a valid header (headless Chromium cannot play it): done when viewed.
    add_lesson(page, "Video", VIDEO_TITLE, file_label="Tệp video (MP4 hoặc WebM)",
               file={"name": "bai-giang.mp4", "mimeType": "video/mp4",
                     "buffer": samples.mp4_header() + bytes(4000)},
               mode="Hoàn thành khi đã xem")
    for title in (PAGE_TITLE, PDF_TITLE, VIDEO_TITLE):
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    fits(page)

    subnav = page.get_by_role("navigation", name="Quản lý khóa học")
    subnav.get_by_role("link", name="Đối tượng", exact=True).click()
    page.wait_for_url(f"{base}/courses/{course_id}/manage/audience")
    page.get_by_label("Đảng viên", exact=True).first.select_option(label="Chỉ dành cho đảng viên")
    page.get_by_role("button", name="Lưu đối tượng").click()
    expect(page.get_by_text("Đã lưu đối tượng của khóa học.")).to_be_visible()
    fits(page)

    page.get_by_role("navigation", name="Quản lý khóa học").get_by_role("link", name="Tổng quan").click()
    page.wait_for_url(f"{base}/courses/{course_id}/manage")
    expect(page.get_by_text("Chỉ dành cho đảng viên")).to_be_visible()
    page.get_by_role("button", name="Công bố").click()
    page.wait_for_url(f"{base}/courses/{course_id}/manage")
    expect(page.get_by_text("Đã công bố khóa học: những người thuộc đối tượng có thể tìm thấy khóa học.")
           ).to_be_visible()
    expect(page.get_by_role("heading", name="Trạng thái: Đã công bố")).to_be_visible()
    fits(page)
    sign_out(page, base)
    return f"{base}/courses/{course_id}"


def open_from_catalogue(page: Page, base: str, tag: str) -> None:
    """Search the catalogue without diacritics; the course's card carries `tag` (meant for me or not)."""
    nav(page, "Khóa học")
    page.wait_for_url(f"{base}/courses")
    page.get_by_role("searchbox", name="Tìm kiếm").fill(SEARCH_WITHOUT_DIACRITICS)
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/courses\?q="))
    card = page.locator(".course-card").filter(has=page.get_by_role("link", name=COURSE_TITLE, exact=True))
    expect(card).to_have_count(1)
    expect(card.get_by_text(tag, exact=True)).to_be_visible()
    fits(page)
    card.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    page.wait_for_url(re.compile(r"/courses/\d+$"))


def learner_completes(page: Page, base: str, course_url: str) -> None:
    sign_in(page, base, "dangvien.e2e")
    open_from_catalogue(page, base, "Dành cho bạn")
    assert page.url == course_url
    expect(page.get_by_text("Hồ sơ của bạn phù hợp với đối tượng của khóa học.")).to_be_visible()
    fits(page)
    page.get_by_role("button", name="Ghi danh vào khóa học").click()
    page.wait_for_url(course_url)
    expect(page.get_by_text(f"Bạn đã ghi danh vào khóa học “{COURSE_TITLE}”.")).to_be_visible()
    expect(page.get_by_text("Đã hoàn thành 0%")).to_be_visible()

    # The page lesson: done when viewed.
    page.get_by_role("link", name=PAGE_TITLE, exact=True).click()
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    expect(page.get_by_role("heading", name=PAGE_TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(PAGE_TEXT)).to_be_visible()
    expect(page.get_by_text("Tiến độ khóa học: 33%")).to_be_visible()
    fits(page)

    # The PDF lesson: the bundled viewer draws it; the learner marks it done.
    lessons = page.get_by_role("navigation", name="Bài học")
    lessons.get_by_role("link", name=re.compile(re.escape(PDF_TITLE))).click()
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    expect(page.get_by_role("heading", name=PDF_TITLE, level=1)).to_be_visible()
    expect(page.locator('[data-role="page"]')).to_have_text("Trang 1/2")
    assert page.evaluate("document.querySelector('.pdf-viewer canvas').width") > 100
    expect(page.get_by_role("link", name="Tải về để đọc khi không có mạng")).to_be_visible()
    fits(page)
    expect(page.get_by_text("Tiến độ khóa học: 33%")).to_be_visible()  # viewing is not enough here
    page.get_by_role("button", name="Đánh dấu đã hoàn thành").click()
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    expect(page.get_by_text("Đã đánh dấu hoàn thành.")).to_be_visible()
    expect(page.get_by_text("Tiến độ khóa học: 67%")).to_be_visible()

    # The video lesson: done when viewed.
    page.get_by_role("navigation", name="Bài học").get_by_role("link", name=re.compile(re.escape(VIDEO_TITLE))).click()
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    expect(page.get_by_role("heading", name=VIDEO_TITLE, level=1)).to_be_visible()
    source = page.locator("video.lesson-video source")
    expect(source).to_have_attribute("type", "video/mp4")
    # The uploaded file is streamed: a Range request (with the learner's session) gets exactly those bytes.
    part = page.request.get(base + source.get_attribute("src"), headers={"Range": "bytes=0-23"})
    assert part.status == 206 and part.body() == samples.mp4_header()[:24]
    expect(page.get_by_text("Tiến độ khóa học: 100%")).to_be_visible()
    fits(page)

    nav(page, "Khóa học của tôi")
    page.wait_for_url(f"{base}/my/courses")
    card = page.locator(".course-card").filter(has=page.get_by_role("link", name=COURSE_TITLE, exact=True))
    expect(card.get_by_text("Đã hoàn thành 100%")).to_be_visible()
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "100")
    fits(page)

    card.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    page.wait_for_url(course_url)
    # Checked either side of the clicks, so that the test also passes across midnight.
    days = {(clock.today_local() - timedelta(days=d)).strftime("%d/%m/%Y") for d in (0, 1)}
    done = page.get_by_text(re.compile(r"Bạn đã hoàn thành khóa học ngày \d{2}/\d{2}/\d{4}\."))
    expect(done).to_be_visible()
    assert re.search(r"\d{2}/\d{2}/\d{4}", done.inner_text()).group(0) in days
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    fits(page)
    sign_out(page, base)


def outsider_is_refused(page: Page, base: str, course_url: str) -> None:
    sign_in(page, base, "quanchung.e2e")
    open_from_catalogue(page, base, "Dành cho đối tượng khác")
    assert page.url == course_url
    reasons = page.get_by_role("alert").filter(has_text="Khóa học này dành cho đảng viên.")
    expect(reasons).to_be_visible()
    expect(page.get_by_text("Bạn không thể tự ghi danh vào khóa học này:")).to_be_visible()
    expect(page.get_by_text("Hồ sơ của bạn không thuộc đối tượng của khóa học.")).to_be_visible()
    expect(page.get_by_text("Khóa học này dành cho đối tượng khác.")).to_have_count(0)  # the specific reason only
    expect(page.get_by_role("button", name="Ghi danh vào khóa học")).to_have_count(0)
    # The lessons are listed but not open to them.
    expect(page.get_by_text(PAGE_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=PAGE_TITLE)).to_have_count(0)
    fits(page)


def watch_problems(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_course_from_creation_to_completion(page, live_server, factory):
    province = factory.province()
    factory.lecturer("giangvien.e2e", full_name="Lê Văn Giảng", unit=province)
    factory.user("dangvien.e2e", full_name="Phạm Thị Đảng Viên", unit=province, party_member=True,
                 party_joined_year=2010)
    factory.user("quanchung.e2e", full_name="Vũ Văn Quần", unit=province, party_member=False)

    problems = watch_problems(page)
    course_url = lecturer_builds_and_publishes(page, live_server)
    learner_completes(page, live_server, course_url)
    outsider_is_refused(page, live_server, course_url)
    assert problems == []  # no script error, no CSP refusal
