//! Moving a project between deployments (the one-server mode and AWS, either way): its
//! export is every item of the table keyed under the project, plus its members' accounts (the
//! profile with its password hash, and the e-mail claim) so that the team logs in on the
//! other side with the same passwords; one JSON item per line. Sessions, sockets and the
//! project's uploaded files stay behind. The file holds password hashes and the project's
//! secrets as stored: keep it as carefully as the data folder.

use crate::{App, Error, Result, keys};
use beseda_ports::table::{Condition, Item, StoreError};

/// Items read per scan page.
const PAGE: usize = 500;
/// Items written per batch on import.
const BATCH: usize = 25;

fn belongs(pk: &str, project_id: &str) -> bool {
    let root = format!("project#{project_id}");
    pk == root || pk.strip_prefix(&root).is_some_and(|rest| rest.starts_with('#'))
}

/// Every item of the project and its members' accounts, in export order.
pub async fn export(app: &App, project_id: &str) -> Result<Vec<Item>> {
    let root = format!("project#{project_id}");
    if app.ports.table.get(&root, "meta").await?.is_none() {
        return Err(Error::NotFound("project"));
    }
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = app.ports.table.scan(&root, after, PAGE).await?;
        items.extend(page.items.into_iter().filter(|i| belongs(&i.pk, project_id)));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let members: Vec<String> =
        items.iter().filter(|i| i.pk == root).filter_map(|i| i.sk.strip_prefix("member#").map(str::to_owned)).collect();
    for user_id in members {
        let (pk, sk) = keys::user(&user_id);
        let Some(profile) = app.ports.table.get(&pk, &sk).await? else { continue };
        let email = profile.body["profile"]["email"].as_str().unwrap_or_default().to_owned();
        let (epk, esk) = keys::email(&email);
        if let Some(claim) = app.ports.table.get(&epk, &esk).await? {
            items.push(claim);
        }
        items.push(profile);
    }
    Ok(items)
}

/// Loads an export. Refused as a whole, before anything is written, when the project exists
/// here already or one of its members' e-mails belongs to another account here; a member
/// whose account exists here (same id) keeps that account as it is.
pub async fn import(app: &App, items: Vec<Item>) -> Result<usize> {
    let project = items
        .iter()
        .find(|i| i.sk == "meta" && i.pk.starts_with("project#"))
        .ok_or_else(|| Error::invalid("file", "no_project", "В файле нет проекта"))?;
    if app.ports.table.get(&project.pk, "meta").await?.is_some() {
        return Err(Error::conflict("project_exists", "Этот проект здесь уже есть"));
    }
    let project_id = project.pk.trim_start_matches("project#").to_owned();
    let mut project_items = Vec::new();
    let mut accounts = Vec::new();
    for item in items {
        if belongs(&item.pk, &project_id) {
            project_items.push(item);
        } else if item.pk.starts_with("user#") || item.pk.starts_with("email#") {
            accounts.push(item);
        } else {
            return Err(Error::invalid("file", "foreign_item", "В файле есть данные другого проекта"));
        }
    }
    for claim in accounts.iter().filter(|i| i.pk.starts_with("email#")) {
        if let Some(here) = app.ports.table.get(&claim.pk, &claim.sk).await?
            && here.body["user_id"] != claim.body["user_id"]
        {
            let email = claim.pk.trim_start_matches("email#");
            return Err(Error::conflict("email_taken", format!("{email} здесь принадлежит другому пользователю")));
        }
    }
    let mut written = 0;
    for account in accounts {
        match app.ports.table.put(account, Condition::NotExists).await {
            Ok(_) => written += 1,
            Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    for batch in project_items.chunks(BATCH) {
        app.ports.table.put_batch(batch.to_vec()).await?;
        written += batch.len();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, NewUser};
    use crate::projects::{self, NewProject};
    use crate::testing;

    #[test]
    fn a_projects_partitions_and_no_others() {
        assert!(belongs("project#p1", "p1"));
        assert!(belongs("project#p1#dialog#d", "p1"));
        assert!(!belongs("project#p10", "p1"));
        assert!(!belongs("project#p10#dialog#d", "p1"));
        assert!(!belongs("user#p1", "p1"));
    }

    #[tokio::test]
    async fn a_project_moves_with_its_team_who_log_in_with_their_passwords() {
        let (from, _, _) = testing::app();
        let owner = accounts::create_user(&from, NewUser { email: "a@x.ru".into(), ..Default::default() }, "password1")
            .await
            .unwrap();
        let new =
            NewProject { name: "Магазин".into(), sphere: None, timezone: None, domains: vec!["x.ru".into()] };
        let project = projects::create(&from, &owner.id, new.clone(), None).await.unwrap();
        let other = projects::create(&from, &owner.id, new, None).await.unwrap();
        let items = export(&from, &project.id).await.unwrap();
        assert!(items.iter().all(|i| !i.pk.contains(&other.id)), "only the exported project");
        assert!(items.iter().any(|i| i.pk == format!("user#{}", owner.id)), "with its members' accounts");

        let (to, _, _) = testing::app();
        let n = import(&to, items.clone()).await.unwrap();
        assert_eq!(n, items.len());
        accounts::login(&to, "a@x.ru", "password1", "ip").await.unwrap();
        let (moved, _) = projects::get(&to, &project.id).await.unwrap();
        assert_eq!(moved.name, "Магазин");
        let again = import(&to, items).await.unwrap_err();
        assert!(matches!(again, Error::Conflict { code: "project_exists", .. }), "{again:?}");
        assert!(matches!(export(&to, "nope").await, Err(Error::NotFound("project"))));
    }
}
