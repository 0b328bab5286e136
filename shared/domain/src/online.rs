//! The online-operator set of a project, kept in one item (`project#<id>` / `online`) beside
//! each operator's presence, so the widget learns who is online with one read however large
//! the team. Going online or offline updates both; a project whose set was never written
//! (data from before the set existed) has it built once from the presence items.

use crate::{App, Error, Result, accounts, dialogs, keys};
use beseda_ports::table::{Condition, Item, Query, StoreError};
use serde::{Deserialize, Serialize};

/// An operator in the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Online {
    pub user_id: String,
    /// The name the widget greets with.
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Set {
    /// In the order they went online.
    operators: Vec<Online>,
}

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

/// The set as stored, with its version; built from the presence items when never written.
async fn load(app: &App, project_id: &str) -> Result<(Set, Option<u64>)> {
    let (pk, sk) = keys::online(project_id);
    if let Some(item) = app.ports.table.get(&pk, &sk).await? {
        return Ok((item.decode()?, Some(item.version)));
    }
    let page = app.ports.table.query(Query::partition(&pk).prefix(keys::PRESENCE_PREFIX).limit(500)).await?;
    let operators = page
        .items
        .iter()
        .filter(|i| i.body["online"].as_bool() == Some(true))
        .map(|i| Online { user_id: i.sk.trim_start_matches(keys::PRESENCE_PREFIX).to_owned(), name: String::new() })
        .collect();
    Ok((Set { operators }, None))
}

/// Puts the operator into the set (with the name of their profile) or takes them out.
pub async fn set(app: &App, project_id: &str, user_id: &str, online: bool) -> Result<()> {
    let name = if online {
        accounts::get_profile(app, user_id).await.map(|p| dialogs::display_name(&p)).unwrap_or_default()
    } else {
        String::new()
    };
    let (pk, sk) = keys::online(project_id);
    for _ in 0..5 {
        let (mut set, version) = load(app, project_id).await?;
        set.operators.retain(|o| o.user_id != user_id);
        if online {
            set.operators.push(Online { user_id: user_id.to_owned(), name: name.clone() });
        }
        let item = Item::new(pk.clone(), sk.clone(), to_json(&set)?);
        match app.ports.table.put(item, version.map_or(Condition::NotExists, Condition::Version)).await {
            Ok(_) => return Ok(()),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::conflict("busy", "the online set kept changing"))
}

/// The operators online now, as read at most a few seconds ago.
pub async fn recent(app: &App, project_id: &str) -> Result<Vec<Online>> {
    let (pk, sk) = keys::online(project_id);
    match app.ports.recent.get_recent(&pk, &sk).await? {
        Some(item) => Ok(item.decode::<Set>()?.operators),
        None => Ok(load(app, project_id).await?.0.operators),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::app;

    #[tokio::test]
    async fn operators_go_online_in_order_and_offline_and_a_missing_set_is_built_from_presence() {
        let (app, _, _) = app();
        assert!(recent(&app, "p1").await.unwrap().is_empty());
        set(&app, "p1", "u1", true).await.unwrap();
        set(&app, "p1", "u2", true).await.unwrap();
        set(&app, "p1", "u1", true).await.unwrap();
        let ids: Vec<String> = recent(&app, "p1").await.unwrap().into_iter().map(|o| o.user_id).collect();
        assert_eq!(ids, ["u2", "u1"]);
        set(&app, "p1", "u2", false).await.unwrap();
        assert_eq!(recent(&app, "p1").await.unwrap(), [Online { user_id: "u1".into(), name: String::new() }]);
        assert!(recent(&app, "p2").await.unwrap().is_empty(), "another project's set is its own");

        let presence = Item::new("project#p3", "presence#u9", serde_json::json!({ "online": true }));
        app.ports.table.put(presence, Condition::Always).await.unwrap();
        assert_eq!(recent(&app, "p3").await.unwrap(), [Online { user_id: "u9".into(), name: String::new() }]);
    }
}
