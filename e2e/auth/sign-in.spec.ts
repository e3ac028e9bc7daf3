import { expect, test } from "@playwright/test";
import { accounts } from "../helpers/accounts";
import { expectSignedInAs, formError, shot, signIn } from "../helpers/sign-in";

test.describe("signing in", () => {
  test("a platform admin lands on the admin console and sees every customer", async ({ page }) => {
    const a = accounts();
    await signIn(page, a.admin);
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
    await expect(page.getByRole("cell", { name: a.customerName, exact: true })).toBeVisible();
    await expectSignedInAs(page, a.admin);
    await shot(page, "admin-home");
    await page.getByRole("link", { name: "Plans" }).click();
    await expect(page.getByRole("heading", { name: "Plans", level: 1 })).toBeVisible();
    await shot(page, "admin-plans");
  });

  test("a partner admin lands on the partner console with only its own customers", async ({ page }) => {
    const a = accounts();
    await signIn(page, a.partner);
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByRole("heading", { name: "Your customers" })).toBeVisible();
    await expect(page.getByRole("cell", { name: a.customerName, exact: true })).toBeVisible();
    await expect(page.getByRole("row")).toHaveCount(2); // header + its one customer
    await expectSignedInAs(page, a.partner);
    await shot(page, "partner-home");
    // The admin console is not theirs.
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/no-access$/);
  });

  test("a customer lands on its domains with usage against its plan", async ({ page }) => {
    const a = accounts();
    await signIn(page, a.customer);
    await expect(page).toHaveURL(/\/domains$/);
    await expect(page.getByRole("heading", { name: "Domains", level: 1 })).toBeVisible();
    await expect(page.getByText(`${a.customerName} · Starter plan`)).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Mailboxes" })).toBeVisible();
    await expectSignedInAs(page, a.customer);
    await shot(page, "customer-home");
  });

  test("a wrong password gets a clear message and keeps the e-mail typed", async ({ page }) => {
    const a = accounts();
    await signIn(page, { email: a.customer.email, password: "not-the-password" });
    await expect(formError(page)).toHaveText("That e-mail and password do not match an account.");
    await expect(page.getByLabel("E-mail")).toHaveValue(a.customer.email);
    await expect(page).toHaveURL(/\/login$/);
    await shot(page, "login-wrong-password");
  });

  test("an empty form is answered field by field", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter a valid e-mail address")).toBeVisible();
    await expect(page.getByText("Enter your password")).toBeVisible();
  });

  test("after too many failures the form says to wait, even for the right password", async ({ page }) => {
    const a = accounts();
    for (let i = 0; i < 3; i++) {
      await signIn(page, { email: a.throttled.email, password: `wrong-${i}` });
      await expect(formError(page)).toBeVisible();
    }
    await expect(formError(page)).toContainText("Too many failed sign-ins. Wait");
    await signIn(page, a.throttled);
    await expect(formError(page)).toContainText(/Wait \d+ minutes/);
    await expect(page).toHaveURL(/\/login$/);
    await shot(page, "login-throttled");
  });

  test("signing out ends the session: the old cookie no longer opens the panel", async ({ page, browser }) => {
    const a = accounts();
    await signIn(page, a.revoked);
    await expect(page).toHaveURL(/\/domains$/);
    const cookies = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    const replay = await browser.newContext();
    await replay.addCookies(cookies);
    const again = await replay.newPage();
    await again.goto("/domains");
    await expect(again).toHaveURL(/\/login$/);
    await replay.close();
  });

  test("signed-out visitors are sent to sign in", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login$/);
    await shot(page, "login");
  });
});
