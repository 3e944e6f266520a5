"""A person signs in, switches the interface to English and back, at a phone's and a desktop's width."""
from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD


def test_login_and_switch_language(page, live_server, factory):
    province = factory.province()
    factory.user("hocvien.e2e", full_name="Hoàng Thị Mai", unit=province, position="Chuyên viên")

    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()

    page.get_by_label("Tên đăng nhập").fill("hocvien.e2e")
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Xin chào, Hoàng Thị Mai").is_visible()
    assert page.get_by_text("Trình độ lý luận chính trị").is_visible()
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Hello, Hoàng Thị Mai").is_visible()
    assert page.get_by_text("Political-theory level").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()

    # The choice is remembered for the account: sign out and in again, still English.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("hocvien.e2e")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Hello, Hoàng Thị Mai").is_visible()

    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Xin chào, Hoàng Thị Mai").is_visible()
