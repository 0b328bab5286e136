//! Invitations to a project's team (PRODUCT.md §3; issue 9, finding 7): adding an e-mail that
//! already has an account attaches nothing; it stores an invitation (keyed by the project id,
//! listed for the invited account by an index), mails the person, and the membership exists
//! only once the invited account accepts. An invitation lasts seven days; inviting again
//! replaces it; declining or accepting ends it.

use crate::access::Access;
use crate::notify::{self, Groups, Job};
use crate::projects::{self, Membership, Project, member_item};
use crate::{App, Error, Result};
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long an invitation waits for an answer.
pub const INVITATION_SECS: i64 = 7 * 86_400;

/// A pending invitation as the invited person sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    pub project_id: String,
    pub project_name: String,
    pub accesses: Vec<Access>,
    pub invited_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Invitation {
    /// Whether the invitation can still be answered at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

fn key(project_id: &str, user_id: &str) -> (String, String) {
    (format!("project#{project_id}"), format!("invite#{user_id}"))
}

fn user_index(user_id: &str) -> String {
    format!("user#{user_id}#invites")
}

fn not_found() -> Error {
    Error::NotFound("invitation")
}

/// Invites an existing account to the project with these accesses and mails it; an earlier
/// invitation of the same account to the same project is replaced.
pub(crate) async fn invite(app: &App, project: &Project, user_id: &str, accesses: Vec<Access>) -> Result<()> {
    let now = app.now();
    let invitation = Invitation {
        project_id: project.id.clone(),
        project_name: project.name.clone(),
        accesses,
        invited_at: now,
        expires_at: now + chrono::Duration::seconds(INVITATION_SECS),
    };
    let (pk, sk) = key(&project.id, user_id);
    let body = serde_json::to_value(&invitation).map_err(|e| Error::Internal(e.to_string()))?;
    let item = Item::new(pk, sk, body)
        .with_index(user_index(user_id), project.id.clone())
        .expiring_at(invitation.expires_at.timestamp());
    app.ports.table.put(item, Condition::Always).await?;
    notify::enqueue(app, &Job::Invitation { user_id: user_id.to_owned(), project_name: project.name.clone() }).await
}

/// The account's invitations that can still be answered, newest first.
pub async fn pending(app: &App, user_id: &str) -> Result<Vec<Invitation>> {
    let now = app.now();
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(user_index(user_id)).limit(100).after(cursor)).await?;
        for item in &page.items {
            let invitation: Invitation = item.decode()?;
            if invitation.is_open(now) {
                out.push(invitation);
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    out.sort_by(|a, b| b.invited_at.cmp(&a.invited_at));
    Ok(out)
}

/// The account's own open invitation to the project with its stored version; anyone else's,
/// an answered or an expired one is not found.
async fn load(app: &App, user_id: &str, project_id: &str) -> Result<(Invitation, u64)> {
    let (pk, sk) = key(project_id, user_id);
    let item = app.ports.table.get(&pk, &sk).await?.ok_or_else(not_found)?;
    let invitation: Invitation = item.decode()?;
    if !invitation.is_open(app.now()) {
        return Err(not_found());
    }
    Ok((invitation, item.version))
}

/// Joins the project with the invited accesses; the invitation ends in the same write.
pub async fn accept(app: &App, user_id: &str, project_id: &str) -> Result<Membership> {
    let (invitation, version) = load(app, user_id, project_id).await?;
    match projects::get(app, project_id).await {
        Err(Error::NotFound(_)) => return Err(not_found()),
        other => other?,
    };
    let membership = Membership {
        project_id: project_id.to_owned(),
        user_id: user_id.to_owned(),
        accesses: invitation.accesses,
        notifications: Groups::member_default(),
        joined_at: app.now(),
    };
    let (pk, sk) = key(project_id, user_id);
    let writes = vec![
        Write::Delete { pk, sk, condition: Condition::Version(version) },
        Write::Put { item: member_item(&membership)?, condition: Condition::NotExists },
    ];
    match app.ports.table.transact(writes).await {
        Ok(()) => Ok(membership),
        Err(StoreError::TransactionCancelled) => match projects::membership(app, project_id, user_id).await? {
            Some(_) => Err(Error::conflict("already_member", "Вы уже в команде этого проекта")),
            None => Err(not_found()),
        },
        Err(e) => Err(e.into()),
    }
}

/// Refuses the invitation; nothing else changes.
pub async fn decline(app: &App, user_id: &str, project_id: &str) -> Result<()> {
    let (_, version) = load(app, user_id, project_id).await?;
    let (pk, sk) = key(project_id, user_id);
    match app.ports.table.delete(&pk, &sk, Condition::Version(version)).await {
        Ok(()) => Ok(()),
        Err(StoreError::ConditionFailed) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, NewUser};
    use crate::projects::NewProject;
    use crate::team::{self, NewMember};
    use crate::testing;
    use beseda_ports::queue::NOTIFICATIONS;
    use std::time::Duration;

    #[test]
    fn an_invitation_is_open_for_seven_days() {
        let at = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let invitation = Invitation {
            project_id: "p".into(),
            project_name: "Ромашка".into(),
            accesses: vec![Access::Operator],
            invited_at: at,
            expires_at: at + chrono::Duration::seconds(INVITATION_SECS),
        };
        assert!(invitation.is_open(at + chrono::Duration::days(6)));
        assert!(!invitation.is_open(at + chrono::Duration::days(7)));
    }

    struct World {
        app: App,
        clock: std::sync::Arc<beseda_ports::FixedClock>,
        project: String,
        ann: String,
        bob: String,
    }

    async fn world() -> World {
        let (app, clock, _) = testing::app();
        let user = |email: &'static str| {
            let app = app.clone();
            async move {
                let new = NewUser { email: email.into(), first_name: "Имя".into(), ..Default::default() };
                accounts::create_user(&app, new, "password1").await.unwrap().id
            }
        };
        let owner = user("owner@x.ru").await;
        let ann = user("ann@x.ru").await;
        let bob = user("bob@x.ru").await;
        let new = NewProject { name: "Ромашка".into(), ..Default::default() };
        let project = projects::create(&app, &owner, new, None).await.unwrap().id;
        World { app, clock, project, ann, bob }
    }

    async fn invite_ann(w: &World, accesses: Vec<Access>) -> team::Added {
        team::add(&w.app, &w.project, NewMember { email: "ann@x.ru".into(), accesses, ..Default::default() })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_existing_account_is_invited_and_joins_only_on_accept() {
        let w = world().await;
        let added = invite_ann(&w, vec![Access::Operator]).await;
        assert!(added.invited);
        assert!(projects::membership(&w.app, &w.project, &w.ann).await.unwrap().is_none(), "not attached");
        let queued = w.app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::ZERO).await.unwrap();
        let job: Job = serde_json::from_str(&queued[0].body).unwrap();
        assert_eq!(job, Job::Invitation { user_id: w.ann.clone(), project_name: "Ромашка".into() });

        invite_ann(&w, vec![Access::Analytics]).await;
        let open = pending(&w.app, &w.ann).await.unwrap();
        assert_eq!(open.len(), 1, "inviting again replaces");
        assert_eq!(open[0].accesses, [Access::Analytics]);
        assert!(pending(&w.app, &w.bob).await.unwrap().is_empty());

        assert!(matches!(accept(&w.app, &w.bob, &w.project).await, Err(Error::NotFound(_))), "not Bob's");
        assert!(projects::membership(&w.app, &w.project, &w.bob).await.unwrap().is_none());
        let joined = accept(&w.app, &w.ann, &w.project).await.unwrap();
        assert_eq!(joined.accesses, [Access::Analytics]);
        assert!(projects::membership(&w.app, &w.project, &w.ann).await.unwrap().is_some());
        assert!(matches!(accept(&w.app, &w.ann, &w.project).await, Err(Error::NotFound(_))), "accepted once");
        assert!(pending(&w.app, &w.ann).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn declined_and_expired_invitations_cannot_be_accepted() {
        let w = world().await;
        invite_ann(&w, vec![Access::Operator]).await;
        decline(&w.app, &w.ann, &w.project).await.unwrap();
        assert!(matches!(accept(&w.app, &w.ann, &w.project).await, Err(Error::NotFound(_))));
        assert!(matches!(decline(&w.app, &w.ann, &w.project).await, Err(Error::NotFound(_))));

        invite_ann(&w, vec![Access::Operator]).await;
        w.clock.advance(chrono::Duration::seconds(INVITATION_SECS));
        assert!(pending(&w.app, &w.ann).await.unwrap().is_empty());
        assert!(matches!(accept(&w.app, &w.ann, &w.project).await, Err(Error::NotFound(_))), "expired");
        assert!(projects::membership(&w.app, &w.project, &w.ann).await.unwrap().is_none());
    }
}
