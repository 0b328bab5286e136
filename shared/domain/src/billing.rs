//! Tariffs, the trial and the balance (PRODUCT.md §5). The project has a balance kept as a
//! ledger; «Подключить» charges the tariff's price when the balance covers it; the trial lasts
//! 7 days once per project; a scheduled job ends what has expired. Only the administrator does
//! any of it (the routes ask for `Action::ManageBilling`).

use crate::notify::{Group, TariffEvent, Template};
use crate::projects::{self, Project};
use crate::{App, Error, Result, keys, secrets, team};
use beseda_ports::table::{Condition, Item, Query, Write};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const TRIAL_DAYS: i64 = 7;
pub const PERIOD_DAYS: i64 = 30;
/// The index partition of trials and tariffs, sorted by when they end.
const EXPIRING: &str = "billing#expiring";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Start,
    Pro,
    ProPlus,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tariff {
    pub id: Plan,
    pub name: &'static str,
    /// The monthly price; for Pro+ the price of its smallest volume (10 000 visitors).
    pub price_rub: i64,
    pub visitors_limit: Option<u32>,
    pub site_chat: bool,
    pub description: &'static str,
}

pub fn catalogue() -> Vec<Tariff> {
    vec![
        Tariff {
            id: Plan::Start,
            name: "Start",
            price_rub: 2_500,
            visitors_limit: None,
            site_chat: false,
            description: "Без чата на сайте; неограниченное число операторов; WhatsApp, Telegram, Viber, VK, OK, Авито",
        },
        Tariff {
            id: Plan::Pro,
            name: "Pro",
            price_rub: 3_500,
            visitors_limit: Some(5_000),
            site_chat: true,
            description: "До 5 000 посетителей сайта в месяц; неограниченное число операторов; мессенджеры и чат на сайте",
        },
        Tariff {
            id: Plan::ProPlus,
            name: "Pro+",
            price_rub: price(Plan::ProPlus, Some(10_000)),
            visitors_limit: None,
            site_chat: true,
            description: "Больше 5 000 посетителей в месяц: 3 500 ₽ и 500 ₽ за каждую следующую тысячу",
        },
    ]
}

/// The monthly price: Pro+ is 3 500 ₽ plus 500 ₽ for every started thousand over 5 000.
pub const fn price(plan: Plan, visitors: Option<u32>) -> i64 {
    match plan {
        Plan::Start => 2_500,
        Plan::Pro => 3_500,
        Plan::ProPlus => {
            let v = match visitors {
                Some(v) if v > 5_000 => v,
                _ => 10_000,
            };
            3_500 + 500 * ((v as i64 - 5_000 + 999) / 1_000)
        }
    }
}

fn plan_name(plan: Plan) -> &'static str {
    match plan {
        Plan::Start => "Start",
        Plan::Pro => "Pro",
        Plan::ProPlus => "Pro+",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = TariffStatus)]
pub enum Status {
    None,
    Trial,
    Active,
    Expired,
}

/// The stored billing state of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub balance_rub: i64,
    pub plan: Option<Plan>,
    pub visitors: Option<u32>,
    pub status: Status,
    pub started_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub trial_used: bool,
}

impl Default for Account {
    fn default() -> Self {
        Self {
            balance_rub: 0,
            plan: None,
            visitors: None,
            status: Status::None,
            started_at: None,
            expires_at: None,
            trial_used: false,
        }
    }
}

impl Account {
    /// The status as of `now`: a trial or tariff past its end is expired even before the job ran.
    pub fn status_at(&self, now: DateTime<Utc>) -> Status {
        match (self.status, self.expires_at) {
            (Status::Trial | Status::Active, Some(end)) if end <= now => Status::Expired,
            (s, _) => s,
        }
    }

    /// When a tariff connected now starts its paid period: at the end of a running trial (the
    /// trial's days are not lost), else at once.
    pub fn paid_from(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match (self.status_at(now), self.expires_at) {
            (Status::Trial, Some(end)) => end,
            _ => now,
        }
    }

    /// Whether the site chat works now: the trial, Pro and Pro+ include it, Start does not.
    pub fn site_chat(&self, now: DateTime<Utc>) -> bool {
        match self.status_at(now) {
            Status::Trial => true,
            Status::Active => matches!(self.plan, Some(Plan::Pro | Plan::ProPlus)),
            Status::None | Status::Expired => false,
        }
    }

    /// Whether the messengers work now: on every tariff and the trial.
    pub fn messengers(&self, now: DateTime<Utc>) -> bool {
        matches!(self.status_at(now), Status::Trial | Status::Active)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrialBlocker {
    /// The project has no site domain (a project without a site may use e.g. test.com).
    NoDomain,
    TrialUsed,
    TariffActive,
}

/// What keeps the trial from starting now.
pub fn trial_blockers(project: &Project, account: &Account, now: DateTime<Utc>) -> Vec<TrialBlocker> {
    let mut out = Vec::new();
    if project.domains.is_empty() {
        out.push(TrialBlocker::NoDomain);
    }
    if account.trial_used {
        out.push(TrialBlocker::TrialUsed);
    }
    if matches!(account.status_at(now), Status::Trial | Status::Active) {
        out.push(TrialBlocker::TariffActive);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    TopUp,
    Charge,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LedgerEntry {
    pub at: DateTime<Utc>,
    pub kind: LedgerKind,
    /// Positive for a top-up, negative for a charge.
    pub amount_rub: i64,
    pub note: String,
}

pub async fn load(app: &App, project_id: &str) -> Result<(Account, Option<u64>)> {
    let (pk, sk) = keys::billing(project_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (Account::default(), None),
    })
}

pub async fn ledger(app: &App, project_id: &str) -> Result<Vec<LedgerEntry>> {
    let q = Query::partition(keys::project(project_id)).prefix(keys::LEDGER_PREFIX).descending().limit(100);
    app.ports.table.query(q).await?.items.iter().map(|i| i.decode().map_err(Error::from)).collect()
}

fn account_item(project_id: &str, account: &Account) -> Result<Item> {
    let (pk, sk) = keys::billing(project_id);
    let body = serde_json::to_value(account).map_err(|e| Error::Internal(e.to_string()))?;
    let item = Item::new(pk, sk, body);
    Ok(match (account.status, account.expires_at) {
        (Status::Trial | Status::Active, Some(end)) => {
            item.with_index(EXPIRING, format!("{}#{project_id}", end.to_rfc3339()))
        }
        _ => item,
    })
}

/// Writes the new account state (and a ledger entry) if nobody changed it meanwhile.
async fn save(
    app: &App,
    project_id: &str,
    account: &Account,
    version: Option<u64>,
    entry: Option<LedgerEntry>,
) -> Result<()> {
    let condition = version.map_or(Condition::NotExists, Condition::Version);
    let mut writes = vec![Write::Put { item: account_item(project_id, account)?, condition }];
    if let Some(entry) = entry {
        let sk = keys::ledger(&entry.at, &secrets::new_id());
        let body = serde_json::to_value(&entry).map_err(|e| Error::Internal(e.to_string()))?;
        writes
            .push(Write::Put { item: Item::new(keys::project(project_id), sk, body), condition: Condition::NotExists });
    }
    app.ports.table.transact(writes).await?;
    Ok(())
}

async fn tell(app: &App, project: &Project, event: TariffEvent, account: &Account) -> Result<()> {
    let tariff = account.plan.map_or("пробный период", plan_name);
    let tariff = if account.status == Status::Trial { "пробный период" } else { tariff };
    let until = account.expires_at.map(|t| t.format("%d.%m.%Y").to_string());
    let template = Template::Tariff { project_name: project.name.clone(), event, tariff: tariff.to_owned(), until };
    team::notify_group(app, &project.id, Group::Services, template).await
}

pub async fn top_up(app: &App, project_id: &str, amount_rub: i64) -> Result<Account> {
    if !(1..=1_000_000).contains(&amount_rub) {
        return Err(Error::invalid("amount_rub", "invalid_amount", "Сумма пополнения — от 1 до 1 000 000 ₽"));
    }
    let (mut account, version) = load(app, project_id).await?;
    account.balance_rub += amount_rub;
    let entry = LedgerEntry {
        at: app.now(), kind: LedgerKind::TopUp, amount_rub, note: "Пополнение баланса".into()
    };
    save(app, project_id, &account, version, Some(entry)).await?;
    Ok(account)
}

pub async fn start_trial(app: &App, project_id: &str) -> Result<Account> {
    let (project, _) = projects::get(app, project_id).await?;
    let (mut account, version) = load(app, project_id).await?;
    let now = app.now();
    if let Some(blocker) = trial_blockers(&project, &account, now).first() {
        let message = match blocker {
            TrialBlocker::NoDomain => {
                "Сначала укажите домен сайта в основных настройках (если сайта нет — любой, например test.com)"
            }
            TrialBlocker::TrialUsed => "Пробный период уже был использован",
            TrialBlocker::TariffActive => "Тариф уже подключён",
        };
        return Err(Error::conflict("trial_unavailable", message));
    }
    account = Account {
        plan: Some(Plan::Pro),
        visitors: None,
        status: Status::Trial,
        started_at: Some(now),
        expires_at: Some(now + Duration::days(TRIAL_DAYS)),
        trial_used: true,
        ..account
    };
    save(app, project_id, &account, version, None).await?;
    tell(app, &project, TariffEvent::Connected, &account).await?;
    Ok(account)
}

fn charge(account: &mut Account, price_rub: i64, now: DateTime<Utc>, note: String) -> Result<LedgerEntry> {
    if account.balance_rub < price_rub {
        return Err(Error::conflict(
            "insufficient_balance",
            format!("На балансе {} ₽, нужно {} ₽: пополните баланс", account.balance_rub, price_rub),
        ));
    }
    account.balance_rub -= price_rub;
    Ok(LedgerEntry { at: now, kind: LedgerKind::Charge, amount_rub: -price_rub, note })
}

/// Connects a tariff at once when the balance covers its price; its paid period starts when a
/// running trial ends.
pub async fn connect(app: &App, project_id: &str, plan: Plan, visitors: Option<u32>) -> Result<Account> {
    let (project, _) = projects::get(app, project_id).await?;
    let (mut account, version) = load(app, project_id).await?;
    let now = app.now();
    if account.status_at(now) == Status::Active && account.plan == Some(plan) && account.visitors == visitors {
        return Err(Error::conflict("already_connected", "Этот тариф уже подключён; его можно продлить"));
    }
    let cost = price(plan, visitors);
    let entry = charge(&mut account, cost, now, format!("Тариф {} на {PERIOD_DAYS} дней", plan_name(plan)))?;
    account.plan = Some(plan);
    account.visitors = if plan == Plan::ProPlus { Some(visitors.unwrap_or(10_000).max(5_001)) } else { None };
    let from = account.paid_from(now);
    account.status = Status::Active;
    account.started_at = Some(now);
    account.expires_at = Some(from + Duration::days(PERIOD_DAYS));
    save(app, project_id, &account, version, Some(entry)).await?;
    tell(app, &project, TariffEvent::Connected, &account).await?;
    Ok(account)
}

/// Extends the connected (or just expired) tariff by a period, from its end if still running.
pub async fn renew(app: &App, project_id: &str) -> Result<Account> {
    let (project, _) = projects::get(app, project_id).await?;
    let (mut account, version) = load(app, project_id).await?;
    let now = app.now();
    let plan = match (account.status_at(now), account.status, account.plan) {
        (Status::Active | Status::Expired, Status::Active | Status::Expired, Some(plan)) => plan,
        _ => {
            return Err(Error::conflict(
                "nothing_to_renew",
                "Продлить можно подключённый тариф; пробный период не продлевается",
            ));
        }
    };
    let cost = price(plan, account.visitors);
    let entry = charge(&mut account, cost, now, format!("Продление тарифа {}", plan_name(plan)))?;
    let from = account.expires_at.filter(|end| *end > now).unwrap_or(now);
    account.status = Status::Active;
    account.expires_at = Some(from + Duration::days(PERIOD_DAYS));
    save(app, project_id, &account, version, Some(entry)).await?;
    tell(app, &project, TariffEvent::Renewed, &account).await?;
    Ok(account)
}

pub async fn disconnect(app: &App, project_id: &str) -> Result<Account> {
    let (project, _) = projects::get(app, project_id).await?;
    let (mut account, version) = load(app, project_id).await?;
    if account.status == Status::None {
        return Err(Error::conflict("nothing_to_disconnect", "Тариф не подключён"));
    }
    let was = account.clone();
    account.status = Status::None;
    account.plan = None;
    account.visitors = None;
    account.started_at = None;
    account.expires_at = None;
    save(app, project_id, &account, version, None).await?;
    tell(app, &project, TariffEvent::Disconnected, &was).await?;
    Ok(account)
}

/// The scheduled job: marks every trial and tariff past its end as expired and tells the
/// project. Returns how many ended.
pub async fn expire_due(app: &App) -> Result<usize> {
    let now = app.now();
    let due =
        app.ports.table.query(Query::index(EXPIRING).between("", format!("{}~", now.to_rfc3339())).limit(100)).await?;
    let mut ended = 0;
    let mut failed = None;
    // One project's failure does not keep the others' tariffs from ending; it is reported
    // after them, so the tick is retried (each step is idempotent).
    for item in due.items {
        let project_id = item.pk.trim_start_matches("project#").to_owned();
        match expire_one(app, &project_id, now).await {
            Ok(true) => ended += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::error!(project_id, error = %e, "could not end the tariff");
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(ended),
    }
}

/// Ends one project's tariff if it is due; whether it did.
async fn expire_one(app: &App, project_id: &str, now: DateTime<Utc>) -> Result<bool> {
    let (mut account, version) = load(app, project_id).await?;
    if account.status_at(now) != Status::Expired || account.status == Status::Expired {
        return Ok(false);
    }
    account.status = Status::Expired;
    save(app, project_id, &account, version, None).await?;
    if let Ok((project, _)) = projects::get(app, project_id).await {
        tell(app, &project, TariffEvent::Expired, &account).await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, NewUser};
    use crate::projects::NewProject;
    use crate::testing;

    #[test]
    fn prices_of_the_manual() {
        assert_eq!(price(Plan::Start, None), 2_500);
        assert_eq!(price(Plan::Pro, None), 3_500);
        assert_eq!(price(Plan::ProPlus, Some(10_000)), 6_000);
        assert_eq!(price(Plan::ProPlus, Some(10_001)), 6_500);
        assert!(!catalogue()[0].site_chat, "Start has no site chat");
    }

    #[test]
    fn start_has_no_site_chat_and_expiry_counts_now() {
        let now = Utc::now();
        let mut a = Account {
            status: Status::Active,
            plan: Some(Plan::Start),
            expires_at: Some(now + Duration::days(1)),
            ..Default::default()
        };
        assert!(!a.site_chat(now));
        a.plan = Some(Plan::Pro);
        assert!(a.site_chat(now));
        assert!(!a.site_chat(now + Duration::days(2)), "past its end it is expired before the job runs");
        assert_eq!(a.status_at(now + Duration::days(2)), Status::Expired);
    }

    #[tokio::test]
    async fn one_broken_project_does_not_keep_the_others_tariffs_from_ending() {
        let (app, clock, _) = testing::app();
        let owner = accounts::create_user(&app, NewUser { email: "o@x.ru".into(), ..Default::default() }, "password1")
            .await
            .unwrap();
        let mut ids = Vec::new();
        for name in ["Ромашка", "Лютик"] {
            let new =
                NewProject { name: name.into(), domains: vec![format!("site{}.ru", ids.len())], ..Default::default() };
            let p = projects::create(&app, &owner.id, new, None).await.unwrap();
            start_trial(&app, &p.id).await.unwrap();
            ids.push(p.id);
        }
        // The first project's billing item no longer decodes; it stays in the expiry index.
        let (pk, sk) = keys::billing(&ids[0]);
        let mut broken = app.ports.table.get(&pk, &sk).await.unwrap().unwrap();
        broken.body = serde_json::json!({ "status": 42 });
        app.ports.table.put(broken, Condition::Always).await.unwrap();
        clock.advance(Duration::days(TRIAL_DAYS) + Duration::seconds(1));
        assert!(expire_due(&app).await.is_err(), "the failure is reported");
        assert_eq!(load(&app, &ids[1]).await.unwrap().0.status, Status::Expired, "after the others were handled");
    }

    #[tokio::test]
    async fn trial_then_tariff_then_expiry() {
        let (app, clock, _) = testing::app();
        let owner = accounts::create_user(&app, NewUser { email: "o@x.ru".into(), ..Default::default() }, "password1")
            .await
            .unwrap();
        let p = projects::create(&app, &owner.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
            .await
            .unwrap();
        assert!(
            matches!(start_trial(&app, &p.id).await, Err(Error::Conflict { code: "trial_unavailable", .. })),
            "no domain yet"
        );
        projects::update(
            &app,
            &p.id,
            projects::ProjectChanges { domains: Some(vec!["test.com".into()]), ..Default::default() },
        )
        .await
        .unwrap();
        let trial = start_trial(&app, &p.id).await.unwrap();
        assert_eq!(trial.status, Status::Trial);
        assert!(trial.site_chat(app.now()));
        assert!(matches!(start_trial(&app, &p.id).await, Err(Error::Conflict { .. })));

        // Connected during the trial: the paid 30 days start when the trial's 7 end.
        let other = projects::create(&app, &owner.id, NewProject { name: "Лютик".into(), ..Default::default() }, None)
            .await
            .unwrap();
        projects::update(
            &app,
            &other.id,
            projects::ProjectChanges { domains: Some(vec!["lutik.ru".into()]), ..Default::default() },
        )
        .await
        .unwrap();
        let on_trial = start_trial(&app, &other.id).await.unwrap();
        clock.advance(Duration::days(2));
        top_up(&app, &other.id, 3_500).await.unwrap();
        let paid = connect(&app, &other.id, Plan::Pro, None).await.unwrap();
        assert_eq!(paid.status, Status::Active);
        assert_eq!(paid.expires_at, on_trial.expires_at.map(|e| e + Duration::days(PERIOD_DAYS)));

        clock.advance(Duration::days(TRIAL_DAYS) + Duration::seconds(1));
        assert_eq!(expire_due(&app).await.unwrap(), 1);
        assert_eq!(load(&app, &p.id).await.unwrap().0.status, Status::Expired);
        assert_eq!(expire_due(&app).await.unwrap(), 0, "once");

        assert!(matches!(
            connect(&app, &p.id, Plan::Pro, None).await,
            Err(Error::Conflict { code: "insufficient_balance", .. })
        ));
        top_up(&app, &p.id, 5_000).await.unwrap();
        clock.advance(Duration::seconds(1));
        let pro = connect(&app, &p.id, Plan::Pro, None).await.unwrap();
        assert_eq!((pro.status, pro.balance_rub), (Status::Active, 1_500));
        assert!(matches!(renew(&app, &p.id).await, Err(Error::Conflict { code: "insufficient_balance", .. })));
        clock.advance(Duration::seconds(1));
        top_up(&app, &p.id, 2_000).await.unwrap();
        clock.advance(Duration::seconds(1));
        let renewed = renew(&app, &p.id).await.unwrap();
        assert_eq!(
            renewed.expires_at,
            pro.expires_at.map(|e| e + Duration::days(PERIOD_DAYS)),
            "renewal adds to the end"
        );
        let entries = ledger(&app, &p.id).await.unwrap();
        assert_eq!(entries.iter().map(|e| e.amount_rub).collect::<Vec<_>>(), [-3_500, 2_000, -3_500, 5_000]);
        assert_eq!(disconnect(&app, &p.id).await.unwrap().status, Status::None);
    }
}
