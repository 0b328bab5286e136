//! Access to a project (PRODUCT.md §3): the four accesses a member may hold in any
//! combination, the actions of the cabinet, and the one permission matrix between them that
//! every cabinet and operator route checks.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Администратор: exactly one per project; every right but answering dialogs.
    Admin,
    /// Настройка проекта: every setting of the project and its services.
    Settings,
    /// Аналитика: the journal, reports, statistics and dialogs, read only.
    Analytics,
    /// Оператор: answers dialogs.
    Operator,
}

impl Access {
    pub const ALL: [Access; 4] = [Access::Admin, Access::Settings, Access::Analytics, Access::Operator];
}

/// What a cabinet or operator route does, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the project's name and one's own membership; change one's own notifications.
    ViewProject,
    /// Change the project's settings, team, notifications of others and blacklist.
    EditSettings,
    /// See the balance, the tariff and the ledger.
    ViewBilling,
    /// Top up, start the trial, connect, renew and disconnect a tariff.
    ManageBilling,
    /// Hand the administrator's access to another member.
    TransferAdmin,
    /// The lead journal, reports and statistics, ОКО (the customers' ratings) included.
    ViewJournal,
    /// Read dialogs.
    ViewDialogs,
    /// Answer dialogs and go online.
    AnswerDialogs,
    /// Connect, change and remove the messenger integrations («Синхронизации»), whose
    /// credentials are secrets.
    ManageIntegrations,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::ViewProject,
        Action::EditSettings,
        Action::ViewBilling,
        Action::ManageBilling,
        Action::TransferAdmin,
        Action::ViewJournal,
        Action::ViewDialogs,
        Action::AnswerDialogs,
        Action::ManageIntegrations,
    ];
}

/// The permission matrix: whether one access alone allows an action.
pub const fn grants(access: Access, action: Action) -> bool {
    use Access::*;
    use Action::*;
    match action {
        ViewProject => true,
        EditSettings | ViewBilling | ManageIntegrations => matches!(access, Admin | Settings),
        ManageBilling | TransferAdmin => matches!(access, Admin),
        ViewJournal => matches!(access, Admin | Analytics),
        ViewDialogs => matches!(access, Admin | Analytics | Operator),
        AnswerDialogs => matches!(access, Operator),
    }
}

/// Whether a member holding these accesses may do the action.
pub fn allows(accesses: &[Access], action: Action) -> bool {
    accesses.iter().any(|a| grants(*a, action))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Access::*;
    use Action::*;

    #[test]
    fn the_matrix_of_the_manual() {
        assert!(allows(&[Analytics], ViewJournal) && allows(&[Analytics], ViewDialogs));
        assert!(!allows(&[Analytics], EditSettings) && !allows(&[Analytics], ViewBilling));
        assert!(
            allows(&[Settings], EditSettings) && !allows(&[Settings], ViewJournal) && !allows(&[Settings], ViewDialogs)
        );
        assert!(!allows(&[Settings], ManageBilling), "only the administrator connects tariffs");
        assert!(allows(&[Settings], ManageIntegrations) && !allows(&[Operator], ManageIntegrations));
        assert!(!allows(&[Analytics], ManageIntegrations), "integration secrets are for settings only");
        assert!(allows(&[Operator], AnswerDialogs) && !allows(&[Operator], EditSettings));
        assert!(!allows(&[Admin], AnswerDialogs), "administrators answer only with the operator access added");
        assert!(allows(&[Admin, Operator], AnswerDialogs));
        for action in Action::ALL {
            assert!(!allows(&[], action), "no access, no right: {action:?}");
            if action != AnswerDialogs {
                assert!(allows(&[Admin], action), "the administrator may {action:?}");
            }
        }
    }
}
