//! Projects (PRODUCT.md §2) and their members (§3): a user may belong to several projects
//! with different accesses in each. Every route of a project asks [`authorize`] first: a
//! non-member learns nothing (404), a member without the access is refused (403).

use crate::access::{Access, Action, allows};
use crate::notify::Groups;
use crate::{App, Error, Result, domains, keys, secrets};
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Project {
    pub id: String,
    /// The company's everyday name, used in the cabinet and in system mails.
    pub name: String,
    pub sphere: String,
    /// The lead journal's times and system mailings use it.
    pub timezone: String,
    pub domains: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// A member of a project: the user, the accesses, the notification groups switched on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Membership {
    pub project_id: String,
    pub user_id: String,
    pub accesses: Vec<Access>,
    pub notifications: Groups,
    pub joined_at: DateTime<Utc>,
}

impl Membership {
    pub fn is_admin(&self) -> bool {
        self.accesses.contains(&Access::Admin)
    }
}

/// The business spheres of §2, a fixed list.
pub const SPHERES: &[(&str, &str)] = &[
    ("retail", "Розничная торговля"),
    ("ecommerce", "Интернет-магазин"),
    ("services", "Услуги для населения"),
    ("beauty", "Красота и здоровье"),
    ("medicine", "Медицина"),
    ("education", "Образование"),
    ("realty", "Недвижимость"),
    ("construction", "Строительство и ремонт"),
    ("auto", "Автомобили"),
    ("travel", "Туризм и отдых"),
    ("food", "Кафе, рестораны, доставка еды"),
    ("finance", "Финансы и страхование"),
    ("b2b", "Услуги для бизнеса"),
    ("manufacturing", "Производство"),
    ("other", "Другое"),
];

pub fn check_timezone(field: &'static str, tz: &str) -> Result<()> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| Error::invalid(field, "invalid_timezone", format!("Неизвестный часовой пояс «{tz}»")))
}

fn check_sphere(sphere: &str) -> Result<()> {
    if SPHERES.iter().any(|(id, _)| *id == sphere) {
        Ok(())
    } else {
        Err(Error::invalid("sphere", "invalid_sphere", "Выберите сферу бизнеса из списка"))
    }
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err(Error::invalid("name", "name_required", "Укажите название проекта")),
        n if n > 100 => Err(Error::invalid("name", "name_too_long", "Название — не длиннее 100 символов")),
        _ => Ok(name.to_owned()),
    }
}

/// The script to paste before `</body>` on every page of the site.
pub fn embed_snippet(public_url: &str, project_id: &str) -> String {
    format!("<script src=\"{public_url}/widget/loader.js\" data-project=\"{project_id}\" async></script>")
}

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

pub(crate) fn member_item(m: &Membership) -> Result<Item> {
    let (pk, sk) = keys::member(&m.project_id, &m.user_id);
    Ok(Item::new(pk, sk, to_json(m)?).with_index(keys::user_projects(&m.user_id), m.project_id.clone()))
}

fn project_item(p: &Project) -> Result<Item> {
    let (pk, sk) = keys::project_meta(&p.id);
    Ok(Item::new(pk, sk, to_json(p)?).with_index(keys::PROJECTS_INDEX, p.id.clone()))
}

#[derive(Debug, Clone, Default)]
pub struct NewProject {
    pub name: String,
    pub sphere: Option<String>,
    pub timezone: Option<String>,
    pub domains: Vec<String>,
}

/// Creates a project whose administrator is its creator. `id` is generated unless given
/// (the local runner's demo project has a fixed one).
pub async fn create(app: &App, creator: &str, new: NewProject, id: Option<&str>) -> Result<Project> {
    let sphere = new.sphere.unwrap_or_else(|| "other".into());
    check_sphere(&sphere)?;
    let timezone = new.timezone.unwrap_or_else(|| crate::accounts::DEFAULT_TIMEZONE.into());
    check_timezone("timezone", &timezone)?;
    let project = Project {
        id: id.map_or_else(secrets::new_id, str::to_owned),
        name: check_name(&new.name)?,
        sphere,
        timezone,
        domains: domains::normalize_all(&new.domains)?,
        created_at: app.now(),
    };
    let admin = Membership {
        project_id: project.id.clone(),
        user_id: creator.to_owned(),
        accesses: vec![Access::Admin],
        notifications: Groups::admin_default(),
        joined_at: app.now(),
    };
    let writes = vec![
        Write::Put { item: project_item(&project)?, condition: Condition::NotExists },
        Write::Put { item: member_item(&admin)?, condition: Condition::NotExists },
    ];
    match app.ports.table.transact(writes).await {
        Ok(()) => Ok(project),
        Err(StoreError::TransactionCancelled) => Err(Error::conflict("project_exists", "Такой проект уже есть")),
        Err(e) => Err(e.into()),
    }
}

pub async fn get(app: &App, project_id: &str) -> Result<(Project, u64)> {
    let (pk, sk) = keys::project_meta(project_id);
    let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::NotFound("project"))?;
    Ok((item.decode()?, item.version))
}

/// The photo of one of the project's operators, which its visitors see in the widget (§1);
/// anyone else's is not found.
pub async fn operator_avatar(app: &App, project_id: &str, user_id: &str) -> Result<beseda_ports::Blob> {
    match membership(app, project_id, user_id).await? {
        Some((m, _)) if m.accesses.contains(&Access::Operator) => crate::accounts::avatar(app, user_id).await,
        _ => Err(Error::NotFound("operator")),
    }
}

pub async fn membership(app: &App, project_id: &str, user_id: &str) -> Result<Option<(Membership, u64)>> {
    let (pk, sk) = keys::member(project_id, user_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => Some((item.decode()?, item.version)),
        None => None,
    })
}

/// The caller's membership if it allows the action: 404 for a non-member (another tenant's
/// project looks like no project), 403 `forbidden` for a member without the access.
pub async fn authorize(app: &App, project_id: &str, user_id: &str, action: Action) -> Result<Membership> {
    let (member, _) = membership(app, project_id, user_id).await?.ok_or(Error::NotFound("project"))?;
    if allows(&member.accesses, action) {
        Ok(member)
    } else {
        Err(Error::forbidden("forbidden", "Недостаточно прав для этого действия"))
    }
}

/// The projects a user belongs to, with the user's accesses in each, newest first.
pub async fn list_for_user(app: &App, user_id: &str) -> Result<Vec<(Project, Membership)>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(keys::user_projects(user_id)).limit(100).after(cursor)).await?;
        for item in &page.items {
            let member: Membership = item.decode()?;
            if let Ok((project, _)) = get(app, &member.project_id).await {
                out.push((project, member));
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    out.sort_by(|a, b| b.0.created_at.cmp(&a.0.created_at));
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct ProjectChanges {
    pub name: Option<String>,
    pub sphere: Option<String>,
    pub timezone: Option<String>,
    pub domains: Option<Vec<String>>,
}

pub async fn update(app: &App, project_id: &str, changes: ProjectChanges) -> Result<Project> {
    let (mut project, version) = get(app, project_id).await?;
    if let Some(name) = changes.name {
        project.name = check_name(&name)?;
    }
    if let Some(sphere) = changes.sphere {
        check_sphere(&sphere)?;
        project.sphere = sphere;
    }
    if let Some(tz) = changes.timezone {
        check_timezone("timezone", &tz)?;
        project.timezone = tz;
    }
    if let Some(list) = changes.domains {
        project.domains = domains::normalize_all(&list)?;
    }
    app.ports.table.put(project_item(&project)?, Condition::Version(version)).await?;
    Ok(project)
}

/// Every member of a project, oldest first.
pub async fn members(app: &App, project_id: &str) -> Result<Vec<(Membership, u64)>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let q = Query::partition(keys::project(project_id)).prefix(keys::MEMBER_PREFIX).limit(200).after(cursor);
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            out.push((item.decode()?, item.version));
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    out.sort_by(|a: &(Membership, u64), b| a.0.joined_at.cmp(&b.0.joined_at));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, NewUser};
    use crate::testing;

    #[tokio::test]
    async fn visitors_see_only_operators_photos() {
        let (app, _, _) = testing::app();
        let anna =
            accounts::create_user(&app, NewUser { email: "anna@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let p =
            create(&app, &anna.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None).await.unwrap();
        let mut png = Vec::new();
        image::RgbImage::new(8, 8).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        accounts::set_avatar(&app, &anna.id, bytes::Bytes::from(png)).await.unwrap();
        assert!(
            matches!(operator_avatar(&app, &p.id, &anna.id).await, Err(Error::NotFound(_))),
            "an administrator without the operator access"
        );
        crate::team::update(&app, &p.id, &anna.id, Some(vec![Access::Admin, Access::Operator]), None).await.unwrap();
        let photo = operator_avatar(&app, &p.id, &anna.id).await.unwrap().bytes;
        assert!(photo.starts_with(b"\xff\xd8") || photo.starts_with(b"\x89PNG"), "the re-encoded photo");
        assert!(matches!(operator_avatar(&app, "other", &anna.id).await, Err(Error::NotFound(_))), "not a member");
    }

    #[tokio::test]
    async fn creator_is_admin_and_others_see_nothing() {
        let (app, _, _) = testing::app();
        let anna =
            accounts::create_user(&app, NewUser { email: "anna@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let boris =
            accounts::create_user(&app, NewUser { email: "boris@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let new = NewProject {
            name: " Ромашка ".into(), domains: vec!["Ромашка.РФ".into()], ..Default::default()
        };
        let p = create(&app, &anna.id, new, None).await.unwrap();
        assert_eq!(p.name, "Ромашка");
        assert_eq!(p.timezone, "Europe/Moscow");
        assert_eq!(p.domains, ["ромашка.рф"]);
        assert!(authorize(&app, &p.id, &anna.id, Action::ManageBilling).await.unwrap().is_admin());
        assert!(matches!(authorize(&app, &p.id, &boris.id, Action::ViewProject).await, Err(Error::NotFound(_))));
        let listed = list_for_user(&app, &anna.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(list_for_user(&app, &boris.id).await.unwrap().is_empty());
        assert!(matches!(
            update(&app, &p.id, ProjectChanges { timezone: Some("Mars/Olympus".into()), ..Default::default() }).await,
            Err(Error::Invalid { code: "invalid_timezone", .. })
        ));
        let changed =
            update(&app, &p.id, ProjectChanges { domains: Some(vec!["*.romashka.ru".into()]), ..Default::default() })
                .await
                .unwrap();
        assert_eq!(changed.domains, ["*.romashka.ru"]);
        assert_eq!(
            embed_snippet("https://chat.example", &p.id),
            format!("<script src=\"https://chat.example/widget/loader.js\" data-project=\"{}\" async></script>", p.id)
        );
    }
}
