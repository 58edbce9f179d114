"""The OpenAPI schema documents the errors every endpoint can answer with, in one shape."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

ERROR_DESCRIPTIONS = {
    "400": "The request was not valid: `message` says why, `errors` lists it field by field.",
    "401": "Not logged in, or the token is missing, wrong or revoked.",
    "403": "Logged in, but this is for another role.",
    "404": "Not found, or not yours: both answer the same.",
    "405": "This method is not allowed here.",
    "406": "The requested response format is not available.",
    "415": "The request body format is not supported: send JSON.",
    "429": "Too many requests: wait a minute and try again.",
}


class ClinicAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        from common.rest import ErrorSerializer

        responses = super()._get_response_bodies(direction)
        codes = ["401", "403", "405", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "415"]
        if self.method in ("GET", "PUT", "PATCH", "DELETE") and "{" in self.path:
            codes.append("404")
        if self.method == "GET" and "{" in self.path:
            codes.append("400")  # e.g. a consent section read out of order
        if self.method == "GET" and self._is_list_view():
            codes += ["400", "404"]  # a bad page size; a page number past the end
        if self.method == "POST" and "{" in self.path:
            codes.append("404")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return responses
