//! Every key of the single table, in one place. Keys of anything that belongs to a project
//! start with `project#<id>`, so no query of one project can reach another's items.

/// (pk, sk) of an item.
pub type Key = (String, String);

pub fn user(user_id: &str) -> Key {
    (format!("user#{user_id}"), "profile".into())
}

/// The claim on an e-mail address that keeps logins unique.
pub fn email(email: &str) -> Key {
    (format!("email#{email}"), "user".into())
}

pub fn session(token_hash: &str) -> Key {
    (format!("session#{token_hash}"), "session".into())
}

pub fn login_failures(subject: &str) -> Key {
    (format!("loginfail#{subject}"), "window".into())
}

/// The partition that lists users, for the first-start check and the admin CLI.
pub const USERS_INDEX: &str = "users";

pub fn connection(connection_id: &str) -> Key {
    (format!("conn#{connection_id}"), "conn".into())
}

/// The index partition of a user's open sockets.
pub fn user_connections(user_id: &str) -> String {
    format!("user#{user_id}#conns")
}

/// The index partition of a visitor's open sockets.
pub fn visitor_connections(project_id: &str, visitor_id: &str) -> String {
    format!("project#{project_id}#visitor#{visitor_id}#conns")
}

/// The index partition of the operator sockets that follow a project's dialogs.
pub fn operator_connections(project_id: &str) -> String {
    format!("project#{project_id}#operators#conns")
}
