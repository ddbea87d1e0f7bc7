"""Signing in and out, the second factor, the account's own sign-in security page, unlocking an account, and
the CoC's rule of which roles need a second factor (hearth.signin; docs/adr/0014-sign-in-and-sessions.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import NotFound
from hearth.access.roles import ROLES, Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.hmis.models import Continuum
from hearth.signin import conf, passkeys, policy, recovery, sessions, throttle, totp
from hearth.signin.models import Passkey
from hearth.web.views.people import _account, _require_manager

# The password was right; the second factor is still to come: {"user": id, "at": ISO time, "next": path}.
PENDING = "hearth.pending_signin"
# Recovery codes made on this request, shown once on the next page.
FRESH_CODES = "hearth.fresh_recovery_codes"

WRONG = (
    "That username and password did not match, or the account is locked after repeated failed sign-ins. "
    "Try again, or ask your agency administrator."
)


def _me(request: HttpRequest) -> Any:
    return request.user


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _account_named(username: str) -> Any:
    try:
        return get_user_model()._default_manager.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        return None


def _refused_page(request: HttpRequest, refusal: throttle.Refusal, context: dict[str, Any]) -> HttpResponse:
    if refusal.reason == "address":
        until = date_format(timezone.localtime(refusal.until), "g:i A") if refusal.until else ""
        context["error"] = f"Too many failed sign-ins from this network. Try again after {until}."
        return render(request, "registration/login.html", context, status=429)
    context["error"] = WRONG
    return render(request, "registration/login.html", context)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next(request))
    context: dict[str, Any] = {"next": request.POST.get("next") or request.GET.get("next") or ""}
    if request.method == "GET":
        return render(request, "registration/login.html", context)
    username = request.POST.get("username", "").strip()[:150]
    password = request.POST.get("password", "")
    context["username"] = username
    if not username or not password:
        context["error"] = "Enter your username and password."
        return render(request, "registration/login.html", context, status=400)
    ip = _ip(request)
    refused = throttle.refusal(username=username, ip=ip)
    if refused is not None:
        account = _account_named(username)
        Actor(user=account, name=account.get_username() if account else throttle.UNKNOWN_ACCOUNT, ip=ip).record(
            "signin.refused", object_type="User", object_id=account.pk if account else "", reason=refused.reason
        )
        return _refused_page(request, refused, context)
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.record_failure(username=username, ip=ip, account=_account_named(username), stage="password")
        refused = throttle.refusal(username=username, ip=ip)
        if refused is not None and refused.reason == "address":
            return _refused_page(request, refused, context)
        context["error"] = WRONG
        return render(request, "registration/login.html", context)
    if policy.has_second_factor(user):
        # A new session key for the half-signed-in state too: a key planted before sign-in is worth nothing.
        request.session.cycle_key()
        request.session[PENDING] = {"user": user.pk, "at": timezone.now().isoformat(), "next": _next(request)}
        return redirect("web:signin-verify")
    throttle.record_success(username=username)
    must_enrol = policy.required_for(user)
    sessions.begin(request, user, method="password", must_enrol=must_enrol)
    if must_enrol:
        messages.info(request, "Your role requires a second step at sign-in. Set one up to go on.")
        return redirect("web:security")
    return redirect(_next(request))


def _pending(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if pending is None:
        return None
    if timezone.now() - dt.datetime.fromisoformat(pending["at"]) > conf.pending_timeout():
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return None if user is None else (user, pending)


def _complete(request: HttpRequest, user: Any, pending: dict[str, Any], method: str) -> str:
    request.session.pop(PENDING, None)
    throttle.record_success(username=user.get_username())
    sessions.begin(request, user, method=method)
    return str(pending["next"])


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, a security key, or a recovery code."""
    found = _pending(request)
    if found is None:
        messages.info(request, "Sign in again: the second step has to follow the password within 5 minutes.")
        return redirect("web:login")
    user, pending = found
    method = request.POST.get("method") or request.GET.get("method") or ""
    has_app, has_key = totp.has_app(user), passkeys.has_passkey(user)
    if method not in {"app", "recovery"}:
        method = "app" if has_app else ""
    context: dict[str, Any] = {"method": method, "has_app": has_app, "has_key": has_key}
    if request.method == "GET" or method == "":
        return render(request, "web/signin/verify.html", context)
    ip = _ip(request)
    refused = throttle.refusal(username=user.get_username(), ip=ip)
    if refused is None:
        code = request.POST.get("code", "")
        actor = Actor(user=user, name=user.get_username(), ip=ip)
        right = totp.verify(user=user, code=code) if method == "app" else recovery.use(user=user, code=code, by=actor)
        if right:
            return redirect(_complete(request, user, pending, "totp" if method == "app" else "recovery"))
        throttle.record_failure(username=user.get_username(), ip=ip, account=user, stage=method)
        refused = throttle.refusal(username=user.get_username(), ip=ip)
    if refused is not None:
        request.session.pop(PENDING, None)
        messages.error(request, WRONG if refused.reason == "account" else "Too many failed sign-ins from this network.")
        return redirect("web:login")
    context["error"] = "That code is not right. Codes change every 30 seconds; use the newest one."
    if method == "recovery":
        context["error"] = "That recovery code is not right or was used already."
    return render(request, "web/signin/verify.html", context, status=400)


@never_cache
@require_POST
def verify_passkey_options(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None or not passkeys.has_passkey(found[0]):
        return JsonResponse({"error": "Sign in again."}, status=400)
    return HttpResponse(passkeys.authentication_options(request, found[0]), content_type="application/json")


@never_cache
@require_POST
def verify_passkey(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None:
        return JsonResponse({"error": "Sign in again.", "redirect": resolve_url("web:login")}, status=400)
    user, pending = found
    ip = _ip(request)
    if throttle.refusal(username=user.get_username(), ip=ip) is None:
        if passkeys.authenticate(request=request, user=user, credential=request.body.decode("utf-8", "replace")):
            return JsonResponse({"redirect": _complete(request, user, pending, "passkey")})
        throttle.record_failure(username=user.get_username(), ip=ip, account=user, stage="passkey")
    if throttle.refusal(username=user.get_username(), ip=ip) is not None:
        request.session.pop(PENDING, None)
        return JsonResponse({"error": WRONG, "redirect": resolve_url("web:login")}, status=400)
    return JsonResponse({"error": "The security key's answer was not accepted. Try again."}, status=400)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        sessions.end_current(request, reason=sessions.SIGNED_OUT)
    return redirect("web:login")


# --- The account's own sign-in security -------------------------------------------------------------------


def _security_context(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "has_app": totp.has_app(user),
        "keys": Passkey.objects.filter(user_id=user.pk).order_by("created_at"),
        "codes_left": recovery.remaining(user),
        "required": policy.required_for(user),
        "must_enrol": sessions.must_enrol(request),
        "fresh_codes": request.session.pop(FRESH_CODES, None),
    }


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "web/signin/security.html", _security_context(request))


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def security_password(request: HttpRequest) -> HttpResponse:
    """Change one's password (the old one first; the new one checked by every validator: 12+ characters, not
    common, not breached). The account's other sessions end; this one continues under a new key."""
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            update_session_auth_hash(request, form.user)
            by = Actor.from_request(request)
            by.record("account.password_changed", object_type="User", object_id=user.pk)
            current = request.session.get(sessions.SIGNED_IN, {}).get("id")
            sessions.end_other_sessions(user, keep=current, reason="password_changed", by=by)
            messages.success(request, "Your password is changed. You stay signed in here; other sessions ended.")
            return redirect("web:security")
        if "old_password" in form.errors:
            throttle.record_failure(
                username=user.get_username(), ip=_ip(request), account=user, stage="confirm password"
            )
    return render(request, "web/signin/password.html", {"form": form}, status=400 if form.errors else 200)


def _after_first_factor(request: HttpRequest, by: Actor) -> None:
    """A second factor is in force: the account's pages open, and recovery codes exist (shown once)."""
    sessions.enrolled(request)
    if recovery.remaining(request.user) == 0:
        request.session[FRESH_CODES] = recovery.make_codes(user=request.user, by=by)


@sensitive_post_parameters("code")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def security_app(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if totp.has_app(request.user):
        return redirect("web:security")
    device = totp.start_enrolment(user=request.user)
    context: dict[str, Any] = {
        "qr": totp.qr_svg_data_uri(device),
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
    }
    if request.method == "POST":
        by = Actor.from_request(request)
        if totp.confirm(device=device, code=request.POST.get("code", ""), by=by):
            _after_first_factor(request, by)
            messages.success(request, "Your authenticator app is set up. You will be asked for a code at sign-in.")
            return redirect("web:security")
        context["error"] = "That code is not right. Check the time on your phone and type the newest code."
        return render(request, "web/signin/app.html", context, status=400)
    return render(request, "web/signin/app.html", context)


def _password_confirmed(request: HttpRequest) -> bool:
    """Removing a factor or making new codes asks for the password again; wrong answers count as failures."""
    user: Any = request.user
    if user.check_password(request.POST.get("password", "")):
        return True
    throttle.record_failure(username=user.get_username(), ip=_ip(request), account=user, stage="confirm password")
    return False


def _may_drop_factor(request: HttpRequest, *, keeping: int) -> bool:
    """A role that requires a second factor keeps at least one."""
    return keeping > 0 or not policy.required_for(request.user)


@sensitive_post_parameters("password")
@login_required
@require_POST
def security_app_remove(request: HttpRequest) -> HttpResponse:
    if not _password_confirmed(request):
        messages.error(request, "That password is not right; nothing was changed.")
    elif not _may_drop_factor(request, keeping=Passkey.objects.filter(user=_me(request)).count()):
        messages.error(request, "Your role requires a second step at sign-in: add a security key first.")
    else:
        totp.remove(user=request.user, by=Actor.from_request(request))
        messages.success(request, "The authenticator app was removed.")
    return redirect("web:security")


@login_required
@require_POST
def security_passkey_options(request: HttpRequest) -> HttpResponse:
    return HttpResponse(passkeys.registration_options(request, request.user), content_type="application/json")


@login_required
@require_POST
def security_passkey_add(request: HttpRequest) -> HttpResponse:
    by = Actor.from_request(request)
    name = unquote(request.headers.get("X-Passkey-Name", ""))
    try:
        credential = request.body.decode("utf-8", "replace")
        passkeys.register(request=request, user=request.user, credential=credential, name=name, by=by)
    except passkeys.PasskeyError as error:
        return JsonResponse({"error": str(error)}, status=400)
    _after_first_factor(request, by)
    messages.success(request, "Your security key is added. You may use it when you sign in.")
    return JsonResponse({"redirect": resolve_url("web:security")})


@sensitive_post_parameters("password")
@login_required
@require_POST
def security_passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    mine = Passkey.objects.filter(user=_me(request))
    keeping = int(totp.has_app(request.user)) + mine.exclude(pk=passkey_id).count()
    if not mine.filter(pk=passkey_id).exists():
        raise NotFound("security key")
    if not _password_confirmed(request):
        messages.error(request, "That password is not right; nothing was changed.")
    elif not _may_drop_factor(request, keeping=keeping):
        messages.error(request, "Your role requires a second step at sign-in: keep at least one.")
    else:
        passkeys.remove(user=request.user, passkey_id=passkey_id, by=Actor.from_request(request))
        messages.success(request, "The security key was removed.")
    return redirect("web:security")


@sensitive_post_parameters("password")
@login_required
@require_POST
def security_recovery(request: HttpRequest) -> HttpResponse:
    if not policy.has_second_factor(request.user):
        return redirect("web:security")
    if not _password_confirmed(request):
        messages.error(request, "That password is not right; no new codes were made.")
    else:
        request.session[FRESH_CODES] = recovery.make_codes(user=request.user, by=Actor.from_request(request))
    return redirect("web:security")


# --- Administrators -------------------------------------------------------------------------------------


@login_required
@require_POST
def person_unlock(request: HttpRequest, account_id: int) -> HttpResponse:
    """An agency administrator or the HMIS Lead lifts a lock after failed sign-ins (audited)."""
    _require_manager(request.user)
    account = _account(request.user, account_id)
    if throttle.unlock(account=account, by=Actor.from_request(request)):
        messages.success(request, f"{account.get_username()} may sign in again.")
    return redirect("web:person", account_id=account.pk)


@login_required
@require_POST
def person_reset_second_factor(request: HttpRequest, account_id: int) -> HttpResponse:
    """The person lost their phone or key and their recovery codes: their administrator removes the second
    step (audited; their sessions end), and they set it up again."""
    _require_manager(request.user)
    account = _account(request.user, account_id)
    if account.pk != request.user.pk and policy.reset_second_factor(account=account, by=Actor.from_request(request)):
        messages.success(
            request, f"{account.get_username()} signs in with the password only until they set up a second step again."
        )
    return redirect("web:person", account_id=account.pk)


def _managed_continuum(user: Any, continuum_id: int) -> Continuum:
    if not (user.is_superuser or continuum_id in reach(user, Permission.MANAGE_CONTINUUM).continuums):
        raise NotFound("CoC")
    continuum = Continuum.objects.filter(pk=continuum_id).first()
    if continuum is None:
        raise NotFound("CoC")
    return continuum


@login_required
@require_http_methods(["GET", "POST"])
def signin_policy(request: HttpRequest, continuum_id: int) -> HttpResponse:
    """The HMIS Lead's rule: which roles sign in with a second factor in this CoC."""
    continuum = _managed_continuum(request.user, continuum_id)
    if request.method == "POST":
        chosen = {role for role in request.POST.getlist("roles") if role in ROLES}
        policy.set_required_roles(continuum=continuum, roles=chosen, by=Actor.from_request(request))
        messages.success(request, "Saved. Accounts of the roles chosen set up a second step at their next sign-in.")
        return redirect("web:signin-policy", continuum_id=continuum.pk)
    required = policy.required_roles(continuum)
    lockout = conf.lockout_duration()
    roles = [(role, role.slug in required) for role in ROLES.values()]
    context = {
        "continuum": continuum,
        "roles": roles,
        "idle_minutes": int(conf.idle_timeout().total_seconds() // 60),
        "lifetime_hours": conf.session_lifetime() / dt.timedelta(hours=1),
        "max_sessions": conf.max_sessions(),
        "lockout_failures": conf.lockout_failures(),
        "lockout_minutes": int(lockout.total_seconds() // 60) if lockout else 0,
        "inactive_days": conf.inactive_days(),
    }
    return render(request, "web/signin/policy.html", context)
