//! Who is calling: the session from the `beseda_session` cookie (HttpOnly, SameSite) or an
//! `Authorization: Bearer` token.

use crate::error::ApiError;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use beseda_domain::accounts::{self, Profile};
use beseda_domain::{App, Error};

pub const SESSION_COOKIE: &str = "beseda_session";

/// The session token the request carries, if any.
pub fn token(parts: &Parts) -> Option<String> {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = auth.strip_prefix("Bearer ")
    {
        return Some(t.trim().to_owned());
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The signed-in user; 401 `unauthenticated` without a live session.
pub struct CurrentUser {
    pub user: Profile,
    pub token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser
where
    App: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = token(parts).ok_or(Error::Unauthenticated)?;
        let user = accounts::session_user(&App::from_ref(state), &token).await?;
        Ok(CurrentUser { user, token })
    }
}

/// The `Set-Cookie` value of a new session; `Secure` when the cabinet is served over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let max_age = accounts::SESSION_DAYS * 86_400;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("beseda_session=; Path=/"))
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("beseda_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut b = axum::http::Request::builder();
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn token_from_cookie_or_bearer() {
        assert_eq!(token(&parts(&[("cookie", "a=1; beseda_session=tok; b=2")])), Some("tok".into()));
        assert_eq!(token(&parts(&[("authorization", "Bearer abc")])), Some("abc".into()));
        assert_eq!(token(&parts(&[("cookie", "beseda_sessionx=tok")])), None);
        let c = session_cookie("t", true);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }
}

/// An action a route requires, as a type, so the route's signature names it.
pub trait Requires: Send + Sync + 'static {
    const ACTION: beseda_domain::access::Action;
}

/// The marker types of [`Requires`], one per action of the permission matrix.
pub mod can {
    use beseda_domain::access::Action;

    macro_rules! actions {
        ($($name:ident),* $(,)?) => {$(
            pub struct $name;
            impl super::Requires for $name {
                const ACTION: Action = Action::$name;
            }
        )*};
    }

    actions!(
        ViewProject,
        EditSettings,
        ViewBilling,
        ManageBilling,
        TransferAdmin,
        ViewJournal,
        ViewDialogs,
        AnswerDialogs,
        ManageIntegrations
    );
}

/// The signed-in member of the project named by the route's `{pid}`, allowed to do `R`.
/// Checked before the body is read: a non-member gets 404, a member without the access 403.
pub struct ProjectMember<R> {
    pub user: Profile,
    pub token: String,
    pub project_id: String,
    pub membership: beseda_domain::projects::Membership,
    _requires: std::marker::PhantomData<R>,
}

impl<S: Send + Sync, R: Requires> FromRequestParts<S> for ProjectMember<R>
where
    App: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser { user, token } = CurrentUser::from_request_parts(parts, state).await?;
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::RouteNotFound)?;
        let project_id =
            params.iter().find(|(k, _)| *k == "pid").map(|(_, v)| v.to_owned()).ok_or(ApiError::RouteNotFound)?;
        let membership =
            beseda_domain::projects::authorize(&App::from_ref(state), &project_id, &user.id, R::ACTION).await?;
        Ok(ProjectMember { user, token, project_id, membership, _requires: std::marker::PhantomData })
    }
}
