"""In real Chromium, on a server started on a random port with no PUBLIC_BASE_URL: the invite link a counselor
is shown points at that port and opens the join flow there; the admin sees no address warning."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from core.access import Role
from core.coaching import cohorts
from tests.e2e.conftest import PASSWORD


def test_invite_link_shown_opens_the_join_flow_on_the_port_the_app_runs_on(app, new_tab, new_user, e2e_ctx, e2e_server):
    counselor = new_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(e2e_ctx, counselor, name="Port cohort")
    app.sign_in(counselor.email, PASSWORD)
    app.go_to("Cohorts")
    app.tab("Invite and jobs")
    link = app.page.get_by_test_id("stCode").filter(has_text="?join=").inner_text().strip()
    assert urlsplit(link).port == e2e_server.port, link
    assert link.endswith(f"/?join={cohort.invite_code}")

    student = new_user()
    tab = new_tab()
    tab.page.goto(link)
    tab.wait_idle()
    tab.sign_in(student.email, PASSWORD)
    expect(tab.heading()).to_have_text("My cohorts")
    expect(tab.field("Invite code")).to_have_value(cohort.invite_code)


def test_admin_sees_no_address_warning_when_links_match_the_browser(app, new_user):
    admin = new_user(Role.ADMIN)
    app.sign_in(admin.email, PASSWORD)
    app.go_to("Providers")
    expect(app.page.get_by_role("heading", name="Providers")).to_be_visible()
    expect(app.page.get_by_text("Links this app sends")).to_have_count(0)
