"""Request and response models of the public tracking lookup."""

from pydantic import BaseModel, Field

from shared.models import StrictModel


class TrackIn(StrictModel):
    """A public lookup: the tracking code and the submitter's mobile number."""

    code: str = Field(max_length=40)
    mobile: str = Field(max_length=30)


class TrackOut(BaseModel):
    """Only the status and its Jalali date: nothing personal."""

    status: str
    status_fa: str
    date: str = Field(description="Jalali date of the status, Persian digits")
