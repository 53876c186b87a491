"""Every provider call has one wall-clock deadline across its retries and a cap on its answer: against a
loopback server that drips a byte every 0.5 s or floods 20 MB, each call ends within its deadline plus a
little, memory stays small, and an analysis falls back to the engine's wording and says why."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from core.access import Actor
from core.ai.ocr import ocr_pdf
from core.billing import ledger
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.integrations.payments import RazorpayPaymentLinks
from core.integrations.tavus import TavusClient
from core.student import analyses, cvs
from tests.fakes.hostile_server import hostile_server, origin

DEADLINE = 2.0
SLACK = 1.5  # a retry's back-off after the deadline, and thread start-up on a loaded machine
CV = b"Jane Example\njane@example.com\nEXPERIENCE\nAnalyst, Acme  Jan 2020 - Jan 2024\nSKILLS\nSQL, Python\n"
JD = "Data Analyst\n\nRequirements\n- SQL and Python\n"


@pytest.fixture(params=["drip", "flood"])
def hostile(request: pytest.FixtureRequest) -> Iterator[str]:
    with hostile_server(request.param) as server:
        yield origin(server)


def resident_mb() -> float:
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())  # noqa: SIM115
    return int(status["VmRSS"].split()[0]) / 1024


def measured(call: Callable[[], object]) -> tuple[object, float, float]:
    """(result or AppError, seconds, growth of this process's resident memory in MB, sampled every 10 ms)."""
    base, peak, done = resident_mb(), 0.0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, resident_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    try:
        outcome: object = call()
    except AppError as error:
        outcome = error
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return outcome, seconds, max(0.0, peak - base)


@pytest.mark.parametrize("provider", ["openai", "mistral"])
def test_an_analysis_with_a_hostile_model_ends_in_time_on_the_engines_wording(
    ctx: AppContext, make_user: Callable[..., Actor], hostile: str, provider: str
) -> None:
    base_url = hostile + "/v1" if provider == "openai" else hostile
    settings = ctx.settings.model_copy(
        update={"ai_provider": provider, "ai_api_key": "sk-test", "ai_base_url": base_url,
                "ai_timeout_seconds": DEADLINE, "ai_max_retries": 1}
    )  # fmt: skip
    remote = AppContext(settings, ctx.db)
    student = make_user()
    cv = cvs.upload_cv(remote, student, "cv.txt", CV)
    analyses.run_analysis(ctx, student, cv.id, pasted_text=JD)  # the engine's data loaded before measuring
    before = ledger.balance(remote, student)
    record, seconds, peak = measured(lambda: analyses.run_analysis(remote, student, cv.id, pasted_text=JD))
    assert isinstance(record, analyses.AnalysisRecord)
    notes = " ".join(record.meta.notes)
    print(f"{provider} {hostile}: analysis in {seconds:.1f} s, memory +{peak:.0f} MB; notes: {notes}")
    assert seconds <= 2 * (DEADLINE + SLACK)  # two model calls, each ended at its deadline
    assert peak < 40  # the 20 MB body is never held whole: it is cut at 2 MB
    assert record.provider == "local" and record.meta.sources == {"insights": "local", "flashcards": "local"}
    assert "built-in wording" in notes
    assert ("did not answer in time (2 s)" in notes) or ("larger than 2 MB" in notes)
    assert "sql" in record.report.analysis.matching_skills  # scores from the engine, as always
    assert ledger.balance(remote, student) == before - 1


def test_the_analysis_budget_bounds_all_its_model_calls(ctx: AppContext, make_user: Callable[..., Actor]) -> None:
    with hostile_server("drip") as server:
        settings = ctx.settings.model_copy(
            update={"ai_provider": "openai", "ai_api_key": "sk-test", "ai_base_url": origin(server) + "/v1",
                    "ai_timeout_seconds": 20.0, "ai_analysis_seconds": 3.0}
        )  # fmt: skip
        remote = AppContext(settings, ctx.db)
        student = make_user()
        cv = cvs.upload_cv(remote, student, "cv.txt", CV)
        record, seconds, _ = measured(lambda: analyses.run_analysis(remote, student, cv.id, pasted_text=JD))
    print(f"analysis budget 3 s with a 20-s per-call deadline: {seconds:.1f} s")
    assert isinstance(record, analyses.AnalysisRecord) and record.provider == "local"
    assert seconds <= 3 + SLACK


def test_ocr_ends_at_its_deadline(ctx: AppContext, hostile: str) -> None:
    settings = ctx.settings.model_copy(
        update={"mistral_api_key": "k", "mistral_base_url": hostile, "ai_timeout_seconds": DEADLINE}
    )
    error, seconds, peak = measured(lambda: ocr_pdf(settings, b"%PDF-1.4 scanned"))
    print(f"OCR {hostile}: {error} in {seconds:.1f} s, memory +{peak:.0f} MB")
    assert isinstance(error, AppError) and error.code == ErrorCode.AI_SERVICE_ERROR
    assert seconds <= DEADLINE + SLACK and peak < 40


def test_tavus_ends_at_its_deadline(hostile: str) -> None:
    client = TavusClient("tavus-key", hostile, timeout=DEADLINE)
    error, seconds, peak = measured(lambda: client.create_conversation("r1", "p1", "Mock interview", "context"))
    print(f"Tavus {hostile}: {error} in {seconds:.1f} s, memory +{peak:.0f} MB")
    assert isinstance(error, AppError) and error.code == ErrorCode.TAVUS_ERROR
    assert seconds <= DEADLINE + SLACK and peak < 40


def test_razorpay_ends_at_its_deadline(hostile: str) -> None:
    payments = RazorpayPaymentLinks("rzp_test_key", "secret", base_url=hostile, timeout=DEADLINE)
    error, seconds, peak = measured(lambda: payments.fetch("plink_123"))
    print(f"Razorpay {hostile}: {error} in {seconds:.1f} s, memory +{peak:.0f} MB")
    assert isinstance(error, AppError) and error.code == ErrorCode.PAYMENT_ERROR
    assert seconds <= DEADLINE + SLACK and peak < 40
