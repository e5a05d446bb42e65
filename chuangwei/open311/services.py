"""Writes of the Open311 app: client applications and their keys, service attributes,
and service requests POSTed by client applications (which become problems through
``problems.services.report_problem`` with source ``open311``).

Every function validates before writing and raises DomainError subclasses; on any error
nothing is stored.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput, NotAllowed
from chuangwei.core.limits import column_length
from chuangwei.core.models import delete_row
from chuangwei.places.services import point_to_wgs84
from chuangwei.problems import limits
from chuangwei.problems import services as problem_services
from chuangwei.problems.choices import ProblemSource
from chuangwei.problems.services import Upload
from chuangwei.standards.models import ProblemCategory

from .models import LIST_DATATYPES, Datatype, Open311Client, Open311Request, ServiceAttribute
from .selectors import DEFAULT_ATTRIBUTES, attributes_for, hash_key, public_categories

MAX_DESCRIPTION = limits.DESCRIPTION  # the ledger's limit, as on every other path
MAX_MEDIA_URLS = 5
MAX_UPLOADS = 5
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_LENGTH = 1000


class UnknownService(InvalidInput):
    """The service_code names no service (GeoReport v2 answers 404)."""

    code = "unknown_service_code"
    status = 404
    default_message = _("There is no service with this service_code.")


# Client applications -------------------------------------------------------------------


def _new_key() -> str:
    return "o311_" + secrets.token_urlsafe(24)


def _set_key(client: Open311Client, raw: str, now: datetime) -> None:
    client.key_hash = hash_key(raw)
    client.key_prefix = raw[:9]
    client.key_rotated_at = now


def _check_client(client: Open311Client) -> None:
    if Open311Client.objects.filter(name=client.name).exclude(pk=client.pk).exists():
        raise InvalidInput(
            _("A client application with this name exists already."),
            code="duplicate_name",
            fields={"name": [_("Choose another name.")]},
        )
    if not 1 <= client.rate_limit <= 6000:
        raise InvalidInput(
            _("Enter a number from 1 to 6000."),
            code="bad_rate",
            fields={"rate_limit": [_("Enter a number from 1 to 6000.")]},
        )


def create_client(
    client: Open311Client, *, by: Any, key: str | None = None, now: datetime | None = None
) -> tuple[Open311Client, str]:
    """Save a new client application and return it with its API key (shown once).

    ``key`` fixes the key (the demo city's documented key); normally it is random.
    """
    now = now or timezone.now()
    raw = key or _new_key()
    if Open311Client.objects.filter(key_hash=hash_key(raw)).exists():
        raise InvalidInput(_("This API key is already in use."), code="duplicate_key")
    _check_client(client)
    _set_key(client, raw, now)
    client.created_by = by
    client.is_active = True
    client.save()
    return client, raw


def save_client(client: Open311Client, *, by: Any) -> Open311Client:
    """Change a client application's name, contact, rate limit or note (``create_client``
    issues new ones with their key; the key never changes here).

    Raises InvalidInput ``duplicate_name`` when another client has the name, ``bad_rate``
    for a rate limit outside 1–6000 requests a minute.
    """
    if client.pk is None:
        raise ValueError("a new client application is made by create_client")
    _check_client(client)
    client.save(update_fields=["name", "contact", "rate_limit", "note", "updated_at"])
    return client


def rotate_key(client: Open311Client, *, by: Any, now: datetime | None = None) -> str:
    """Issue a new API key; the old one stops working at once. Returns the new key."""
    if not client.is_active:
        raise NotAllowed(_("A revoked client application gets no new key."), code="client_revoked")
    raw = _new_key()
    _set_key(client, raw, now or timezone.now())
    client.save(update_fields=["key_hash", "key_prefix", "key_rotated_at", "updated_at"])
    return raw


def revoke_client(client: Open311Client, *, by: Any, now: datetime | None = None) -> None:
    """Stop accepting the client's key. Its earlier requests stay."""
    if not client.is_active:
        raise InvalidInput(_("This client application is already revoked."), code="revoked")
    client.is_active = False
    client.revoked_at = now or timezone.now()
    client.save(update_fields=["is_active", "revoked_at", "updated_at"])


# Service attributes --------------------------------------------------------------------


def _check_values(values: Any, datatype: str) -> list[dict[str, str]]:
    if datatype not in LIST_DATATYPES:
        return []
    if not isinstance(values, list) or not values:
        raise InvalidInput(
            _("A choice list needs at least one value."),
            code="missing_values",
            fields={"values": [_('Enter a list like [{"key": "a", "name": "…"}].')]},
        )
    clean: list[dict[str, str]] = []
    for item in values:
        if not isinstance(item, dict) or not item.get("key") or not item.get("name"):
            raise InvalidInput(
                _("Every value needs a key and a name."),
                code="bad_values",
                fields={"values": [_('Enter a list like [{"key": "a", "name": "…"}].')]},
            )
        clean.append({"key": str(item["key"]), "name": str(item["name"])})
    if len({v["key"] for v in clean}) != len(clean):
        raise InvalidInput(
            _("The keys of the values must differ."),
            code="duplicate_value_keys",
            fields={"values": [_("The keys of the values must differ.")]},
        )
    return clean


def save_attribute(attribute: ServiceAttribute, *, by: Any) -> ServiceAttribute:
    """Create or update one service attribute (office configuration)."""
    if not public_categories().filter(pk=attribute.category_id).exists():
        raise InvalidInput(
            _("Attributes belong to public services: categories with a public name."),
            code="not_a_service",
            fields={"category": [_("Choose a category that citizens can report.")]},
        )
    attribute.values = _check_values(attribute.values, attribute.datatype)
    clash = ServiceAttribute.objects.filter(
        category_id=attribute.category_id, code=attribute.code
    ).exclude(pk=attribute.pk)
    if clash.exists():
        raise InvalidInput(
            _("This service already has an attribute with this code."),
            code="duplicate_attribute",
            fields={"code": [_("Choose another code.")]},
        )
    attribute.save()
    return attribute


def delete_attribute(attribute: ServiceAttribute, *, by: Any) -> None:
    """Remove a question from a service; answers already given stay with their requests."""
    delete_row(attribute)


def create_default_attributes(*, by: Any) -> int:
    """Store the default attributes for every service that has none yet; returns rows."""
    rows: list[ServiceAttribute] = []
    with transaction.atomic():
        for category in public_categories():
            if ServiceAttribute.objects.filter(category=category).exists():
                continue
            rows.extend(ServiceAttribute(category=category, **spec) for spec in DEFAULT_ATTRIBUTES)
        ServiceAttribute.objects.bulk_create(rows)
    return len(rows)


# Service requests ----------------------------------------------------------------------


@dataclass
class ServiceRequestInput:
    """The fields of a POSTed service request, as strings (validated by submit_request)."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    zipcode: str = ""
    description: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    media_urls: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


def _invalid(message: Any, code: str, name: str) -> InvalidInput:
    return InvalidInput(message, code=code, fields={name: [message]})


def _coordinate(value: str, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _invalid(
            _("%(name)s must be a decimal number.") % {"name": name}, "invalid_coordinates", name
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise _invalid(
            _("%(name)s must lie between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
            "invalid_coordinates",
            name,
        )
    return number


def _location(data: ServiceRequestInput, category: ProblemCategory | None) -> tuple[float, float]:
    """The WGS-84 point of the request; every fault of ``long`` and ``lat`` is reported."""
    if data.lat and data.long:
        errors = _Errors()
        lng = errors.check(_coordinate, data.long, "long", -180, 180)
        lat = errors.check(_coordinate, data.lat, "lat", -90, 90)
        errors.raise_any()
        point: tuple[float, float] = point_to_wgs84(lng, lat, fields=("long", "lat"))
        if category is not None:
            try:
                problem_services.route(category, *point)
            except InvalidInput as exc:
                raise _invalid(exc.message, exc.code, "lat") from None
        return point
    if data.lat or data.long:
        raise _invalid(
            _("Send both lat and long (WGS-84)."), "missing_location", "long" if data.lat else "lat"
        )
    if data.address_string or data.address_id:
        raise _invalid(
            _(
                "This server routes requests by their position: send lat and long (WGS-84); "
                "an address alone cannot be placed in a grid."
            ),
            "address_only",
            "lat",
        )
    raise _invalid(_("A location is required: lat and long (WGS-84)."), "missing_location", "lat")


def _check_attribute(attribute: ServiceAttribute, value: Any) -> Any:
    name = f"attribute[{attribute.code}]"
    values = value if isinstance(value, list) else [] if value is None else [value]
    values = [str(v) for v in values if str(v) != ""]
    if not values:
        if attribute.required and attribute.variable:
            raise _invalid(
                _("The attribute %(code)s is required.") % {"code": attribute.code},
                "missing_attribute",
                name,
            )
        return None
    if attribute.datatype == Datatype.MULTIVALUELIST:
        unknown = [v for v in values if v not in attribute.value_keys]
        if unknown:
            raise _invalid(
                _("%(value)s is not a value of %(code)s.")
                % {"value": unknown[0], "code": attribute.code},
                "bad_attribute",
                name,
            )
        return values
    single = values[0]
    if attribute.datatype == Datatype.SINGLEVALUELIST and single not in attribute.value_keys:
        raise _invalid(
            _("%(value)s is not a value of %(code)s.") % {"value": single, "code": attribute.code},
            "bad_attribute",
            name,
        )
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = float(single)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise _invalid(
                _("%(code)s must be a number.") % {"code": attribute.code}, "bad_attribute", name
            )
    if attribute.datatype == Datatype.DATETIME and parse_datetime(single) is None:
        raise _invalid(
            _("%(code)s must be an ISO-8601 date and time.") % {"code": attribute.code},
            "bad_attribute",
            name,
        )
    return single


def _attributes(category: ProblemCategory, given: dict[str, Any]) -> dict[str, Any]:
    if len(given) > MAX_ATTRIBUTES:
        raise _invalid(_("Too many attributes."), "too_many_attributes", "attribute")
    for key, value in given.items():
        values = value if isinstance(value, list) else [value]
        if len(key) > 100 or any(len(str(v)) > MAX_ATTRIBUTE_LENGTH for v in values):
            raise _invalid(_("An attribute value is too long."), "bad_attribute", "attribute")
    clean: dict[str, Any] = {}
    known = attributes_for(category)
    errors = _Errors()
    for attribute in known:
        value = errors.check(_check_attribute, attribute, given.get(attribute.code))
        if value is not None:
            clean[attribute.code] = value
    errors.raise_any()
    # Codes the service does not define (FixMyStreet sends e.g. attribute[uprn]) are kept.
    codes = {a.code for a in known}
    clean.update({k: v for k, v in given.items() if k not in codes})
    return clean


class _Errors:
    """Runs every check of a request and keeps each InvalidInput, so one answer lists all
    the faults of a request instead of the first."""

    def __init__(self) -> None:
        self.fields: dict[str, list[Any]] = {}
        self.found: list[InvalidInput] = []

    def add(self, exc: InvalidInput) -> None:
        self.found.append(exc)
        for name, messages in (exc.fields or {}).items():
            self.fields.setdefault(name, []).extend(messages)

    def check(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except InvalidInput as exc:
            self.add(exc)
            return None

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            count = max(len(self.found), sum(len(m) for m in self.fields.values()))
            raise InvalidInput(
                _("The service request has %(n)s errors.") % {"n": count},
                code="invalid_request",
                fields=self.fields,
            )


def _length(name: str) -> int:
    """The column length of an Open311 request field (its one limit)."""
    return column_length(Open311Request, name)


def _text(value: str, limit: int, name: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise _invalid(
            _("%(name)s is longer than %(limit)s characters.") % {"name": name, "limit": limit},
            "too_long",
            name,
        )
    return value


def _email(value: str) -> str:
    email = _text(value, 254, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _invalid(
                _("The e-mail address is not valid."), "invalid_email", "email"
            ) from None
    return email


def _phone(value: str) -> str:
    phone = _text(value, limits.PHONE, "phone")
    if phone and not all(c.isdigit() or c in "+-() " for c in phone):
        raise _invalid(_("The phone number is not valid."), "invalid_phone", "phone")
    return phone


def _contact(data: ServiceRequestInput) -> dict[str, str]:
    errors = _Errors()
    email = errors.check(_email, data.email)
    phone = errors.check(_phone, data.phone)
    first = errors.check(_text, data.first_name, _length("first_name"), "first_name")
    last = errors.check(_text, data.last_name, _length("last_name"), "last_name")
    errors.raise_any()
    return {
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        "reporter_name": " ".join(p for p in (first, last) if p)[:50],
    }


def _media_urls(urls: Sequence[str]) -> list[str]:
    urls = [u.strip() for u in urls if u.strip()]
    if len(urls) > MAX_MEDIA_URLS:
        raise _invalid(
            _("At most %(n)s media_url values.") % {"n": MAX_MEDIA_URLS},
            "too_many_media",
            "media_url",
        )
    check = URLValidator(schemes=["http", "https"])
    for url in urls:
        try:
            if len(url) > 500:
                raise ValidationError("too long")
            check(url)
        except ValidationError:
            raise _invalid(
                _("media_url must be an http or https URL."), "invalid_media_url", "media_url"
            ) from None
    return urls


def submit_request(
    data: ServiceRequestInput,
    *,
    client: Open311Client,
    files: Sequence[Any] = (),
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> Open311Request:
    """Turn a POSTed service request into a problem (source Open311) plus its Open311 record.

    Raises InvalidInput (400), UnknownService (404) or NotAllowed (revoked client).
    """
    now = now or timezone.now()
    if not client.is_active:
        raise NotAllowed(_("The api_key is not valid."), code="bad_api_key")
    errors = _Errors()
    code = data.service_code.strip()
    category = None
    if not code:
        errors.add(_invalid(_("service_code is required."), "missing_service_code", "service_code"))
    else:
        category = public_categories().filter(code=code).first()
        if category is None:
            raise UnknownService(fields={"service_code": [UnknownService.default_message]})
    location = errors.check(_location, data, category)
    description = strip_tags(errors.check(_text, data.description, MAX_DESCRIPTION, "description") or "")  # fmt: skip
    address = errors.check(_text, data.address_string, limits.ADDRESS, "address_string") or ""
    contact = errors.check(_contact, data) or {}
    attributes = errors.check(_attributes, category, data.attributes) if category else {}
    media_urls = errors.check(_media_urls, data.media_urls) or []
    if len(files) > MAX_UPLOADS:
        errors.add(
            _invalid(
                _("At most %(n)s media files.") % {"n": MAX_UPLOADS}, "too_many_media", "media"
            )
        )
    extra = {
        "device_id": errors.check(_text, data.device_id, _length("device_id"), "device_id"),
        "account_id": errors.check(_text, data.account_id, _length("account_id"), "account_id"),
        "address_id": errors.check(_text, data.address_id, _length("address_id"), "address_id"),
        "zipcode": errors.check(_text, data.zipcode, _length("zipcode"), "zipcode"),
    }
    errors.raise_any()
    lng, lat = location
    token = secrets.token_urlsafe(12)
    with transaction.atomic():
        problem = problem_services.report_problem(
            source=ProblemSource.OPEN311,
            category=category,
            lng=lng,
            lat=lat,
            by=None,
            description=description,
            address=address,
            uploads=[Upload(file=f) for f in files],
            reporter_name=contact["reporter_name"],
            reporter_phone=contact["phone"],
            external_ref=f"open311:{token}",
            now=now,
        )
        record = Open311Request.objects.create(
            problem=problem,
            client=client,
            token=token,
            attributes=attributes,
            media_urls=media_urls,
            email=contact["email"],
            first_name=contact["first_name"],
            last_name=contact["last_name"],
            remote_addr=remote_addr,
            created_at=now,
            **extra,
        )
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return record
