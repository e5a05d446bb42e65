"""The GeoReport v2 endpoints (plain Django views, not part of the /api/v1/ schema).

Format from the path suffix (``.json`` / ``.xml``); errors in the spec's body
(``[{"code", "description"}]`` / ``<errors><error>…``) with 400, 403 and 404, plus 405,
413 and 429 (our additions, same body).
"""

from __future__ import annotations

import re
import time as time_module
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.storage import default_storage
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from chuangwei.core import widgets
from chuangwei.core.errors import DomainError
from chuangwei.problems.choices import OPEN_STATUSES, ProblemStatus
from chuangwei.standards.models import ProblemCategory

from . import selectors, services
from .formats import error_response, iso, respond
from .models import LIST_DATATYPES, ServiceAttribute

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_PAGE_SIZE = 1000
MAX_IDS = 1000
WINDOW = timedelta(days=90)
ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\[\]]{1,100})\](\[\])?$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: Any) -> None:
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
        super().__init__(self.descriptions[0] if descriptions else "")


def _ip_rate() -> str:
    return str(getattr(settings, "CHUANGWEI_OPEN311_IP_RATE", "60/m"))


def _check_jurisdiction(request: HttpRequest) -> None:
    """One jurisdiction: ``jurisdiction_id`` may be omitted; another value is unknown (404)."""
    wanted = str(getattr(settings, "CHUANGWEI_OPEN311_JURISDICTION", "") or "")
    given = request.GET.get("jurisdiction_id", "") or (
        request.POST.get("jurisdiction_id", "") if request.method == "POST" else ""
    )
    if wanted and given and given != wanted:
        raise Open311Error(404, _("Unknown jurisdiction_id."))


def endpoint(methods: tuple[str, ...] = ("GET",)):  # type: ignore[no-untyped-def]
    """Wrap a view: method check, jurisdiction, Open311Error → the spec's error body."""

    def decorate(view):  # type: ignore[no-untyped-def]
        @csrf_exempt
        def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(fmt, 405, [_("Method not allowed.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if request.method == "GET":
                    _check_jurisdiction(request)
                return view(request, fmt, **kwargs)  # type: ignore[no-any-return]
            except Open311Error as exc:
                return error_response(fmt, exc.status, exc.descriptions)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


# Discovery and services ----------------------------------------------------------------


def _changeset() -> str | None:
    latest = [
        ProblemCategory.objects.aggregate(m=Max("updated_at"))["m"],
        ServiceAttribute.objects.aggregate(m=Max("updated_at"))["m"],
    ]
    values = [v for v in latest if v is not None]
    return iso(max(values)) if values else iso(timezone.now())


@endpoint()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = _changeset()
    root = request.build_absolute_uri(reverse("open311:root"))
    body = {
        "changeset": changeset,
        "contact": _("%(city)s National Sanitary City office (创卫办)")
        % {"city": getattr(settings, "CHUANGWEI_CITY_NAME", "")},
        "key_service": _(
            "API keys are issued per client application by the city's sanitary-city office "
            "(Open311 clients page)."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": root.rstrip("/"),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", body)


def _service(category: ProblemCategory) -> dict[str, Any]:
    keywords = [category.name, category.sanitary_class]
    group = category.sanitary_class or (category.parent.name if category.parent else "")
    return {
        "service_code": category.code,
        "service_name": category.public_name,
        "description": category.description or None,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys(k for k in keywords if k)) or None,
        "group": group or None,
    }


@endpoint()
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [_service(c) for c in selectors.public_categories()])


def _attribute(attribute: ServiceAttribute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in LIST_DATATYPES:
        data["values"] = [{"key": v["key"], "name": v["name"]} for v in attribute.values]
    return data


@endpoint()
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = selectors.service_by_code(service_code)
    if category is None:
        raise Open311Error(404, _("There is no service with this service_code."))
    body = {
        "service_code": category.code,
        "attributes": [_attribute(a) for a in selectors.attributes_for(category)],
    }
    return respond(fmt, "service_definition", body)


# Service requests: reading ---------------------------------------------------------------


def _when(value: str, name: str, *, end: bool = False) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise Open311Error(
                400,
                _("%(name)s must be a W3C date and time, e.g. 2026-03-02T09:00:00+08:00.")
                % {"name": name},
            )
        parsed = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _positive(request: HttpRequest, name: str, default: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise Open311Error(
            400,
            _("%(name)s must be a whole number from 1 to %(high)s.") % {"name": name, "high": high},
        )
    return int(raw)


def _window(request: HttpRequest) -> tuple[datetime, datetime]:
    start_raw = request.GET.get("start_date", "")
    end_raw = request.GET.get("end_date", "")
    start = _when(start_raw, "start_date") if start_raw else None
    end = _when(end_raw, "end_date", end=True) if end_raw else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > WINDOW + timedelta(days=1):
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return start, end


def parse_request_query(request: HttpRequest, categories: dict[str, int]) -> selectors.RequestQuery:
    get = request.GET
    page_size = _positive(request, "page_size", 0, MAX_PAGE_SIZE) or _positive(
        request, "per_page", MAX_PAGE_SIZE, MAX_PAGE_SIZE
    )
    page = _positive(request, "page", 1, 1_000_000)
    query = selectors.RequestQuery(
        category_ids=list(categories.values()),
        offset=(page - 1) * page_size,
        limit=page_size,
        extensions=get.get("extensions", "").lower() in ("true", "1", "all"),
    )
    ids = [i.strip() for i in get.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, _("At most 1000 service_request_id values."))
        query.codes = ids
        return query
    codes = [c.strip() for c in get.get("service_code", "").split(",") if c.strip()]
    if codes:
        unknown = [c for c in codes if c not in categories]
        if unknown:
            raise Open311Error(
                404, _("There is no service with the service_code %(code)s.") % {"code": unknown[0]}
            )
        query.category_ids = [categories[c] for c in codes]
    statuses = [s.strip().lower() for s in get.get("status", "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, _("status must be open, closed or both (comma separated)."))
    if statuses and set(statuses) != {"open", "closed"}:
        query.statuses = sorted(selectors.ledger_statuses(statuses))
    query.start, query.end = _window(request)
    return query


class _Page:
    """Per-answer constants: the site's origin for media URLs, status words."""

    def __init__(self, request: HttpRequest) -> None:
        self.origin = request.build_absolute_uri("/")[:-1]
        self.status_notes = {s.value: str(s.label) for s in ProblemStatus}
        self.tz = timezone.get_current_timezone()

    def media_url(self, name: str) -> str:
        url = default_storage.url(name)
        return self.origin + url if url.startswith("/") else url


def _request_item(
    page: _Page, row: dict[str, Any], photos: list[str], extras: dict[str, Any] | None
) -> dict[str, Any]:
    status = row["status"]
    is_open = status in OPEN_STATUSES
    item: dict[str, Any] = {
        "service_request_id": row["code"],
        "status": "open" if is_open else "closed",
        "status_notes": page.status_notes.get(status, status),
        "service_name": row["category__public_name"],
        "service_code": row["category__code"],
        "description": (row["description"] or "")[:4000] or None,
        "agency_responsible": row["unit__name"],
        "service_notice": None,
        "requested_datetime": iso(row["reported_at"], page.tz),
        "updated_datetime": iso(
            row["updated_at"] if is_open else (row["closed_at"] or row["updated_at"])
        ),
        "expected_datetime": iso(row["due_at"], page.tz),
        "address": row["address"] or None,
        "address_id": row["open311__address_id"] or None,
        "zipcode": row["open311__zipcode"] or None,
        "lat": round(row["lat"], 6) if row["lat"] is not None else None,
        "long": round(row["lng"], 6) if row["lng"] is not None else None,
        "media_url": page.media_url(photos[0]) if photos else None,
    }
    if item["lat"] is None or item["long"] is None:
        # A problem without a point (a unit, a site or an article): the spec's lat/long
        # are optional, so they are left out rather than sent empty.
        del item["lat"], item["long"]
    if extras is not None:
        attributes = extras["attributes"].get(row["pk"]) or {}
        item["extended_attributes"] = {
            "ledger_status": status,
            "source": row["source"],
            "severity": row["severity"],
            "category_name": row["category__name"],
            "attributes": [
                {"code": code, "value": value} for code, value in sorted(attributes.items())
            ],
            "media_urls": [page.media_url(name) for name in photos],
        }
        item["notes"] = [
            {
                "datetime": iso(note["created_at"], page.tz),
                "action": note["action"],
                "status": note["to_status"] or None,
            }
            for note in extras["notes"].get(row["pk"], [])
        ]
    return item


def _items(
    request: HttpRequest, rows: list[dict[str, Any]], extensions: bool
) -> list[dict[str, Any]]:
    ids = [row["pk"] for row in rows]
    photos = selectors.photo_names(ids)
    extras = None
    if extensions:
        extras = {
            "notes": selectors.public_notes(ids),
            "attributes": selectors.open311_attributes(ids),
        }
    page = _Page(request)
    return [_request_item(page, row, photos.get(row["pk"], []), extras) for row in rows]


SERVICES_KEY = ("open311.services", "service_code -> category id", "")


def service_ids() -> dict[str, int]:
    """``selectors.public_category_ids`` built at most once a minute per process, in the
    same cache as the filter options (``core.widgets``, cleared before each test): every
    ``requests`` call needs it and services change rarely."""
    now = time_module.monotonic()
    hit = widgets._choices_cache.get(SERVICES_KEY)
    if hit is not None and hit[0] > now:
        return {code: int(pk) for code, pk in hit[1]}
    ids = selectors.public_category_ids()
    widgets._choices_cache[SERVICES_KEY] = (
        now + widgets.CHOICES_TTL_S,
        [(code, str(pk)) for code, pk in ids.items()],
    )
    return ids


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    query = parse_request_query(request, service_ids())
    rows, more = selectors.request_rows(query)
    headers = {}
    if more:
        params = request.GET.copy()
        params["page"] = str(query.offset // query.limit + 2)
        params["page_size"] = str(query.limit)
        params.pop("per_page", None)
        url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        headers = {"X-Next-Page-URL": url, "Link": f'<{url}>; rel="next"'}
    return respond(
        fmt, "service_requests", _items(request, rows, query.extensions), headers=headers
    )


@endpoint(("GET",))
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    categories = service_ids()
    query = selectors.RequestQuery(
        category_ids=list(categories.values()),
        codes=[request_id],
        limit=1,
        extensions=request.GET.get("extensions", "").lower() in ("true", "1", "all"),
    )
    rows, _more = selectors.request_rows(query)
    if not rows:
        raise Open311Error(404, _("There is no service request with this id."))
    return respond(fmt, "service_requests", _items(request, rows, query.extensions))


@endpoint(("GET",))
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    request_id = selectors.token_lookup(token)
    if request_id is None:
        raise Open311Error(404, _("There is no service request with this token."))
    return respond(fmt, "service_requests", [{"service_request_id": request_id, "token": token}])


# Service requests: creating ---------------------------------------------------------------


def _client_key(group: str, request: HttpRequest) -> str:
    return str(request.open311_client.pk)  # type: ignore[attr-defined]


def _device_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("device_id", ""))[:100]


def _client_rate(group: str, request: HttpRequest) -> str:
    return f"{request.open311_client.rate_limit}/m"  # type: ignore[attr-defined]


def _read_form(request: HttpRequest) -> tuple[Any, list[Any]]:
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        raise Open311Error(
            400,
            _(
                "Send the service request as application/x-www-form-urlencoded or "
                "multipart/form-data (GeoReport v2), not %(type)s."
            )
            % {"type": content_type or _("an empty body")},
        )
    try:
        form = request.POST
        files = [f for name in request.FILES for f in request.FILES.getlist(name)]
    except RequestDataTooBig:
        raise Open311Error(413, _("The request body is too large.")) from None
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, UnicodeDecodeError):
        raise Open311Error(400, _("The request body could not be read.")) from None
    return form, files


def _request_input(form: Any) -> services.ServiceRequestInput:
    attributes: dict[str, Any] = {}
    for name in form:
        match = ATTRIBUTE_FIELD.match(name)
        if match:
            values = form.getlist(name)
            attributes[match.group(1)] = values if match.group(2) else values[-1]
        elif name.startswith("attribute"):
            raise Open311Error(
                400, _("%(name)s is not a valid attribute field.") % {"name": name[:60]}
            )
    return services.ServiceRequestInput(
        service_code=form.get("service_code", ""),
        lat=form.get("lat", "").strip(),
        long=form.get("long", "").strip(),
        address_string=form.get("address_string", ""),
        address_id=form.get("address_id", ""),
        zipcode=form.get("zipcode", ""),
        description=form.get("description", ""),
        email=form.get("email", ""),
        first_name=form.get("first_name", ""),
        last_name=form.get("last_name", ""),
        phone=form.get("phone", ""),
        device_id=form.get("device_id", ""),
        account_id=form.get("account_id", ""),
        media_urls=form.getlist("media_url") + form.getlist("media_url[]"),
        attributes=attributes,
    )


def _domain_status(exc: DomainError) -> int:
    if exc.code == "photo_too_large":
        return 413
    if exc.status in (403, 404):
        return exc.status
    return 400


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    if is_ratelimited(request, group="open311:ip", key="ip", rate=_ip_rate(), increment=True):
        raise Open311Error(429, _("Too many service requests from this address. Wait a minute."))
    form, files = _read_form(request)
    _check_jurisdiction(request)
    client = selectors.client_for_key(form.get("api_key", ""))
    if client is None:
        raise Open311Error(403, _("A valid api_key is required to create service requests."))
    request.open311_client = client  # type: ignore[attr-defined]
    if is_ratelimited(
        request, group="open311:client", key=_client_key, rate=_client_rate, increment=True
    ):
        raise Open311Error(
            429, _("This client application sent too many service requests. Wait a minute.")
        )
    data = _request_input(form)
    if data.device_id and is_ratelimited(
        request, group="open311:device", key=_device_key, rate=_ip_rate(), increment=True
    ):
        raise Open311Error(429, _("Too many service requests from this device. Wait a minute."))
    try:
        record = services.submit_request(
            data, client=client, files=files, remote_addr=request.META.get("REMOTE_ADDR")
        )
    except DomainError as exc:
        messages = [str(m) for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]
        raise Open311Error(_domain_status(exc), *dict.fromkeys(messages)) from None
    body = [
        {
            "service_request_id": record.problem.code,
            "token": record.token,
            "service_notice": _(
                "Received. A grid worker will confirm the problem on site before it is handled."
            ),
            "account_id": record.account_id or None,
        }
    ]
    return respond(fmt, "service_requests", body, status=201)


@endpoint(("GET", "POST"))
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(fmt, 404, [_("There is no such Open311 resource.")])
