// /journal — ЕЖЛ, the lead journal (§11): every request with its time (in the project's time
// zone), source and page, the client as known now, who answered and how fast, the status;
// filters (period, source, status, operator), search, paging, exports (CSV, Excel) of what
// the filter shows; a row with a dialog opens it in Диалоги.
import { useEffect, useState } from "preact/hooks";
import {
  CHANNELS,
  isForbidden,
  journal,
  journalExportUrl,
  LEAD_SOURCES,
  LEAD_STATUSES,
  listMembers,
  type Channel,
  type Lead,
  type LeadFilter,
  type Member,
} from "./api";
import { formatDateTime, formatPhone } from "./format";
import { useI18n, type Key } from "./i18n";
import { IconJournal, IconSearch } from "./icons";
import { linkClick } from "./nav";
import { dialogsPath } from "./routes";
import { useProjects, useSession } from "./state";
import { requestText } from "./systemText";
import { DateRange, errorText, LoadError, Loading, NoProject, Refusal } from "./ui";

type Load =
  | { state: "loading" }
  | { state: "forbidden" }
  | { state: "error"; err: unknown }
  | { state: "ok"; leads: Lead[]; next: string | null };

/** Lead fields are shown as text only, whatever their shape turns out to be. */
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/** A first-response time as «42 с», «3 мин 5 с», «1 ч 20 мин». */
function duration(secs: number, t: (k: Key) => string): string {
  if (secs < 60) return secs + " " + t("journal.sec");
  const m = Math.floor(secs / 60);
  if (m < 60) return m + " " + t("journal.min") + (secs % 60 ? " " + (secs % 60) + " " + t("journal.sec") : "");
  return Math.floor(m / 60) + " " + t("journal.hour") + (m % 60 ? " " + (m % 60) + " " + t("journal.min") : "");
}

export function JournalPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { list, current } = useProjects();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [more, setMore] = useState<"" | "busy" | string>("");
  const [filter, setFilter] = useState<LeadFilter>({});
  const [search, setSearch] = useState("");
  const [operators, setOperators] = useState<Member[]>([]);

  async function fetchLeads(id: string, f: LeadFilter) {
    setLoad({ state: "loading" });
    setMore("");
    try {
      const r = await journal(id, f);
      setLoad({ state: "ok", leads: r.leads, next: r.next });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (current) fetchLeads(current.id, filter);
  }, [current?.id, filter]);
  useEffect(() => {
    if (!current) return;
    listMembers(current.id, "", "operator").then(setOperators, () => setOperators([]));
  }, [current?.id]);
  // The search applies a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.q === search ? f : { ...f, q: search })), 350);
    return () => clearTimeout(timer);
  }, [search]);

  async function loadMore() {
    if (load.state !== "ok" || !load.next || !current) return;
    setMore("busy");
    try {
      const r = await journal(current.id, filter, load.next);
      setLoad({ state: "ok", leads: [...load.leads, ...r.leads], next: r.next });
      setMore("");
    } catch (e) {
      setMore(errorText(e, t));
    }
  }

  if (list === null) return <Loading />;
  if (!current) {
    return <NoProject icon={<IconJournal />} />;
  }
  if (load.state === "forbidden") return <Refusal title={t("journal.forbidden")} text={t("journal.forbiddenText")} />;

  const set = (k: keyof LeadFilter) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setFilter((f) => ({ ...f, [k]: v }));
  };
  const filtered = Object.entries(filter).some(([, v]) => v);
  const channel = (c: string) => ((CHANNELS as string[]).includes(c) ? t(("channel." + (c as Channel)) as Key) : str(c) || "—");
  const status = (s: string) => ((LEAD_STATUSES as string[]).includes(s) ? t(("journal.status." + s) as Key) : "—");
  return (
    <section class="card section" aria-labelledby="journal-title">
      <div class="section-head">
        <h2 id="journal-title">{current.name}</h2>
        <p class="muted small">{t("journal.lead")}</p>
      </div>
      <form class="journal-filters" onSubmit={(e) => e.preventDefault()} aria-label={t("journal.filters")}>
        <div class="toolbar">
          <div class="search">
            <IconSearch />
            <label for="journal-q" class="sr-only">
              {t("journal.search")}
            </label>
            <input id="journal-q" type="search" placeholder={t("journal.searchPlaceholder")} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </div>
          <DateRange from={filter.from || ""} to={filter.to || ""} onChange={(end, v) => setFilter((f) => ({ ...f, [end]: v }))} />
        </div>
        <div class="toolbar">
          <label for="journal-source" class="sr-only">
            {t("journal.col.channel")}
          </label>
          <select id="journal-source" name="source" class="select-inline" value={filter.source || ""} onChange={set("source")}>
            <option value="">{t("journal.allSources")}</option>
            {LEAD_SOURCES.map((s) => (
              <option value={s}>{channel(s)}</option>
            ))}
          </select>
          <label for="journal-status" class="sr-only">
            {t("journal.col.status")}
          </label>
          <select id="journal-status" name="status" class="select-inline" value={filter.status || ""} onChange={set("status")}>
            <option value="">{t("journal.allStatuses")}</option>
            {LEAD_STATUSES.map((s) => (
              <option value={s}>{status(s)}</option>
            ))}
          </select>
          <label for="journal-operator" class="sr-only">
            {t("journal.col.operator")}
          </label>
          <select id="journal-operator" name="operator" class="select-inline" value={filter.operator || ""} onChange={set("operator")}>
            <option value="">{t("journal.allOperators")}</option>
            {operators.map((m) => (
              <option value={m.user_id}>{[m.first_name, m.last_name].filter(Boolean).join(" ") || m.email}</option>
            ))}
          </select>
          {filtered && (
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setSearch("");
                setFilter({});
              }}
            >
              {t("journal.reset")}
            </button>
          )}
          <span class="grow" />
          <a class="btn btn-secondary" href={journalExportUrl(current.id, filter, "csv", lang)} download>
            {t("journal.exportCsv")}
          </a>
          <a class="btn btn-secondary" href={journalExportUrl(current.id, filter, "xlsx", lang)} download>
            {t("journal.exportXlsx")}
          </a>
        </div>
      </form>
      {load.state === "loading" ? (
        <Loading />
      ) : load.state === "error" ? (
        <LoadError err={load.err} onRetry={() => fetchLeads(current.id, filter)} />
      ) : (
        <div class="table-wrap">
          <table class="table journal">
            <thead>
              <tr>
                <th scope="col">{t("journal.col.time")}</th>
                <th scope="col">{t("journal.col.channel")}</th>
                <th scope="col">{t("journal.col.client")}</th>
                <th scope="col">{t("journal.col.request")}</th>
                <th scope="col">{t("journal.col.operator")}</th>
                <th scope="col">{t("journal.col.status")}</th>
              </tr>
            </thead>
            <tbody>
              {load.leads.length === 0 ? (
                <tr>
                  <td colSpan={6} class="table-empty">
                    <div class="empty-icon">
                      <IconJournal />
                    </div>
                    <p class="empty-title">{filtered ? t("journal.nothingFound") : t("journal.empty")}</p>
                    <p class="muted small">{filtered ? t("journal.nothingFoundText") : t("empty.journal")}</p>
                  </td>
                </tr>
              ) : (
                load.leads.map((l) => {
                  const name = str(l.name);
                  const contacts = [formatPhone(str(l.phone)), str(l.email)].filter(Boolean);
                  const dialog = str(l.dialog_id);
                  const secs = typeof l.first_response_secs === "number" ? l.first_response_secs : null;
                  const time = str(l.local_time) || formatDateTime(str(l.at), lang, user.timezone);
                  return (
                    <tr data-lead={str(l.id)} data-source={str(l.channel)}>
                      <td class="nowrap muted" data-label={t("journal.col.time")}>
                        {dialog ? (
                          <a href={dialogsPath(l.status === "done" ? "archive" : "mine", dialog)} onClick={linkClick} title={t("journal.openDialog")}>
                            {time}
                          </a>
                        ) : (
                          time
                        )}
                      </td>
                      <td class="nowrap" data-label={t("journal.col.channel")}>
                        <span class="chip">{channel(str(l.channel))}</span>
                        {l.page_url && (
                          <span class="muted small lead-page" title={str(l.page_url)}>
                            {str(l.page_url).replace(/^https?:\/\//, "")}
                          </span>
                        )}
                      </td>
                      <td data-label={t("journal.col.client")}>
                        <span class="person-cell">
                          <span class="person-name">{name || contacts[0] || "—"}</span>
                          {(name ? contacts : contacts.slice(1)).map((c) => (
                            <span class="muted small">{c}</span>
                          ))}
                        </span>
                      </td>
                      <td class="lead-text" data-label={t("journal.col.request")}>
                        <span>
                          {(l.request ? requestText(l.request, t) : str(l.text)) || "—"}
                          {dialog && (
                            <a class="lead-open small" href={dialogsPath(l.status === "done" ? "archive" : "mine", dialog)} onClick={linkClick}>
                              {t("journal.openDialog")}
                            </a>
                          )}
                        </span>
                      </td>
                      <td data-label={t("journal.col.operator")}>
                        <span class="person-cell">
                          <span>{str(l.operator) || "—"}</span>
                          {secs !== null && <span class="muted small">{t("journal.answeredIn", { TIME: duration(secs, t) })}</span>}
                        </span>
                      </td>
                      <td class="nowrap" data-label={t("journal.col.status")}>
                        <span class={"chip lead-status lead-status-" + str(l.status || "new")}>{status(str(l.status || "new"))}</span>
                      </td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
      )}
      {load.state === "ok" && load.next && (
        <div class="section-foot">
          <button type="button" class="btn btn-secondary" onClick={loadMore} disabled={more === "busy"}>
            {more === "busy" ? t("app.loading") : t("journal.more")}
          </button>
          {more && more !== "busy" && <span class="field-error">{more}</span>}
        </div>
      )}
    </section>
  );
}
