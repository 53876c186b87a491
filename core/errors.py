"""One error type for everything a user may be told about.

Services raise AppError with a stable `code`; pages show `error.message` and never a traceback.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_FILE_FORMAT = "INVALID_FILE_FORMAT"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    EMPTY_FILE = "EMPTY_FILE"
    ENCRYPTED_PDF = "ENCRYPTED_PDF"
    PDF_PROCESSING_ERROR = "PDF_PROCESSING_ERROR"
    DOCX_PROCESSING_ERROR = "DOCX_PROCESSING_ERROR"
    NO_TEXT_LAYER = "NO_TEXT_LAYER"
    TEXT_TOO_LONG = "TEXT_TOO_LONG"
    MISSING_JOB_DESCRIPTION = "MISSING_JOB_DESCRIPTION"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    AI_SERVICE_ERROR = "AI_SERVICE_ERROR"
    STORAGE_ERROR = "STORAGE_ERROR"
    TAVUS_ERROR = "TAVUS_ERROR"
    PAYMENT_ERROR = "PAYMENT_ERROR"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    NOT_FOUND = "NOT_FOUND"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    SSO_REFUSED = "SSO_REFUSED"
    SSO_UNAVAILABLE = "SSO_UNAVAILABLE"
    MAIL_ERROR = "MAIL_ERROR"
    SERVER_BUSY = "SERVER_BUSY"
    NO_SPEECH = "NO_SPEECH"
    TRANSCRIPTION_ERROR = "TRANSCRIPTION_ERROR"


DEFAULT_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.INVALID_FILE_FORMAT: "This file type is not supported. Upload a PDF, DOCX or TXT file.",
    ErrorCode.FILE_TOO_LARGE: "This file is too large.",
    ErrorCode.EMPTY_FILE: "This file is empty.",
    ErrorCode.ENCRYPTED_PDF: "This PDF is password-protected. Save an unprotected copy and upload that.",
    ErrorCode.PDF_PROCESSING_ERROR: "We could not read this PDF. It may be damaged; try exporting it again.",
    ErrorCode.DOCX_PROCESSING_ERROR: "We could not read this Word file. Try saving it again as DOCX or PDF.",
    ErrorCode.NO_TEXT_LAYER: (
        "This PDF is a scanned image with no text we can read. Upload the original document or a text-based PDF."
    ),
    ErrorCode.TEXT_TOO_LONG: (
        "This text is far longer than a CV or a job description, or holds a run of characters with no spaces "
        "that no document has. Upload the document itself."
    ),
    ErrorCode.MISSING_JOB_DESCRIPTION: "Add a job description first.",
    ErrorCode.INSUFFICIENT_CREDITS: "You do not have enough credits for this. Top up on the Wallet page.",
    ErrorCode.AI_SERVICE_ERROR: "The AI service did not answer. Please try again in a moment.",
    ErrorCode.STORAGE_ERROR: "We could not store the file right now. Nothing was saved; please try again.",
    ErrorCode.TAVUS_ERROR: "The video interview service is unavailable right now. You were not charged.",
    ErrorCode.PAYMENT_ERROR: "The payment could not be completed. You were not charged.",
    ErrorCode.PERMISSION_DENIED: "You do not have access to this.",
    ErrorCode.NOT_FOUND: "We could not find that.",
    ErrorCode.ACCOUNT_LOCKED: "Too many failed sign-in attempts. The account is locked for a while.",
    ErrorCode.INVALID_INPUT: "Please check what you entered.",
    ErrorCode.INVALID_CREDENTIALS: "Email or password is incorrect.",
    ErrorCode.SSO_REFUSED: "This account cannot sign in here with single sign-on.",
    ErrorCode.MAIL_ERROR: "We could not send the e-mail just now. Try again in a few minutes.",
    ErrorCode.SSO_UNAVAILABLE: "Single sign-on is not available right now. Try again, or sign in with your password.",
    ErrorCode.SERVER_BUSY: "The server is busy reading other documents. Nothing was charged; try again in a moment.",
    ErrorCode.NO_SPEECH: "We could not hear any speech in this recording. Check your microphone and record again.",
    ErrorCode.TRANSCRIPTION_ERROR: "We could not transcribe this recording. Type your answer, or record it again.",
}


class AppError(Exception):
    """An expected failure with a stable code and a sentence a user can act on."""

    def __init__(self, code: ErrorCode | str, message: str | None = None, **details: object) -> None:
        self.code = ErrorCode(code)
        self.message = message or DEFAULT_MESSAGES[self.code]
        self.details = details
        super().__init__(f"{self.code}: {self.message}")

    def to_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message}
