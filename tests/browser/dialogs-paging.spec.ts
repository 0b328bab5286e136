import { expect, request, test } from "@playwright/test";
import { baseURL, cabinetPage, DemoAdmin, PROJECT, type Json } from "./support";
import { screenshot } from "./shots";

// A long dialog (issue 11, paging): the operator opens it on its newest messages and scrolls
// back page by page to the customer's first words; nothing is lost on the way.
//
// SETTINGS: on the demo project the administrator takes the operator access and goes online;
// the chat is open around the clock without the welcome's contact request; put back after.

const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

test.beforeAll(() => demo.openChat());

test.afterAll(() => demo.close());

test("a dialog of 230 messages opens on the newest and pages back to the first", async ({ browser }) => {
  test.setTimeout(120_000);
  const tag = rnd();
  const visitor = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const token = (await (await visitor.post("/widget/v1/projects/demo/visitors", { data: {} })).json()).token as string;
  const first = await visitor.post("/widget/v1/projects/demo/messages", {
    headers: { Authorization: "Bearer " + token },
    data: { text: `Первый вопрос ${tag}`, client_id: "c" + rnd() },
  });
  expect(first.status(), await first.text()).toBeLessThan(300);
  const did = ((await first.json()).dialog as Json).id as string;
  await visitor.dispose();
  for (let i = 1; i <= 229; i++) {
    const r = await demo.api.post(`${PROJECT}/dialogs/${did}/messages`, { data: { text: `Ответ ${i} ${tag}`, client_id: `p${i}-${tag}` } });
    expect(r.status(), await r.text()).toBeLessThan(300);
  }

  const page = await cabinetPage(browser);
  await page.goto(`/dialogs/mine/${did}`);
  const log = page.getByRole("log", { name: "Сообщения диалога" });
  await expect(log.getByText(`Ответ 229 ${tag}`, { exact: true })).toBeVisible();
  await expect(log.getByText(`Первый вопрос ${tag}`)).toHaveCount(0);
  const older = log.getByRole("button", { name: "Ранние сообщения" });
  await older.click();
  await expect(log.getByText(`Ответ 30 ${tag}`, { exact: true })).toBeAttached();
  await expect(log.getByText(`Ответ 29 ${tag}`, { exact: true })).toHaveCount(0);
  await older.click();
  await expect(log.getByText(`Первый вопрос ${tag}`)).toBeAttached();
  await expect(older).toHaveCount(0);
  for (const i of [1, 29, 30, 129, 130, 229]) await expect(log.getByText(`Ответ ${i} ${tag}`, { exact: true })).toHaveCount(1);
  await screenshot(page, "dialogs-paging-ru-desktop");
  await page.context().close();
});
